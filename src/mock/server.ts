import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { MockAnswer } from './answer.ts';
import type { VendorEngine } from './engine.ts';
import type { LogSink } from './logger.ts';
import { readPreferences } from './prefer.ts';
/** The largest request body the mock reads: the sandbox's (a larger one is the vendor's 413, as there). */
import { BODY_LIMIT } from './vendor.ts';

const problem = (status: number, type: string, title: string, detail: string): MockAnswer => ({
  status,
  headers: { 'content-type': 'application/problem+json' },
  body: JSON.stringify({ type: `https://stoplight.io/prism/errors#${type}`, title, status, detail }),
});

class BodyTooLarge extends Error {
  readonly answer: MockAnswer | undefined;
  constructor(answer: MockAnswer | undefined) {
    super('body too large');
    this.answer = answer;
  }
}

/**
 * The HTTP front: one port, each vendor's engine under its prefix (`/odyssee`, `/ivvy`, `/r7`, read from the
 * specs' loopback servers). It reads the request as Prism's own server does (JSON bodies parsed, anything else as
 * text, `Prefer` or `__code`-style query preferences), answers CORS preflights as Prism does, and writes the
 * engine's answer.
 */
export function createMockServer(engines: readonly VendorEngine[], log?: LogSink): Server {
  const byPrefix = [...engines].sort((a, b) => b.prefix.length - a.prefix.length);
  return createServer((req, res) => {
    const started = performance.now();
    void answer(req, byPrefix)
      .catch((error: unknown) => {
        if (error instanceof BodyTooLarge) {
          if (error.answer) return error.answer;
          const tooLarge = problem(413, 'PAYLOAD_TOO_LARGE', 'Request body too large', `At most ${BODY_LIMIT} bytes.`);
          return { ...tooLarge, headers: { ...tooLarge.headers, connection: 'close' } };
        }
        log?.(`mock: ${(error as Error).stack ?? String(error)}`);
        return problem(500, 'UNKNOWN', 'Unexpected error', (error as Error).message);
      })
      .then((result) => {
        if (res.headersSent) return;
        cors(req, res);
        res.writeHead(result.status, result.headers).end(result.body);
        log?.(`${req.method} ${req.url} → ${result.status} (${(performance.now() - started).toFixed(1)} ms)`);
      });
  });
}

async function answer(req: IncomingMessage, engines: readonly VendorEngine[]): Promise<MockAnswer> {
  const url = new URL(req.url ?? '/', 'http://mock.invalid');
  if (req.method === 'OPTIONS' && req.headers.origin && req.headers['access-control-request-method']) {
    await drain(req);
    return {
      status: 204,
      headers: {
        'access-control-allow-methods': String(req.headers['access-control-request-method']),
        vary: 'origin',
        'content-length': '0',
      },
      body: '',
    };
  }
  const engine = engines.find((e) => url.pathname === e.prefix || url.pathname.startsWith(`${e.prefix}/`));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  const request = {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    path: engine ? url.pathname.slice(engine.prefix.length) || '/' : url.pathname,
    query: url.searchParams,
    headers,
  };
  const raw = await readBody(req, () => engine?.tooLarge(request));
  if (!engine) {
    const served = engines.map((e) => e.prefix).join(', ');
    return problem(404, 'NO_PATH_MATCHED_ERROR', 'Route not resolved, no path matched', `The mock serves ${served}.`);
  }
  const preferences = readPreferences(headers.prefer, url.searchParams);
  if (!preferences.ok) return problem(422, 'UNPROCESSABLE_ENTITY', 'Invalid request', preferences.detail);
  return engine.handle(
    { ...request, ...parseBody(raw, headers['content-type']), ...(raw ? { rawBody: raw } : {}) },
    preferences.value,
  );
}

/** JSON bodies parsed (one that does not parse stays text, flagged: the vendor refuses it); anything else as text. */
function parseBody(raw: Buffer | undefined, contentType: string | undefined): { body: unknown; malformedJson?: true } {
  if (raw === undefined) return { body: undefined };
  const text = raw.toString('utf8');
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'application/json' || mediaType === 'text/json' || mediaType.endsWith('+json')) {
    try {
      return { body: JSON.parse(text) };
    } catch {
      return { body: text, malformedJson: true };
    }
  }
  return { body: text };
}

/**
 * The body, or undefined when the request says it has none (no length, no chunked encoding, or length 0). A body
 * over the limit is refused as soon as it is known: by its Content-Length, else while it is read.
 */
async function readBody(req: IncomingMessage, tooLarge: () => MockAnswer | undefined): Promise<Buffer | undefined> {
  const length = req.headers['content-length'];
  if (length === '0' || (length === undefined && req.headers['transfer-encoding'] === undefined)) {
    await drain(req);
    return undefined;
  }
  if (Number(length) > BODY_LIMIT) throw new BodyTooLarge(tooLarge());
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new BodyTooLarge(tooLarge());
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}

/** Prism's CORS headers (its default `--cors`): any origin, any requested header, credentials allowed. */
function cors(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
  res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
  res.setHeader('access-control-allow-credentials', 'true');
  res.setHeader('access-control-expose-headers', req.headers['access-control-expose-headers'] ?? '*');
}
