import type { ValidateFunction } from 'ajv/dist/2020.js';
import {
  deref,
  findOperation,
  type Located,
  listActions,
  listOperations,
  localPrefix,
  type OpenApiDocument,
  type OperationEntry,
  parameterSchema,
  type RequestBodyObject,
  type ResponseObject,
  requestSchemaPointer,
  resolvePointer,
  SpecValidator,
} from '../spec/index.ts';
import { isXmlMediaType } from './media-type.ts';

/** A request body's validators per media type: JSON bodies as sent, XML bodies with types coerced by the schema. */
export interface BodyValidators {
  /** The x-errors key a schema failure raises: the `error` of the operation's (or action's) schema-enforced rules. */
  errorKey?: string;
  mediaTypes: string[];
  byMediaType: Map<string, { validate: ValidateFunction; xml: boolean; xmlRoot?: string }>;
  required: boolean;
}

/** One registered route, everything read from the spec. */
export interface RouteSpec {
  readonly vendor: string;
  readonly method: string;
  /** The vendor's own path template (`/api/Task({id})`). */
  readonly specPath: string;
  /** The Fastify URL under the local prefix (`/odyssee/api/Task(:id(^[^/()]+))`). */
  readonly url: string;
  /** The Fastify URLs of the path item's `x-aliases`, served by the same operation. */
  readonly aliasUrls: readonly string[];
  readonly operationId: string;
  readonly entry: OperationEntry;
  readonly secured: boolean;
  readonly params: ValidateFunction;
  readonly query: ValidateFunction;
  readonly headers: ValidateFunction;
  readonly body?: BodyValidators;
  /** Per action of a query-discriminated operation: its own body validators. */
  readonly actions?: ReadonlyMap<string, BodyValidators | undefined>;
  /** Success media types per status, in the spec's order (first is the default). */
  readonly responseMediaTypes: ReadonlyMap<string, readonly string[]>;
  /** XML root element name of each success response schema, when it has one. */
  readonly responseXmlRoot: ReadonlyMap<string, string>;
}

/** `/api/Task({id})` → `/api/Task(:id(^[^/()]+))`: every template a regex parameter, so `(`/`)`/`.` stay literal. */
export function fastifyUrl(prefix: string, specPath: string): string {
  return prefix + specPath.replace(/\{([^}]+)\}/g, (_m, name: string) => `:${name}(^[^/().]+)`);
}

function bodyValidators(
  doc: OpenApiDocument,
  strict: SpecValidator,
  coercing: SpecValidator,
  located: Located,
  mediaTypes: string[],
  required: boolean,
): BodyValidators {
  const byMediaType = new Map<string, { validate: ValidateFunction; xml: boolean; xmlRoot?: string }>();
  for (const mediaType of mediaTypes) {
    const pointer =
      requestSchemaPointer(doc, located, mediaType) ?? requestSchemaPointer(doc, { entry: located.entry }, mediaType);
    if (!pointer) continue;
    const xml = isXmlMediaType(mediaType);
    const schema = deref<Record<string, unknown>>(doc, resolvePointer(doc, pointer) as Record<string, unknown>);
    const xmlRoot = (schema.xml as { name?: string } | undefined)?.name;
    byMediaType.set(mediaType, {
      validate: (xml ? coercing : strict).at(pointer),
      xml,
      ...(xmlRoot ? { xmlRoot } : {}),
    });
  }
  const rules = located.action?.object['x-rules'] ?? located.entry.operation['x-rules'] ?? [];
  const errorKey = rules.find((r) => r.enforcedBy === 'schema' && r.error)?.error;
  return { mediaTypes, byMediaType, required, ...(errorKey ? { errorKey } : {}) };
}

/** Turns a spec into the list of routes the sandbox registers. Validators are compiled here, once, at start-up. */
export function buildRoutes(vendor: string, doc: OpenApiDocument): RouteSpec[] {
  const prefix = localPrefix(doc);
  const strict = new SpecValidator(vendor, doc);
  const coercing = new SpecValidator(vendor, doc, { coerceTypes: true });
  return listOperations(doc).map((entry) => {
    const { operation } = entry;
    const requestBody = operation.requestBody ? deref<RequestBodyObject>(doc, operation.requestBody) : undefined;
    const mediaTypes = Object.keys(requestBody?.content ?? {});
    const required = requestBody?.required ?? false;
    const actions = operation['x-actions']
      ? actionValidators(doc, strict, coercing, entry, requestBody ? mediaTypes : undefined, required)
      : undefined;
    return {
      vendor,
      method: entry.method.toUpperCase(),
      specPath: entry.path,
      url: fastifyUrl(prefix, entry.path),
      aliasUrls: entry.aliases.map((alias) => fastifyUrl(prefix, alias)),
      operationId: entry.operationId,
      entry,
      secured: isSecured(doc, entry),
      params: coercing.compile(parameterSchema(entry.parameters, 'path')),
      query: coercing.compile(parameterSchema(entry.parameters, 'query')),
      headers: coercing.compile(parameterSchema(entry.parameters, 'header')),
      ...(requestBody && !actions
        ? { body: bodyValidators(doc, strict, coercing, { entry }, mediaTypes, required) }
        : {}),
      ...(actions ? { actions } : {}),
      ...responseShapes(doc, entry),
    };
  });
}

/** Whether the operation asks for credentials: it (or the spec) has a security requirement, none of them empty. */
function isSecured(doc: OpenApiDocument, entry: OperationEntry): boolean {
  const security = entry.operation.security ?? doc.security ?? [];
  return security.length > 0 && !security.some((req) => Object.keys(req).length === 0);
}

/** Each action's body validators (undefined for an action the spec does not find, or without a request body). */
function actionValidators(
  doc: OpenApiDocument,
  strict: SpecValidator,
  coercing: SpecValidator,
  entry: OperationEntry,
  mediaTypes: string[] | undefined,
  required: boolean,
): Map<string, BodyValidators | undefined> {
  return new Map(
    listActions(entry.operation).map(([name]) => {
      const action = findOperation(doc, name);
      return [
        name,
        action && mediaTypes ? bodyValidators(doc, strict, coercing, action, mediaTypes, required) : undefined,
      ];
    }),
  );
}

/** The media types of each response, and the root element each XML answer's schema names. */
function responseShapes(
  doc: OpenApiDocument,
  entry: OperationEntry,
): Pick<RouteSpec, 'responseMediaTypes' | 'responseXmlRoot'> {
  const responseMediaTypes = new Map<string, string[]>();
  const responseXmlRoot = new Map<string, string>();
  for (const [status, raw] of Object.entries(entry.operation.responses)) {
    const res = deref<ResponseObject>(doc, raw);
    const types = Object.keys(res.content ?? {});
    responseMediaTypes.set(status, types);
    const xmlType = types.find(isXmlMediaType);
    const schema = xmlType ? res.content?.[xmlType]?.schema : undefined;
    const root = schema
      ? (deref<Record<string, unknown>>(doc, schema as Record<string, unknown>).xml as { name?: string } | undefined)
          ?.name
      : undefined;
    if (root) responseXmlRoot.set(status, root);
  }
  return { responseMediaTypes, responseXmlRoot };
}
