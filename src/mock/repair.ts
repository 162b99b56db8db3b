import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { parsePointer } from '../spec/json.ts';

/**
 * Makes a generated sample valid by removing what breaks the schema: Prism's generators fill every optional
 * property, and on a recursive schema (an Odyssee job's `_parent_job` is a job) they leave a stub that misses the
 * required fields. Each round removes the deepest offending value; a value whose removal leaves its parent
 * without a required property takes the parent with it in the next round, so the climb stops at the first
 * optional property. Bounded by `maxRounds`; the root itself is never removed.
 */
export function pruneToValid(
  value: unknown,
  validate: ValidateFunction,
  maxRounds = 200,
): { value: unknown; valid: boolean; removed: string[] } {
  const removed: string[] = [];
  for (let round = 0; round < maxRounds; round++) {
    if (validate(value)) return { value, valid: true, removed };
    const target = deepestTarget(validate.errors ?? []);
    if (target === undefined || target.length === 0) break;
    if (!removeAt(value, target)) break;
    removed.push(`/${target.join('/')}`);
  }
  return { value, valid: validate(value), removed };
}

function deepestTarget(errors: readonly ErrorObject[]): string[] | undefined {
  let best: string[] | undefined;
  for (const error of errors) {
    const path = parsePointer(error.instancePath);
    const extra = (error.params as { additionalProperty?: string; unevaluatedProperty?: string }) ?? {};
    const key = extra.additionalProperty ?? extra.unevaluatedProperty;
    if (key !== undefined) path.push(key);
    if (!best || path.length > best.length) best = path;
  }
  return best;
}

function removeAt(root: unknown, path: readonly string[]): boolean {
  let node: unknown = root;
  for (const segment of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<string, unknown>)[segment];
  }
  const last = path[path.length - 1] as string;
  if (Array.isArray(node)) {
    const index = Number(last);
    if (!Number.isInteger(index) || index >= node.length) return false;
    node.splice(index, 1);
    return true;
  }
  if (typeof node !== 'object' || node === null || !(last in node)) return false;
  delete (node as Record<string, unknown>)[last];
  return true;
}
