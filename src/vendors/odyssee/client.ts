/**
 * How a partner's code authorises an Odyssee request: HTTP Basic over the vendor's `username:password@domain`
 * string. Credentials: `user`, `password`, `domain`, the sandbox's by default (src/config.ts settings, overridable by
 * their environment variables like the sandbox's own).
 */
import { fromEnvironment } from '../../config.ts';
import type { ClientAuth } from '../../contract/client-auth.ts';
import { settings } from './settings.ts';

/** The `Authorization` value for `user:password@domain`. */
export function basicAuthorization(user: string, password: string, domain: string): string {
  return `Basic ${Buffer.from(`${user}:${password}@${domain}`, 'utf8').toString('base64')}`;
}

/** Partner `name` of the sandbox: its user with a `+name` suffix (`sandbox+acme`), the same password and domain. */
function partner(name: string, credentials: Record<string, string> = {}): Record<string, string> {
  return { ...credentials, user: `${credentials.user ?? fromEnvironment(settings.user)}+${name}` };
}

export const odysseeClient: ClientAuth = {
  async authorize(_request, target) {
    const credentials = target.credentials ?? {};
    return {
      authorization: basicAuthorization(
        credentials.user ?? fromEnvironment(settings.user),
        credentials.password ?? fromEnvironment(settings.password),
        credentials.domain ?? fromEnvironment(settings.domain),
      ),
    };
  },
  partner,
  /** A second partner: the sandbox user with a `+partner2` suffix, same password and domain, its own data. */
  otherPartner: partner('partner2'),
};
