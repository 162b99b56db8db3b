/**
 * What the hostile-input tests (test/reliability/hostile-*.test.ts) share: a sandbox of the file's own (rate limits
 * off), a canary HTTP server that counts hits and a canary file holding a secret, the operations that take a body
 * with the helpers that build a hostile body for each, and the tests that send a table of hostile bodies to every
 * such operation. Each case is refused (a 4xx in the vendor's shape) or, where the table says so, harmless (a 2xx);
 * never a 5xx but the vendor's own. When a file's tests are done, nothing was fetched, no prototype is polluted, no
 * stored record kept a pollution attempt and the sandbox still answers.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { answerProblems, describeExchange, isVendorServerAnswer } from './checks.ts';
import { exchange, withQuery } from './client.ts';
import {
  type PrototypeSnapshot,
  pollutedRecords,
  pollutionSince,
  prototypeSnapshot,
  stillAnswers,
  tempFolder,
} from './harness.ts';
import { bounds } from './settings.ts';
import { allTargets, type Target } from './targets.ts';

/** A file's sandbox and canaries; `canaryUrl` and `sandbox` are set once its tests start. */
export interface HostileSandbox {
  sandbox: RunningSandbox;
  secret: string;
  secretFile: string;
  canaryUrl: string;
  canaryHits: string[];
  prototypesBefore: PrototypeSnapshot;
}

/** The sandbox and canaries of a file's tests, started before them; checked and closed after them. */
export function useHostileSandbox(prefix: string): HostileSandbox {
  const folder = tempFolder(prefix);
  const dataFile = join(folder.dir, 'sandbox.sqlite');
  const env = {
    secret: `secret-${process.pid}-${Date.now()}`,
    secretFile: join(folder.dir, 'secret.txt'),
    canaryUrl: '',
    canaryHits: [],
    prototypesBefore: prototypeSnapshot(),
  } as unknown as HostileSandbox;
  writeFileSync(env.secretFile, env.secret);
  let canary: Server | undefined;
  beforeAll(async () => {
    const server = createServer((req, res) => {
      env.canaryHits.push(`${req.method} ${req.url}`);
      res.end(env.secret);
    });
    canary = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    env.canaryUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Rate limits off: the load is what these files are about, not the vendors' 429/503 (test/core/rate-limit.test.ts).
    env.sandbox = await startSandbox({ dataFile, rateLimit: false });
  });
  afterAll(async () => {
    try {
      if (env.sandbox) {
        expect(env.canaryHits).toEqual([]);
        expect(pollutionSince(env.prototypesBefore)).toEqual([]);
        expect(await pollutedRecords(env.sandbox.store)).toEqual([]);
        expect(await stillAnswers(env.sandbox.origin, env.sandbox.base)).toEqual([]);
      }
    } finally {
      await env.sandbox?.close();
      await new Promise((resolve) => (canary ? canary.close(resolve) : resolve(undefined)));
      folder.remove();
    }
  });
  return env;
}

/** Operations that take a body, and the XML root and a JSON body each accepts. */
export const targets = (await allTargets()).filter((t) => t.mediaTypes.length > 0);
export const xmlRoot = (t: Target) => t.xml[0]?.root ?? 'root';
export const xmlType = (t: Target) => t.mediaTypes.find((m) => m.includes('xml')) ?? 'application/xml';
export const validJson = (t: Target) => (t.json[0] ?? {}) as Record<string, unknown>;
/** A string field of the valid body (to fill with a huge string), else a new one. */
export const stringField = (t: Target) =>
  Object.entries(validJson(t)).find(([, v]) => typeof v === 'string')?.[0] ?? 'huge';

/** The body of `t`'s valid JSON with raw JSON text spliced in as one more member. */
export const jsonWith = (t: Target, member: string, raw: string) =>
  `${JSON.stringify(validJson(t)).slice(0, -1)}${Object.keys(validJson(t)).length > 0 ? ',' : ''}"${member}":${raw}}`;

export type Want = 'refused' | 'refused or harmless' | 413;
export interface Hostile {
  contentType: (t: Target) => string;
  body: (t: Target) => string;
  want: Want;
  /** Extra query pairs (a pollution attempt in the query string). */
  query?: [string, string][];
  /** A costly body (near 1 MiB, or 100k levels deep): in the small form, sent to one operation per vendor only. */
  heavy?: boolean;
}

export const deep = 100_000;
export const xmlDoc = (t: Target, inner: string, prolog = '') => `${prolog}<${xmlRoot(t)}>${inner}</${xmlRoot(t)}>`;

/** In the small form the heavy bodies go to the first secured operation taking a body of each vendor only. */
const heavyTargets = new Set(
  [...new Set(targets.map((t) => t.vendor))].map((v) => targets.find((t) => t.vendor === v && t.secured) as Target),
);

/** Every case of `cases` that applies to an operation, sent to it: one describe block per operation. */
export function describeHostile(cases: [string, Hostile][], env: HostileSandbox): void {
  const applicable = (target: Target) =>
    cases.filter(([, h]) => !h.heavy || bounds.heavyEverywhere || heavyTargets.has(target));
  const reached = targets.filter((target) => applicable(target).length > 0);
  describe.each(reached)('$vendor $operation', (target) => {
    it.each(applicable(target))('%s', async (_name, hostile) => {
      const request = {
        method: target.method,
        path: withQuery(target.path, hostile.query ?? []),
        headers: { 'content-type': hostile.contentType(target) },
        body: hostile.body(target),
      };
      const answer = await exchange(target.vendor, env.sandbox.base[target.vendor] as string, request);
      const context = describeExchange(request, answer);
      expect(await answerProblems(target.vendor, target.operation, answer), context).toEqual([]);
      if (hostile.want === 413) expect(answer.status, context).toBe(413);
      else if (hostile.want === 'refused') expect(answer.status, context).toBeGreaterThanOrEqual(400);
      // A 5xx only as the vendor's own answer to what it cannot read (R7-Office: XML that does not parse is a 500).
      if (!(await isVendorServerAnswer(target.vendor, answer))) expect(answer.status, context).toBeLessThan(500);
      expect(answer.body, context).not.toContain(env.secret);
      expect(env.canaryHits).toEqual([]);
      expect(pollutionSince(env.prototypesBefore)).toEqual([]);
    });
  });
}
