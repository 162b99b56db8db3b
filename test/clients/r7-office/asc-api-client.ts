/**
 * A TypeScript port of ONLYOFFICE's own .NET API client, as far as a test needs it:
 * mirrors ONLYOFFICE/CommunityServer module/ASC.Api/ASC.Api.Client/ApiClient.cs (Authorize, GetResponse,
 * CreateWebRequest, CreatePath, CreateQuery, WriteMultipart, WriteUrlencoded, EnumerateParameters),
 * ApiRequest.cs (the default ResponseType Xml, `.xml`/`.json` in the URL) and ResponseParser.cs (ParseXmlResponse,
 * ParseJsonResponse). Values are written with .NET's ToString (bool "True"/"False", DateTime "o") and are not
 * URL-encoded, exactly as CreateQuery writes them.
 */
import { parseXml } from '../../../src/xml/parse.ts';

export type ResponseType = 'Xml' | 'Json';

/** A .NET DateTime for EnumerateParameters: written with ToString("o"), by its Kind. */
export class DotNetDateTime {
  readonly wall: string;
  readonly kind: 'Unspecified' | 'Utc' | 'Local';
  readonly localOffset: string;

  constructor(wall: string, kind: 'Unspecified' | 'Utc' | 'Local' = 'Unspecified', localOffset = '+03:00') {
    this.wall = wall;
    this.kind = kind;
    this.localOffset = localOffset;
  }

  /** DateTime.ToString("o"): seven fractional digits, then nothing, Z or the machine's offset. */
  toString(): string {
    const zone = this.kind === 'Utc' ? 'Z' : this.kind === 'Local' ? this.localOffset : '';
    return `${this.wall}.0000000${zone}`;
  }
}

export type ParameterValue = string | number | boolean | DotNetDateTime | null | undefined | unknown[];

export interface ApiRequest {
  url: string;
  method?: 'Get' | 'Post' | 'Put' | 'Delete';
  responseType?: ResponseType;
  requestType?: 'Urlencoded' | 'Multipart';
  parameters?: [string, ParameterValue][];
  authToken?: string;
}

export interface ApiResponse {
  statusCode: number;
  count: number;
  /** The `response` element's outer XML, or the `response` member's JSON text. */
  response: string;
}

export class ApiErrorException extends Error {
  override name = 'ApiErrorException';
}

export class HttpErrorException extends Error {
  override name = 'HttpErrorException';
  readonly status: number;

  constructor(status: number) {
    super(`HTTP ${status}`);
    this.status = status;
  }
}

/** Object.ToString as AppendFormat calls it. */
function dotNetText(value: ParameterValue): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/** EnumerateParameters: no null values, enumerables as name[] per item, DateTime as "o". */
function enumerate(request: ApiRequest): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of request.parameters ?? []) {
    if (!name || value === null || value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) out.push([`${name}[]`, dotNetText(item as ParameterValue)]);
    else out.push([name, dotNetText(value)]);
  }
  return out;
}

/** CreateQuery: `name=value&…`, nothing encoded. */
const createQuery = (request: ApiRequest) =>
  enumerate(request)
    .map(([n, v]) => `${n}=${v}`)
    .join('&');

/** WriteMultipart's body: a CRLF before every boundary, `;` after the name. */
function multipart(request: ApiRequest, boundary: string): string {
  let body = '';
  for (const [name, value] of enumerate(request))
    body += `\r\n--${boundary}\r\nContent-Disposition: form-data; name="${name}";\r\n\r\n${value}`;
  return `${body}\r\n--${boundary}--\r\n`;
}

/** ResponseParser.ParseXmlResponse: statusCode, count, the response element; an error element throws. */
function parseXmlResponse(text: string): ApiResponse {
  const root = /^<result>([\s\S]*)<\/result>$/.exec(text.trim());
  if (!root) throw new Error(`not an API answer: ${text.slice(0, 200)}`);
  const error = /<error>[\s\S]*?<message>([\s\S]*?)<\/message>/.exec(text);
  if (error) throw new ApiErrorException(parseXml(`<m>${error[1]}</m>`).value as string);
  const number = (name: string) => Number(new RegExp(`<${name}>(-?\\d+)</${name}>`).exec(text)?.[1] ?? 0);
  const response = /<response>[\s\S]*<\/response>|<response \/>/.exec(text)?.[0] ?? '';
  return { statusCode: number('statusCode'), count: number('count'), response };
}

/** ResponseParser.ParseJsonResponse. */
function parseJsonResponse(text: string): ApiResponse {
  const body = JSON.parse(text) as {
    statusCode?: number;
    count?: number;
    response?: unknown;
    error?: { message?: string };
  };
  if (body.error) throw new ApiErrorException(body.error.message ?? '');
  return { statusCode: body.statusCode ?? 0, count: body.count ?? 0, response: JSON.stringify(body.response) };
}

export class ApiClient {
  readonly base: string;
  readonly apiRoot: string;

  /** ApiClient(host, apiRoot = "api/2.0", scheme): `base` is scheme and host (and the sandbox's prefix). */
  constructor(base: string, apiRoot = 'api/2.0') {
    this.base = base;
    this.apiRoot = apiRoot;
  }

  /** Authorize(email, password): POST authentication.xml as a form, the token from <response><token>. */
  async authorize(email: string, password: string): Promise<string> {
    const answer = await this.getResponse({
      url: 'authentication',
      method: 'Post',
      responseType: 'Xml',
      parameters: [
        ['userName', email],
        ['password', password],
      ],
    });
    const token = /<token>([^<]*)<\/token>/.exec(answer.response)?.[1];
    if (!token) throw new Error('No authorization token returned from server.');
    return token;
  }

  /** GetResponse: a text/html answer is an HttpErrorException; JSON or XML by the answer's media type. */
  async getResponse(request: ApiRequest): Promise<ApiResponse> {
    const res = await this.send(request);
    const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]?.trim();
    const text = await res.text();
    if (!res.ok && mediaType === 'text/html') throw new HttpErrorException(res.status);
    if (mediaType === 'application/json') return parseJsonResponse(text);
    if (mediaType === 'text/xml') return parseXmlResponse(text);
    throw new Error(`UnsupportedMediaTypeException: ${mediaType}`);
  }

  /** CreateWebRequest: the path with the response type's extension, the token raw in Authorization, the body. */
  send(request: ApiRequest): Promise<Response> {
    const method = request.method ?? 'Get';
    let url = request.url.replace(/^\/+|\/+$/g, '');
    let responseType = request.responseType ?? 'Xml';
    if (url.endsWith('.xml')) [url, responseType] = [url.slice(0, -4), 'Xml'];
    else if (url.endsWith('.json')) [url, responseType] = [url.slice(0, -5), 'Json'];
    let path = `${this.base}/${this.apiRoot}/${url}.${responseType.toLowerCase()}`;
    const headers: Record<string, string> = {};
    if (request.authToken?.trim()) headers.Authorization = request.authToken;
    let body: string | undefined;
    if (method === 'Get' || method === 'Delete') {
      const query = createQuery(request);
      if (query) path += `?${query}`;
    } else if (request.requestType === 'Multipart') {
      const boundary = (BigInt(Date.now()) * 10_000n + 621_355_968_000_000_000n).toString(16);
      headers['Content-Type'] = `multipart/form-data; boundary=${boundary}`;
      body = multipart(request, boundary);
    } else {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = createQuery(request);
    }
    return fetch(path, { method: method.toUpperCase(), headers, ...(body !== undefined ? { body } : {}) });
  }
}
