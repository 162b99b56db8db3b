/**
 * Against our own sandbox the suite writes as a partner of its own, `contract-<run>` (each vendor's client derives
 * that partner's credentials from the ones given: ClientAuth.partner), so a QA run never overwrites the data of
 * another partner sharing the sandbox. Only where the target says it is our sandbox: `GET <root>/_sandbox/health`
 * answers `sandbox: SANDBOX_ID` and serves the vendor under the prefix its base URL ends with. Never anywhere else:
 * at a vendor's host a suffix would break the credentials.
 */
import { randomBytes } from 'node:crypto';
import { SANDBOX_ID } from '../config.ts';
import { isObject } from '../spec/json.ts';
import type { Target } from './run-case.ts';

export const HEALTH_PATH = '/_sandbox/health';

/** A partner name of its own for one run: `contract-` and 8 random hex digits. */
export const runPartner = (): string => `contract-${randomBytes(4).toString('hex')}`;

/** The prefix of each vendor our sandbox at `root` serves, or undefined when `root` is not our sandbox. */
async function sandboxAt(root: string): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await fetch(`${root}${HEALTH_PATH}`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
    const body: unknown = res.ok ? await res.json() : await res.body?.cancel();
    return isObject(body) && body.sandbox === SANDBOX_ID && isObject(body.vendors) ? body.vendors : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The vendors of a target that our sandbox serves: a base URL that ends with the vendor's local prefix (`prefixes`,
 * from the specs) and whose root's health endpoint names the sandbox and that prefix for the vendor.
 */
export async function sandboxVendors(target: Target, prefixes: Readonly<Record<string, string>>): Promise<string[]> {
  const roots = new Map<string, Promise<Record<string, unknown> | undefined>>();
  const checks = Object.entries(target.vendors).map(async ([vendor, { baseUrl }]) => {
    const prefix = prefixes[vendor];
    if (!prefix || !baseUrl.endsWith(prefix)) return [];
    const root = baseUrl.slice(0, -prefix.length);
    if (!roots.has(root)) roots.set(root, sandboxAt(root));
    return (await roots.get(root))?.[vendor] === prefix ? [vendor] : [];
  });
  return (await Promise.all(checks)).flat();
}

/** The target writing as `partner` at each vendor our sandbox serves, and unchanged elsewhere. */
export async function withOwnPartner(
  target: Target,
  prefixes: Readonly<Record<string, string>>,
  partner: string = runPartner(),
): Promise<Target> {
  const ours = new Set(await sandboxVendors(target, prefixes));
  const vendors = Object.fromEntries(
    Object.entries(target.vendors).map(([vendor, entry]) => [vendor, ours.has(vendor) ? { ...entry, partner } : entry]),
  );
  return { ...target, vendors };
}
