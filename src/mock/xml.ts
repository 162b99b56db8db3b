import type { ValidateFunction } from 'ajv/dist/2020.js';
import { parsePointer } from '../spec/json.ts';
import { parseXml } from '../xml/parse.ts';
import { validateXmlValue } from '../xml/read.ts';

/** A request violation in Prism's shape, so ours and Prism's can be listed together. */
export interface Violation {
  path: string[];
  code: string | number;
  message: string;
  severity: 'Error' | 'Warning';
}

/**
 * Reads an XML request body as the sandbox does: parsed safely (no DOCTYPE, no entities), the root element
 * checked against the schema's `xml.name`, then read against the schema as the sandbox reads it (src/xml/read.ts:
 * `<is_closed>true` becomes `true`, a wrapper element a list). Returns the coerced value, which Prism then sees as the body, and what is wrong with it.
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
      const path = parsePointer(e.instancePath);
      violations.push(violation(path, e.keyword, e.message ?? 'is invalid'));
    }
  }
  return { value, violations };
}

function violation(path: string[], code: string, message: string): Violation {
  return { path: ['body', ...path], code, message: `${['body', ...path].join('.')} ${message}`, severity: 'Error' };
}
