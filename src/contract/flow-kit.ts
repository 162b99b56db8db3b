/**
 * What a vendor's stateful contract flows are built from (each vendor's flows.ts: write, update, read back; an update
 * of an unknown id; two partners who must not see each other's writes). They need a target that keeps state. Paths
 * come from the spec and bodies from the documented samples.
 */
import { randomUUID } from 'node:crypto';
import { findOperation, type OpenApiDocument, type Sample } from '../spec/index.ts';
import { type CaseStep, type ContractCase, type FlowContext, fillPath } from './cases.ts';

export const json = { 'content-type': 'application/json', accept: 'application/json' };

export function sampleBody(samples: readonly Sample[], vendor: string, operation: string): Record<string, unknown> {
  const sample = samples.find(
    (s) =>
      s.vendor === vendor &&
      s.manifest.operation === operation &&
      s.manifest.side === 'request' &&
      s.format === 'json' &&
      s.manifest.expect?.outcome === 'accepted',
  );
  if (!sample) throw new Error(`no accepted JSON sample of ${vendor} ${operation} to build a flow on`);
  return JSON.parse(sample.bytes.toString('utf8')) as Record<string, unknown>;
}

export function pathOf(
  doc: OpenApiDocument,
  operation: string,
  params: Record<string, string | number>,
  query?: Record<string, string>,
): string {
  const found = findOperation(doc, operation);
  if (!found) throw new Error(`no operation ${operation}`);
  const path = fillPath(found.entry.path, params);
  return query ? `${path}?${new URLSearchParams(query)}` : path;
}

/** A value unique to this run, kept in the flow's context under `key` so later steps can look for it. */
export function unique(ctx: FlowContext, key: string): string {
  ctx[key] ??= `contract ${randomUUID().slice(0, 8)}`;
  return String(ctx[key]);
}

export const field = (body: unknown, name: string): unknown =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
export const equals = (what: string, got: unknown, want: unknown) =>
  got === want ? [] : [`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`];

export function flow(
  vendor: string,
  operation: string,
  suffix: string,
  title: string,
  steps: CaseStep[],
  rule?: string,
): ContractCase {
  return {
    id: `${vendor}/${operation}/flow/${suffix}`,
    vendor,
    operation,
    kind: 'flow',
    title,
    fields: [],
    needs: ['state'],
    steps,
    ...(rule ? { rule } : {}),
  };
}
