/**
 * What the R7-Office scope keeps of a request before Fastify reads its body: the Content-Type exactly as sent (the
 * scope then lets every body through as bytes: the vendor reads a body by its own rules, after authentication),
 * the raw query string and the path. Set by the scope's onRequest hook (index.ts).
 */
import type { FastifyRequest } from 'fastify';

export interface RequestFacts {
  /** The Content-Type header as sent, undefined when there was none. */
  contentType: string | undefined;
  /** The query string without `?`, undecoded. */
  query: string;
  /** The path without the query string, undecoded (Request.Path's extension is what the vendor reads). */
  path: string;
}

const facts = new WeakMap<FastifyRequest, RequestFacts>();

export function rememberRequest(request: FastifyRequest): void {
  const url = request.url;
  const q = url.indexOf('?');
  const header = request.headers['content-type'];
  facts.set(request, {
    contentType: typeof header === 'string' ? header : undefined,
    query: q < 0 ? '' : url.slice(q + 1),
    path: q < 0 ? url : url.slice(0, q),
  });
}

export function requestFacts(request: FastifyRequest): RequestFacts {
  let found = facts.get(request);
  if (!found) {
    rememberRequest(request);
    found = facts.get(request) as RequestFacts;
  }
  return found;
}
