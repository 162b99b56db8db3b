/**
 * Forwarding with undici (Node.js's own HTTP client, the engine under @fastify/reply-from): one keep-alive pool per
 * upstream origin, the request's method, path, query and headers passed on as received (raw, duplicates and case
 * kept) but for Host and the hop-by-hop headers a proxy must not pass on, the body streamed through; the answer
 * streamed back as it comes, status line and raw headers included, with backpressure both ways. A copy of each body
 * (up to a limit) is kept for the checks and the recording.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { Pool } from 'undici';

/** Connection-level headers (RFC 9110 §7.6.1), never forwarded; undici refuses most of them, and `expect`. */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'http2-settings',
]);

/** A copy of the bytes that pass, up to `limit`; the total is counted beyond it. */
export class Tap {
  readonly limit: number;
  #chunks: Buffer[] = [];
  #kept = 0;
  bytes = 0;
  constructor(limit: number) {
    this.limit = limit;
  }
  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.#kept >= this.limit) return;
    const part = chunk.subarray(0, this.limit - this.#kept);
    this.#chunks.push(part);
    this.#kept += part.length;
  }
  get truncated(): boolean {
    return this.bytes > this.#kept;
  }
  get buffer(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0] ?? Buffer.alloc(0);
  }
}

/** Raw headers (`[name, value, name, value, …]`) without the ones named, compared case-insensitively. */
export function withoutHeaders(raw: readonly string[], drop: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!drop(name.toLowerCase())) out.push(name, raw[i + 1] as string);
  }
  return out;
}

/** The hop-by-hop headers of a message: the fixed list and every name its Connection header lists. */
export function hopByHopOf(raw: readonly string[]): (name: string) => boolean {
  const listed = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2)
    if ((raw[i] as string).toLowerCase() === 'connection')
      for (const name of (raw[i + 1] as string).split(',')) listed.add(name.trim().toLowerCase());
  return (name) => hopByHop.has(name) || listed.has(name);
}

export interface Answer {
  status: number;
  statusMessage: string;
  /** Raw headers as the upstream sent them. */
  headers: string[];
  body: Tap;
}

export interface Outcome {
  /** The upstream's answer, once its status line came (its body complete unless `error`). */
  answer?: Answer;
  /** Why the exchange did not complete: the upstream's error, or the client's hang-up. */
  error?: Error & { code?: string };
  /** Milliseconds until the answer's status line. */
  waitMs?: number;
}

export class Upstreams {
  readonly #pools = new Map<string, Pool>();
  readonly #timeoutMs: number;
  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      const t = this.#timeoutMs;
      pool = new Pool(origin, { headersTimeout: t, bodyTimeout: t, connect: { timeout: t }, keepAliveTimeout: 4_000 });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.destroy()));
    this.#pools.clear();
  }
}

/**
 * Sends the request to `origin` + `path` and streams the answer into `res` as it comes (unless `hold`: then the
 * answer is only collected, for the caller to write). Resolves once the exchange is over, never rejects.
 */
export function forward(
  upstreams: Upstreams,
  request: { origin: string; path: string; method: string; headers: string[]; body: Readable | Buffer | null },
  client: { req: IncomingMessage; res: ServerResponse },
  answerLimit: number,
): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const outcome: Outcome = {};
    let settled = false;
    const done = (error?: Error) => {
      if (settled) return;
      settled = true;
      if (error) outcome.error = error;
      resolve(outcome);
    };
    let abort: ((reason: Error) => void) | undefined;
    const hangUp = () => {
      if (client.res.writableFinished) return;
      const error = Object.assign(new Error('the client hung up'), { code: 'CLIENT_ABORTED' });
      abort?.(error);
      done(error);
    };
    client.res.once('close', hangUp);
    const { res } = client;
    upstreams.pool(request.origin).dispatch(
      { path: request.path, method: request.method, headers: request.headers, body: request.body },
      {
        onRequestStart(controller) {
          abort = (reason) => controller.abort(reason);
        },
        onResponseStart(controller, statusCode, _headers, statusMessage) {
          if (statusCode < 200) return;
          outcome.waitMs = performance.now() - started;
          const raw = (controller.rawHeaders ?? []) as (Buffer | string)[];
          const headers = raw.map((h) => (typeof h === 'string' ? h : h.toString('latin1')));
          outcome.answer = {
            status: statusCode,
            statusMessage: statusMessage ?? '',
            headers,
            body: new Tap(answerLimit),
          };
          if (res.destroyed) return;
          res.writeHead(statusCode, statusMessage || undefined, withoutHeaders(headers, hopByHopOf(headers)));
          // The status line, the headers and what of the body comes in the same tick leave in one write.
          res.cork();
          process.nextTick(() => res.uncork());
        },
        onResponseData(controller, chunk) {
          outcome.answer?.body.add(chunk);
          if (res.destroyed) return;
          if (!res.write(chunk)) {
            controller.pause();
            res.once('drain', () => controller.resume());
          }
        },
        onResponseEnd() {
          client.res.off('close', hangUp);
          if (!res.destroyed) res.end();
          done();
        },
        onResponseError(_controller, error) {
          client.res.off('close', hangUp);
          // After the status line nothing else can be said: the client's connection is cut, as the upstream's was.
          if (outcome.answer && !res.destroyed) res.destroy();
          done(error);
        },
      },
    );
  });
}
