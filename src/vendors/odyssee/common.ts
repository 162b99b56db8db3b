/** Request checks every Odyssee handler shares: the key in the URL, the body id, OData options the sandbox lacks. */
import { VendorError } from '../../server/errors.ts';
import type { HandlerContext } from '../../server/vendor-module.ts';
import { keywordsOf, type Rule } from '../../spec/index.ts';
import type { Records } from '../../store/store.ts';
import { isUnset, kind, type StoredRecord } from './model.ts';

/** The entity key of the URL (`/api/Task(<key>)`), a GUID (the core has checked its format), lower case. */
export function urlKey(ctx: HandlerContext): string {
  // The path's one parameter, whatever the spec calls it (`id`, `jobId`, `plannedJobId`).
  const [key] = Object.values(ctx.params);
  return String(key).toLowerCase();
}

/** A body `id`, when there is one, must be the key of the URL (`<entity>.key-matches-path`). */
export function checkBodyKey(body: { id?: string }, key: string, rule: string): void {
  if (body.id !== undefined && body.id.toLowerCase() !== key) {
    throw new VendorError('key-mismatch', [
      { target: 'id', message: `id ${body.id} differs from the key ${key}`, rule },
    ]);
  }
}

/**
 * The "Optionally required" groups (the operation's `anyOf` rules) again, now with "not given" read as the helper
 * fields' x-choice says: a group whose every member is `null`, `""` or the empty GUID passed the schema (the keys
 * are there) but names nothing, and is refused as a group left out is.
 */
export function checkGroups(ctx: HandlerContext, body: Record<string, unknown>): void {
  const empty = groupRules(ctx.route).filter((r) => (r.fields ?? []).every((field) => isUnset(body[field])));
  const first = empty[0];
  if (!first) return;
  throw new VendorError(
    first.error ?? 'validation-failed',
    empty.map((r) => ({
      message: `one of ${(r.fields ?? []).join(', ')} must be provided`,
      rule: r.id,
      keyword: 'anyOf',
      group: r.fields ?? [],
    })),
  );
}

/** Each route's `anyOf` rules, picked from its x-rules once. */
const groupsByRoute = new WeakMap<HandlerContext['route'], Rule[]>();

function groupRules(route: HandlerContext['route']): Rule[] {
  let rules = groupsByRoute.get(route);
  if (rules === undefined) {
    rules = (route.entry.operation['x-rules'] ?? []).filter((r) => keywordsOf(r).includes('anyOf'));
    groupsByRoute.set(route, rules);
  }
  return rules;
}

/** The stored entity of the URL key, or 404 not-found naming the rule. */
export async function existing(
  store: Records,
  tenant: string,
  entity: string,
  key: string,
  rule: string,
): Promise<StoredRecord> {
  const record = await store.get<StoredRecord>(tenant, kind(entity), key);
  if (!record) throw new VendorError('not-found', [{ target: 'id', message: `no ${entity} with id ${key}`, rule }]);
  return record;
}

/**
 * The vendor's OData query options (`$select`, `$expand`, `$filter`, …) and `Prefer: return=minimal` are not part of
 * this sandbox: they answer 501 not-implemented rather than being silently ignored. `supported` lists the options
 * an operation does implement (`$top`, `$skip` on a collection).
 */
export function refuseUnsupported(ctx: HandlerContext, supported: readonly string[] = []): void {
  const options = Object.keys(ctx.query).filter((name) => name.startsWith('$') && !supported.includes(name));
  if (options.length > 0) {
    throw new VendorError('not-implemented', [
      { target: options[0], message: `the OData query option ${options.join(', ')} is not implemented by the sandbox` },
    ]);
  }
  const prefer = ctx.headers.prefer;
  if (typeof prefer === 'string' && /return\s*=\s*minimal/i.test(prefer)) {
    throw new VendorError('not-implemented', [
      { target: 'Prefer', message: 'Prefer: return=minimal is not implemented by the sandbox' },
    ]);
  }
}
