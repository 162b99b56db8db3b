/**
 * Cases for what a vendor answers around its operations rather than inside them, read from the spec: a method a
 * path does not have (an operation documenting 405: the answer names the path's methods in `Allow`), and a client
 * past the vendor's rate limit (the root's `x-rate-limit`: the next request answers the limit's error with
 * `Retry-After`). Nothing here names a vendor.
 */
import { listOperations, type OpenApiDocument } from '../spec/index.ts';
import type { ContractCase } from './cases.ts';
import { fillPath } from './cases.ts';

const methods = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'] as const;

/** The path's parameters filled with their schemas' examples (or a placeholder): any value routes to the path. */
function examplePath(doc: OpenApiDocument, operationId: string): string | undefined {
  const entry = listOperations(doc).find((e) => e.operationId === operationId);
  if (!entry) return undefined;
  const params = Object.fromEntries(
    entry.parameters
      .filter((p) => p.in === 'path')
      .map((p) => [p.name, String((p.schema as { example?: unknown } | undefined)?.example ?? '1')]),
  );
  return fillPath(entry.path, params);
}

/** One case per operation that documents 405: every method its path does not have answers 405 with `Allow`. */
export function methodCases(vendor: string, doc: OpenApiDocument): ContractCase[] {
  const cases: ContractCase[] = [];
  const byPath = Map.groupBy(listOperations(doc), (e) => e.path);
  for (const [path, entries] of byPath) {
    const documenting = entries.find((e) => e.operation.responses['405']);
    if (!documenting) continue;
    const own = new Set(entries.map((e) => e.method.toUpperCase()));
    const others = methods.filter((m) => !own.has(m));
    const target = examplePath(doc, documenting.operationId) ?? path;
    const allowed = [...own].sort().join(', ');
    cases.push({
      id: `${vendor}/${documenting.operationId}/negative/method-not-allowed`,
      vendor,
      operation: documenting.operationId,
      kind: 'negative',
      title: `answers ${others.join(', ')} on ${path} with 405 and Allow: ${allowed}`,
      fields: [],
      needs: ['vendor-errors'],
      steps: others.map((method) => ({
        operation: documenting.operationId,
        request: () => ({ method, path: target, headers: { accept: 'application/json' } }),
        auth: 'partner' as const,
        expect: { kind: 'status' as const, status: 405 },
        verifyHeaders: (headers: Record<string, string>) => {
          const allow = (headers.allow ?? '')
            .split(',')
            .map((m) => m.trim())
            .sort()
            .join(', ');
          return allow === allowed ? [] : [`Allow is "${headers.allow ?? ''}", not the path's methods ${allowed}`];
        },
      })),
    });
  }
  return cases;
}

/**
 * The rate-limit case of a vendor with an `x-rate-limit`: as a partner of its own (the other-partner credentials,
 * so the quota it spends is nobody else's), `max` requests of the operation's first sample answer, then the next
 * answers the limit's error with `Retry-After`. It runs only against a target that may be driven that far.
 */
export function rateLimitCases(vendor: string, doc: OpenApiDocument, base: ContractCase | undefined): ContractCase[] {
  const limit = doc['x-rate-limit'];
  const step = base?.steps[0];
  if (!limit || !base || !step) return [];
  const status = doc['x-errors']?.[limit.error]?.status;
  if (status === undefined) return [];
  // Other cases may have spent some of that partner's quota already: up to `max` answers may be the limit's.
  const within = Array.from({ length: limit.max }, () => ({
    ...step,
    auth: 'other-partner' as const,
    expect: { kind: 'success-or' as const, status },
  }));
  return [
    {
      id: `${vendor}/${base.operation}/negative/rate-limited`,
      vendor,
      operation: base.operation,
      kind: 'negative',
      title: `answers request ${limit.max + 1} within ${limit.windowSeconds} s with ${status} and Retry-After`,
      fields: [],
      needs: ['state', 'vendor-errors', 'rate-limit'],
      steps: [
        ...within,
        {
          ...step,
          auth: 'other-partner',
          expect: { kind: 'status', status },
          verifyHeaders: (headers) => (headers['retry-after'] ? [] : ['no Retry-After']),
        },
      ],
    },
  ];
}
