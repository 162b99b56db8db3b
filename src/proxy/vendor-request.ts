import type { FastifyRequest } from 'fastify';
import type { RouteSpec } from '../server/routes.ts';

/** What the proxy knows of a request, for a vendor module's functions that read Fastify's request. */
export interface RequestParts {
  method: string;
  /** Our local URL: prefix, path and query as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  params: Record<string, string>;
  /** The body as parsed (an XML body's tree), undefined without one. */
  body: unknown;
  /** The body's bytes (iVvy hashes them). */
  rawBody?: Buffer;
  route?: RouteSpec;
  ip?: string;
}

/**
 * The parts of Fastify's request a vendor module reads (`renderError`, and the checks its `authenticate` makes before
 * it looks at the credentials): method, URL, headers, host, query, path parameters, body and its bytes, the route.
 */
export function vendorRequestView(parts: RequestParts): FastifyRequest {
  const quiet = () => undefined;
  const host = typeof parts.headers.host === 'string' ? parts.headers.host : '';
  return {
    method: parts.method,
    url: parts.url,
    originalUrl: parts.url,
    headers: parts.headers,
    host,
    hostname: host.replace(/:\d+$/, ''),
    ip: parts.ip ?? '',
    query: parts.query,
    params: parts.params,
    body: parts.body,
    rawBody: parts.rawBody,
    routeOptions: { config: parts.route ? { vendorRoute: parts.route } : {} },
    log: { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet, fatal: quiet, child: () => undefined },
  } as unknown as FastifyRequest;
}
