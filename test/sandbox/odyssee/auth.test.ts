/** HTTP Basic `user:password@domain`, and one tenant per user: partners never see each other's writes. */
import { describe, expect } from 'vitest';
import { basicAuthorization, odysseeClient } from '../../../src/vendors/odyssee/client.ts';
import { useSandbox } from '../../support/fixtures.ts';
import { expectError, ids, send } from './helpers.ts';

// One sandbox for the file: each test that writes does so as a partner the others do not read.
const it = useSandbox();

const path = `/api/Task(${ids.task})`;

describe('client', () => {
  it('authorises with Basic base64(user:password@domain), the sandbox credentials by default', async ({ sandbox }) => {
    const base = sandbox.base.odyssee as string;
    const headers = await odysseeClient.authorize(
      { method: 'GET', path, headers: {}, body: undefined },
      { baseUrl: base },
    );
    expect(headers).toEqual({ authorization: `Basic ${Buffer.from('sandbox:sandbox@SANDBOX').toString('base64')}` });
    expect(odysseeClient.otherPartner).toEqual({ user: 'sandbox+partner2' });
  });
});

describe('authentication', () => {
  it.for([
    ['the sandbox user', { user: 'sandbox' }],
    ['a +suffix user', { user: 'sandbox+acme' }],
    ['the domain in lower case', { domain: 'sandbox' }],
  ] as [string, Record<string, string>][])('accepts %s', async ([_name, credentials], { sandbox }) => {
    const base = sandbox.base.odyssee as string;
    const got = await send(base, 'getTask', { path, credentials });
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(ids.task);
  });

  it.for([
    ['no Authorization header', {}],
    ['a wrong password', { authorization: basicAuthorization('sandbox', 'wrong', 'SANDBOX') }],
    ['a wrong domain', { authorization: basicAuthorization('sandbox', 'sandbox', 'OTHER') }],
    ['an unknown user', { authorization: basicAuthorization('someone', 'sandbox', 'SANDBOX') }],
    [
      'a user that only starts like the sandbox user',
      { authorization: basicAuthorization('sandboxer', 'sandbox', 'SANDBOX') },
    ],
    ['no domain', { authorization: `Basic ${Buffer.from('sandbox:sandbox').toString('base64')}` }],
    ['another scheme', { authorization: 'Bearer sandbox' }],
  ] as [string, Record<string, string>][])(
    'refuses %s with 401 and a Basic challenge',
    async ([_name, headers], { sandbox }) => {
      const base = sandbox.base.odyssee as string;
      const got = await send(base, 'getTask', { path, credentials: false, headers });
      await expectError(got, { status: 401, error: 'unauthorized' });
      expect(got.headers.get('www-authenticate')).toMatch(/^Basic /);
    },
  );

  it('checks credentials before the body: a refused write stores nothing', async ({ sandbox }) => {
    const base = sandbox.base.odyssee as string;
    const got = await send(base, 'updateTask', {
      path,
      body: { subject: 'Not allowed' },
      credentials: { password: 'wrong' },
    });
    await expectError(got, { status: 401, error: 'unauthorized' });
    expect((await send(base, 'getTask', { path })).body.subject).not.toBe('Not allowed');
  });
});

describe('tenants', () => {
  const body = {
    subject: '',
    task_type_id: '86819a15-5d35-412e-9ba1-be52c6ea1a85',
    task_priority_id: '879d5425-6219-473e-9a54-eab2199b1a96',
    company_id: '8505b8a2-cdb4-4cbb-bd2b-2f7661e901b2',
  };
  const partner = odysseeClient.otherPartner;

  it('two users start from the same data and never see each other’s writes', async ({ sandbox }) => {
    const base = sandbox.base.odyssee as string;
    const first = await send(base, 'getTask', { path });
    const second = await send(base, 'getTask', { path, credentials: partner });
    expect(second.body).toEqual(first.body);

    await send(base, 'updateTask', { path, body: { ...body, subject: 'Written by sandbox' } });
    await send(base, 'updateTask', { path, body: { ...body, subject: 'Written by partner2' }, credentials: partner });
    expect((await send(base, 'getTask', { path })).body.subject).toBe('Written by sandbox');
    expect((await send(base, 'getTask', { path, credentials: partner })).body.subject).toBe('Written by partner2');

    const log = await send(base, 'saveTaskActivityLog', {
      method: 'POST',
      path: '/api/TaskActivityLog/Save',
      body: { task_id: ids.task, subject: 'Only mine' },
      credentials: partner,
    });
    expect(
      await sandbox.store.get('odyssee:sandbox+partner2', 'odyssee.task_activity_log', String(log.body.id)),
    ).toBeDefined();
    expect(
      await sandbox.store.get('odyssee:sandbox', 'odyssee.task_activity_log', String(log.body.id)),
    ).toBeUndefined();
  });

  it('a job planning added by one user is not listed for another', async ({ sandbox }) => {
    const base = sandbox.base.odyssee as string;
    const jobPath = `/api/Jobs(${ids.job})`;
    await send(base, 'updateJob', {
      path: jobPath,
      credentials: partner,
      body: {
        name: 'Suggested for partner2',
        project_id: 'dfe6fb32-a2c5-424b-a4e1-4d32cfabfb37',
        job_type_code: 'REPAIR',
        job_status_code: 'Suggested',
        suggested_user_id: '5c6b6acd-9f3c-44c6-a724-07998852074a',
        suggested_date_start: '2025-12-01T08:00:00Z',
      },
    });
    const theirs = await send(base, 'listJobPlannings', { path: `${jobPath}/job_planning`, credentials: partner });
    const mine = await send(base, 'listJobPlannings', { path: `${jobPath}/job_planning` });
    expect(theirs.body.value).toHaveLength(1);
    expect(mine.body.value).toEqual([]);
  });
});
