/**
 * The proxy changes nothing but Host (and, for a vendor's own base URL, our prefix): the request line, the raw
 * headers (case, order, duplicates) and the body reach the upstream as the client sent them; the status line, raw
 * headers and body reach the client as the upstream sent them, large bodies included. In front of the sandbox the
 * answers are the sandbox's own: signed iVvy calls verify, R7-Office signs in and answers `.xml`.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_LIMIT, BUFFER_LIMIT } from '../../src/proxy/server.ts';
import { definitionOf } from '../../src/vendors/index.ts';
import { mergeHeaders } from '../reliability/support/client.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import { bodyOf, proxyTo, type TestProxy, upstream } from './support.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A raw HTTP/1.1 exchange: what Node's client sends is exactly what the test wrote. */
function send(
  url: string,
  method: string,
  headers: string[],
  body?: Buffer,
): Promise<{ res: IncomingMessage; body: Buffer }> {
  return new Promise((resolve, reject) => {
    // Raw headers are sent as given: Host first, as a client writes it.
    // The request-target goes as the path option, untouched (a URL string would be normalised first).
    const { host, hostname, port } = new URL(url);
    const path = url.slice(url.indexOf('/', url.indexOf('//') + 2));
    const raw = ['Host', host, ...headers];
    const req = httpRequest({ hostname, port, path, method, headers: raw, agent: false }, (res) => {
      bodyOf(res).then((b) => resolve({ res, body: b }), reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const pairs = (raw: readonly string[]) => {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
};
const without = (raw: readonly string[], names: string[]) =>
  pairs(raw).filter(([n]) => !names.includes(n.toLowerCase()));

describe('byte for byte, in front of a recording upstream', () => {
  const seen: { method?: string; url?: string; rawHeaders?: string[]; body?: Buffer }[] = [];
  const answerBody = Buffer.from('{"id":"abc","odd":"\u00e9\u4e2d"}');
  let recorder: Awaited<ReturnType<typeof upstream>>;
  let proxy: TestProxy;
  let targetProxy: TestProxy;
  beforeAll(async () => {
    recorder = await upstream(async (req, res) => {
      seen.push({ method: req.method, url: req.url, rawHeaders: req.rawHeaders, body: await bodyOf(req) });
      res.writeHead(207, 'Rather Multi', [
        'Content-Type',
        'application/json; charset=utf-8',
        'Set-Cookie',
        'a=1; Path=/',
        'Set-Cookie',
        'b=2; HttpOnly',
        'X-MiXeD-Case',
        'kept',
        'Content-Length',
        String(answerBody.length),
      ]);
      res.end(answerBody);
    });
    proxy = await proxyTo({ odyssee: `${recorder.origin}/vendor-base/` });
    targetProxy = await proxyTo({ odyssee: `${recorder.origin}/odyssee` }, { target: recorder.origin });
  });
  afterAll(async () => {
    await proxy?.close();
    await targetProxy?.close();
    await recorder?.close();
  });

  const path = "/api/Task(f7d8-%41bc)?b=2&a=1&a=%7e'x&empty=&%20sp=1";
  const body = Buffer.from('{"subject": "caf\u00e9",  "z":1,"a":2}');
  const headers = [
    'Authorization',
    'Basic c2FuZGJveDpzYW5kYm94QFNBTkRCT1g=',
    'X-Dup',
    'one',
    'x-dup',
    'two',
    'Content-Type',
    'application/json',
    'Content-Length',
    String(body.length),
    'Accept',
    'application/json',
  ];

  it("a vendor's own base URL: our prefix replaced by its path; everything else as sent but Host", async () => {
    const { res, body: got } = await send(`${proxy.origin}/odyssee${path}`, 'PUT', headers, body);
    const upstreamSaw = seen.at(-1);
    expect(upstreamSaw?.method).toBe('PUT');
    expect(upstreamSaw?.url).toBe(`/vendor-base${path}`);
    expect(upstreamSaw?.body?.equals(body)).toBe(true);
    // undici writes Content-Length itself (the same value, its own spelling, last); every other header as sent.
    expect(without(upstreamSaw?.rawHeaders ?? [], ['host', 'connection', 'content-length'])).toEqual(
      without(headers, ['content-length']),
    );
    expect(pairs(upstreamSaw?.rawHeaders ?? []).find(([n]) => n.toLowerCase() === 'content-length')?.[1]).toBe(
      String(body.length),
    );
    expect(pairs(upstreamSaw?.rawHeaders ?? []).find(([n]) => n.toLowerCase() === 'host')?.[1]).toBe(
      new URL(recorder.origin).host,
    );
    expect(res.statusCode).toBe(207);
    expect(res.statusMessage).toBe('Rather Multi');
    expect(without(res.rawHeaders, ['date', 'connection', 'keep-alive'])).toEqual(
      pairs([
        'Content-Type',
        'application/json; charset=utf-8',
        'Set-Cookie',
        'a=1; Path=/',
        'Set-Cookie',
        'b=2; HttpOnly',
        'X-MiXeD-Case',
        'kept',
        'Content-Length',
        String(answerBody.length),
      ]),
    );
    expect(got.equals(answerBody)).toBe(true);
  });

  it('--target: the path stays as it is, prefix included', async () => {
    await send(`${targetProxy.origin}/odyssee${path}`, 'PUT', headers, body);
    expect(seen.at(-1)?.url).toBe(`/odyssee${path}`);
  });

  it('a violation changes nothing: the undocumented 207 is reported, the client gets it as it came', async () => {
    await proxy.settled(1);
    const first = proxy.exchanges[0];
    expect(first?.status).toBe(207);
    expect(first?.violations.map((v) => `${v.side} ${v.where}`)).toContain('answer status');
  });
});

describe('large bodies, streamed', () => {
  const big = Buffer.alloc(3 * ANSWER_LIMIT + 12_345);
  for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
  let server: Awaited<ReturnType<typeof upstream>>;
  let proxy: TestProxy;
  const received: string[] = [];
  beforeAll(async () => {
    server = await upstream(async (req, res) => {
      const got = await bodyOf(req);
      received.push(sha(got));
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      // In chunks, as a server streams a large answer.
      let at = 0;
      const next = () => {
        while (at < big.length) {
          const ok = res.write(big.subarray(at, at + 65_536));
          at += 65_536;
          if (!ok) return void res.once('drain', next);
        }
        res.end();
      };
      next();
    });
    proxy = await proxyTo({ odyssee: `${server.origin}/` });
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  it(`an answer of ${Math.round(big.length / 1048576)} MiB and a request body over the ${BUFFER_LIMIT / 1048576} MiB read ahead, both unchanged`, async () => {
    const upload = Buffer.alloc(BUFFER_LIMIT + 777_777, 7);
    const { res, body } = await send(
      `${proxy.origin}/odyssee/api/Task(f7d828f8-7316-428f-9ae8-f04ecefda91e)`,
      'PUT',
      ['content-type', 'application/json', 'content-length', String(upload.length)],
      upload,
    );
    expect(res.statusCode).toBe(200);
    expect(body.length).toBe(big.length);
    expect(sha(body)).toBe(sha(big));
    expect(received).toEqual([sha(upload)]);
    await proxy.settled(1);
    const exchange = proxy.exchanges[0];
    expect(exchange?.notes.join(' ')).toMatch(/not checked/);
    expect(exchange?.violations.map((v) => v.where)).toContain('body');
  });
});

describe('in front of the sandbox: its own answers', () => {
  let sandbox: RunningSandbox;
  let proxy: TestProxy;
  let ownUrls: TestProxy;
  beforeAll(async () => {
    sandbox = await startSandbox();
    proxy = await proxyTo(sandbox.base, { target: sandbox.origin });
    // Each vendor at its own base URL, as `--odyssee <url> --ivvy <url> --r7 <url>` gives them.
    ownUrls = await proxyTo(sandbox.base);
  });
  afterAll(async () => {
    await proxy?.close();
    await ownUrls?.close();
    await sandbox?.close();
  });

  /** Status, headers (less the connection's and the per-answer ones) and body of one request, direct and proxied. */
  async function both(
    vendor: string,
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ) {
    const prefix = proxy.vendors.find((v) => v.name === vendor)?.prefix as string;
    const out = [];
    for (const origin of [sandbox.origin, proxy.origin, ownUrls.origin]) {
      const base = origin + prefix;
      const request = { method, path, headers, body };
      const auth = await definitionOf(vendor).client.authorize(request, { baseUrl: base });
      const res = await fetch(base + path, {
        method,
        headers: mergeHeaders(headers, auth ?? {}),
        ...(body ? { body } : {}),
      });
      const kept = [...res.headers].filter(([n]) => !['date', 'connection', 'keep-alive', 'etag'].includes(n));
      out.push({ status: res.status, headers: kept, body: await res.text() });
    }
    return out;
  }

  it.each([
    ['odyssee', '/api/Task(f7d828f8-7316-428f-9ae8-f04ecefda91e)', {}],
    ['odyssee', '/api/Task(f7d828f8-7316-428f-9ae8-f04ecefda91e)', { accept: 'application/xml' }],
    ['odyssee', '/api/Jobs(5b4b5ea6-6ea1-4a4a-8f8f-5a0c7e1f9d21)', {}],
    ['r7-office', '/api/2.0/crm/task/1234', {}],
    ['r7-office', '/api/2.0/crm/task/1234.xml', {}],
    ['r7-office', '/api/2.0/crm/task/999999', {}],
  ])(
    '%s GET %s %j: the same answer direct, through --target and through its own URL',
    async (vendor, path, headers) => {
      const [direct, viaTarget, viaOwn] = await both(vendor, 'GET', path, headers);
      expect(viaTarget).toEqual(direct);
      expect(viaOwn).toEqual(direct);
    },
  );

  it('R7-Office: the sign-in answers through the proxy, and its token works at the sandbox', async () => {
    const res = await fetch(`${proxy.origin}/r7/api/2.0/authentication.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName: 'sandbox@example.com', password: 'sandbox' }),
    });
    expect(res.status).toBe(201);
    const token = ((await res.json()) as { response: { token: string } }).response.token;
    const xml = await fetch(`${sandbox.origin}/r7/api/2.0/crm/task/1234.xml`, { headers: { authorization: token } });
    expect(xml.status).toBe(200);
    expect(xml.headers.get('content-type')).toMatch(/^text\/xml/);
  });

  it('iVvy: signed calls verify through the proxy, at our prefix and at its own base URL, a write included', async () => {
    for (const origin of [proxy.origin, ownUrls.origin]) {
      const base = `${origin}/ivvy`;
      const body = JSON.stringify({ name: `through the proxy ${origin}`, endDatetime: '2026-01-01 10:00:00' });
      const path = '/api/1.0/crm?action=addOrUpdateTask';
      const request = { method: 'POST', path, headers: { 'content-type': 'application/json' }, body };
      const auth = await definitionOf('ivvy').client.authorize(request, { baseUrl: base });
      const res = await fetch(base + path, {
        method: 'POST',
        headers: mergeHeaders(request.headers, auth ?? {}),
        body,
      });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(((await res.json()) as { success?: boolean }).success).toBe(true);
    }
    const flagged = [...proxy.exchanges, ...ownUrls.exchanges].filter(
      (e) => e.vendor === 'ivvy' && e.violations.length,
    );
    expect(flagged).toEqual([]);
  });
});
