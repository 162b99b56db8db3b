import { deref, type OpenApiDocument, type OperationEntry } from '../spec/index.ts';

/**
 * The URL's id in a success answer. A success example of an operation addressed by key (`GET /api/Task({id})`,
 * `PUT /api/2.0/crm/task/{taskid}`) is written for the path parameter's own `example` (specs/README.md: each path
 * parameter's example is an id the sandbox data holds). The mock answers the example's entity under the id the
 * client asked for: every id-named property (`id`, `job_id`, `taskId`: a name ending in `id`, any case) whose value
 * is the parameter's example takes the URL's value instead, at any depth and in XML examples' elements alike. The
 * rest of the example stays as documented. Nothing else is rewritten, so an example not written for the
 * parameter's example keeps its ids.
 */
export interface PathId {
  name: string;
  /** The parameter's documented example. */
  example: string | number;
}

const idName = /id$/i;

/** The path parameters of an operation that document an example, in template order. */
export function pathIds(doc: OpenApiDocument, entry: OperationEntry): PathId[] {
  const ids: PathId[] = [];
  for (const parameter of entry.parameters) {
    if (parameter.in !== 'path') continue;
    const example = parameterExample(doc, parameter);
    if (typeof example === 'string' || typeof example === 'number') ids.push({ name: parameter.name, example });
  }
  return ids;
}

/** A parameter's example: its own `example`, its first named one, else its schema's `example` or first `examples`. */
function parameterExample(doc: OpenApiDocument, parameter: OperationEntry['parameters'][number]): unknown {
  const raw = parameter as unknown as Record<string, unknown>;
  const schema = parameter.schema ? deref<Record<string, unknown>>(doc, parameter.schema as never) : {};
  const named = raw.examples && typeof raw.examples === 'object' ? Object.values(raw.examples)[0] : undefined;
  return (
    raw.example ??
    (named ? deref<{ value?: unknown }>(doc, named as never).value : undefined) ??
    schema.example ??
    (Array.isArray(schema.examples) ? schema.examples[0] : undefined)
  );
}

/** A copy of `body` with each path parameter's example id replaced by the URL's value (decoded). */
export function withPathIds(body: unknown, ids: readonly PathId[], url: Readonly<Record<string, string>>): unknown {
  const swaps = ids.flatMap(({ name, example }) => {
    const given = url[name];
    return given === undefined || String(example) === given ? [] : [{ from: String(example), to: given }];
  });
  if (swaps.length === 0) return body;
  if (typeof body === 'string') return swapXml(body, swaps);
  return swapValue(body, swaps, undefined);
}

function swapValue(value: unknown, swaps: readonly Swap[], key: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => swapValue(item, swaps, key));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swapValue(v, swaps, k)]));
  if (key === undefined || !idName.test(key) || (typeof value !== 'string' && typeof value !== 'number')) return value;
  const swap = swaps.find((s) => s.from === String(value));
  if (!swap) return value;
  if (typeof value === 'number') {
    const number = Number(swap.to);
    return Number.isFinite(number) && swap.to.trim() !== '' ? number : swap.to;
  }
  return swap.to;
}

interface Swap {
  from: string;
  to: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** `<id>1234</id>`, `<job_id>…</job_id>` (any prefix): an id-named element whose whole text is the example. */
function swapXml(text: string, swaps: readonly Swap[]): string {
  let out = text;
  for (const { from, to } of swaps) {
    const element = new RegExp(`<((?:[\\w.-]+:)?[\\w.-]*[iI][dD])>\\s*${escapeRegExp(from)}\\s*</\\1>`, 'g');
    out = out.replace(element, (_m, name: string) => `<${name}>${escapeXml(to)}</${name}>`);
  }
  return out;
}
