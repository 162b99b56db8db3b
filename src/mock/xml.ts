import type { ValidateFunction } from 'ajv/dist/2020.js';
import { parseXml } from '../xml/parse.ts';

/** A request violation in Prism's shape, so ours and Prism's can be listed together. */
export interface Violation {
  path: string[];
  code: string | number;
  message: string;
  severity: 'Error' | 'Warning';
}

/**
 * Reads an XML request body as the sandbox does: parsed safely (no DOCTYPE, no entities), the root element
 * checked against the schema's `xml.name`, then validated with types coerced by the schema (`<is_closed>true`
 * becomes `true`). Returns the coerced value, which Prism then sees as the body, and what is wrong with it.
 */
export function readXmlBody(
  text: string,
  validate: ValidateFunction,
  root: string | undefined,
): { value: unknown; violations: Violation[] } {
  let parsed: ReturnType<typeof parseXml>;
  try {
    parsed = parseXml(text);
  } catch (error) {
    return { value: text, violations: [violation([], 'xml', `is not accepted: ${(error as Error).message}`)] };
  }
  const violations: Violation[] = [];
  if (root && parsed.root !== root)
    violations.push(violation([], 'xml', `root element must be <${root}>, not <${parsed.root}>`));
  const value = parsed.value;
  if (!validateXmlValue(value, validate)) {
    for (const e of validate.errors ?? []) {
      const path = e.instancePath === '' ? [] : e.instancePath.slice(1).split('/');
      violations.push(violation(path, e.keyword, e.message ?? 'is invalid'));
    }
  }
  return { value, violations };
}

/**
 * Validates a parsed XML value with a coercing validator. XML does not say what JSON says, so where the schema
 * wants an object or an array the value is read again and validation repeated (bounded): an empty element
 * (`<data></data>`) is an empty object or array, a wrapper element (`<details><detail>…</detail></details>`) is
 * the list of its children, and a single element where a list is wanted is a list of one.
 */
function validateXmlValue(value: unknown, validate: ValidateFunction): boolean {
  for (let round = 0; round < 100; round++) {
    if (validate(value)) return true;
    let changed = false;
    for (const e of validate.errors ?? []) {
      if (e.keyword !== 'type' || e.instancePath === '') continue;
      const wanted = (e.params as { type?: string | string[] }).type;
      const types = Array.isArray(wanted) ? wanted : [wanted];
      const segments = e.instancePath
        .slice(1)
        .split('/')
        .map((x) => x.replaceAll('~1', '/').replaceAll('~0', '~'));
      const last = segments.pop() as string;
      let parent: unknown = value;
      for (const s of segments) parent = isRecord(parent) || Array.isArray(parent) ? (parent as never)[s] : undefined;
      if (!isRecord(parent) && !Array.isArray(parent)) continue;
      const container = parent as Record<string, unknown>;
      const read = asXmlType(container[last], types);
      if (read !== undefined) {
        container[last] = read;
        changed = true;
      }
    }
    if (!changed) return false;
  }
  return false;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function asXmlType(current: unknown, types: readonly (string | undefined)[]): unknown {
  if (types.includes('array') && !Array.isArray(current)) {
    if (current === '') return [];
    const keys = isRecord(current) ? Object.keys(current) : [];
    if (isRecord(current) && keys.length === 1) {
      const inner = current[keys[0] as string];
      return Array.isArray(inner) ? inner : [inner];
    }
    return [current];
  }
  if (types.includes('object') && current === '') return {};
  return undefined;
}

function violation(path: string[], code: string, message: string): Violation {
  return { path: ['body', ...path], code, message: `${['body', ...path].join('.')} ${message}`, severity: 'Error' };
}
