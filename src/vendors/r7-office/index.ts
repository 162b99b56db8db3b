import type { FastifyRequest } from 'fastify';
import type { ErrorDetail } from '../../server/errors.ts';
import { VendorError } from '../../server/errors.ts';
import type { VendorDefinition } from '../../server/vendor-module.ts';
import { deref, listOperations, type OpenApiDocument, type ParameterObject } from '../../spec/index.ts';
import { security } from './auth.ts';
import { parseContentType } from './binding/content-type.ts';
import { r7Client } from './client.ts';
import { flows } from './flows.ts';
import { bind, handlers, respondHeaders, statelessMethodChecks } from './handlers.ts';
import { rememberRequest, requestFacts } from './request-facts.ts';
import { seed } from './seed.ts';
import { settings } from './settings.ts';
import { writeJson, writeXml } from './writer.ts';

/** The host's 500 page (customErrors → 500.aspx), for a failure the vendor's serializer cannot answer itself. */
let serverErrorPage = '';

/**
 * How the vendor answers a request (JsonNetSerializer.IsXmlRequest): XML when Request.Path ends in `.xml` or `.tml`
 * and the request's Content-Type media type is not exactly `application/json`; `broken` when that Content-Type
 * cannot be read there (the vendor's serializer then fails and the host answers its own error page). `Accept` is
 * ignored.
 */
function answerFormat(request: FastifyRequest | undefined): 'json' | 'xml' | 'broken' {
  if (!request) return 'json';
  const facts = requestFacts(request);
  const dot = facts.path.lastIndexOf('.');
  const extension = dot < 0 ? '' : facts.path.slice(dot);
  if (extension !== '.xml' && extension !== '.tml') return 'json';
  if (!facts.contentType) return 'xml';
  try {
    return parseContentType(facts.contentType).mediaType === 'application/json' ? 'json' : 'xml';
  } catch {
    return 'broken';
  }
}

const JSON_TYPE = 'application/json; charset=UTF-8';
const XML_TYPE = 'text/xml; charset=UTF-8';

/** The sandbox's explanation of an error (the X-Sandbox-Reason header), in header-safe ASCII. */
function reasonHeader(details: readonly ErrorDetail[], fromException: boolean): string {
  // Raised from a .NET exception, the first detail is the vendor's message and the rest the sandbox's reason.
  const reasons = fromException || details.length > 1 ? details.slice(1) : details;
  const rule = details.find((d) => d.rule)?.rule;
  const text =
    reasons
      .map((d) => (d.target && !d.message.startsWith(d.target) ? `${d.target}: ${d.message}` : d.message))
      .join('; ') + (rule ? ` (${rule})` : '');
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).slice(0, 1000);
}

/** The path parameters' patterns, from the spec (TaskId: the vendor's route constraint `[0-9]+`). */
function parameterPatterns(doc: OpenApiDocument): Map<string, RegExp> {
  const patterns = new Map<string, RegExp>();
  for (const entry of listOperations(doc)) {
    for (const p of entry.parameters.filter((x): x is ParameterObject => x.in === 'path')) {
      const schema = p.schema ? deref<{ pattern?: string }>(doc, p.schema as Record<string, unknown>) : undefined;
      if (schema?.pattern) patterns.set(p.name, new RegExp(schema.pattern));
    }
  }
  return patterns;
}

/**
 * R7-Office (ONLYOFFICE Community Server) CRM: the vendor's own binding of every request (bindsRequest), its
 * authorizers, its envelope, its JSON and XML writers, its answer format by the path's suffix.
 */
export const r7Office: VendorDefinition = {
  name: 'r7-office',
  errorKeys: {
    // The core's schema checks do not run (bindsRequest): what reaches these keys is the transport's.
    validation: 'no-route',
    malformed: 'malformed-json',
    unauthorized: 'unauthorized',
    unsupportedMediaType: 'invalid-content-type',
    payloadTooLarge: 'payload-too-large',
    // Never raised: the vendor ignores Accept and always answers.
    notAcceptable: 'internal-error',
    routeNotFound: 'no-route',
    // Never raised: every operation of the spec has a handler.
    notImplemented: 'internal-error',
    internal: 'internal-error',
  },
  bindsRequest: true,
  async plugin(scope, { doc }) {
    // Every body is read as bytes whatever its Content-Type: the vendor reads it by its own rules, after
    // authentication. The Content-Type as sent is kept aside, so Fastify never refuses one the vendor reads.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    const patterns = parameterPatterns(doc);
    serverErrorPage = String(doc['x-errors']?.['server-error-page']?.message ?? '');
    scope.addHook('onRequest', async (request) => {
      rememberRequest(request);
      if (request.headers['content-type'] !== undefined) request.headers['content-type'] = 'application/octet-stream';
      // The vendor's route constraints ({taskid:[0-9]+}): a value that does not match is no route at all.
      for (const [name, value] of Object.entries((request.params ?? {}) as Record<string, string>)) {
        const pattern = patterns.get(name);
        if (pattern && !pattern.test(value)) {
          throw new VendorError('no-route', [
            { message: `${name} "${value}" does not match ${pattern.source}`, rule: `r7-office.task.${name}-route` },
          ]);
        }
      }
    });
  },
  responseMediaType(request, _route, offered) {
    const format = answerFormat(request);
    const wanted = format === 'xml' ? 'text/xml' : 'application/json';
    return offered.includes(wanted) ? wanted : offered[0];
  },
  writeBody(body, mediaType) {
    if (mediaType === 'text/xml') {
      // Already XML text (a documented example the mock answers): the vendor's bytes as they are.
      if (typeof body === 'string') return { payload: body, contentType: XML_TYPE };
      try {
        return { payload: writeXml(body), contentType: XML_TYPE };
      } catch (error) {
        throw new VendorError('server-error-page', [{ message: (error as Error).message }]);
      }
    }
    return { payload: writeJson(body), contentType: JSON_TYPE };
  },
  renderError(entry, details, { request }) {
    const fromException = entry.messageFromException === true;
    const headers: Record<string, string> = {};
    const reason = reasonHeader(details, fromException);
    if (reason) headers['X-Sandbox-Reason'] = reason;
    const format = answerFormat(request);
    if (entry.mediaType === 'text/html' || format === 'broken') {
      if (entry.key === 'unauthorized' && request?.headers.authorization) {
        headers['WWW-Authenticate'] = `Basic Realm="${request.hostname.replace(/:\d+$/, '')}"`;
      }
      const page = entry.mediaType === 'text/html' ? entry.message : serverErrorPage;
      return { body: page, contentType: 'text/html; charset=utf-8', headers };
    }
    const message = fromException ? (details[0]?.message ?? entry.message) : entry.message;
    const envelope = { status: 1, statusCode: entry.status, error: { message, hresult: entry.hresult, data: {} } };
    Object.assign(headers, respondHeaders());
    if (format === 'xml') {
      try {
        return { body: writeXml(envelope), contentType: XML_TYPE, headers };
      } catch {
        return { body: serverErrorPage, contentType: 'text/html; charset=utf-8', headers };
      }
    }
    return { body: writeJson(envelope), contentType: JSON_TYPE, headers };
  },
  security,
  // The pipeline's own schema checks do not run (bindsRequest): the vendor binds after authorising, then its methods
  // check their arguments (statelessMethodChecks in the mock; the handlers in the sandbox, in the vendor's order).
  checks: ['credentials', 'rate', bind, statelessMethodChecks, 'accept'],
  handlers,
  settings,
  client: r7Client,
  flows,
  seed,
};
