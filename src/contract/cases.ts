/**
 * The contract cases, derived from the specs and the samples in mocks/ (nothing here names a field, path or code
 * of a vendor): every documented sample with the outcome its manifest expects, and negative cases generated per
 * operation from its request schema, each naming the `x-rules` entry whose `keyword` + `fields` cover what it
 * breaks. Stateful flows are in flows.ts.
 */
import {
  deref,
  findOperation,
  isRef,
  type JsonSchema,
  type Located,
  listOperations,
  listSamples,
  mediaExamples,
  type OpenApiDocument,
  type RequestBodyObject,
  type Rule,
  requestMedia,
  requestSchemaPointer,
  resolvePointer,
  ruleForGroup,
  ruleForKeyword,
  type Sample,
} from '../spec/index.ts';
import type { ContractRequest } from './http.ts';

/**
 * What a case needs of its target beyond the contract itself. `rate-limit`: the target may be driven past its rate
 * limit (our sandbox; a vendor's host only when asked, `--rate-limit`): cases needing it are left out otherwise.
 */
export type Capability = 'state' | 'vendor-errors' | 'rate-limit';

export type Expectation =
  | { kind: 'status'; status: number }
  | { kind: 'client-error'; status?: number }
  | { kind: 'success' }
  /** A 2xx, or this status (a request that may already meet the vendor's rate limit). */
  | { kind: 'success-or'; status: number };

export interface CaseStep {
  /** The operationId (or iVvy action) whose responses the answer is checked against. */
  operation: string;
  request: (ctx: FlowContext) => ContractRequest;
  /** How to authorise: as the sandbox partner, as a second partner, not at all, or with a tampered credential. */
  auth: 'partner' | 'other-partner' | 'none' | 'wrong';
  expect: Expectation;
  /** Extra checks on the answer (a read-back must show the written value); returns problems. */
  verify?: (body: unknown, ctx: FlowContext) => string[];
  /** Extra checks on the answer's headers (names in lower case); returns problems. */
  verifyHeaders?: (headers: Record<string, string>) => string[];
  /** Values to keep for later steps (an id the target chose). */
  capture?: (body: unknown, ctx: FlowContext) => void;
}

export type FlowContext = Record<string, unknown>;

export interface ContractCase {
  id: string;
  vendor: string;
  /** The operation the case is about (operationId or action), for the report. */
  operation: string;
  kind: 'sample' | 'negative' | 'flow';
  title: string;
  /** x-rules id the case exercises, if any. */
  rule?: string;
  /** Fields of the request body the case exercises, for the coverage report. */
  fields: string[];
  /** What the target must offer for the case to apply; a stateless mock lacks both. */
  needs: Capability[];
  steps: CaseStep[];
}

const OVERSIZED_BYTES = 1024 * 1024 + 1;

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The vendor path of an operation with its path parameters filled in. */
export function fillPath(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    encodeURIComponent(String(params[name] ?? `{${name}}`)),
  );
}

function withQuery(path: string, query: Record<string, string> = {}): string {
  const qs = new URLSearchParams(query).toString();
  return qs ? `${path}?${qs}` : path;
}

function contentHeaders(mediaType: string | undefined): Record<string, string> {
  return mediaType ? { 'content-type': mediaType, accept: acceptFor(mediaType) } : {};
}

const acceptFor = (mediaType: string) => (/xml/.test(mediaType) ? mediaType : 'application/json');

