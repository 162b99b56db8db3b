import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { VendorError } from '../../server/errors.ts';
import { credentials } from './settings.ts';

/**
 * HTTP Basic with the vendor's `username:password@domain` user string. The sandbox accepts the configured user,
 * or that user with a `+suffix` (`sandbox+acme`), with the configured password and domain; each distinct user name
 * is its own tenant, so two partners never see each other's data.
 */
export function authenticate(request: FastifyRequest, config: Readonly<Config>): string | undefined {
  const header = request.headers.authorization ?? '';
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  // No HTTP Basic credential at all: the pipeline answers 401 (no credential of the scheme).
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const at = decoded.lastIndexOf('@');
  if (colon < 0 || at < colon)
    throw new VendorError('unauthorized', [{ message: 'the credentials are not username:password@domain' }]);
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1, at);
  const domain = decoded.slice(at + 1);
  const account = credentials(config);
  const knownUser = user === account.user || user.startsWith(`${account.user}+`);
  if (!knownUser || password !== account.password || domain.toUpperCase() !== account.domain.toUpperCase()) {
    throw new VendorError('unauthorized', [{ message: 'the user name, password or domain is wrong' }]);
  }
  return user;
}
