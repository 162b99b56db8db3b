import { isXmlMediaType } from '../server/media-type.ts';
import {
  deref,
  isRef,
  type Located,
  listActions,
  listOperations,
  listSamples,
  type MediaTypeObject,
  type OpenApiDocument,
  operationPointer,
  pointerSegment,
  type RequestBodyObject,
  type ResponseObject,
  requestSchemaPointer,
  resolvePointer,
  responseSchemaPointer,
  SpecValidator,
} from '../spec/index.ts';
import { readXmlBody } from './xml.ts';

/**
 * Every example of a spec checked against its schema before the mock serves it: Prism serves whatever an example
 * says (stoplightio/prism issues 2271 and 1021), so a broken example would reach partners as a "valid" answer.
 * Checked: the named examples (and `example`) of every request body, response and action, the examples of
 * parameters and headers, and the `example`/`examples` keywords inside schemas. XML examples are parsed and
 * validated with types coerced, as an XML body is. A request example that a mocks/ manifest documents as invalid
 * (`expect.outcome: rejected`) is skipped on purpose: the spec keeps it to show what a server refuses.
 */
export interface ExampleProblem {
  vendor: string;
  /** The example's name (its key in an `examples` map), or `example` for a single one. */
  example: string;
  /** Where it sits, in words: `PUT /api/Task({id}) request application/json`. */
  where: string;
  /** JSON pointer of the example's value. */
  pointer: string;
  /** The schema it was checked against. */
  schema: string;
  errors: string[];
}

export interface ExampleCheckOptions {
  /** Names of request examples documented as invalid; default: read from the mocks/ manifests. */
  documentedInvalid?: ReadonlySet<string>;
  strict?: SpecValidator;
  coercing?: SpecValidator;
}

export class InvalidExamplesError extends Error {
  override name = 'InvalidExamplesError';
  readonly problems: readonly ExampleProblem[];
  constructor(problems: readonly ExampleProblem[]) {
    const lines = problems.map(
      (p) => `  - ${p.vendor}: example "${p.example}" (${p.where}, at ${p.pointer}): ${p.errors.join('; ')}`,
    );
    super(`${problems.length} example(s) do not match their schema:\n${lines.join('\n')}`);
    this.problems = problems;
  }
}

/** Request examples that a mocks/ manifest of this vendor documents as invalid. */
export function documentedInvalidExamples(vendor: string): Set<string> {
  return new Set(
    listSamples()
      .filter((s) => s.vendor === vendor && s.manifest.side === 'request' && s.manifest.expect?.outcome === 'rejected')
      .map((s) => s.manifest.example),
  );
}

/** Throws an InvalidExamplesError naming every example of `doc` that does not match its schema. */
export function assertExamplesValid(vendor: string, doc: OpenApiDocument, options: ExampleCheckOptions = {}): void {
  const problems = checkExamples(vendor, doc, options);
  if (problems.length > 0) throw new InvalidExamplesError(problems);
}