/** One case per request-side sample: sent as-is, with the outcome its manifest expects. */
export function sampleCases(vendor: string, doc: OpenApiDocument, samples: Sample[] = listSamples()): ContractCase[] {
  return samples
    .filter((s) => s.vendor === vendor && s.manifest.side === 'request')
    .map((sample) => {
      const { manifest } = sample;
      const located = findOperation(doc, manifest.operation);
      if (!located) throw new Error(`${sample.id}: no operation ${manifest.operation} in the ${vendor} spec`);
      const path = withQuery(fillPath(located.entry.path, manifest.replay?.path), manifest.replay?.query);
      const rejected = manifest.expect?.outcome === 'rejected';
      const body = sample.bytes;
      return {
        id: `${vendor}/${manifest.operation}/sample/${sample.id.split('/').pop()}`,
        vendor,
        operation: manifest.operation,
        kind: 'sample',
        title: `${rejected ? 'rejects' : 'accepts'} the documented sample ${sample.id}`,
        ...(manifest.expect?.rule ? { rule: manifest.expect.rule } : {}),
        fields: sample.format === 'json' ? Object.keys(JSON.parse(body.toString('utf8')) as object) : [],
        // A documented-invalid sample is refused by the schema (the mock can do that) or by a server rule.
        needs: rejected ? ['vendor-errors'] : [],
        steps: [
          {
            operation: manifest.operation,
            request: () => ({
              method: located.entry.method.toUpperCase(),
              path,
              headers: contentHeaders(manifest.mediaType),
              body,
            }),
            auth: 'partner',
            expect: manifest.expect?.status ? { kind: 'status', status: manifest.expect.status } : { kind: 'success' },
          },
        ],
      } satisfies ContractCase;
    });
}

/** The top-level view of an object schema: its properties, required fields and required-only anyOf groups. */
export function flatten(
  doc: OpenApiDocument,
  schema: unknown,
): { properties: Record<string, Schema>; required: string[]; groups: string[][] } {
  const out = { properties: {} as Record<string, Schema>, required: [] as string[], groups: [] as string[][] };
  const visit = (node: unknown, depth: number) => {
    const s = deref<unknown>(doc, node as Schema);
    if (!isObject(s) || depth > 6) return;
    if (isObject(s.properties))
      for (const [k, v] of Object.entries(s.properties)) out.properties[k] ??= deref<Schema>(doc, v as Schema);
    if (Array.isArray(s.required)) out.required.push(...(s.required as string[]));
    if (Array.isArray(s.anyOf) && s.anyOf.every((b) => isObject(b) && Array.isArray(b.required) && !b.properties)) {
      out.groups.push((s.anyOf as Schema[]).flatMap((b) => b.required as string[]));
    }
    if (Array.isArray(s.allOf)) for (const sub of s.allOf) visit(sub, depth + 1);
  };
  visit(schema, 0);
  return out;
}

/** JSON types and a value of each, for a schema that allows several types. */
const typedValues: [string, unknown][] = [
  ['integer', 12345],
  ['string', 'not a number'],
  ['boolean', true],
  ['object', {}],
  ['array', []],
  ['null', null],
];

/** A value of the wrong JSON type for a schema (for a list of types, one of a type the list does not allow). */
function wrongType(schema: Schema): unknown {
  if (Array.isArray(schema.type)) {
    const allowed = new Set(schema.type as string[]);
    if (allowed.has('number')) allowed.add('integer');
    return typedValues.find(([type]) => !allowed.has(type))?.[1];
  }
  const type = schema.type;
  switch (type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return 'not a number';
    case 'boolean':
      return 'not a boolean';
    case 'array':
      return 'not an array';
    case 'object':
      return 'not an object';
    default:
      return undefined;
  }
}

/** A value outside an enum, of the enum's own type. */
function outsideEnum(values: unknown[]): unknown {
  if (values.every((v) => typeof v === 'number')) return Math.max(...(values as number[])) + 1000;
  return `${String(values[0] ?? 'x')}-not-allowed`;
}

function schemaEnum(doc: OpenApiDocument, schema: Schema): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[key];
    if (!Array.isArray(list)) continue;
    const consts = list.map((b) => deref<Schema>(doc, b as Schema)).filter((b) => 'const' in b);
    if (consts.length === list.length && consts.length > 0) return consts.map((b) => b.const);
    for (const b of list) {
      const found = schemaEnum(doc, deref<Schema>(doc, b as Schema));
      if (found) return found;
    }
  }
  return undefined;
}

