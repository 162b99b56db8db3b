import { fromEnvironment } from '../../config.ts';
import type { ClientAuth, ClientTarget } from '../../contract/client-auth.ts';
import type { components } from '../../generated/r7-office.ts';
import { settings } from './settings.ts';

type AuthEnvelope = components['schemas']['AuthEnvelope'];

/** The sign-in path, relative to the target's base URL. */
export const AUTHENTICATION_PATH = '/api/2.0/authentication.json';

/** A token is fetched again this long before it expires. */
const RENEW_BEFORE_MS = 60_000;

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Tokens per base URL and user; a pending sign-in is shared, so concurrent requests sign in once. */
const cache = new Map<string, Promise<CachedToken>>();

async function signIn(target: ClientTarget, userName: string, password: string): Promise<CachedToken> {
  const res = await fetch(`${target.baseUrl}${AUTHENTICATION_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ userName, password }),
  });
  const text = await res.text();
  if (res.status !== 201)
    throw new Error(`R7-Office sign-in as ${userName} failed: ${res.status} ${text.slice(0, 300)}`);
  const { response } = JSON.parse(text) as AuthEnvelope;
  const expiresAt = Date.parse(response.expires);
  return { token: response.token, expiresAt: Number.isNaN(expiresAt) ? Number.POSITIVE_INFINITY : expiresAt };
}

/**
 * Partner `name` of the sandbox: a `+name` sub-address on its user (`sandbox+acme@example.com`; a user that already
 * has one gets `-name` on it, `sandbox+acme-name@example.com`: the sandbox takes one `+`), the same password.
 */
function partner(name: string, credentials: Record<string, string> = {}): Record<string, string> {
  const user = credentials.user ?? fromEnvironment(settings.user);
  const at = user.includes('@') ? user.lastIndexOf('@') : user.length;
  const local = user.slice(0, at);
  return { ...credentials, user: `${local}${local.includes('+') ? '-' : '+'}${name}${user.slice(at)}` };
}

/**
 * R7-Office's token: signs in at `<baseUrl>/api/2.0/authentication.json` with `credentials.user` /
 * `credentials.password` (default: R7_USER / R7_PASSWORD, i.e. the sandbox user), keeps the token per base URL and
 * user until shortly before it expires, and sends it raw as `Authorization: <token>`, the vendor's documented form.
 */
export const r7Client: ClientAuth = {
  async authorize(request, target): Promise<Record<string, string>> {
    if (request.path.split('?')[0] === AUTHENTICATION_PATH) return {};
    const user = target.credentials?.user ?? fromEnvironment(settings.user);
    const password = target.credentials?.password ?? fromEnvironment(settings.password);
    const key = `${target.baseUrl}\n${user}`;
    let pending = cache.get(key);
    const cached = pending && (await pending.catch(() => undefined));
    if (!cached || cached.expiresAt - RENEW_BEFORE_MS <= Date.now()) {
      const signingIn = signIn(target, user, password);
      pending = signingIn;
      cache.set(key, signingIn);
      signingIn.catch(() => cache.get(key) === signingIn && cache.delete(key));
    }
    return { authorization: (await (pending as Promise<CachedToken>)).token };
  },
  partner,
  /** A second partner: `sandbox+partner2@example.com`, same password, its own data. */
  otherPartner: partner('partner2'),
};