type Node = { pointer: string; node: unknown };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkExamples(
  vendor: string,
  doc: OpenApiDocument,
  options: ExampleCheckOptions = {},
): ExampleProblem[] {
  const invalid = options.documentedInvalid ?? documentedInvalidExamples(vendor);
  const strict = options.strict ?? new SpecValidator(`${vendor}-examples`, doc);
  const coercing = options.coercing ?? new SpecValidator(`${vendor}-examples-xml`, doc, { coerceTypes: true });
  const problems: ExampleProblem[] = [];
  const seen = new Set<string>();
  const walked = new Set<string>();

  const follow = (pointer: string, node: unknown): Node => {
    let current: Node = { pointer, node };
    for (let hops = 0; isRef(current.node) && hops < 32; hops++)
      current = { pointer: current.node.$ref, node: resolvePointer(doc, current.node.$ref) };
    return current;
  };

  /** `wrapped`: an Example Object (`{ summary, value }`), not the value itself. */
  const check = (
    name: string,
    where: string,
    at: Node,
    schema: string,
    mediaType = 'application/json',
    wrapped = false,
  ) => {
    const example = follow(at.pointer, at.node);
    const key = `${example.pointer}|${schema}`;
    if (seen.has(key)) return;
    seen.add(key);
    const value = wrapped ? (example.node as { value?: unknown }).value : example.node;
    const errors: string[] = [];
    if (wrapped && value === undefined) errors.push('it has no value (an externalValue the bundler did not inline?)');
    else if (isXmlMediaType(mediaType) && typeof value === 'string') {
      const root = (deref<Record<string, unknown>>(doc, resolvePointer(doc, schema) as never).xml as { name?: string })
        ?.name;
      errors.push(...readXmlBody(value, coercing.at(schema), root).violations.map((v) => v.message));
    } else {
      const validate = strict.at(schema);
      if (!validate(value))
        errors.push(
          ...(validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`),
        );
    }
    if (errors.length > 0) problems.push({ vendor, example: name, where, pointer: example.pointer, schema, errors });
  };

  /** The `example`/`examples` keywords of a schema and of every schema inside it. */
  const walkSchema = (pointer: string, schema: unknown) => {
    if (!isObject(schema) || walked.has(pointer)) return;
    walked.add(pointer);
    if ('example' in schema)
      check('example', `schema ${pointer}`, { pointer: `${pointer}/example`, node: schema.example }, pointer);
    if (Array.isArray(schema.examples))
      for (const [i, v] of schema.examples.entries())
        check(`examples[${i}]`, `schema ${pointer}`, { pointer: `${pointer}/examples/${i}`, node: v }, pointer);
    for (const key of ['properties', 'patternProperties', '$defs', 'dependentSchemas']) {
      const map = schema[key];
      if (isObject(map))
        for (const [k, sub] of Object.entries(map)) walkSchema(`${pointer}/${key}/${pointerSegment(k)}`, sub);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
      const list = schema[key];
      if (Array.isArray(list)) for (const [i, sub] of list.entries()) walkSchema(`${pointer}/${key}/${i}`, sub);
    }
    for (const key of [
      'items',
      'additionalProperties',
      'unevaluatedProperties',
      'unevaluatedItems',
      'not',
      'if',
      'then',
      'else',
      'contains',
      'propertyNames',
    ])
      walkSchema(`${pointer}/${key}`, schema[key]);
  };

  /** A parameter's or header's `example`/`examples`, against its schema. */
  const checkParameter = (at: Node, where: string) => {
    const { pointer, node } = follow(at.pointer, at.node);
    if (!isObject(node) || !isObject(node.schema)) return;
    const schema = `${pointer}/schema`;
    walkSchema(schema, node.schema);
    if ('example' in node) check('example', where, { pointer: `${pointer}/example`, node: node.example }, schema);
    if (isObject(node.examples))
      for (const [name, ex] of Object.entries(node.examples))
        check(
          name,
          where,
          { pointer: `${pointer}/examples/${pointerSegment(name)}`, node: ex },
          schema,
          undefined,
          true,
        );
  };

  /** The examples of each media type of a request body or response; `schemaFor` picks an action's own schema. */
  const checkContent = (
    at: Node,
    where: string,
    schemaFor: (name: string, mediaType: string) => string | undefined,
    skip: (name: string) => boolean = () => false,
  ) => {
    const { pointer, node } = follow(at.pointer, at.node);
    const content = (node as { content?: Record<string, MediaTypeObject> }).content ?? {};
    for (const [mediaType, media] of Object.entries(content)) {
      const mediaPointer = `${pointer}/content/${pointerSegment(mediaType)}`;
      if (media.schema !== undefined) walkSchema(`${mediaPointer}/schema`, media.schema);
      const own = media.schema !== undefined ? `${mediaPointer}/schema` : undefined;
      const label = `${where} ${mediaType}`;
      if ('example' in media && own)
        check('example', label, { pointer: `${mediaPointer}/example`, node: media.example }, own, mediaType);
      for (const [name, ex] of Object.entries(media.examples ?? {})) {
        const schema = schemaFor(name, mediaType) ?? own;
        if (skip(name) || !schema) continue;
        const at = { pointer: `${mediaPointer}/examples/${pointerSegment(name)}`, node: ex };
        check(name, label, at, schema, mediaType, true);
      }
    }
    for (const [name, header] of Object.entries((node as { headers?: Record<string, unknown> }).headers ?? {}))
      checkParameter(
        { pointer: `${pointer}/headers/${pointerSegment(name)}`, node: header },
        `${where} header ${name}`,
      );
  };

  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}))
    walkSchema(`#/components/schemas/${pointerSegment(name)}`, schema);

  for (const entry of listOperations(doc)) {
    const base = operationPointer(entry);
    const where = `${entry.method.toUpperCase()} ${entry.path}`;
    const pathPointer = base.slice(0, base.lastIndexOf('/'));
    for (const [i, p] of (entry.pathItem.parameters ?? []).entries())
      checkParameter({ pointer: `${pathPointer}/parameters/${i}`, node: p }, `${where} parameter`);
    for (const [i, p] of (entry.operation.parameters ?? []).entries())
      checkParameter({ pointer: `${base}/parameters/${i}`, node: p }, `${where} parameter`);
    const claimant = (side: 'request' | 'response', name: string): Located | undefined => {
      for (const [action, object] of listActions(entry.operation)) {
        const names = (object as { examples?: Record<string, string[]> }).examples?.[side];
        if (names?.includes(name)) return { entry, action: { name: action, object } };
      }
      return undefined;
    };
    if (entry.operation.requestBody) {
      checkContent(
        { pointer: `${base}/requestBody`, node: entry.operation.requestBody as RequestBodyObject },
        `${where} request`,
        (name, mediaType) => {
          const action = claimant('request', name);
          return action ? requestSchemaPointer(doc, action, mediaType) : undefined;
        },
        (name) => invalid.has(name),
      );
    }
    for (const [status, response] of Object.entries(entry.operation.responses)) {
      checkContent(
        { pointer: `${base}/responses/${status}`, node: response },
        `${where} ${status}`,
        (name, mediaType) => {
          const action = claimant('response', name);
          return action ? responseSchemaPointer(doc, action, status, mediaType) : undefined;
        },
      );
    }
    for (const [action, object] of listActions(entry.operation)) {
      const actionPointer = `${base}/x-actions/${pointerSegment(action)}`;
      if (object.requestBody !== undefined) walkSchema(`${actionPointer}/requestBody`, object.requestBody);
      for (const [status, response] of Object.entries(object.responses ?? {}))
        checkContent(
          { pointer: `${actionPointer}/responses/${status}`, node: response as ResponseObject },
          `${where}?${action} ${status}`,
          () => undefined,
        );
    }
  }
  return problems;
}
