/**
 * Hostile input through the proxy (the reliability suite's kinds, test/reliability/hostile-*.test.ts): XML bombs
 * and external entities, 100k-deep JSON and XML, bodies over the limit, `__proto__` in bodies and query strings,
 * URLs the router refuses, garbage content types, then bounded fuzzing. Forwarding or, with --strict, refusing:
 * the client gets the sandbox's own status (forwarded) or a 4xx in the vendor's shape (refused), never the proxy
 * failing; nothing is polluted; the proxy and the sandbox go on answering.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../../src/server/app.ts';
import { authorisation, exchange, mergeHeaders } from '../reliability/support/client.ts';
import { POLLUTED, pollutionSince, prototypeSnapshot, stillAnswers } from '../reliability/support/harness.ts';
import { seed } from '../reliability/support/settings.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import { proxyTo, type TestProxy } from './support.ts';

const TASK = '/api/Task(f7d828f8-7316-428f-9ae8-f04ecefda91e)';
const deep = 100_000;
const prototypesBefore = prototypeSnapshot();

let sandbox: RunningSandbox;
let proxy: TestProxy;
let strict: TestProxy;
beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: false });
  proxy = await proxyTo(sandbox.base, { target: sandbox.origin });
  strict = await proxyTo(sandbox.base, { target: sandbox.origin, strict: true });
});
afterAll(async () => {
  await proxy?.close();
  await strict?.close();
  await sandbox?.close();
});

const bases = (p: TestProxy) => Object.fromEntries(p.vendors.map((v) => [v.name, p.origin + v.prefix]));

interface Hostile {
  vendor: string;
  method: string;
  path: string;
  contentType?: string;
  body?: string;
}

const laughs = (levels: number) => {
  const entities = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= levels; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return entities.join('');
};

const cases: [string, Hostile][] = [
  [
    'billion laughs',
    {
      vendor: 'odyssee',
      method: 'PUT',
      path: TASK,
      contentType: 'application/xml',
      body: `<!DOCTYPE lolz [${laughs(9)}]><Task>&lol9;</Task>`,
    },
  ],
  [
    'an external file:// entity',
    {
      vendor: 'odyssee',
      method: 'PUT',
      path: TASK,
      contentType: 'application/xml',
      body: '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Task><subject>&xxe;</subject></Task>',
    },
  ],
  [
    '100k nested JSON arrays',
    {
      vendor: 'odyssee',
      method: 'PUT',
      path: TASK,
      contentType: 'application/json',
      body: '['.repeat(deep) + ']'.repeat(deep),
    },
  ],
  [
    '100k nested JSON objects in a field',
    {
      vendor: 'ivvy',
      method: 'POST',
      path: '/api/1.0/crm?action=addOrUpdateTask',
      contentType: 'application/json',
      body: `{"name":${'{"a":'.repeat(deep)}1${'}'.repeat(deep)}}`,
    },
  ],
  [
    '100k nested XML elements',
    {
      vendor: 'odyssee',
      method: 'PUT',
      path: TASK,
      contentType: 'application/xml',
      body: `<Task>${'<a>'.repeat(deep)}${'</a>'.repeat(deep)}</Task>`,
    },
  ],
  [
    'one byte over the body limit',
    {
      vendor: 'odyssee',
      method: 'PUT',
      path: TASK,
      contentType: 'application/json',
      body: `{"subject":"${'x'.repeat(BODY_LIMIT - 13)}"}`,
    },
  ],
  [
    '__proto__ at the top of a body',
    {
      vendor: 'odyssee',
      method: 'PUT',
      path: TASK,
      contentType: 'application/json',
      body: `{"__proto__": {"${POLLUTED}": "yes"}}`,
    },
  ],
  [
    'constructor.prototype in a body',
    {
      vendor: 'r7-office',
      method: 'PUT',
      path: '/api/2.0/crm/task/1234',
      contentType: 'application/json',
      body: `{"constructor": {"prototype": {"${POLLUTED}": "yes"}}}`,
    },
  ],
  [
    '__proto__ in a form',
    {
      vendor: 'r7-office',
      method: 'PUT',
      path: '/api/2.0/crm/task/1234',
      contentType: 'application/x-www-form-urlencoded',
      body: `__proto__[${POLLUTED}]=yes&title=t`,
    },
  ],
  [
    '__proto__ in the query string',
    {
      vendor: 'odyssee',
      method: 'GET',
      path: `${TASK}?__proto__[${POLLUTED}]=yes&constructor[prototype][${POLLUTED}]=yes`,
    },
  ],
  ['a path the router cannot decode', { vendor: 'r7-office', method: 'GET', path: '/api/2.0/crm/task/%' }],
  [
    'a path parameter of 10k characters',
    { vendor: 'odyssee', method: 'GET', path: `/api/Task(${'a'.repeat(10_000)})` },
  ],
  [
    'a content type nobody reads',
    { vendor: 'odyssee', method: 'PUT', path: TASK, contentType: '%%%/;;;=', body: '{}' },
  ],
  [
    'multipart with no boundary',
    {
      vendor: 'r7-office',
      method: 'PUT',
      path: '/api/2.0/crm/task/1234',
      contentType: 'multipart/form-data',
      body: 'garbage',
    },
  ],
  [
    'bytes that are not UTF-8',
    {
      vendor: 'odyssee',
      method: 'PUT',
      path: TASK,
      contentType: 'application/json',
      body: '\u00ff\u00fe{"a":"\ud800"}',
    },
  ],
];

describe.each([
  ['forwarding', () => proxy],
  ['--strict', () => strict],
] as const)('%s', (_mode, current) => {
  it.each(cases)('%s', async (_name, h) => {
    const p = current();
    const headers: Record<string, string> = h.contentType ? { 'content-type': h.contentType } : {};
    const request = { method: h.method, path: h.path, headers, ...(h.body !== undefined ? { body: h.body } : {}) };
    const direct = await exchange(h.vendor, sandbox.base[h.vendor] as string, request);
    const before = p.exchanges.length;
    const base = bases(p)[h.vendor] as string;
    const res = await fetch(base + h.path, {
      method: h.method,
      headers: mergeHeaders(headers, await authorisation(h.vendor, base, request)),
      ...(h.body !== undefined ? { body: new Uint8Array(Buffer.from(h.body)) } : {}),
    });
    const body = await res.text();
    const via = res.headers.get('x-contract-proxy');
    expect(via === null || via.startsWith('refused'), `${res.status} ${via} ${body.slice(0, 200)}`).toBe(true);
    if (via === null) expect(res.status).toBe(direct.status);
    else expect(res.status).toBeGreaterThanOrEqual(400);
    expect(body).not.toContain('root:x:0:0');
    await p.settled(before + 1);
    expect(pollutionSince(prototypesBefore)).toEqual([]);
  });
});

describe('fuzzing (bounded)', () => {
  it('arbitrary bodies, content types and paths through --strict: never the proxy failing', async () => {
    const vendors = strict.vendors;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...vendors.map((v) => v.name)),
        fc.constantFrom('GET', 'PUT', 'POST', 'DELETE'),
        fc.oneof(
          fc.constant(TASK),
          fc.constant('/api/1.0/crm?action=addOrUpdateTask'),
          fc.constant('/api/2.0/crm/task/1234.xml'),
          fc.webPath(),
        ),
        fc.constantFrom(
          'application/json',
          'application/xml',
          'text/xml',
          'application/x-www-form-urlencoded',
          'text/plain',
          'multipart/form-data; boundary=x',
        ),
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.uint8Array({ maxLength: 2_000 }).map((b) => Buffer.from(b).toString('latin1')),
        ),
        async (vendor, method, path, contentType, body) => {
          const base = bases(strict)[vendor] as string;
          const withBody = method !== 'GET';
          const res = await fetch(base + (path.startsWith('/') ? path : `/${path}`), {
            method,
            headers: { 'content-type': contentType },
            ...(withBody ? { body } : {}),
            signal: AbortSignal.timeout(10_000),
          });
          const text = await res.text();
          const via = res.headers.get('x-contract-proxy');
          expect(text).not.toBe('the proxy failed on this request\n');
          // A 500 is the upstream's own answer, or a vendor's documented 500 the proxy refused with.
          if (res.status === 500 && via !== null) expect(via).toMatch(/^refused/);
        },
      ),
      { numRuns: 150, ...(seed !== undefined ? { seed } : {}) },
    );
    expect(pollutionSince(prototypesBefore)).toEqual([]);
  });

  it('afterwards the proxy and the sandbox behind it still answer', async () => {
    expect(await stillAnswers(sandbox.origin, bases(proxy))).toEqual([]);
    expect(await stillAnswers(sandbox.origin, bases(strict))).toEqual([]);
  });
});
