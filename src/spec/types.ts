/** The slice of OpenAPI 3.1 this project reads. Loose on purpose: the spec files are the truth, lint checks them. */
export type JsonSchema = Record<string, unknown> | boolean;

export interface ExampleObject {
  summary?: string;
  description?: string;
  value?: unknown;
}

export interface MediaTypeObject {
  schema?: JsonSchema;
  example?: unknown;
  examples?: Record<string, ExampleObject | RefObject>;
}

export interface RefObject {
  $ref: string;
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
  description?: string;
}

export interface RequestBodyObject {
  required?: boolean;
  content: Record<string, MediaTypeObject>;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, MediaTypeObject>;
}

/**
 * The JSON Schema keywords an `x-rules` entry can name as its enforcer (specs/README.md). `anyOf` is an "Optionally
 * required" group (an `anyOf` whose branches hold only `required`); `enum` also stands for a list of `const`s.
 */
export const ruleKeywords = [
  'required',
  'anyOf',
  'additionalProperties',
  'type',
  'enum',
  'maxLength',
  'minLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
] as const;
export type RuleKeyword = (typeof ruleKeywords)[number];

/** One entry of an operation's `x-rules` list (specs/README.md). */
export interface Rule {
  id: string;
  enforcedBy: 'schema' | 'server';
  error?: string;
  description: string;
  /**
   * The JSON Schema keyword (or keywords) of the request schema that enforces the rule: always on an
   * `enforcedBy: schema` rule; on a server rule only for the part of it the schema refuses before the server runs
   * (a `date_create` that is not a date-time). Several keywords: each one constrains some of `fields`, and each
   * field is constrained by at least one of them (`[required, minLength]`: present, and `title` non-empty).
   */
  keyword?: RuleKeyword | RuleKeyword[];
  /**
   * What `keyword` governs: top-level request body fields, or path parameter names for a rule on a path
   * parameter. For `anyOf`, the fields of the group; for `additionalProperties`, the fields the closed object allows.
   */
  fields?: string[];
}

/** One entry of a root's `x-errors` catalogue (specs/README.md); the other fields are the vendor's body fields. */
export interface ErrorEntry {
  status: number;
  message: string;
  [field: string]: unknown;
}

export interface ActionObject {
  summary?: string;
  description?: string;
  requestBody?: RefObject | JsonSchema;
  responses?: Record<string, ResponseObject | RefObject>;
  'x-rules'?: Rule[];
}

export interface OperationObject {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: (ParameterObject | RefObject)[];
  requestBody?: RequestBodyObject | RefObject;
  responses: Record<string, ResponseObject | RefObject>;
  security?: Record<string, string[]>[];
  'x-rules'?: Rule[];
  'x-actions'?: Record<string, ActionObject>;
}

export const httpMethods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
export type HttpMethod = (typeof httpMethods)[number];

export type PathItemObject = Partial<Record<HttpMethod, OperationObject>> & {
  parameters?: (ParameterObject | RefObject)[];
  /** Other templates the vendor serves this path item under (specs/README.md, "Path aliases"). */
  'x-aliases'?: string[];
  servers?: ServerObject[];
};

export interface ServerObject {
  url: string;
  description?: string;
  variables?: Record<string, { default: string; enum?: string[] }>;
}

/** A spec root's `x-rate-limit` (specs/README.md, "Rate limits"): what the vendor allows and how it answers more. */
export interface RateLimitObject {
  /** Requests allowed per window. */
  max: number;
  windowSeconds: number;
  /** What the vendor counts by: the caller's IP address, its account, or both. */
  per: ('ip' | 'account')[];
  /** The `x-errors` key of the answer past the limit (sent with `Retry-After`). */
  error: string;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; [x: `x-${string}`]: unknown };
  servers?: ServerObject[];
  paths: Record<string, PathItemObject>;
  components?: Record<string, Record<string, unknown>>;
  security?: Record<string, string[]>[];
  'x-errors'?: Record<string, ErrorEntry>;
  'x-rate-limit'?: RateLimitObject;
}

/** A security scheme of `components.securitySchemes`, as far as the sandbox, the mock and the suite read it. */
export interface SecuritySchemeObject {
  type: string;
  scheme?: string;
  in?: 'header' | 'query' | 'cookie';
  name?: string;
}
