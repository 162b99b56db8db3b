/**
 * iVvy's own .NET SDK, ported line by line for the client tests: the requests it builds and how it reads the
 * answers. Written from the SDK's source (ivvycode/ivvy-sdk-net at c16332c), independently of src/vendors/ivvy, so
 * that a mistake in the sandbox's signing cannot hide behind the same mistake here.
 *
 * - mirrors src/ApiClient.cs CallAsync: headers cleared, then only `Content-Type: application/json; charset=utf-8`
 *   (StringContent with Encoding.UTF8), `Content-MD5`, `IVVY-Date` and `X-Api-Authorization`; no `X-Api-Version`,
 *   no `Date`; the string to sign `POST + md5 + contentType + "" + /api/1.0/<ns>?action=<a> + "1.0" +
 *   IVVYDate=<date>`, lower-cased; the URL is BaseUrl + requestUri.
 * - mirrors src/Utils.cs: DateTimeFormat `yyyy-MM-dd HH:mm:ss 'UTC'`, GetMD5Hash (UTF-8, x2), SignString
 *   (HMAC-SHA1, x2), GetFilterCondition (`<property>__<CONDITION>`).
 * - mirrors src/Json/ApiClientSerializer.cs: Json.NET, Formatting.None, NullValueHandling.Ignore, dates through
 *   IsoDateTimeConverter with DateTimeFormat; enums as integers (no StringEnumConverter).
 * - mirrors src/Crm/EventTask.cs: the serialised properties in declaration order, `id` dropped when 0
 *   (DefaultValueHandling.Ignore), `status` and `progress` always written.
 * - mirrors src/Crm/ApiClient.cs GetTaskListAsync (`new { perPage, start, filter }`) and AddOrUpdateTaskAsync.
 * - mirrors src/Json/Converters/ResponseConverter.cs, src/ResultOrError.cs, src/ResultList.cs, src/ResultObject.cs:
 *   an answer with `errorCode` is an error (codes read as strings), otherwise the result is populated; property
 *   names match without letter case, nulls are skipped, dates are read with DateFormatString
 *   `yyyy-MM-dd HH:mm:ss 'UTC'` (here strictly: a date the SDK could not read that way fails the test).
 */
import { createHash, createHmac } from 'node:crypto';

/** src/Crm/EventTask.cs EventStatusOptions. */
export const EventStatusOptions = { NotStarted: 0, InProgress: 1, OnHold: 2, Cancelled: 3, Completed: 4 } as const;

/** src/Utils.cs FilterCondition (ToString().ToUpperInvariant() in GetFilterCondition). */
export type FilterCondition =
  | 'Contains'
  | 'Notcontains'
  | 'Begins'
  | 'Ends'
  | 'Lessthan'
  | 'Greaterthan'
  | 'Not'
  | 'Empty';

/** src/Utils.cs GetFilterCondition. */
export const getFilterCondition = (propertyName: string, condition: FilterCondition): string =>
  `${propertyName}__${condition.toUpperCase()}`;

/** src/Crm/EventTask.cs, with C#'s defaults (0 for int, null for int?, string and DateTime?). */
export interface EventTask {
  Id: number;
  VenueId: number | null;
  LeadId: number | null;
  Name: string | null;
  Description: string | null;
  Status: number;
  Priority: string | null;
  ContactId: number | null;
  CompanyId: number | null;
  CompanyContactId: number | null;
  AssignedUserId: number | null;
  AssignedUserFullName: string | null;
  AssignedUserEmail: string | null;
  EndDatetime: Date | null;
  StartDatetime: Date | null;
  Progress: number;
  CreatedDate: Date | null;
  ModifiedDate: Date | null;
}

type Kind = 'int' | 'int?' | 'string' | 'enum' | 'DateTime?';
/** The JsonProperty names in declaration order, with the C# property and its type. */
const EVENT_TASK: readonly (readonly [string, keyof EventTask, Kind])[] = [
  ['id', 'Id', 'int'],
  ['venueId', 'VenueId', 'int?'],
  ['leadId', 'LeadId', 'int?'],
  ['name', 'Name', 'string'],
  ['description', 'Description', 'string'],
  ['status', 'Status', 'enum'],
  ['priority', 'Priority', 'string'],
  ['contactId', 'ContactId', 'int?'],
  ['companyId', 'CompanyId', 'int?'],
  ['companyContactId', 'CompanyContactId', 'int?'],
  ['assignedUserId', 'AssignedUserId', 'int?'],
  ['assignedUserFullName', 'AssignedUserFullName', 'string'],
  ['assignedUserEmail', 'AssignedUserEmail', 'string'],
  ['endDatetime', 'EndDatetime', 'DateTime?'],
  ['startDatetime', 'StartDatetime', 'DateTime?'],
  ['progress', 'Progress', 'int'],
  ['createdDate', 'CreatedDate', 'DateTime?'],
  ['modifiedDate', 'ModifiedDate', 'DateTime?'],
];

