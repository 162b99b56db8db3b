/** HTTP messages as the proxy handles them: the request-target, raw headers, reading a body, writing its own answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { RenderedAnswer } from '../server/render-error.ts';
import type { Tap } from './forward.ts';

/** The most of a request body read before it is forwarded (nginx's request buffering); past it, the rest streams. */
export const BUFFER_LIMIT = 8 * 1024 * 1024;

export const splitUrl = (url: string): { path: string; query: string } => {
  const at = url.indexOf('?');
  return at < 0 ? { path: url, query: '' } : { path: url.slice(0, at), query: url.slice(at + 1) };
};

/** The request-target as the client sent it, in origin form (an absolute-form target is cut to its path). */
export function originForm(url: string): string {
  if (url.startsWith('/')) return url;
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return `/${url}`;
  }
}

/** The first value of a header in raw headers (`[name, value, …]`), names compared in lower case. */
export function headerOf(raw: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) if ((raw[i] as string).toLowerCase() === name) return raw[i + 1];
  return undefined;
}

/** Raw headers as one value per lower-case name (repeated ones joined, as HTTP reads a list). */
export function headerRecord(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    out[name] = out[name] === undefined ? (raw[i + 1] as string) : `${out[name]}, ${raw[i + 1]}`;
  }
  return out;
}

/** Whether a request has a body: a length above 0, or a chunked one. */
export const hasBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

export const clientHungUp = (): Error & { code: string } =>
  Object.assign(new Error('the client hung up'), { code: 'CLIENT_ABORTED' });

/** An answer the proxy gives itself, with `X-Contract-Proxy` saying why; nothing when the client is gone. */
export function writeRendered(res: ServerResponse, answer: RenderedAnswer, why: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-type': answer.contentType,
    'content-length': Buffer.byteLength(answer.payload),
    'x-contract-proxy': why,
  });
  res.end(answer.payload);
}

/**
 * Reads a request body before forwarding it, as nginx does by default: sent whole, an upstream that answers early
 * (a 413 before the body is read) is heard rather than cut off mid-upload. Up to `limit` bytes are read; a longer
 * body is forwarded as those bytes followed by the rest as it comes. The tap keeps the first bytes for the checks.
 */
export function collect(
  req: IncomingMessage,
  tap: Tap,
  limit: number,
): Promise<{ body: Buffer | Readable; aborted: false } | { aborted: true }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      tap.add(chunk);
      size += chunk.length;
      if (size < limit) return;
      req.pause();
      stop();
      const rest = async function* () {
        yield* chunks;
        for await (const more of req) {
          tap.add(more as Buffer);
          yield more as Buffer;
        }
      };
      resolve({ body: Readable.from(rest(), { objectMode: false }), aborted: false });
    };
    const onEnd = () => {
      stop();
      resolve({ body: Buffer.concat(chunks), aborted: false });
    };
    const onClose = () => {
      stop();
      if (!req.complete) resolve({ aborted: true });
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
  });
}
