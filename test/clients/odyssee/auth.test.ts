/**
 * Authentication as the vendor documents it and its public client builds it: HTTP Basic over
 * `username:password@domain` (client.ts odysseeAuthorization mirrors
 * https://v4developers.odysseemobile.com/Documentation/HelpGuide/Authentication and alexchukanov/OdysseeMobileTest
 * Connector/Util.cs OdysseeAuthenticator), against the sandbox and against the mock.
 */
import { describe, expect } from 'vitest';
import { useSandboxAndMock } from '../../support/fixtures.ts';
import { keys, odysseeAuthorization, send } from './client.ts';

// One sandbox and one mock for the file: each test that writes does so as a partner of its own.
const it = useSandboxAndMock();

const path = `/api/Task(${keys.task})`;

describe('HTTP Basic over username:password@domain', () => {
  it("encodes the vendor's own example as the vendor page prints it", () => {
    // HelpGuide/Authentication: "APIUser:123456@TESTAPI" → "Authorization: Basic QVBJVXNlcjoxMjM0NTZAVEVTVEFQSQ=="
    expect(odysseeAuthorization('APIUser', '123456', 'TESTAPI')).toBe('Basic QVBJVXNlcjoxMjM0NTZAVEVTVEFQSQ==');
  });

  it('the sandbox accepts its credentials in the documented form, the domain in any case', async ({ sandbox }) => {
    for (const domain of ['SANDBOX', 'sandbox']) {
      const res = await send(sandbox.base.odyssee as string, {
        path,
        authorization: odysseeAuthorization('sandbox', 'sandbox', domain),
      });
      expect(res.status, domain).toBe(200);
    }
  });

  it.for<[string, string | false]>([
    ['no Authorization header', false],
    ["the vendor's example credentials (not the sandbox's)", odysseeAuthorization('APIUser', '123456', 'TESTAPI')],
    ['the right user and password without the domain', `Basic ${Buffer.from('sandbox:sandbox').toString('base64')}`],
  ])('the sandbox answers 401 with WWW-Authenticate: Basic for %s', async ([_name, authorization], { sandbox }) => {
    const res = await send(sandbox.base.odyssee as string, { path, authorization });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('Unauthorized');
  });

  it('the mock takes well-formed Basic credentials and answers 401 without them', async ({ mock }) => {
    const ok = await send(mock.bases.odyssee as string, {
      path,
      authorization: odysseeAuthorization('APIUser', '123456', 'TESTAPI'),
    });
    expect(ok.status).toBe(200);
    const none = await send(mock.bases.odyssee as string, { path, authorization: false });
    expect(none.status).toBe(401);
  });
});