/** `new EventTask { … }`: what the caller sets, C#'s defaults for the rest. */
export function newEventTask(init: Partial<EventTask> = {}): EventTask {
  return {
    Id: 0,
    VenueId: null,
    LeadId: null,
    Name: null,
    Description: null,
    Status: EventStatusOptions.NotStarted,
    Priority: null,
    ContactId: null,
    CompanyId: null,
    CompanyContactId: null,
    AssignedUserId: null,
    AssignedUserFullName: null,
    AssignedUserEmail: null,
    EndDatetime: null,
    StartDatetime: null,
    Progress: 0,
    CreatedDate: null,
    ModifiedDate: null,
    ...init,
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A UTC DateTime written with Utils.DateTimeFormat, `yyyy-MM-dd HH:mm:ss 'UTC'`. */
export function formatDateTime(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} UTC`;
}

/** A date read with DateFormatString `yyyy-MM-dd HH:mm:ss 'UTC'` (DateTimeZoneHandling.Utc); anything else throws. */
export function parseDateTime(value: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) UTC$/.exec(value);
  if (!m) throw new Error(`the SDK cannot read "${value}" with yyyy-MM-dd HH:mm:ss 'UTC'`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const date = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
  if (formatDateTime(date) !== value) throw new Error(`"${value}" is not a real date`);
  return date;
}

/** A Json.NET value: strings escaped as JSON, dates through IsoDateTimeConverter, numbers as they are. */
const jsonValue = (value: unknown): string =>
  value instanceof Date ? JSON.stringify(formatDateTime(value)) : JSON.stringify(value);

/** src/Json/ApiClientSerializer.cs Serialize(EventTask): declaration order, nulls dropped, id dropped when 0. */
export function serializeEventTask(task: EventTask): string {
  const members = EVENT_TASK.filter(([json, key]) => task[key] !== null && !(json === 'id' && task.Id === 0)).map(
    ([json, key]) => `${JSON.stringify(json)}:${jsonValue(task[key])}`,
  );
  return `{${members.join(',')}}`;
}

/** src/Json/ApiClientSerializer.cs Serialize(new { perPage, start, filter }): filter dropped when null. */
export function serializeListRequest(perPage: number, start: number, filter?: Record<string, unknown> | null): string {
  const members = [`"perPage":${perPage}`, `"start":${start}`];
  if (filter !== null && filter !== undefined) {
    const entries = Object.entries(filter)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => `${JSON.stringify(k)}:${jsonValue(v)}`);
    members.push(`"filter":{${entries.join(',')}}`);
  }
  return `{${members.join(',')}}`;
}

/** src/Utils.cs GetMD5Hash: the MD5 of the UTF-8 bytes, lower-case hex. */
const md5 = (input: string): string => createHash('md5').update(Buffer.from(input, 'utf8')).digest('hex');
/** src/Utils.cs SignString: HMAC-SHA1 keyed with the UTF-8 secret, lower-case hex. */
const sign = (toSign: string, secret: string): string =>
  createHmac('sha1', Buffer.from(secret, 'utf8')).update(Buffer.from(toSign, 'utf8')).digest('hex');

export interface SdkOptions {
  /** ApiClient.BaseUrl: the sandbox's or the mock's `…/ivvy`. */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** The clock (`DateTime.Now.ToUniversalTime()`); now by default. */
  now?: () => Date;
}

export interface SdkRequest {
  url: string;
  /** Exactly the headers CallAsync puts on the message (the HTTP stack adds Host and Content-Length). */
  headers: Record<string, string>;
  /** The body, `postData`. */
  body: string;
  stringToSign: string;
}

/** ResultOrError<T>: the codes are strings (`[JsonProperty("errorCode")] public string ErrorCode`). */
export interface ResultOrError<T> {
  ErrorCode: string | null;
  ErrorCodeSpecific: string | null;
  ErrorMessage: string | null;
  AdditionalMessages: string[] | null;
  Result: T | null;
  IsSuccess(): boolean;
}

export interface ResultObject {
  Success: boolean;
  Message: string | null;
  Id: number;
}

export interface ResultList<T> {
  Meta: { TotalCount: number; Start: number; PerPage: number; Count: number } | null;
  Results: T[] | null;
}

type Json = Record<string, unknown>;
/** A JSON property by its JsonProperty name, matched without letter case as Json.NET falls back to. */
const member = (json: Json, name: string): unknown => {
  const key =
    Object.keys(json).find((k) => k === name) ?? Object.keys(json).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : json[key];
};
const asString = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

/** serializer.Populate into an EventTask: unknown properties ignored, nulls skipped (the default stays). */
export function readEventTask(json: Json): EventTask {
  const task = newEventTask();
  for (const [name, key, kind] of EVENT_TASK) {
    const value = member(json, name);
    if (value === undefined || value === null) continue;
    const typed =
      kind === 'DateTime?' ? parseDateTime(String(value)) : kind === 'string' ? String(value) : Number(value);
    (task as unknown as Record<string, unknown>)[key] = typed;
  }
  return task;
}

const readResultObject = (json: Json): ResultObject => ({
  Success: member(json, 'success') === true,
  Message: asString(member(json, 'message')),
  Id: Number(member(json, 'id') ?? 0),
});

function readTaskList(json: Json): ResultList<EventTask> {
  const meta = member(json, 'meta') as Json | undefined;
  const results = member(json, 'results') as Json[] | undefined;
  return {
    Meta: meta
      ? {
          TotalCount: Number(member(meta, 'totalResults')),
          Start: Number(member(meta, 'start')),
          PerPage: Number(member(meta, 'perPage')),
          Count: Number(member(meta, 'count')),
        }
      : null,
    Results: results ? results.map(readEventTask) : null,
  };
}

/** src/Json/Converters/ResponseConverter.cs ReadJson: an error when the object has `errorCode`, else the result. */
export function readResult<T>(text: string, populate: (json: Json) => T): ResultOrError<T> {
  const json = JSON.parse(text) as Json;
  const isError = member(json, 'errorCode') !== undefined && member(json, 'errorCode') !== null;
  const messages = member(json, 'additionalMessages');
  return {
    ErrorCode: isError ? asString(member(json, 'errorCode')) : null,
    ErrorCodeSpecific: isError ? asString(member(json, 'specificCode')) : null,
    ErrorMessage: isError ? asString(member(json, 'message')) : null,
    AdditionalMessages: isError && Array.isArray(messages) ? messages.map(String) : null,
    Result: isError ? null : populate(json),
    IsSuccess() {
      return this.ErrorCode === null;
    },
  };
}

/** The SDK's ApiClient, its task calls. */
export class IvvySdk {
  /** ApiClient.ApiVersion, "1.0" as the constructor sets it. */
  readonly apiVersion = '1.0';
  readonly options: SdkOptions;
  /** The last request sent (what CallAsync built), for the tests to look at. */
  last?: SdkRequest;

  constructor(options: SdkOptions) {
    this.options = options;
  }

  /** The request CallAsync builds for `requestData` already serialised (`null`: no request data). */
  buildCall(apiNamespace: string, action: string, postDataOrNull: string | null): SdkRequest {
    const postData = postDataOrNull ?? '';
    const method = 'POST';
    const contentType = 'application/json; charset=utf-8';
    const contentMD5 = md5(postData);
    const date = '';
    const requestUri = `/api/${this.apiVersion}/${apiNamespace}?action=${action}`;
    const ivvyDate = formatDateTime((this.options.now ?? (() => new Date()))());
    const headersToSign = `IVVYDate=${ivvyDate}`;
    const initialStringToSign = method + contentMD5 + contentType + date + requestUri + this.apiVersion + headersToSign;
    const stringToSign = initialStringToSign.toLowerCase();
    const signature = sign(stringToSign, this.options.apiSecret);
    return {
      url: this.options.baseUrl + requestUri,
      headers: {
        'Content-Type': contentType,
        'Content-MD5': contentMD5,
        'IVVY-Date': ivvyDate,
        'X-Api-Authorization': `IWS ${this.options.apiKey}:${signature}`,
      },
      body: postData,
      stringToSign,
    };
  }

  /** CallAsync: send, read the answer as ResponseConverter does. */
  async callAsync<T>(
    apiNamespace: string,
    action: string,
    postData: string | null,
    populate: (json: Json) => T,
  ): Promise<ResultOrError<T> & { status: number; text: string }> {
    const request = this.buildCall(apiNamespace, action, postData);
    this.last = request;
    const res = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: Buffer.from(request.body, 'utf8'),
    });
    const text = await res.text();
    return { ...readResult(text, populate), status: res.status, text };
  }

  /** src/Crm/ApiClient.cs GetTaskListAsync. */
  getTaskListAsync(perPage: number, start: number, filterRequest: Record<string, unknown> | null = null) {
    return this.callAsync('crm', 'getTaskList', serializeListRequest(perPage, start, filterRequest), readTaskList);
  }

  /** src/Crm/ApiClient.cs AddOrUpdateTaskAsync. */
  addOrUpdateTaskAsync(task: EventTask) {
    return this.callAsync('crm', 'addOrUpdateTask', serializeEventTask(task), readResultObject);
  }
}
