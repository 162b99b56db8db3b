/**
 * The pipeline's body parsers: JSON and XML, each reading the body once as bytes and keeping them
 * (`request.rawBody`, for a vendor that hashes or signs them). A vendor that reads bodies its own way replaces them
 * in its own scope (`VendorDefinition.plugin`).
 */
import type { FastifyInstance } from 'fastify';
import { parseXml } from '../xml/parse.ts';
import { XmlBody } from './xml-body.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's bytes as received, for vendors that hash or sign them (iVvy's Content-MD5); unset without a body. */
    rawBody?: Buffer;
  }
}

export function registerBodyParsers(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', 'text/json'], { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    json(request, body as unknown as string, done);
  });
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    try {
      const parsed = parseXml((body as Buffer).toString('utf8'));
      done(null, new XmlBody(parsed.root, parsed.value));
    } catch (error) {
      done(error as Error);
    }
  });
}
