/**
 * Against our own sandbox the contract suite writes as a partner of its own (`contract-<run>`, each vendor's client
 * deriving its credentials), so a QA run never overwrites another partner's data; never where the target does not
 * say it is our sandbox (a vendor's host, where a suffix would break the credentials), nor with `--shared-data`.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ID } from '../../src/config.ts';
import { HEALTH_PATH, runPartner, sandboxVendors, withOwnPartner } from '../../src/contract/own-partner.ts';
import { describeFailure, runCase, type Target } from '../../src/contract/run-case.ts';
import { loadKit } from '../../src/contract/suite.ts';
import { listSamples, loadAllSpecs, loadSpec, localPrefix } from '../../src/spec/index.ts';
import { registry } from '../../src/vendors/index.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import { startProxy } from './fixtures/broken-servers.ts';
import { CLI_TIMEOUT_MS, runCli } from './fixtures/cli.ts';

const docs = await loadAllSpecs();
const prefixes = Object.fromEntries([...docs].map(([vendor, doc]) => [vendor, localPrefix(doc)]));
const vendorNames = [...docs.keys()];
const targetOf = (vendors: Record<string, string>): Target => ({
  name: 'under test',
  vendors: Object.fromEntries(Object.entries(vendors).map(([v, baseUrl]) => [v, { baseUrl }])),
  capabilities: new Set(['state', 'vendor-errors']),
});

/** A server that answers every request with `status` and `body` (JSON unless a string). */
async function answering(status: number, body: unknown): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    const json = typeof body !== 'string';
    res.writeHead(status, { 'content-type': json ? 'application/json' : 'text/html' });
    res.end(json ? JSON.stringify(body) : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let sandbox: RunningSandbox;
const servers: Server[] = [];
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await sandbox?.close();
});

