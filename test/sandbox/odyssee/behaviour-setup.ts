/**
 * What the behaviour tests (task-behaviour.test.ts, job-behaviour.test.ts) share: the sandbox of a file, a fresh
 * user for each test that writes, and valid task and job bodies.
 */
import { afterAll, beforeAll } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { ids } from './helpers.ts';

export interface BehaviourSandbox {
  sandbox: RunningSandbox;
  base: string;
  /** A new sandbox user's credentials: its own copy of the sandbox data. */
  fresh: () => { user: string };
}

/** The sandbox of a file's tests, started before and closed after them. */
export function useBehaviourSandbox(): BehaviourSandbox {
  let users = 0;
  const env = { fresh: () => ({ user: `sandbox+behaviour${++users}` }) } as BehaviourSandbox;
  beforeAll(async () => {
    env.sandbox = await startSandbox();
    env.base = env.sandbox.base.odyssee as string;
  });
  afterAll(() => env.sandbox.close());
  return env;
}

export const taskPath = `/api/Task(${ids.task})`;
export const jobPath = `/api/Jobs(${ids.job})`;
export const taskBody = {
  subject: 'Behaviour',
  task_type_id: '86819a15-5d35-412e-9ba1-be52c6ea1a85',
  task_priority_id: '879d5425-6219-473e-9a54-eab2199b1a96',
  company_id: '8505b8a2-cdb4-4cbb-bd2b-2f7661e901b2',
};
export const jobBody = {
  name: 'Behaviour',
  project_id: 'dfe6fb32-a2c5-424b-a4e1-4d32cfabfb37',
  job_type_id: 'e544b795-8447-46b1-9e2b-c2ff7167cc72',
  job_status_code: 'Suggested',
  suggested_user_id: '5c6b6acd-9f3c-44c6-a724-07998852074a',
  estimated_time: 30,
};
