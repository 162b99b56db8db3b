import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { SecurityHandler } from '../../server/vendor-module.ts';
import { requestCookies } from './binding/arguments.ts';
import { parseUrlEncoded } from './binding/url-encoding.ts';
import { requestFacts } from './request-facts.ts';
import { credentials } from './settings.ts';

/**
 * Tokens are stateless and signed, not stored: `sbx.<payload>.<signature>`, where the payload is the base64url
 * JSON `{"u": user, "e": expiry in epoch seconds}` and the signature its HMAC-SHA256 (base64url) under a key
 * derived from the configured user and password. So a token survives a restart (and works against any sandbox
 * with the same configuration), changing the password revokes every token, and `authenticate` needs no store. A
 * token names its user, and each user is a tenant.
 */

/** The cookie (and query or form field) the vendor reads the token from. */
export const COOKIE = 'asc_auth_key';

const PREFIX = 'sbx';

/** One key per (frozen) configuration, derived once: every authenticated request verifies a token with it. */
const signingKeys = new WeakMap<Readonly<Config>, Buffer>();

function signingKey(config: Readonly<Config>): Buffer {
  let key = signingKeys.get(config);
  if (!key) {
    const account = credentials(config);
    key = createHash('sha256').update(`r7-office sandbox token\0${account.user}\0${account.password}`).digest();
    signingKeys.set(config, key);
  }
  return key;
}

function sign(payload: string, config: Readonly<Config>): string {
  return createHmac('sha256', signingKey(config)).update(payload).digest('base64url');
}

/**
 * The portal user these credentials sign in, lower-cased, or undefined. Known users: the configured one
 * (`sandbox@example.com`) and that address with a `+suffix` in its local part (`sandbox+partner2@example.com`),
 * a second partner with its own data; all take the configured password. E-mail logins are case-insensitive.
 */
export function signIn(userName: string, password: string, config: Readonly<Config>): string | undefined {
  const user = userName.toLowerCase();
  if (!isKnownUser(user, config)) return undefined;
  const given = Buffer.from(password);
  const expected = Buffer.from(credentials(config).password);
  return given.length === expected.length && timingSafeEqual(given, expected) ? user : undefined;
}

function isKnownUser(user: string, config: Readonly<Config>): boolean {
  const configured = credentials(config).user.toLowerCase();
  if (user === configured) return true;
  const at = configured.lastIndexOf('@');
  const local = at < 0 ? configured : configured.slice(0, at);
  const domain = at < 0 ? '' : configured.slice(at);
  return (
    user.startsWith(`${local}+`) &&
    user.endsWith(domain) &&
    /^[a-z0-9._-]+$/.test(user.slice(local.length + 1, user.length - domain.length))
  );
}

export interface IssuedToken {
  token: string;
  expires: Date;
}

/** A token valid for a year, the vendor's default cookie lifetime (TenantCookieSettings.GetExpiresTime). */
export function issueToken(user: string, config: Readonly<Config>, now = Date.now()): IssuedToken {
  const expires = new Date(now);
  expires.setUTCFullYear(expires.getUTCFullYear() + 1);
  const payload = Buffer.from(JSON.stringify({ u: user, e: Math.floor(expires.getTime() / 1000) })).toString(
    'base64url',
  );
  return { token: `${PREFIX}.${payload}.${sign(payload, config)}`, expires };
}

/** What a token whose signature holds says: its user and expiry (epoch seconds), as signed. */
interface Claims {
  u: string;
  e: number;
}

/**
 * Tokens whose signature held, per configuration: a partner sends the same token with every request, and its HMAC
 * and JSON are the same every time. Bounded (the tokens are the sender's); expiry and user are checked every time.
 */
const verifiedTokens = new WeakMap<Readonly<Config>, Map<string, Claims>>();
const VERIFIED_TOKENS_KEPT = 1024;

/** The claims of a token signed under this configuration's key, or undefined. */
function signedClaims(token: string, config: Readonly<Config>): Claims | undefined {
  let verified = verifiedTokens.get(config);
  const known = verified?.get(token);
  if (known) return known;
  const [prefix, payload, signature, ...rest] = token.split('.');
  if (prefix !== PREFIX || !payload || !signature || rest.length > 0) return undefined;
  const given = Buffer.from(signature);
  const expected = Buffer.from(sign(payload, config));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const { u, e } = (claims ?? {}) as { u?: unknown; e?: unknown };
  if (typeof u !== 'string' || typeof e !== 'number') return undefined;
  if (!verified) {
    verified = new Map();
    verifiedTokens.set(config, verified);
  }
  if (verified.size >= VERIFIED_TOKENS_KEPT) verified.clear();
  const signed = { u, e };
  verified.set(token, signed);
  return signed;
}

