import type { VendorModule } from '../../server/vendor-module.ts';
import { authenticate } from './auth.ts';
import { handlers } from './handlers.ts';
import { seed } from './seed.ts';

/** iVvy: one path, many actions (`?action=`), HMAC-signed requests, numbered error codes. */
export const ivvy: VendorModule = {
  name: 'ivvy',
  errorKeys: {
    validation: 'parameter-invalid',
    malformed: 'parameter-invalid',
    unauthorized: 'unauthorized',
    unsupportedMediaType: 'unsupported-media-type',
    payloadTooLarge: 'payload-too-large',
    notAcceptable: 'not-acceptable',
    routeNotFound: 'unknown-action',
    notImplemented: 'not-implemented',
    internal: 'internal-error',
    unknownAction: 'unknown-action',
    methodNotAllowed: 'method-not-allowed',
  },
  renderError(entry, details) {
    return {
      body: {
        errorCode: entry.errorCode ?? entry.status,
        message: entry.message,
        ...(entry.specificCode !== undefined ? { specificCode: entry.specificCode } : {}),
        // `<field or parameter>: <message>` lines, when there are any (schema Error).
        ...(details.length > 0
          ? { additionalMessages: details.map((d) => (d.target ? `${d.target}: ${d.message}` : d.message)) }
          : {}),
      },
    };
  },
  authenticate,
  handlers,
  seed,
};
