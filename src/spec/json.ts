/**
 * JSON values and JSON pointers (RFC 6901), one implementation for the sandbox, the mock, the contract suite and
 * the spec tools. Not Redocly's ref-utils: @redocly/openapi-core exposes only its index, which loads the whole
 * bundler, and the sandbox loads no bundler at start.
 */

/** A plain JSON object (not null, not an array). */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A key as a pointer segment: `~` as `~0`, `/` as `~1` (`/api/Task({id})` → `~1api~1Task({id})`). */
export const escapeSegment = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** A pointer segment as the key it names. */
export const unescapeSegment = (segment: string): string => segment.replaceAll('~1', '/').replaceAll('~0', '~');

/**
 * The keys a pointer names, unescaped: a JSON pointer (`/a/b`, `''` for the whole value, as AJV's `instancePath`)
 * or a URI fragment (`#/a/b`, percent-decoded first, as a `$ref`).
 */
export function parsePointer(pointer: string): string[] {
  const fragment = pointer.startsWith('#');
  const path = fragment ? pointer.slice(1) : pointer;
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((s) => unescapeSegment(fragment ? decodeURIComponent(s) : s));
}

/** The pointer of a list of keys (`['paths', '/api/Task']` → `/paths/~1api~1Task`). */
export const toPointer = (keys: readonly (string | number)[]): string =>
  keys.map((k) => `/${escapeSegment(String(k))}`).join('');

/** The value at `keys` under `root`, or undefined when a step is missing. */
export function valueAt(root: unknown, keys: readonly string[]): unknown {
  let node = root;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