/** The user a token was issued to, when its signature holds, it has not expired and the user is still known. */
export function verifyToken(token: string, config: Readonly<Config>, now = Date.now()): string | undefined {
  const claims = signedClaims(token, config);
  if (!claims || claims.e * 1000 <= now) return undefined;
  return isKnownUser(claims.u, config) ? claims.u : undefined;
}

/** The first value of a name in a query string or form, as NameValueCollection[name] gives it (values joined). */
function fieldOf(text: string, name: string): string | null {
  return parseUrlEncoded(text, new TextDecoder('utf-8')).get(name);
}

/**
 * AscCookieAuthorization's token (module/ASC.Api/ASC.Specific/ASCCookieAuthorization.cs, CookiesManager.
 * GetRequestVar): `asc_auth_key` from the query string, else the form, else the cookie, else the raw Authorization
 * header. Only this one candidate is tried.
 */
function cookieAuthorizerToken(request: FastifyRequest): string {
  const facts = requestFacts(request);
  let token = fieldOf(facts.query, COOKIE);
  if (token === null) {
    const type = (facts.contentType ?? '').toLowerCase();
    const body = request.body;
    if (type.startsWith('application/x-www-form-urlencoded') && Buffer.isBuffer(body)) {
      token = fieldOf(body.toString('utf8'), COOKIE);
    }
  }
  if (token === null || token === '') token = requestCookies(request).get(COOKIE) ?? '';
  if (token === '') token = request.headers.authorization ?? '';
  return token;
}

/** The Authorization header as the Basic and Bearer authorizers read it: trimmed, cut at the first comma. */
function authorizationHeader(request: FastifyRequest): string {
  let header = (request.headers.authorization ?? '').trim();
  if (header.includes(',')) header = header.slice(0, header.indexOf(',')).trim();
  return header;
}

/**
 * AscBasicAuthorization: `Basic <base64 user:password>` (the word case-sensitive), the user found by e-mail
 * (UserManager.GetUserByEmail; it never returns null, so the user-name and GUID look-ups that follow it in the
 * vendor's code never run), the text before the second colon the password.
 */
function basicUser(request: FastifyRequest, config: Readonly<Config>): string | undefined {
  const header = authorizationHeader(request);
  if (header === '' || !header.startsWith('Basic')) return undefined;
  const encoded = header.slice(6).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(encoded, 'base64')
    .toString('latin1')
    .replace(/[\u0080-\uffff]/g, '?');
  const parts = decoded.split(':');
  if (parts.length < 2) return undefined;
  return signIn(parts[0] as string, parts[1] as string, config);
}

/** AscBearerAuthorization: `Bearer` (case-sensitive) and the token from the eighth character on. */
function bearerUser(request: FastifyRequest, config: Readonly<Config>): string | undefined {
  const header = authorizationHeader(request);
  if (header === '' || !header.startsWith('Bearer') || header.length < 7) return undefined;
  return verifyToken(header.slice(7), config);
}

/**
 * The vendor's authorizers, one per security scheme of the spec (web.autofac.config registers asc_cookie, asc_basic,
 * asc_bearer, in that order, and the spec lists its schemes in the same order): each names the signed-in user, or
 * nobody. Without one, the pipeline answers 401 with the plain `Unauthorized` (and `WWW-Authenticate: Basic
 * Realm="<host>"` when an Authorization header was sent: renderError).
 *
 * AscCookieAuthorization reads one candidate token (the query's, the form's, the cookie's, else the raw
 * Authorization header): the schemes AuthQuery, AuthCookie and TokenHeader are that one authorizer.
 */
export const security: Readonly<Record<string, SecurityHandler>> = (() => {
  const cookie: SecurityHandler = (request, { config }) => {
    const token = cookieAuthorizerToken(request);
    return token === '' ? undefined : verifyToken(token, config);
  };
  return {
    AuthQuery: cookie,
    AuthCookie: cookie,
    TokenHeader: cookie,
    BasicAuth: (request, { config }) => basicUser(request, config),
    BearerToken: (request, { config }) => bearerUser(request, config),
  };
})();
