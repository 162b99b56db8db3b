/**
 * The vendors' rate limits (each spec root's `x-rate-limit`) and iVvy's 405: answered in the vendor's own shape,
 * with `Retry-After` / `Allow`, counted per what the vendor counts by, and turned off by `--no-rate-limit`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { parseRates } from '../../src/server/rate-limit.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { exchange, partnerKey } from '../sandbox/ivvy/helpers.ts';
import { call, tokenFor, validBody } from '../sandbox/r7-office/helpers.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import { expectConforms } from '../support/spec-check.ts';

describe('configuration', () => {
  it.each([
    ['on by default', [], {}, true],
    ['--no-rate-limit', ['--no-rate-limit'], {}, false],
    ['RATE_LIMIT=off', [], { RATE_LIMIT: 'off' }, false],
    ['a flag wins over the variable', ['--rate-limit'], { RATE_LIMIT: 'off' }, true],
  ] as const)('%s', (_name, args, env, want) => {
    expect(loadConfig([...args], env).rateLimit).toBe(want);
  });

  it('refuses a RATE_LIMIT that is neither on nor off', () => {
    expect(() => loadConfig([], { RATE_LIMIT: 'sometimes' })).toThrow(/on or off/);
  });

  it('reads per-vendor rates and refuses malformed ones', () => {
    expect(parseRates('ivvy=100/60, r7-office=5/1')).toEqual(
      new Map([
        ['ivvy', { max: 100, windowSeconds: 60 }],
        ['r7-office', { max: 5, windowSeconds: 1 }],
      ]),
    );
    expect(parseRates('')).toEqual(new Map());
    for (const bad of ['ivvy=100', 'ivvy=0/60', 'ivvy=10/0', '=1/1', 'ivvy=a/b'])
      expect(() => parseRates(bad), bad).toThrow(/RATE_LIMITS/);
  });
});

describe('past the limit', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimits: 'ivvy=3/60,r7-office=3/60' });
  });
  afterAll(() => sandbox?.close());

  it('iVvy answers 429 in its own shape with Retry-After, per API key', async () => {
    const key = partnerKey('rate');
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof exchange>> | undefined;
    for (let i = 0; i < 4; i++) {
      last = await exchange(sandbox.base.ivvy as string, 'getTaskList', { action: 'getTaskList', apiKey: key });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const spec = await loadSpec('ivvy');
    const entry = spec['x-errors']?.['rate-limited'];
    expect(last?.body).toMatchObject({ errorCode: 429, message: entry?.message });
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(last?.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // Another key has its own quota.
    const other = await exchange(sandbox.base.ivvy as string, 'getTaskList', {
      action: 'getTaskList',
      apiKey: partnerKey('rate-other'),
    });
    expect(other.status).toBe(200);
  });

  it('R7-Office answers 503 in its envelope with Retry-After, per IP and account', async () => {
    const base = sandbox.base['r7-office'] as string;
    const token = await tokenFor(base, 'sandbox+rate@example.com');
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await call(base, { method: 'PUT', token, body: validBody() });
      statuses.push(last.status);
      if (i < 3) await last.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 503]);
    const body = JSON.parse(await expectConforms('r7-office', 'updateTask', last as Response));
    expect(body).toMatchObject({ status: 1, statusCode: 503 });
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const other = await tokenFor(base, 'sandbox+rate-other@example.com');
    expect((await call(base, { method: 'GET', token: other })).status).toBe(200);
  });
});

describe('--no-rate-limit', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimit: false, rateLimits: 'ivvy=1/60' });
  });
  afterAll(() => sandbox?.close());

  it('answers every request, past any rate', async () => {
    for (let i = 0; i < 5; i++) {
      const got = await exchange(sandbox.base.ivvy as string, 'getTaskList', { action: 'getTaskList' });
      expect(got.status).toBe(200);
    }
  });
});

describe('iVvy: a method other than POST', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox?.close());

  it.each(['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('%s answers 405 with Allow: POST', async (method) => {
    const res = await fetch(`${sandbox.base.ivvy}/api/1.0/crm?action=addOrUpdateTask`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const spec = await loadSpec('ivvy');
    expect(await res.json()).toMatchObject({
      errorCode: 405,
      message: spec['x-errors']?.['method-not-allowed']?.message,
    });
  });

  it('HEAD answers 405 with Allow: POST and no body', async () => {
    const res = await fetch(`${sandbox.base.ivvy}/api/1.0/crm?action=getTaskList`, { method: 'HEAD' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});
