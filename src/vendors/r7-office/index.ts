import { VendorError } from '../../server/errors.ts';
import type { VendorModule } from '../../server/vendor-module.ts';
import { toXml } from '../../xml/build.ts';
import { handlers } from './handlers.ts';
import { seed } from './seed.ts';

/** R7-Office (ONLYOFFICE) CRM: token auth, `{status, response}` envelope, XML when the path ends in `.xml`. */
export const r7Office: VendorModule = {
  name: 'r7-office',
  errorKeys: {
    validation: 'validation-failed',
    malformed: 'malformed-body',
    unauthorized: 'unauthorized',
    unsupportedMediaType: 'unsupported-media-type',
    payloadTooLarge: 'payload-too-large',
    notAcceptable: 'validation-failed',
    routeNotFound: 'task-not-found',
    notImplemented: 'not-implemented',
    internal: 'internal-error',
  },
  renderError(entry, details) {
    if (entry.status === 401) return { body: 'Unauthorized', contentType: 'text/plain; charset=utf-8' };
    const message =
      details.length > 0
        ? details.map((d) => (d.target ? `${d.target}: ${d.message}` : d.message)).join('; ')
        : entry.message;
    return { body: { status: 1, statusCode: entry.status, error: { message, hresult: entry.hresult, data: {} } } };
  },
  authenticate() {
    throw new VendorError('unauthorized');
  },
  handlers,
  seed,
  toXml: (body, root) => toXml(body, root, { alphabetical: false, dataContract: false }),
};