describe('which vendors of a target are our sandbox', () => {
  it('the sandbox names itself and its prefixes on its health endpoint', async () => {
    const health = (await (await fetch(`${sandbox.origin}${HEALTH_PATH}`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ ok: true, sandbox: SANDBOX_ID, vendors: prefixes });
  });

  it('every vendor behind --target, and a vendor behind its own URL with our prefix', async () => {
    const all = targetOf(Object.fromEntries(vendorNames.map((v) => [v, sandbox.origin + prefixes[v]])));
    expect((await sandboxVendors(all, prefixes)).sort()).toEqual([...vendorNames].sort());
    const [one = ''] = vendorNames;
    expect(await sandboxVendors(targetOf({ [one]: sandbox.base[one] ?? '' }), prefixes)).toEqual([one]);
  });

  it("none at a URL without the vendor's prefix (a vendor's host at its root), even on our sandbox's host", async () => {
    const target = targetOf(Object.fromEntries(vendorNames.map((v) => [v, sandbox.origin])));
    expect(await sandboxVendors(target, prefixes)).toEqual([]);
  });

  const notOurs: [string, number, unknown][] = [
    ['a host without the endpoint (404)', 404, { message: 'not found' }],
    ['a host answering HTML', 200, '<html><body>portal</body></html>'],
    ['a health endpoint of something else', 200, { ok: true, vendors: prefixes }],
    ['another sandbox', 200, { ok: true, sandbox: 'someone-else', vendors: prefixes }],
    [
      'our sandbox serving the vendors under other prefixes',
      200,
      { ok: true, sandbox: SANDBOX_ID, vendors: Object.fromEntries(vendorNames.map((v) => [v, `/other/${v}`])) },
    ],
  ];
  it.each(notOurs)('none at %s', async (_name, status, body) => {
    const { origin, server } = await answering(status, body);
    servers.push(server);
    const target = targetOf(Object.fromEntries(vendorNames.map((v) => [v, origin + prefixes[v]])));
    expect(await sandboxVendors(target, prefixes)).toEqual([]);
    expect(await withOwnPartner(target, prefixes, 'contract-x')).toEqual(target);
  });

  it('withOwnPartner names the partner for our vendors only, credentials as given', async () => {
    const { origin, server } = await answering(404, {});
    servers.push(server);
    const [ours = '', theirs = ''] = vendorNames;
    const target = targetOf({ [ours]: sandbox.base[ours] ?? '', [theirs]: origin + prefixes[theirs] });
    const given = {
      ...target,
      vendors: { ...target.vendors, [ours]: { baseUrl: sandbox.base[ours] ?? '', credentials: { a: 'b' } } },
    };
    const got = await withOwnPartner(given, prefixes, 'contract-t1');
    expect(got.vendors[ours]).toEqual({ baseUrl: sandbox.base[ours], credentials: { a: 'b' }, partner: 'contract-t1' });
    expect(got.vendors[theirs]).toEqual(target.vendors[theirs]);
  });

  it('a run partner is contract- and 8 hex digits, another each run', () => {
    expect(runPartner()).toMatch(/^contract-[0-9a-f]{8}$/);
    expect(runPartner()).not.toBe(runPartner());
  });
});

describe.each(registry.map((d) => [d.name, d] as const))(
  "%s's client derives a partner of the sandbox",
  (vendor, definition) => {
    const { client } = definition;
    it('by one credential with the name added, keeping the others', () => {
      const given: Record<string, string> = { ...client.otherPartner, extra: 'kept' };
      const derived = client.partner('contract-t1', given);
      const changed = Object.keys(derived).filter((k) => derived[k] !== given[k]);
      expect(changed).toHaveLength(1);
      expect(derived[changed[0] ?? '']).toContain('contract-t1');
      expect(derived.extra).toBe('kept');
      expect(client.partner('contract-t1')).not.toEqual(client.partner('contract-t1-other'));
    });

    // From the sandbox's credentials, and from a partner's own (a user or key that already has a suffix).
    it.each([
      ['the sandbox credentials', undefined],
      ["a partner's own credentials", client.otherPartner],
    ])(
      "that the sandbox takes as a partner of its own, derived from %s: every flow passes, the isolation flows' too",
      async (_name, credentials) => {
        const kit = await loadKit(definition);
        const flows = definition.flows?.(await loadSpec(vendor), listSamples()) ?? [];
        expect(flows.length).toBeGreaterThan(0);
        const baseUrl = sandbox.base[vendor] ?? '';
        const target: Target = {
          ...targetOf({ [vendor]: baseUrl }),
          vendors: { [vendor]: { baseUrl, partner: 'contract-t2', ...(credentials ? { credentials } : {}) } },
        };
        for (const c of flows) {
          const result = await runCase(c, target, kit);
          expect(result.problems, describeFailure(c, result)).toEqual([]);
        }
      },
    );
  },
);

describe('npm run contract against our sandbox', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** The accounts that wrote to a fresh sandbox during one CLI run with `args` (its store's tenants). */
  async function writersOf(args: (origin: string) => string[]): Promise<{ stdout: string; accounts: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), 'contract-partner-'));
    dirs.push(dir);
    const dataFile = join(dir, 'sandbox.sqlite');
    const own = await startSandbox({ dataFile });
    const proxy = await startProxy(own.origin, (request, answer) =>
      request.path === HEALTH_PATH ? { status: 404, contentType: 'text/plain', body: 'no' } : answer,
    );
    // The cases that write: samples and flows (the proxy passes no response header through, so no more behind it).
    const run = await runCli([
      ...args(own.origin).map((a) => a.replace('{proxy}', proxy.origin)),
      ...['--grep', 'sample|flow', '--reporter', 'json', '--out', dir],
    ]);
    await proxy.close();
    await own.close();
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toBe('');
    const db = new DatabaseSync(dataFile, { readOnly: true });
    const rows = db.prepare("SELECT DISTINCT tenant FROM records WHERE tenant <> ''").all() as { tenant: string }[];
    db.close();
    return { stdout: run.stdout, accounts: rows.map((r) => r.tenant.slice(r.tenant.indexOf(':') + 1)) };
  }

  it(
    'writes as a partner of its own by default: every account that wrote is that partner',
    async () => {
      const { stdout, accounts } = await writersOf((origin) => ['--target', origin]);
      const partner = /as partner (contract-[0-9a-f]{8})/.exec(stdout)?.[1];
      expect(partner, stdout).toBeDefined();
      expect(accounts.length).toBeGreaterThan(0);
      for (const account of accounts) expect(account).toContain(`+${partner}`);
    },
    CLI_TIMEOUT_MS,
  );

  const asGiven: [string, (origin: string) => string[]][] = [
    ['with --shared-data', (origin) => ['--target', origin, '--shared-data']],
    ['at a target that does not say it is our sandbox', () => ['--target', '{proxy}']],
  ];
  it.each(asGiven)(
    'writes as the credentials given %s',
    async (_name, args) => {
      const { stdout, accounts } = await writersOf(args);
      expect(stdout).not.toContain('as partner');
      expect(accounts.length).toBeGreaterThan(0);
      expect(accounts.filter((a) => a.includes('contract-'))).toEqual([]);
      expect(accounts.filter((a) => !a.includes('+')).length).toBeGreaterThan(0);
    },
    CLI_TIMEOUT_MS,
  );
});
