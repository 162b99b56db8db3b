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
  type OperationEntry,
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

/** The keywords whose value is a map of subschemas, a list of them, or one subschema (JSON Schema 2020-12). */
const schemaMaps = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const schemaLists = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const subschemas = [
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
];

export function checkExamples(
  vendor: string,
  doc: OpenApiDocument,
  options: ExampleCheckOptions = {},
): ExampleProblem[] {
  const checker = new ExampleChecker(vendor, doc, {
    invalid: options.documentedInvalid ?? documentedInvalidExamples(vendor),
    strict: options.strict ?? new SpecValidator(`${vendor}-examples`, doc),
    coercing: options.coercing ?? new SpecValidator(`${vendor}-examples-xml`, doc, { coerceTypes: true }),
  });
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}))
    checker.walkSchema(`#/components/schemas/${pointerSegment(name)}`, schema);
  for (const entry of listOperations(doc)) checker.checkOperation(entry);
  return checker.problems;
}

/** The schema an example is checked against instead of its media type's own (an action's view); none: the own. */
type SchemaFor = (name: string, mediaType: string) => string | undefined;

/** One walk over a spec: each example checked once against each schema it is given, the problems collected. */
class ExampleChecker {
  readonly problems: ExampleProblem[] = [];
  readonly #vendor: string;
  readonly #doc: OpenApiDocument;
  readonly #invalid: ReadonlySet<string>;
  readonly #strict: SpecValidator;
  readonly #coercing: SpecValidator;
  /** `pointer|schema` of the examples checked. */
  readonly #seen = new Set<string>();
  /** Pointers of the schemas walked. */
  readonly #walked = new Set<string>();

  constructor(
    vendor: string,
    doc: OpenApiDocument,
    validators: { invalid: ReadonlySet<string>; strict: SpecValidator; coercing: SpecValidator },
  ) {
    this.#vendor = vendor;
    this.#doc = doc;
    this.#invalid = validators.invalid;
    this.#strict = validators.strict;
    this.#coercing = validators.coercing;
  }

  /** The parameters, request body, responses and action views of one operation. */
  checkOperation(entry: OperationEntry): void {
    const base = operationPointer(entry);
    const where = `${entry.method.toUpperCase()} ${entry.path}`;
    const pathPointer = base.slice(0, base.lastIndexOf('/'));
    for (const [i, p] of (entry.pathItem.parameters ?? []).entries())
      this.#checkParameter({ pointer: `${pathPointer}/parameters/${i}`, node: p }, `${where} parameter`);
    for (const [i, p] of (entry.operation.parameters ?? []).entries())
      this.#checkParameter({ pointer: `${base}/parameters/${i}`, node: p }, `${where} parameter`);
    if (entry.operation.requestBody) {
      this.#checkContent(
        { pointer: `${base}/requestBody`, node: entry.operation.requestBody as RequestBodyObject },
        `${where} request`,
        (name, mediaType) => {
          const action = claimant(entry, 'request', name);
          return action ? requestSchemaPointer(this.#doc, action, mediaType) : undefined;
        },
        (name) => this.#invalid.has(name),
      );
    }
    for (const [status, response] of Object.entries(entry.operation.responses)) {
      this.#checkContent(
        { pointer: `${base}/responses/${status}`, node: response },
        `${where} ${status}`,
        (name, mediaType) => {
          const action = claimant(entry, 'response', name);
          return action ? responseSchemaPointer(this.#doc, action, status, mediaType) : undefined;
        },
      );
    }
    this.#checkActions(entry, base, where);
  }

