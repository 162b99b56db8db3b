/** Writes land in the SQLite file: they survive closing and reopening the sandbox; a reset restores the data. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../support/sandbox.ts';
import { ids, send } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'odyssee-sandbox-'));
const dataFile = join(dir, 'sandbox.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const taskPath = `/api/Task(${ids.task})`;
const jobPath = `/api/Jobs(${ids.job})`;
const taskBody = {
  subject: 'Survives a restart',
  task_type_code: 'VISIT',
  task_priority_code: 'HIGH',
  company_code: 'CONTOSO',
};
const jobBody = {
  name: 'Planned before the restart',
  project_reference_back_office: 'sample string 5',
  job_type_code: 'REPAIR',
  job_status_code: 'Suggested',
  suggested_user_id: 'abf642f9-e00d-42e5-9e35-4599721f85f9',
  suggested_date_start: '2025-11-03T08:00:00Z',
};

/** The entity without its OData context (which names the port, new on every start). */
const entity = ({ '@odata.context': _context, ...rest }: Record<string, unknown>) => rest;

describe('persistence', () => {
  it('a write survives closing and reopening the sandbox on the same file, and a reset restores the data', async () => {
    const first = await startSandbox({ dataFile });
    const original = await send(first.base.odyssee as string, 'getTask', { path: taskPath });
    const written = await send(first.base.odyssee as string, 'updateTask', { path: taskPath, body: taskBody });
    expect(written.status).toBe(200);
    await send(first.base.odyssee as string, 'updateJob', { path: jobPath, body: jobBody });
    const log = await send(first.base.odyssee as string, 'saveTaskActivityLog', {
      method: 'POST',
      path: '/api/TaskActivityLog/Save',
      body: { task_id: ids.task, subject: 'Logged before the restart' },
    });
    await first.close();

    const second = await startSandbox({ dataFile });
    try {
      const base = second.base.odyssee as string;
      const task = await send(base, 'getTask', { path: taskPath });
      expect(entity(task.body)).toEqual(entity(written.body));
      const plannings = await send(base, 'listJobPlannings', { path: `${jobPath}/job_planning` });
      expect(plannings.body.value).toHaveLength(1);
      expect(await second.store.get('odyssee:sandbox', 'odyssee.task_activity_log', String(log.body.id))).toMatchObject(
        {
          subject: 'Logged before the restart',
        },
      );
      // Another user still starts from the sandbox data.
      const other = await send(base, 'getTask', { path: taskPath, credentials: { user: 'sandbox+other' } });
      expect(entity(other.body)).toEqual(entity(original.body));

      const reset = await fetch(`${second.origin}/_sandbox/reset`, { method: 'POST' });
      expect(reset.status).toBe(200);
      expect(entity((await send(base, 'getTask', { path: taskPath })).body)).toEqual(entity(original.body));
      expect((await send(base, 'listJobPlannings', { path: `${jobPath}/job_planning` })).body.value).toEqual([]);
      expect(
        await second.store.get('odyssee:sandbox', 'odyssee.task_activity_log', String(log.body.id)),
      ).toBeUndefined();
    } finally {
      await second.close();
    }
  });
});
