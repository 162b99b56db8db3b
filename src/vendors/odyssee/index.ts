import type { VendorModule } from '../../server/vendor-module.ts';
import { toXml, XSI } from '../../xml/build.ts';
import { authenticate } from './auth.ts';
import { handlers } from './handlers.ts';
import { seed } from './seed.ts';

/**
 * Odyssee Mobile: OData-style key paths, HTTP Basic `user:password@domain`, JSON or XML (DataContract) both ways,
 * errors in the OData v4 form the spec chooses (`x-errors` in specs/odyssee/openapi.yaml).
 */
export const odyssee: VendorModule = {
  name: 'odyssee',
  errorKeys: {
    validation: 'validation-failed',
    malformed: 'malformed-body',
    unauthorized: 'unauthorized',
    unsupportedMediaType: 'unsupported-media-type',
    payloadTooLarge: 'payload-too-large',
    notAcceptable: 'not-acceptable',
    routeNotFound: 'not-found',
    notImplemented: 'not-implemented',
    internal: 'internal-error',
  },
  renderError(entry, details) {
    const code = String(entry.code ?? entry.key);
    return {
      body: {
        error: {
          code,
          message: entry.message,
          ...(details.length > 0
            ? { details: details.map((d) => ({ code, message: d.message, ...(d.target ? { target: d.target } : {}) })) }
            : {}),
        },
      },
      ...(entry.status === 401 ? { headers: { 'www-authenticate': 'Basic realm="Odyssee"' } } : {}),
    };
  },
  authenticate,
  handlers,
  seed,
  toXml: (body, root) => toXml(body, root, { alphabetical: true, dataContract: true }),
};
export { XSI };