/** A valid JSON body for an operation: its first accepted sample, else the first named example of its body. */
function baseBody(
  doc: OpenApiDocument,
  located: Located,
  name: string,
  samples: Sample[],
): Record<string, unknown> | undefined {
  const sample = samples.find(
    (s) =>
      s.manifest.operation === name &&
      s.manifest.side === 'request' &&
      s.format === 'json' &&
      s.manifest.expect?.outcome === 'accepted',
  );
  if (sample) return JSON.parse(sample.bytes.toString('utf8')) as Record<string, unknown>;
  const examples = mediaExamples(doc, requestMedia(doc, located, 'application/json'));
  const named = Object.entries(examples).find(([n]) => n.startsWith(`${name}-`));
  return named && isObject(named[1]) ? named[1] : undefined;
}

/** Where a request schema pointer lands once its `$ref`s are followed: two operations sharing a schema land alike. */
function schemaTarget(doc: OpenApiDocument, pointer: string): string {
  let current = pointer;
  for (let node = resolvePointer(doc, current), hops = 0; isRef(node) && hops < 32; hops++) {
    current = node.$ref;
    node = resolvePointer(doc, current);
  }
  return current;
}

/**
 * The operation whose samples and examples stand in for `name`'s: itself, or, when it has no valid JSON body of its
 * own, the other operation with the same JSON request schema that has one (R7-Office's updateTaskXml takes
 * updateTask's body). Its name also picks the sample whose path parameters are replayed.
 */
function bodySource(
  doc: OpenApiDocument,
  located: Located,
  name: string,
  samples: Sample[],
): { name: string; body?: Record<string, unknown> } {
  const own = baseBody(doc, located, name, samples);
  const pointer = requestSchemaPointer(doc, located, 'application/json');
  if (own || !pointer || located.action) return { name, body: own };
  const target = schemaTarget(doc, pointer);
  for (const entry of listOperations(doc)) {
    if (entry.operationId === name || entry.method !== located.entry.method) continue;
    const other = requestSchemaPointer(doc, { entry }, 'application/json');
    if (!other || schemaTarget(doc, other) !== target) continue;
    const body = baseBody(doc, { entry }, entry.operationId, samples);
    if (body) return { name: entry.operationId, body };
  }
  return { name };
}

/**
 * The keyword a malformed path parameter (`not-valid`) fails: `type` for a number, else its `format` or `pattern`.
 */
function malformedKeyword(schema: JsonSchema | undefined): string | undefined {
  if (!isObject(schema)) return undefined;
  if (schema.type === 'integer' || schema.type === 'number') return 'type';
  if (schema.format) return 'format';
  return schema.pattern ? 'pattern' : undefined;
}

/** `{ rule }` for a case that breaks a rule, nothing otherwise. */
const ruleOf = (rule: Rule | undefined): Partial<ContractCase> => (rule ? { rule: rule.id } : {});

/**
 * Negative cases per operation: every one expects a 4xx in the vendor's own error shape. A case that breaks a
 * schema check carries the rule linked to it (`keyword` + `fields` of x-rules): missing-<field> the `required` rule
 * of the field, group-<i>-empty the `anyOf` rule of the group, max-length-<field> the `maxLength` rule, enum-<field>
 * the `enum` rule, type-<field> the `type` rule of the field if there is one, path-<param>-invalid the rule of the
 * keyword the malformed parameter fails.
 */
