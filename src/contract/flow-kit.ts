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

/**
 * Two partners who must not see each other's writes: `write` as the partner (its answer 200), then `read` as a second
 * partner (200), whose answer must not show the write (`shows`, given the body and the flow's context). `what`
 * names the written thing in the case's title and its problem ("task", "update").
 */
export function partnersIsolated(
  vendor: string,
  what: string,
  write: Pick<CaseStep, 'operation' | 'request' | 'capture'>,
  read: Pick<CaseStep, 'operation' | 'request'> & { shows: (body: unknown, ctx: FlowContext) => boolean },
): ContractCase {
  const { shows, ...reading } = read;
  return flow(vendor, write.operation, 'partners-isolated', `a second partner does not see the first one's ${what}`, [
    { ...write, auth: 'partner', expect: { kind: 'status', status: 200 } },
    {
      ...reading,
      auth: 'other-partner',
      expect: { kind: 'status', status: 200 },
      verify: (b, ctx) => (shows(b, ctx) ? [`the second partner sees the first partner's ${what}`] : []),
    },
  ]);
}
