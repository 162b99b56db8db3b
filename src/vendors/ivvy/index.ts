import type { VendorModule } from '../../server/vendor-module.ts';
import { listOperations } from '../../spec/index.ts';
import { authenticate, requireAuthorization } from './auth.ts';
import { handlers } from './handlers.ts';
import { errorBody } from './messages.ts';
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
  },
  renderError(entry, details, request) {
    return { body: errorBody(entry, details, request) };
  },
  /**
   * A call to an operation of the spec without a well-formed `X-Api-Authorization` is 401 before anything else of
   * it is read, its body included (the `crm` operation's order of checks). Other methods and unknown paths are left
   * to the core (405, 404).
   */
  plugin(scope, { doc }) {
    const methods = new Set(listOperations(doc).map((entry) => entry.method.toUpperCase()));
    scope.addHook('onRequest', async (request) => {
      if (request.routeOptions.url !== undefined && methods.has(request.method)) requireAuthorization(request);
    });
  },
  authenticate,
  handlers,
  seed,
};
