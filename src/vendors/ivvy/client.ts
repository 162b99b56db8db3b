/**
 * How a partner's code signs an iVvy request, as the vendor's .NET SDK does (ivvy-sdk-net src/ApiClient.cs
 * CallAsync): every request gets `Content-MD5`, `Content-Type`, `IVVY-Date` (now) and `X-Api-Authorization`, no
 * `X-Api-Version` (the path's version is signed). Credentials: `apiKey` and `apiSecret`, the sandbox's by default.
 */

import { fromEnvironment } from '../../config.ts';
import type { ClientAuth } from '../../contract/client-auth.ts';
import { settings } from './settings.ts';
import { ivvyTimestamp, sign } from './signing.ts';

/** Partner `name` of the sandbox: its key with a `+name` suffix (`sandbox-key+acme`), the same secret. */
function partner(name: string, credentials: Record<string, string> = {}): Record<string, string> {
  return { ...credentials, apiKey: `${credentials.apiKey ?? fromEnvironment(settings.apiKey)}+${name}` };
}

export const ivvyClient: ClientAuth = {
  async authorize(request, target) {
    const contentType = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    return sign({
      method: request.method,
      path: request.path,
      body: request.body,
      contentType: contentType ?? 'application/json',
      ivvyDate: ivvyTimestamp(new Date()),
      key: target.credentials?.apiKey ?? fromEnvironment(settings.apiKey),
      secret: target.credentials?.apiSecret ?? fromEnvironment(settings.apiSecret),
    });
  },
  partner,
  /** A second partner: another key of the sandbox (`<key>+partner2`), same secret, its own data. */
  otherPartner: partner('partner2'),
};