export function negativeCases(vendor: string, doc: OpenApiDocument, samples: Sample[] = listSamples()): ContractCase[] {
  const cases: ContractCase[] = [];
  const vendorSamples = samples.filter((s) => s.vendor === vendor);
  for (const entry of listOperations(doc)) {
    const actions = Object.keys(entry.operation['x-actions'] ?? {});
    const targets: { name: string; located: Located; query: Record<string, string> }[] = actions.length
      ? actions.map((a) => ({ name: a, located: findOperation(doc, a) as Located, query: { action: a } }))
      : [{ name: entry.operationId, located: { entry }, query: {} }];
    for (const { name, located, query } of targets) {
      const rules = [...(entry.operation['x-rules'] ?? []), ...(located.action?.object['x-rules'] ?? [])];
      const source = bodySource(doc, located, name, vendorSamples);
      const replay = vendorSamples.find((s) => s.manifest.operation === source.name && s.manifest.replay?.path)
        ?.manifest.replay?.path;
      const pathParams = Object.fromEntries(
        entry.parameters
          .filter((p) => p.in === 'path')
          .map((p) => [p.name, replay?.[p.name] ?? exampleOf(p.schema, p.name)]),
      );
      const path = withQuery(fillPath(entry.path, pathParams), query);
      const method = entry.method.toUpperCase();
      const base = source.body;
      const jsonPointer = requestSchemaPointer(doc, located, 'application/json');
      const requestBody = entry.operation.requestBody
        ? deref<RequestBodyObject>(doc, entry.operation.requestBody)
        : undefined;
      const mediaTypes = Object.keys(requestBody?.content ?? {});
      const add = (
        suffix: string,
        title: string,
        step: Omit<CaseStep, 'operation'>,
        extra: Partial<ContractCase> = {},
      ) =>
        cases.push({
          id: `${vendor}/${name}/negative/${suffix}`,
          vendor,
          operation: name,
          kind: 'negative',
          title,
          fields: [],
          needs: ['vendor-errors'],
          steps: [{ operation: name, ...step }],
          ...extra,
        });
      const json =
        (body: unknown): (() => ContractRequest) =>
        () => ({
          method,
          path,
          headers: contentHeaders('application/json'),
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
      const validRequest = base ? json(base) : () => ({ method, path, headers: { accept: 'application/json' } });

      // Auth: the answer must be the vendor's (401 for a tampered credential).
      if (entry.operation.security?.length !== 0 && (entry.operation.security ?? doc.security ?? []).length > 0) {
        add('auth-missing', 'refuses a request without credentials', {
          request: validRequest,
          auth: 'none',
          expect: { kind: 'client-error' },
        });
        add('auth-wrong', 'refuses a request with a wrong credential', {
          request: validRequest,
          auth: 'wrong',
          expect: { kind: 'client-error', status: 401 },
        });
      }
      // Path parameters of the wrong form.
      for (const p of entry.parameters.filter((p) => p.in === 'path')) {
        const bad = fillPath(entry.path, { ...pathParams, [p.name]: 'not-valid' });
        const keyword = malformedKeyword(p.schema);
        add(
          `path-${p.name}-invalid`,
          `refuses a malformed path parameter ${p.name}`,
          {
            request: () => ({ ...validRequest(), path: withQuery(bad, query) }),
            auth: 'partner',
            expect: { kind: 'client-error' },
          },
          ruleOf(keyword ? ruleForKeyword(rules, keyword, p.name) : undefined),
        );
      }
      if (actions.length > 0 && name === actions[0]) {
        add('unknown-action', 'refuses an action the API does not have', {
          request: () => ({
            ...validRequest(),
            path: withQuery(fillPath(entry.path, pathParams), { action: 'noSuchAction' }),
          }),
          auth: 'partner',
          expect: { kind: 'client-error' },
        });
      }
      if (!jsonPointer || !base) continue;

      const schema = flatten(doc, resolvePointer(doc, jsonPointer));
      for (const field of schema.required) {
        if (!(field in base)) continue;
        const { [field]: _dropped, ...rest } = base;
        add(
          `missing-${field}`,
          `refuses a body without the required field ${field}`,
          { request: json(rest), auth: 'partner', expect: { kind: 'client-error' } },
          { fields: [field], ...ruleOf(ruleForKeyword(rules, 'required', field)) },
        );
      }
      schema.groups.forEach((group, i) => {
        const rest = Object.fromEntries(Object.entries(base).filter(([k]) => !group.includes(k)));
        add(
          `group-${i}-empty`,
          `refuses a body with none of ${group.join(', ')}`,
          { request: json(rest), auth: 'partner', expect: { kind: 'client-error' } },
          { fields: group, ...ruleOf(ruleForGroup(rules, group)) },
        );
      });
      for (const [field, prop] of Object.entries(schema.properties)) {
        if (typeof prop.maxLength === 'number') {
          add(
            `max-length-${field}`,
            `refuses ${field} one character over its maximum length ${prop.maxLength}`,
            {
              request: json({ ...base, [field]: 'x'.repeat(prop.maxLength + 1) }),
              auth: 'partner',
              expect: { kind: 'client-error' },
            },
            { fields: [field], ...ruleOf(ruleForKeyword(rules, 'maxLength', field)) },
          );
        }
        const values = schemaEnum(doc, prop);
        if (values) {
          add(
            `enum-${field}`,
            `refuses ${field} outside its allowed values`,
            {
              request: json({ ...base, [field]: outsideEnum(values) }),
              auth: 'partner',
              expect: { kind: 'client-error' },
            },
            { fields: [field], ...ruleOf(ruleForKeyword(rules, 'enum', field)) },
          );
        }
        const wrong = wrongType(prop);
        if (wrong !== undefined) {
          add(
            `type-${field}`,
            `refuses ${field} of the wrong type`,
            { request: json({ ...base, [field]: wrong }), auth: 'partner', expect: { kind: 'client-error' } },
            { fields: [field], ...ruleOf(ruleForKeyword(rules, 'type', field)) },
          );
        }
      }
      // What an unreadable body of a media type answers: the x-errors entry its media type names, else a 400.
      const malformedExpectation = (mediaType: string): Expectation => {
        const key = (requestBody?.content[mediaType] as { 'x-malformed-error'?: string } | undefined)?.[
          'x-malformed-error'
        ];
        const status = key ? doc['x-errors']?.[key]?.status : undefined;
        if (status !== undefined && status >= 500) return { kind: 'status', status };
        return { kind: 'client-error', status: status ?? 400 };
      };
      add('malformed-json', 'refuses malformed JSON', {
        request: json('{"truncated": '),
        auth: 'partner',
        expect: malformedExpectation('application/json'),
      });
      const xmlType = mediaTypes.find((m) => /xml/.test(m));
      if (xmlType) {
        add('malformed-xml', 'refuses malformed XML', {
          request: () => ({ method, path, headers: contentHeaders(xmlType), body: '<unclosed><a></unclosed>' }),
          auth: 'partner',
          expect: malformedExpectation(xmlType),
        });
        add('xml-entities', 'refuses XML that declares entities', {
          request: () => ({
            method,
            path,
            headers: contentHeaders(xmlType),
            body: '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
          }),
          auth: 'partner',
          expect: malformedExpectation(xmlType),
        });
      }
      // Only an operation that documents 415 refuses a media type: a vendor may read any body (R7-Office as a form).
      if (entry.operation.responses['415'])
        add('wrong-content-type', 'refuses a body of a media type it does not take', {
          request: () => ({
            method,
            path,
            headers: { 'content-type': 'text/csv', accept: 'application/json' },
            body: 'a,b\n1,2',
          }),
          auth: 'partner',
          expect: { kind: 'client-error', status: 415 },
        });
      add('oversized', `refuses a body of ${OVERSIZED_BYTES} bytes`, {
        request: json(`{"x": "${'x'.repeat(OVERSIZED_BYTES)}"}`),
        auth: 'partner',
        expect: { kind: 'client-error', status: 413 },
      });
    }
  }
  return cases;
}

/** A plausible value for a parameter with no sample: its schema's example, else a typed placeholder. */
function exampleOf(schema: JsonSchema | undefined, name: string): string | number {
  if (isObject(schema)) {
    if (schema.example !== undefined) return schema.example as string | number;
    if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0] as string | number;
    if (schema.format === 'uuid') return '00000000-0000-0000-0000-000000000001';
    if (schema.type === 'integer') return 1;
  }
  return name;
}
