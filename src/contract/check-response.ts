import { isXmlMediaType, mediaTypeOf } from '../server/media-type.ts';
import {
  deref,
  findOperation,
  response as findResponse,
  type JsonSchema,
  type Located,
  type OpenApiDocument,
  type ResponseObject,
  responseSchemaPointer,
  type SpecValidator,
} from '../spec/index.ts';
import { parseXml } from '../xml/parse.ts';
import { validateXmlValue } from '../xml/read.ts';

export interface ObservedResponse {
  status: number;
  contentType: string | undefined;
  /** The answer's headers, names in lower case; when given, the documented required headers are checked. */
  headers?: Record<string, string>;
  body: string;
}

/**
 * What is wrong with a response, measured against the spec: the status must be documented for the operation (or
 * action), the content type must be one of that response's media types, and the body must validate against its
 * schema (XML bodies are parsed and validated with types coerced by the schema). Empty list: it conforms.
 */
export function checkResponse(
  doc: OpenApiDocument,
  validators: { strict: SpecValidator; coercing: SpecValidator },
  operation: string,
  observed: ObservedResponse,
): string[] {
  return responseProblems(doc, validators, operation, observed).map((p) => p.what);
}

/** One way a response breaks the contract: where (`status`, `header.<name>`, `content-type`, `body/…`) and what. */
export interface ResponseProblem {
  where: string;
  what: string;
}

/** checkResponse's findings with where each is: the same checks, for a reader that places them (the proxy). */
export function responseProblems(
  doc: OpenApiDocument,
  validators: { strict: SpecValidator; coercing: SpecValidator },
  operation: string,
  observed: ObservedResponse,
): ResponseProblem[] {
  const located = findOperation(doc, operation);
  if (!located) return [{ where: 'operation', what: `the spec has no operation ${operation}` }];
  const status = String(observed.status);
  const key = [status, `${status[0]}XX`, 'default'].find((k) => findResponse(doc, located, k));
  const documented = key ? findResponse(doc, located, key) : undefined;
  if (!key || !documented) return [{ where: 'status', what: `status ${status} is not documented for ${operation}` }];
  const headerProblems = observed.headers
    ? checkHeaders(doc, validators.coercing, documented.response.headers, observed.headers)
    : [];
  const body = checkBody(doc, validators, located, key, documented.response, observed);
  return [...headerProblems, ...body];
}

/** Each header the response documents as `required` is there, and its value fits the header's schema. */
function checkHeaders(
  doc: OpenApiDocument,
  coercing: SpecValidator,
  documented: Record<string, unknown> | undefined,
  observed: Record<string, string>,
): ResponseProblem[] {
  const problems: ResponseProblem[] = [];
  for (const [name, raw] of Object.entries(documented ?? {})) {
    const header = deref<{ required?: boolean; schema?: JsonSchema }>(doc, raw as Record<string, unknown>);
    const value = observed[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) problems.push({ where: `header.${name}`, what: `the required header ${name} is missing` });
      continue;
    }
    if (!header.schema) continue;
    const validate = headerValidator(coercing, header.schema);
    if (!validate({ value }))
      problems.push({
        where: `header.${name}`,
        what: `header ${name}: ${value} ${validate.errors?.[0]?.message ?? 'is invalid'}`,
      });
  }
  return problems;
}

/** A header's value checked as text coerced to its schema's type (`Retry-After: 10` against an integer), compiled once. */
const headerValidators = new WeakMap<object, ReturnType<SpecValidator['compile']>>();
function headerValidator(coercing: SpecValidator, schema: JsonSchema): ReturnType<SpecValidator['compile']> {
  const key = typeof schema === 'object' ? schema : { schema };
  let validate = headerValidators.get(key);
  if (!validate) {
    validate = coercing.compile({ type: 'object', properties: { value: schema } });
    headerValidators.set(key, validate);
  }
  return validate;
}

function checkBody(
  doc: OpenApiDocument,
  validators: { strict: SpecValidator; coercing: SpecValidator },
  located: Located,
  key: string,
  documented: ResponseObject,
  observed: ObservedResponse,
): ResponseProblem[] {
  const status = String(observed.status);
  const operation = located.action?.name ?? located.entry.operationId;
  const media = Object.keys(documented.content ?? {});
  if (media.length === 0)
    return observed.body.length === 0
      ? []
      : [
          {
            where: 'body',
            what: `status ${status} of ${operation} documents no body, got ${observed.body.length} bytes`,
          },
        ];
  const mediaType = mediaTypeOf(observed.contentType);
  if (!media.includes(mediaType))
    return [
      {
        where: 'content-type',
        what: `content type ${mediaType || '(none)'} is not one of ${media.join(', ')} for ${operation} ${status}`,
      },
    ];
  const pointer = responseSchemaPointer(doc, located, key, mediaType);
  if (!pointer) return [];
  const xml = isXmlMediaType(mediaType);
  const parsed = parseBody(observed.body, mediaType);
  if (!parsed.ok) return [{ where: 'body', what: `the ${mediaType} body does not parse: ${parsed.error}` }];
  const validate = (xml ? validators.coercing : validators.strict).at(pointer);
  if (xml ? validateXmlValue(parsed.value, validate) : validate(parsed.value)) return [];
  return (validate.errors ?? []).map((e) => ({
    where: `body${e.instancePath || ''}`,
    what: `body${e.instancePath || ''} ${e.message ?? 'is invalid'} (${e.schemaPath})`,
  }));
}

/** A body read as its media type says: XML, text as it is, anything else as JSON. */
function parseBody(body: string, mediaType: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    if (isXmlMediaType(mediaType)) return { ok: true, value: parseXml(body).value };
    if (mediaType.startsWith('text/')) return { ok: true, value: body };
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
