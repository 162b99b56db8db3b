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
  let refused: unknown;
  for (const requirement of requirements) {
    const accounts: string[] = [];
    for (const name of Object.keys(requirement)) {
      const account = mode === 'present' ? presentCredential(request, scheme(doc, name)) : undefined;
      if (mode === 'present') {
        if (account !== undefined) accounts.push(account);
        continue;
      }
      const handler = definition.security[name];
      if (!handler) throw new Error(`${definition.name}: no security handler for the scheme ${name}`);
      try {
        const verified = handler(request, { config, route, doc });
        if (verified !== undefined) accounts.push(verified);
      } catch (error) {
        refused ??= error;
      }
    }
    const [first] = accounts;
    if (first !== undefined && accounts.length === Object.keys(requirement).length) return first;
  }
  if (refused) throw refused;
  throw new VendorError(definition.errorKeys.unauthorized, [
    { message: `the request carries no credential of ${requirements.map((r) => Object.keys(r).join('+')).join(', ')}` },
  ]);
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
    const value =
      s.in === 'header'
        ? request.headers[s.name.toLowerCase()]
        : s.in === 'query'
          ? (request.query as Record<string, unknown>)[s.name]
          : request.cookies?.[s.name];
    return typeof value === 'string' && value !== '' ? 'mock' : undefined;
  }
  return undefined;
}
