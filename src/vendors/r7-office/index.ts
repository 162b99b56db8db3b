import type { FastifyRequest } from 'fastify';
import type { CatalogueEntry, ErrorDetail } from '../../server/errors.ts';
import { negotiate } from '../../server/negotiate.ts';
import type { VendorModule } from '../../server/vendor-module.ts';
import { toXml } from '../../xml/build.ts';
import { xmlStyle } from '../../xml/styles.ts';
import { authenticate } from './auth.ts';
import { handlers } from './handlers.ts';
import { seed } from './seed.ts';

const style = xmlStyle('r7-office');

/** The media types of the `.xml` paths' answers, the page's label first (the spec's x-choice on those paths). */
const xmlMediaTypes = ['text/xml', 'application/xml'];

/** The vendor answers XML when the path ends in `.xml`: errors too, except the plain-text 401. */
const isXmlPath = (request: FastifyRequest | undefined) => request?.url.split('?')[0]?.endsWith('.xml') ?? false;

/**
 * The envelope's message: the catalogue's, with `{fields}` replaced by the failing fields' names
 * (`Request validation failed: entityType, categoryid`). An ArgumentException names its parameter as .NET does
 * (`Value does not fall within the expected range. (Parameter 'deadline')`).
 */
function errorMessage(entry: CatalogueEntry, details: readonly ErrorDetail[]): string {
  const targets = [...new Set(details.flatMap((d) => (d.target ? [d.target] : [])))];
  if (entry.message.includes('{fields}')) {
    const fields = targets.length > 0 ? targets.join(', ') : details.map((d) => d.message).join('; ');
    return entry.message.replace('{fields}', fields || 'the request');
  }
  if (entry.key === 'invalid-argument' && targets.length > 0) {
    return `${entry.message} ${targets.map((t) => `(Parameter '${t}')`).join(' ')}`;
  }
  return entry.message;
}

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
  renderError(entry, details, request) {
    if (entry.mediaType === 'text/plain') return { body: entry.message, contentType: 'text/plain; charset=utf-8' };
    const envelope = {
      status: 1,
      statusCode: entry.status,
      error: { message: errorMessage(entry, details), hresult: entry.hresult, data: {} },
    };
    if (!isXmlPath(request)) return { body: envelope };
    const mediaType = negotiate(request?.headers.accept, xmlMediaTypes) ?? 'text/xml';
    return { body: toXml(envelope, 'result', style), contentType: `${mediaType}; charset=utf-8` };
  },
  authenticate,
  handlers,
  seed,
  toXml: (body, root) => toXml(body, root, style),
};
