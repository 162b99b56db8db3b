/**
 * A body over the limit is answered 413 in the vendor's shape, and every client reads that answer: the sandbox and
 * the mock read the rest of the body and throw it away (src/server/framework-errors.ts) instead of closing the
 * connection under a client still sending, which Node's `fetch` reported as EPIPE. Bounded: past DRAIN_LIMIT the
 * connection is cut.
 */
import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { baseHeaders, benchCases, type PreparedCase, prepareCases } from '../../bench/cases.ts';
import { mergeHeaders } from '../../bench/load.ts';
import { BODY_LIMIT, DRAIN_LIMIT, drainRefusedBody } from '../../src/server/framework-errors.ts';
import { definitionOf } from '../../src/vendors/index.ts';
import { type StartedCli, startCli } from './support/cli.ts';

const big = new Uint8Array(5 * 1024 * 1024).fill(0x20);
const cases = await prepareCases(benchCases);
// Each server its own process, as users run it: in one process with the client, the client reads the answer
// whatever the server does with the connection, and no test could fail.
const servers: Record<string, StartedCli> = {};
const origins: Record<string, string> = {};

beforeAll(async () => {
  servers.sandbox = await startCli('sandbox', ['--data', ':memory:', '--log-level', 'silent', '--no-rate-limit']);
  servers.mock = await startCli('mock');
  for (const [name, s] of Object.entries(servers)) origins[name] = s.origin;
}, 120_000);
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
});

/** The case's request with a body of `body`, authorised by the vendor's own client (which signs that body). */
async function send(server: string, c: PreparedCase, body: Uint8Array): Promise<{ status: number; text: string }> {
  const base = `${origins[server]}${c.prefix}`;
  const request = { method: c.method, path: c.path, headers: baseHeaders(c), body: Buffer.from(body) };
  const headers = mergeHeaders(
    baseHeaders(c),
    await definitionOf(c.vendor).client.authorize(request, { baseUrl: base }),
  );
  const res = await fetch(base + c.path, { method: c.method, headers, body });
  return { status: res.status, text: await res.text() };
}

describe.each(['sandbox', 'mock'])('the %s, a 5 MB body sent with fetch', (server) => {
  const [headline, ...others] = cases as [PreparedCase, ...PreparedCase[]];

  it(`is answered 413 twenty times in a row (${headline.id}), then the server still serves`, async () => {
    const statuses: (number | string)[] = [];
    for (let i = 0; i < 20; i++) {
      const answer = await send(server, headline, big).catch((e: Error) => ({
        status: `${(e.cause as { code?: string })?.code ?? e.message}`,
        text: '',
      }));
      statuses.push(answer.status);
    }
    expect(statuses).toEqual(Array(20).fill(413));
    expect((await send(server, headline, headline.body)).status).toBe(200);
  }, 120_000);

  it.each(others.map((c) => [c.id, c]))(
    'is answered 413 for %s, as the vendor writes it',
    async (_id, c) => {
      for (let i = 0; i < 3; i++) {
        const answer = await send(server, c, big);
        expect(answer.status, answer.text).toBe(413);
      }
    },
    60_000,
  );
});

describe('the rest of a refused body is read within bounds', () => {
  it(`cuts a connection whose body goes on past ${DRAIN_LIMIT.bytes} bytes, after answering 413`, async () => {
    const url = new URL(origins.sandbox as string);
    const c = cases[0] as PreparedCase;
    const socket = connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    const declared = DRAIN_LIMIT.bytes * 2;
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    let isClosed = false;
    void closed.then(() => {
      isClosed = true;
    });
    socket.on('error', () => {});
    socket.write(
      `${c.method} ${c.prefix}${c.path} HTTP/1.1\r\nHost: ${url.host}\r\ncontent-type: ${c.mediaType}\r\ncontent-length: ${declared}\r\n\r\n`,
    );
    const chunk = Buffer.alloc(BODY_LIMIT, 0x20);
    let written = 0;
    // Bounded: at most the declared length is written; the server cuts the connection well before.
    while (written < declared && !isClosed && !socket.destroyed) {
      const ok = socket.write(chunk);
      written += chunk.length;
      if (!ok) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]);
    }
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(written).toBeLessThan(declared);
  }, 60_000);

  it('cuts one that stops sending, once the time bound passes', () => {
    vi.useFakeTimers();
    try {
      const socket = { destroy: vi.fn() };
      const incoming = Object.assign(new EventEmitter(), {
        complete: false,
        readableEnded: false,
        destroyed: false,
        socket,
        resume: vi.fn(),
      });
      const reply = { removeHeader: vi.fn() };
      drainRefusedBody({ raw: incoming } as never, reply as never, { bytes: 10, ms: 1000 });
      expect(reply.removeHeader).toHaveBeenCalledWith('connection');
      expect(incoming.resume).toHaveBeenCalled();
      incoming.emit('data', Buffer.alloc(5));
      vi.advanceTimersByTime(999);
      expect(socket.destroy).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(socket.destroy).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });

  it('leaves a connection alone once its body has ended', () => {
    vi.useFakeTimers();
    try {
      const socket = { destroy: vi.fn() };
      const incoming = Object.assign(new EventEmitter(), {
        complete: false,
        readableEnded: false,
        destroyed: false,
        socket,
        resume: vi.fn(),
      });
      drainRefusedBody({ raw: incoming } as never, { removeHeader: vi.fn() } as never, { bytes: 10, ms: 1000 });
      incoming.emit('data', Buffer.alloc(5));
      incoming.emit('end');
      incoming.emit('data', Buffer.alloc(50));
      vi.advanceTimersByTime(5000);
      expect(socket.destroy).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});
