/**
 * Authentication as the vendor documents it and its public client builds it: HTTP Basic over
 * `username:password@domain` (client.ts odysseeAuthorization mirrors
 * https://v4developers.odysseemobile.com/Documentation/HelpGuide/Authentication and alexchukanov/OdysseeMobileTest
 * Connector/Util.cs OdysseeAuthenticator), against the sandbox and against the mock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMock } from '../../../src/mock/index.ts';
import { startTestMock } from '../../support/mock-client.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { keys, odysseeAuthorization, send } from './client.ts';

let sandbox: RunningSandbox;
let mock: RunningMock;
beforeAll(async () => {
  [sandbox, mock] = await Promise.all([startSandbox(), startTestMock()]);
});
afterAll(async () => {
  await Promise.all([sandbox?.close(), mock?.close()]);
});

const path = `/api/Task(${keys.task})`;

describe('HTTP Basic over username:password@domain', () => {
  it("encodes the vendor's own example as the vendor page prints it", () => {
    // HelpGuide/Authentication: "APIUser:123456@TESTAPI" → "Authorization: Basic QVBJVXNlcjoxMjM0NTZAVEVTVEFQSQ=="
    expect(odysseeAuthorization('APIUser', '123456', 'TESTAPI')).toBe('Basic QVBJVXNlcjoxMjM0NTZAVEVTVEFQSQ==');
  });

  it('the sandbox accepts its credentials in the documented form, the domain in any case', async () => {
    for (const domain of ['SANDBOX', 'sandbox']) {
      const res = await send(sandbox.base.odyssee as string, {
        path,
        authorization: odysseeAuthorization('sandbox', 'sandbox', domain),
      });
      expect(res.status, domain).toBe(200);
    }
  });

  it.each([
    ['no Authorization header', false as const],
    ["the vendor's example credentials (not the sandbox's)", odysseeAuthorization('APIUser', '123456', 'TESTAPI')],
    ['the right user and password without the domain', `Basic ${Buffer.from('sandbox:sandbox').toString('base64')}`],
  ])('the sandbox answers 401 with WWW-Authenticate: Basic for %s', async (_name, authorization) => {
    const res = await send(sandbox.base.odyssee as string, { path, authorization });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('Unauthorized');
  });

  it('the mock takes well-formed Basic credentials and answers 401 without them', async () => {
    const ok = await send(mock.bases.odyssee as string, {
      path,
      authorization: odysseeAuthorization('APIUser', '123456', 'TESTAPI'),
    });
    expect(ok.status).toBe(200);
    const none = await send(mock.bases.odyssee as string, { path, authorization: false });
    expect(none.status).toBe(401);
  });
});
