/** What updateJob and listJobPlannings do beyond single rules: 404s, paging plannings, an embedded suggested user. */
import { describe, expect, it } from 'vitest';
import type { components } from '../../../src/generated/odyssee.ts';
import { jobBody, jobPath, useBehaviourSandbox } from './behaviour-setup.ts';
import { expectError, ids, send } from './helpers.ts';

const env = useBehaviourSandbox();

describe('updateJob and listJobPlannings', () => {
  it('answers 404 for a job that does not exist', async () => {
    const got = await send(env.base, 'updateJob', { path: `/api/Jobs(${ids.unknown})`, body: jobBody });
    await expectError(got, { status: 404, error: 'not-found', target: 'id' });
  });

  it('pages plannings by 20 with @odata.nextLink, in the order they start', async () => {
    const credentials = env.fresh();
    for (let day = 1; day <= 22; day++) {
      const start = `2026-03-${String(day).padStart(2, '0')}T08:00:00Z`;
      await send(env.base, 'updateJob', {
        path: jobPath,
        body: { ...jobBody, suggested_date_start: start },
        credentials,
      });
    }
    const page = await send(env.base, 'listJobPlannings', { path: `${jobPath}/job_planning`, credentials });
    expect(page.body['@odata.context']).toBe(`${env.base}/api/$metadata#job_planning`);
    const value = page.body.value as components['schemas']['JobPlanning'][];
    expect(value).toHaveLength(20);
    expect(value[0]).toMatchObject({
      date_start: '2026-03-01T08:00:00.0000000+00:00',
      date_end: '2026-03-01T08:30:00.0000000+00:00',
    });
    const next = String(page.body['@odata.nextLink']);
    expect(next).toBe(`${env.base}/api/Jobs(${ids.job})/job_planning?$skip=20`);
    const rest = await send(env.base, 'listJobPlannings', { path: next.slice(env.base.length), credentials });
    expect((rest.body.value as unknown[]).length).toBe(2);
    expect(rest.body).not.toHaveProperty('@odata.nextLink');
    const top = await send(env.base, 'listJobPlannings', {
      path: `${jobPath}/job_planning?$top=3&$skip=1`,
      credentials,
    });
    expect((top.body.value as { date_start: string }[]).map((p) => p.date_start.slice(0, 10))).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
    ]);
  });

  it('adds the planning for an embedded suggested user', async () => {
    const credentials = env.fresh();
    const user = { id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', code: 'U-NEW', firstname: 'Nora', lastname: 'Peeters' };
    const got = await send(env.base, 'updateJob', {
      path: jobPath,
      body: {
        ...jobBody,
        suggested_user_id: undefined,
        suggested_user: user,
        suggested_date_start: '2026-04-01T06:00:00Z',
      },
      credentials,
    });
    expect(got.body).toMatchObject({ suggested_user_id: user.id, suggested_user_code: null });
    expect(got.body).not.toHaveProperty('suggested_user');
    const list = await send(env.base, 'listJobPlannings', { path: `${jobPath}/job_planning`, credentials });
    expect(list.body.value).toEqual([expect.objectContaining({ user_id: user.id, jobs_id: ids.job })]);
  });
});
