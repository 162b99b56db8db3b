import { ProblemJsonError } from './prism.ts';
import type { Violation } from './xml.ts';

/** What the HTTP front writes. */
export interface MockAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A violation in the `sl-violations` shape: its location starts with the side it was found on. */
export const onSide = (side: string, v: Violation) => ({
  location: [side, ...v.path],
  severity: v.severity,
  code: v.code,
  message: v.message,
});

/**
 * Prism's `sl-violations` header: every request and response violation (each once: Prism reports an `anyOf`
 * branch's errors again for every branch), cut short before it gets too long.
 */
export function violationsHeader(violations: unknown[]): string {
  const value = `[${[...new Set(violations.map((v) => JSON.stringify(v)))].join(',')}]`;
  const max = 8 * 1024 - 100;
  return value.length > max ? `Too many violations! ${value.slice(0, max)}` : value;
}

/** A Prism error as the answer Prism's own server writes: problem+json, with its extra headers. */
export function problemAnswer(error: Error, violations: Violation[] = []): MockAnswer {
  const problem = ProblemJsonError.toProblemJson(error as ProblemJsonError);
  const extra = (error as ProblemJsonError).additional?.headers as Record<string, string> | undefined;
  const headers: Record<string, string> = { 'content-type': 'application/problem+json', ...(extra ?? {}) };
  if (violations.length > 0) headers['sl-violations'] = violationsHeader(violations.map((v) => onSide('request', v)));
  const { headers: _headers, ...body } = problem as typeof problem & { headers?: unknown };
  return { status: problem.status, headers, body: JSON.stringify(body) };
}
