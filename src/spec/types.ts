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

/** One entry of an operation's `x-rules` list (specs/README.md). */
export interface Rule {
  id: string;
  enforcedBy: 'schema' | 'server';
  error?: string;
  description: string;
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
  servers?: ServerObject[];
};

export interface ServerObject {
  url: string;
  description?: string;
  variables?: Record<string, { default: string; enum?: string[] }>;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; [x: `x-${string}`]: unknown };
  servers?: ServerObject[];
  paths: Record<string, PathItemObject>;
  components?: Record<string, Record<string, unknown>>;
  security?: Record<string, string[]>[];
  'x-errors'?: Record<string, ErrorEntry>;
}
