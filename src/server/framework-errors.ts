/**
 * What Fastify itself refuses (a URL it cannot decode, a body too large, a body its parser cannot read) as the
 * vendor's own error: the request is answered in the vendor's shape whatever stage refused it.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { XmlRefusedError } from '../xml/parse.ts';
import { VendorError } from './errors.ts';
import type { CoreErrorKeys } from './vendor-module.ts';

/** The largest request body the pipeline reads; a larger one is refused in the vendor's error shape. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * How much of a refused body is read and thrown away after the 413, at most: beyond either bound the connection is
 * cut. Thirty-two times the body limit, for ten seconds: a body a client may plausibly send by mistake, not a stream.
 */
export const DRAIN_LIMIT = { bytes: 32 * BODY_LIMIT, ms: 10_000 } as const;

export const isBodyTooLarge = (error: unknown): boolean =>
  (error as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE';

/**
 * After a body too large is refused, reads the rest of it and throws it away, so that the client reads the answer.
 * Fastify stops reading at the limit (or before reading, by `Content-Length`) and asks for the connection to be
 * closed, and Node closes it as soon as the 413 is written: a client still sending its body (Node's `fetch`,
 * Python's `requests` send it whole before reading) then fails with EPIPE or a reset instead of reading the answer.
 * Here the rest is read and discarded, bounded by `DRAIN_LIMIT`, and the connection, its request now read to the
 * end, stays usable (RFC 9112, 9.6); past a bound it is cut.
 */
export function drainRefusedBody(
  request: FastifyRequest,
  reply: FastifyReply,
  limit: { bytes: number; ms: number } = DRAIN_LIMIT,
): void {
  const incoming = request.raw;
  if (incoming.complete || incoming.readableEnded || incoming.destroyed) return;
  reply.removeHeader('connection');
  let received = 0;
  const cut = () => {
    done();
    incoming.socket?.destroy();
  };
  const timer = setTimeout(cut, limit.ms);
  timer.unref();
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit.bytes) cut();
  };
  const done = () => {
    clearTimeout(timer);
    incoming.off('data', onData);
  };
  incoming.on('data', onData);
  incoming.once('end', done);
  incoming.once('close', done);
  incoming.resume();
}

export function toVendorError(
  keys: CoreErrorKeys,
  error: FastifyError | VendorError | Error,
  request: FastifyRequest,
): VendorError {
  if (error instanceof VendorError) return error;
  if (error instanceof XmlRefusedError) return new VendorError(keys.malformed, [{ message: error.message }]);
  const code = (error as FastifyError).code;
  const status = (error as FastifyError).statusCode;
  if (code === 'FST_ERR_BAD_URL')
    return new VendorError(keys.validation, [
      { target: 'path', message: 'the path is not a valid URL (its % escapes)' },
    ]);
  if (code === 'FST_ERR_MAX_PARAM_LENGTH')
    return new VendorError(keys.validation, [{ target: 'path', message: 'a path parameter is too long' }]);
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413)
    return new VendorError(keys.payloadTooLarge, [{ message: `the body is larger than ${BODY_LIMIT} bytes` }]);
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
    return new VendorError(keys.unsupportedMediaType, [
      { message: `Content-Type ${request.headers['content-type'] ?? '(none)'} is not supported` },
    ]);
  }
  if (
    error instanceof SyntaxError ||
    code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' ||
    (status !== undefined && status >= 400 && status < 500)
  ) {
    return new VendorError(keys.malformed, [{ message: error.message }]);
  }
  request.log.error({ err: error }, 'unexpected error');
  return new VendorError(keys.internal, [{ message: 'An unexpected error occurred.' }]);
}
