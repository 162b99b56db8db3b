import { afterEach, expect, vi } from 'vitest';
import { AUTHENTICATION_PATH, r7Client } from '../../../src/vendors/r7-office/client.ts';
import { useSandbox } from '../../support/fixtures.ts';
import type { RunningSandbox } from '../../support/sandbox.ts';
import { answer, readTask, taskPath } from './helpers.ts';

// The client signs in over HTTP: a real socket, one sandbox for the file.
const it = useSandbox();
const r7 = (sandbox: RunningSandbox) => sandbox.base['r7-office'] as string;
afterEach(() => vi.restoreAllMocks());

const request = (path = taskPath(1234)) => ({ method: 'GET', path, headers: {}, body: undefined });

it('signs in once per base URL and user, and sends the token raw in Authorization', async ({ sandbox }) => {
  const base = r7(sandbox);
  const fetchSpy = vi.spyOn(globalThis, 'fetch');
  const target = { baseUrl: base };
  const [first, second] = await Promise.all([
    r7Client.authorize(request(), target),
    r7Client.authorize(request(), target),
  ]);
  const third = await r7Client.authorize(request(), target);
  const signIns = fetchSpy.mock.calls.filter(([url]) => String(url).endsWith(AUTHENTICATION_PATH));
  expect(signIns).toHaveLength(1);
  expect(first).toEqual(second);
  expect(third).toEqual(first);
  expect(Object.keys(first)).toEqual(['authorization']);
  expect(first.authorization).not.toMatch(/^Bearer /);
  const res = await fetch(base + taskPath(1234), { headers: first });
  expect((await answer(res, 'getTask')).status).toBe(200);
});

it('otherPartner signs in as another user: another token, another tenant', async ({ sandbox }) => {
  const base = r7(sandbox);
  const mine = await r7Client.authorize(request(), { baseUrl: base });
  const theirs = await r7Client.authorize(request(), { baseUrl: base, credentials: r7Client.otherPartner });
  expect(r7Client.otherPartner).toEqual({ user: 'sandbox+partner2@example.com' });
  expect(theirs.authorization).not.toBe(mine.authorization);
  expect(await readTask(base, theirs.authorization as string)).toEqual(
    await readTask(base, mine.authorization as string),
  );
});

it('the sign-in call itself needs no token', async ({ sandbox }) => {
  const base = r7(sandbox);
  expect(await r7Client.authorize(request(AUTHENTICATION_PATH), { baseUrl: base })).toEqual({});
});

it('fails with the answer when the credentials are wrong, and does not cache the failure', async ({ sandbox }) => {
  const base = r7(sandbox);
  const target = { baseUrl: base, credentials: { user: 'sandbox+client@example.com', password: 'wrong' } };
  await expect(r7Client.authorize(request(), target)).rejects.toThrow(/500.*User authentication failed/);
  const good = await r7Client.authorize(request(), {
    baseUrl: base,
    credentials: { user: 'sandbox+client@example.com' },
  });
  expect(good.authorization).toMatch(/^sbx\./);
});
