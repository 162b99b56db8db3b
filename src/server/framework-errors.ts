/**
 * What Fastify itself refuses (a URL it cannot decode, a body too large, a body its parser cannot read) as the
 * vendor's own error: the request is answered in the vendor's shape whatever stage refused it.
 */
import type { FastifyError, FastifyRequest } from 'fastify';
import { XmlRefusedError } from '../xml/parse.ts';
import { VendorError } from './errors.ts';
import type { CoreErrorKeys } from './vendor-module.ts';

/** The largest request body the pipeline reads; a larger one is refused in the vendor's error shape. */
export const BODY_LIMIT = 1024 * 1024;

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
