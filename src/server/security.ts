/**
 * The `credentials` check: the operation's security requirements (or the spec's), tried in the spec's order, each
 * scheme by the vendor's handler of that name (fastify-openapi-glue's security handlers). The sandbox verifies the
 * credential; the mock only looks that one is there in the form the scheme says (Prism's security check), and never
 * knows who calls.
 */
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { deref, type OpenApiDocument, type SecuritySchemeObject } from '../spec/index.ts';
import { VendorError } from './errors.ts';
import type { RouteSpec } from './routes.ts';
import type { VendorDefinition } from './vendor-module.ts';

/** How credentials are checked: verified (the sandbox) or only present and well-formed (the mock). */
export type CredentialMode = 'verify' | 'present';

type SecurityScheme = SecuritySchemeObject;

/** The account the request's credentials name; throws the vendor's error when none is valid (or, mocked, present). */
export function credentials(
  request: FastifyRequest,
  route: RouteSpec,
  definition: VendorDefinition,
  doc: OpenApiDocument,
  config: Readonly<Config>,
  mode: CredentialMode,
): string {
  const requirements = route.entry.operation.security ?? doc.security ?? [];
  if (requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0)) return '';
  const asked: SchemeCheck = { request, route, definition, doc, config, mode };
  const refusals: unknown[] = [];
  for (const requirement of requirements) {
    const account = requirementAccount(asked, Object.keys(requirement), refusals);
    if (account !== undefined) return account;
  }
  const refused = refusals.find((error) => error !== undefined && error !== null);
  if (refused) throw refused;
  throw new VendorError(definition.errorKeys.unauthorized, [
    { message: `the request carries no credential of ${requirements.map((r) => Object.keys(r).join('+')).join(', ')}` },
  ]);
}

interface SchemeCheck {
  request: FastifyRequest;
  route: RouteSpec;
  definition: VendorDefinition;
  doc: OpenApiDocument;
  config: Readonly<Config>;
  mode: CredentialMode;
}

/** The account a requirement names when every one of its schemes is met (the first scheme's); refusals collected. */
function requirementAccount(asked: SchemeCheck, names: readonly string[], refusals: unknown[]): string | undefined {
  const accounts: string[] = [];
  for (const name of names) {
    const result = schemeAccount(asked, name);
    if ('refused' in result) refusals.push(result.refused);
    else if (result.account !== undefined) accounts.push(result.account);
  }
  const [first] = accounts;
  return first !== undefined && accounts.length === names.length ? first : undefined;
}

/**
 * One scheme of a requirement: the account its credential names (mocked: `mock` when one is there), none when the
 * request carries none, or the vendor handler's refusal (kept: the first is thrown if no requirement is met).
 */
function schemeAccount(asked: SchemeCheck, name: string): { account: string | undefined } | { refused: unknown } {
  const { request, route, definition, doc, config, mode } = asked;
  if (mode === 'present') return { account: presentCredential(request, scheme(doc, name)) };
  const handler = definition.security[name];
  if (!handler) throw new Error(`${definition.name}: no security handler for the scheme ${name}`);
  try {
    return { account: handler(request, { config, route, doc }) };
  } catch (error) {
    return { refused: error };
  }
}

function scheme(doc: OpenApiDocument, name: string): SecurityScheme {
  const raw = doc.components?.securitySchemes?.[name];
  if (!raw) throw new Error(`${doc.info.title}: no security scheme ${name}`);
  return deref<SecurityScheme>(doc, raw as SecurityScheme);
}

/**
 * A credential of the scheme is there in its form (undefined otherwise): HTTP Basic `user:password`, a bearer token,
 * an API key in its header, query parameter or cookie. The mock's only check of credentials: it names nobody.
 */
export function presentCredential(request: FastifyRequest, s: SecurityScheme): string | undefined {
  const authorization = request.headers.authorization ?? '';
  if (s.type === 'http' && s.scheme?.toLowerCase() === 'basic') {
    const match = /^basic\s+(\S+)$/i.exec(authorization);
    return match?.[1] && Buffer.from(match[1], 'base64').toString('utf8').includes(':') ? 'mock' : undefined;
  }
  if (s.type === 'http' && s.scheme?.toLowerCase() === 'bearer')
    return /^bearer\s+\S+/i.test(authorization) ? 'mock' : undefined;
  if (s.type === 'apiKey' && s.name) {
    const value = apiKeyValue(request, s.in, s.name);
    return typeof value === 'string' && value !== '' ? 'mock' : undefined;
  }
  return undefined;
}

/** An API key where its scheme puts it: a header, a query parameter or a cookie. */
function apiKeyValue(request: FastifyRequest, where: SecurityScheme['in'], name: string): unknown {
  if (where === 'header') return request.headers[name.toLowerCase()];
  if (where === 'query') return (request.query as Record<string, unknown>)[name];
  return requestCookieValues(request)[name];
}

/**
 * The request's cookies, parsed when first read and kept on `request.cookies`: the pipeline registers @fastify/cookie
 * without its parsing hook (src/server/app.ts), since most requests read none. Its parser, with the pipeline's
 * options: values as sent, the first of a repeated name.
 */
export function requestCookieValues(request: FastifyRequest): Record<string, string | undefined> {
  if (!request.cookies) {
    const header = request.raw.headers.cookie;
    request.cookies = header ? request.server.parseCookie(header) : {};
  }
  return request.cookies;
}
