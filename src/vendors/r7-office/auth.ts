import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { VendorError } from '../../server/errors.ts';

/**
 * Tokens are stateless and signed, not stored: `sbx.<payload>.<signature>`, where the payload is the base64url
 * JSON `{"u": user, "e": expiry in epoch seconds}` and the signature its HMAC-SHA256 (base64url) under a key
 * derived from the configured user and password. So a token survives a restart (and works against any sandbox
 * with the same configuration), changing the password revokes every token, and `authenticate` needs no store (the
 * core calls it with the request and the configuration only). A token names its user, and each user is a tenant.
 */
export const TOKEN_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/** The cookie the portal's web client sends the token in. */
export const COOKIE = 'asc_auth_key';

const PREFIX = 'sbx';

/** One key per (frozen) configuration, derived once: every authenticated request verifies a token with it. */
const signingKeys = new WeakMap<Readonly<Config>, Buffer>();

function signingKey(config: Readonly<Config>): Buffer {
  let key = signingKeys.get(config);
  if (!key) {
    key = createHash('sha256').update(`r7-office sandbox token\0${config.r7User}\0${config.r7Password}`).digest();
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
  const user = userName.trim().toLowerCase();
  if (!isKnownUser(user, config)) return undefined;
  const given = Buffer.from(password);
  const expected = Buffer.from(config.r7Password);
  return given.length === expected.length && timingSafeEqual(given, expected) ? user : undefined;
}

function isKnownUser(user: string, config: Readonly<Config>): boolean {
  const configured = config.r7User.toLowerCase();
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

export function issueToken(user: string, config: Readonly<Config>, now = Date.now()): IssuedToken {
  const expires = new Date(now + TOKEN_LIFETIME_MS);
  const payload = Buffer.from(JSON.stringify({ u: user, e: Math.floor(expires.getTime() / 1000) })).toString(
    'base64url',
  );
  return { token: `${PREFIX}.${payload}.${sign(payload, config)}`, expires };
}

/** The user a token was issued to, when its signature holds, it has not expired and the user is still known. */
export function verifyToken(token: string, config: Readonly<Config>, now = Date.now()): string | undefined {
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
  if (typeof u !== 'string' || typeof e !== 'number' || e * 1000 <= now) return undefined;
  return isKnownUser(u, config) ? u : undefined;
}

/** The value of one cookie of a `Cookie` header (URL-decoded when it is encoded). */
function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

/**
 * The signed-in user of a secured call. The token may come as `Authorization: <token>` (the vendor's documented
 * form), `Authorization: Bearer <token>` or the `asc_auth_key` cookie; any one valid token suffices. Without one:
 * HTTP Basic credentials get the spec's `not-implemented` (501, the vendor accepts Basic but the sandbox does not
 * implement it), anything else `unauthorized` (401, plain-text `Unauthorized`).
 */
export function authenticate(request: FastifyRequest, config: Readonly<Config>): string {
  const header = (request.headers.authorization ?? '').trim();
  const basic = /^basic(\s|$)/i.test(header);
  const candidates = [
    basic ? undefined : header.replace(/^bearer\s+/i, '').trim(),
    cookie(request.headers.cookie, COOKIE),
  ];
  for (const token of candidates) {
    const user = token ? verifyToken(token, config) : undefined;
    if (user) return user;
  }
  if (basic) {
    throw new VendorError('not-implemented', [
      { target: 'Authorization', message: 'HTTP Basic credentials are not implemented by the sandbox; send the token' },
    ]);
  }
  throw new VendorError('unauthorized', [
    { message: header || candidates[1] ? 'the token is not valid' : 'the request carries no token' },
  ]);
}
