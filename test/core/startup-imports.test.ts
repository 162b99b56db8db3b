/**
 * What starting the sandbox and the mock loads: nothing that builds at start what `npm run generate` built already.
 * Each command is started as a user starts it, with a hook that records every module the process resolves, until
 * its first answer; no timing is asserted (machines are shared and noisy), only which modules were loaded, so the
 * design cannot silently regress: a static import of Redocly, a validator compiled by AJV, a Fastify route schema, a
 * spec bundled at start-up would each show here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseHeaders, benchCases, prepareCases } from '../../bench/cases.ts';
import { mergeHeaders } from '../../bench/load.ts';
import { vendors } from '../../src/spec/index.ts';
import { definitionOf } from '../../src/vendors/index.ts';
import { startCli } from './support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'startup-imports-'));
const hook = fileURLToPath(new URL('./support/record-modules.mjs', import.meta.url));
const cases = await prepareCases(benchCases);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts the command with the recording hook, asks it `path`, then sends it the benchmark's requests
 * (bench/cases.ts: a documented sample of each vendor, JSON and XML, authorised by the vendor's own client code) and
 * stops it: the modules it loaded to start and to answer them.
 */
async function modulesLoaded(cli: 'sandbox' | 'mock', args: string[], path: string): Promise<string[]> {
  const log = join(dir, `${cli}.log`);
  const started = await startCli(cli, args, { nodeArgs: ['--import', hook], env: { RECORD_MODULES: log } });
  try {
    const res = await fetch(`${started.origin}${path}`);
    expect(res.status).toBeLessThan(500);
    await res.arrayBuffer();
    for (const c of cases) {
      const base = `${started.origin}${c.prefix}`;
      const request = { method: c.method, path: c.path, headers: baseHeaders(c), body: c.body };
      const auth = await definitionOf(c.vendor).client.authorize(request, { baseUrl: base });
      const answer = await fetch(base + c.path, {
        method: c.method,
        headers: mergeHeaders(baseHeaders(c), auth),
        body: new Uint8Array(c.body),
      });
      expect(answer.status, `${c.id}: ${await answer.text()}`).toBeLessThan(300);
    }
  } finally {
    await started.stop();
  }
  return [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
}

/** Redocly (bundling), AJV's compiler, Fastify's own schema compilers. */
const builders: [string, RegExp][] = [
  ['Redocly', /\/node_modules\/@redocly\//],
  ["AJV's compiler", /\/node_modules\/ajv\/dist\/(ajv|core|2019|2020|jtd)\.js$|\/node_modules\/ajv\/dist\/compile\//],
  ["Fastify's AJV compiler", /\/node_modules\/@fastify\/ajv-compiler\//],
  ['fast-json-stringify', /\/node_modules\/fast-json-stringify\/index\.js$/],
];

describe('starting the sandbox', () => {
  let modules: string[] = [];
  // Started once: it answers its first request, then a documented request of each vendor.
  beforeAll(async () => {
    modules = await modulesLoaded('sandbox', ['--data', ':memory:'], '/_sandbox/health');
  }, 60_000);

  it.each(builders)('does not load %s', (_name, pattern) => {
    expect(modules.filter((m) => pattern.test(m))).toEqual([]);
  });

  it('does not load the response validators, which only the mock and the contract suite use', () => {
    expect(modules.filter((m) => /\/src\/generated\/[^/]+\.response-validators\.cjs$/.test(m))).toEqual([]);
  });

  it("loads each vendor's generated bundle validators, precompiled", () => {
    for (const v of vendors)
      expect(modules).toContainEqual(expect.stringMatching(`/src/generated/${v.name}.validators.cjs$`));
  });
});

describe('starting the mock', () => {
  let modules: string[] = [];
  // Started once: it answers its first request, then a documented request of each vendor.
  beforeAll(async () => {
    modules = await modulesLoaded('mock', [], '/');
  }, 90_000);

  it('does not load Redocly: it serves the generated bundles', () => {
    expect(modules.filter((m) => builders[0]?.[1].test(m))).toEqual([]);
  });

  it("does not load Postman's collection reader", () => {
    expect(modules.filter((m) => /\/node_modules\/postman-collection\//.test(m))).toEqual([]);
  });

  it("loads faker's English data only, not every locale", () => {
    const locales = new Set(modules.map((m) => /@faker-js\/faker\/dist\/cjs\/locales\/([^/]+)/.exec(m)?.[1]));
    locales.delete(undefined);
    expect([...locales]).toEqual(['en']);
  });
});
