import type { VendorDefinition } from '../../server/vendor-module.ts';
import { listOperations } from '../../spec/index.ts';
import { checkHeaders, requireAuthorization, requireContentType, requireObjectBody, verifySignature } from './auth.ts';
import { ivvyClient } from './client.ts';
import { filterRules } from './filter.ts';
import { flows } from './flows.ts';
import { handlers } from './handlers.ts';
import { errorBody, reasonTexts } from './messages.ts';
import { seed } from './seed.ts';
import { settings } from './settings.ts';

/** iVvy: one path, many actions (`?action=`), HMAC-signed requests, numbered error codes. */
export const ivvy: VendorDefinition = {
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
  renderError(entry, details, context) {
    return { body: errorBody(entry, details, context) };
  },
  /**
   * A call to an operation of the spec without a well-formed `X-Api-Authorization` is 401 before anything else of
   * it is read, its body included (the `crm` operation's order of checks). Other methods and unknown paths are left
   * to the core (405, 404).
   */
  plugin(scope, { doc }) {
    // What the code reads of the spec is checked now, so a spec that lacks it fails the start, not a request.
    reasonTexts(doc);
    filterRules(doc);
    const methods = new Set(listOperations(doc).map((entry) => entry.method.toUpperCase()));
    scope.addHook('onRequest', async (request) => {
      if (request.routeOptions.url !== undefined && methods.has(request.method)) requireAuthorization(request, doc);
    });
    // An empty JSON body is a call with no request data, `{}`: the vendor's SDK sends "" (and its MD5) when it has
    // none (ivvy-sdk-net CallAsync). The bytes are kept for Content-MD5, as the core's parser keeps them.
    const json = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      const bytes = body as Buffer;
      request.rawBody = bytes;
      if (bytes.length === 0) done(null, {});
      else json(request, bytes as unknown as string, done);
    });
  },
  security: { ivvySignature: verifySignature },
  checks: [
    'action',
    requireContentType,
    'media-type',
    'accept',
    checkHeaders,
    'credentials',
    'rate',
    requireObjectBody,
    'body',
  ],
  handlers,
  settings,
  client: ivvyClient,
  flows,
  seed,
};