  /** Each action's own request schema and responses (`x-actions`). */
  #checkActions(entry: OperationEntry, base: string, where: string): void {
    for (const [action, object] of listActions(entry.operation)) {
      const actionPointer = `${base}/x-actions/${pointerSegment(action)}`;
      if (object.requestBody !== undefined) this.walkSchema(`${actionPointer}/requestBody`, object.requestBody);
      for (const [status, response] of Object.entries(object.responses ?? {}))
        this.#checkContent(
          { pointer: `${actionPointer}/responses/${status}`, node: response as ResponseObject },
          `${where}?${action} ${status}`,
          () => undefined,
        );
    }
  }

  /** The `example`/`examples` keywords of a schema and of every schema inside it. */
  walkSchema(pointer: string, schema: unknown): void {
    if (!isObject(schema) || this.#walked.has(pointer)) return;
    this.#walked.add(pointer);
    if ('example' in schema)
      this.#check('example', `schema ${pointer}`, { pointer: `${pointer}/example`, node: schema.example }, pointer);
    if (Array.isArray(schema.examples))
      for (const [i, v] of schema.examples.entries())
        this.#check(`examples[${i}]`, `schema ${pointer}`, { pointer: `${pointer}/examples/${i}`, node: v }, pointer);
    for (const sub of subschemasOf(pointer, schema)) this.walkSchema(sub.pointer, sub.node);
  }

  /** A parameter's or header's `example`/`examples`, against its schema. */
  #checkParameter(at: Node, where: string): void {
    const { pointer, node } = this.#follow(at);
    if (!isObject(node) || !isObject(node.schema)) return;
    const schema = `${pointer}/schema`;
    this.walkSchema(schema, node.schema);
    if ('example' in node) this.#check('example', where, { pointer: `${pointer}/example`, node: node.example }, schema);
    if (isObject(node.examples))
      for (const [name, ex] of Object.entries(node.examples)) {
        const example = { pointer: `${pointer}/examples/${pointerSegment(name)}`, node: ex };
        this.#check(name, where, example, schema, undefined, true);
      }
  }

  /** The examples of each media type of a request body or response; `schemaFor` picks an action's own schema. */
  #checkContent(at: Node, where: string, schemaFor: SchemaFor, skip: (name: string) => boolean = () => false): void {
    const { pointer, node } = this.#follow(at);
    const content = (node as { content?: Record<string, MediaTypeObject> }).content ?? {};
    for (const [mediaType, media] of Object.entries(content)) {
      const mediaPointer = `${pointer}/content/${pointerSegment(mediaType)}`;
      this.#checkMedia(mediaPointer, `${where} ${mediaType}`, mediaType, media, schemaFor, skip);
    }
    for (const [name, header] of Object.entries((node as { headers?: Record<string, unknown> }).headers ?? {}))
      this.#checkParameter(
        { pointer: `${pointer}/headers/${pointerSegment(name)}`, node: header },
        `${where} header ${name}`,
      );
  }

  /** One media type's schema, its `example`, and its named examples (each against its action's schema, if any). */
  #checkMedia(
    mediaPointer: string,
    label: string,
    mediaType: string,
    media: MediaTypeObject,
    schemaFor: SchemaFor,
    skip: (name: string) => boolean,
  ): void {
    const own = media.schema !== undefined ? `${mediaPointer}/schema` : undefined;
    if (own) this.walkSchema(own, media.schema);
    if ('example' in media && own)
      this.#check('example', label, { pointer: `${mediaPointer}/example`, node: media.example }, own, mediaType);
    for (const [name, ex] of Object.entries(media.examples ?? {})) {
      const schema = schemaFor(name, mediaType) ?? own;
      if (skip(name) || !schema) continue;
      const example = { pointer: `${mediaPointer}/examples/${pointerSegment(name)}`, node: ex };
      this.#check(name, label, example, schema, mediaType, true);
    }
  }

  /** One example against one schema, once; `wrapped`: an Example Object (`{ summary, value }`), not the value. */
  #check(name: string, where: string, at: Node, schema: string, mediaType = 'application/json', wrapped = false): void {
    const example = this.#follow(at);
    const key = `${example.pointer}|${schema}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    const value = wrapped ? (example.node as { value?: unknown }).value : example.node;
    const errors =
      wrapped && value === undefined
        ? ['it has no value (an externalValue the bundler did not inline?)']
        : this.#errors(value, schema, mediaType);
    if (errors.length > 0)
      this.problems.push({ vendor: this.#vendor, example: name, where, pointer: example.pointer, schema, errors });
  }

  /** Why a value breaks its schema: an XML example read as an XML body is (types coerced), any other as it is. */
  #errors(value: unknown, schema: string, mediaType: string): string[] {
    if (isXmlMediaType(mediaType) && typeof value === 'string') {
      const doc = this.#doc;
      const root = (deref<Record<string, unknown>>(doc, resolvePointer(doc, schema) as never).xml as { name?: string })
        ?.name;
      return readXmlBody(value, this.#coercing.at(schema), root).violations.map((v) => v.message);
    }
    const validate = this.#strict.at(schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
  }

  /** The node a `$ref` chain ends at (32 hops at most), with its pointer. */
  #follow(at: Node): Node {
    let current = at;
    for (let hops = 0; isRef(current.node) && hops < 32; hops++)
      current = { pointer: current.node.$ref, node: resolvePointer(this.#doc, current.node.$ref) };
    return current;
  }
}

/** The action whose view lists the example `name` on this side (`x-actions.<action>.examples.request`). */
function claimant(entry: OperationEntry, side: 'request' | 'response', name: string): Located | undefined {
  for (const [action, object] of listActions(entry.operation)) {
    const names = (object as { examples?: Record<string, string[]> }).examples?.[side];
    if (names?.includes(name)) return { entry, action: { name: action, object } };
  }
  return undefined;
}

/** The subschemas directly inside a schema, each with its pointer. */
function subschemasOf(pointer: string, schema: Record<string, unknown>): Node[] {
  const found: Node[] = [];
  for (const key of schemaMaps) {
    const map = schema[key];
    if (isObject(map))
      for (const [k, node] of Object.entries(map))
        found.push({ pointer: `${pointer}/${key}/${pointerSegment(k)}`, node });
  }
  for (const key of schemaLists) {
    const list = schema[key];
    if (Array.isArray(list))
      for (const [i, node] of list.entries()) found.push({ pointer: `${pointer}/${key}/${i}`, node });
  }
  for (const key of subschemas) found.push({ pointer: `${pointer}/${key}`, node: schema[key] });
  return found;
}
