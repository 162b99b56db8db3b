/**
 * The shape of the Odyssee rule cases (for every `x-rules` entry of every operation, by its id: a request the rule
 * accepts and, where the rule can refuse anything, one it rejects) and the tests they run: the status, the OData
 * error body, the rule id in `details[].code`, the named field. Each test runs as its own sandbox user
 * (`sandbox+<n>`), so each starts from the sandbox data. The cases are split by entity (task-rule-cases.ts,
 * job-rule-cases.ts); rules.test.ts checks they cover every rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { type Call, expectError, ids, send, vendorDateForm, type WantError } from './helpers.ts';

export type Body = Record<string, unknown>;
type Got = { status: number; body: Body };

interface Step {
  call: Call;
  /** Further assertions on the answer; `again` sends another request as the same user. */
  check?: (got: Got, again: (operation: string, c: Call) => Promise<Got>) => void | Promise<void>;
}

export interface RuleCase {
  operation: string;
  accept: Step;
  /** What the rule refuses; `null` with the reason when it refuses nothing (a server-set field). */
  reject: (Step & { want: WantError; messageNames?: string[]; targets?: string[] }) | { never: string };
}

export const task = (id: string = ids.task) => `/api/Task(${id})`;
export const job = (id: string = ids.job) => `/api/Jobs(${id})`;
export const save = '/api/TaskActivityLog/Save';

/** A valid task body naming its type, priority and company by id. */
export const taskBody: Body = {
  subject: 'Check the pressure gauge',
  task_type_id: '86819a15-5d35-412e-9ba1-be52c6ea1a85',
  task_priority_id: '879d5425-6219-473e-9a54-eab2199b1a96',
  company_id: '8505b8a2-cdb4-4cbb-bd2b-2f7661e901b2',
};
export const without = (body: Body, ...fields: string[]) =>
  Object.fromEntries(Object.entries(body).filter(([k]) => !fields.includes(k)));

/** A valid job body naming its project, type and status. */
export const jobBody: Body = {
  name: 'Replace the compressor belt',
  project_id: 'dfe6fb32-a2c5-424b-a4e1-4d32cfabfb37',
  job_type_id: 'e544b795-8447-46b1-9e2b-c2ff7167cc72',
  job_status_code: 'ToBePlanned',
};

const secondsAgo = (date: unknown) => (Date.now() - Date.parse(String(date))) / 1000;
export const isRecent = (date: unknown) => {
  expect(date).toMatch(vendorDateForm);
  expect(secondsAgo(date)).toBeLessThan(60);
  expect(secondsAgo(date)).toBeGreaterThan(-60);
};

/** The sandbox of a file's rule tests, started before and closed after them, and its count of users. */
interface RulesSandbox {
  sandbox: RunningSandbox;
  users: number;
}

export function useRulesSandbox(): RulesSandbox {
  const env = { users: 0 } as RulesSandbox;
  beforeAll(async () => {
    env.sandbox = await startSandbox();
  });
  afterAll(() => env.sandbox.close());
  return env;
}

/** A fresh sandbox user: its own copy of the sandbox data. */
function asNewUser(env: RulesSandbox) {
  const credentials = { user: `sandbox+rules${++env.users}` };
  return (operation: string, c: Call) => send(env.sandbox.base.odyssee as string, operation, { ...c, credentials });
}

/** The entity a request addresses, read back: what a refused write must leave as it was. */
async function readBack(as: ReturnType<typeof asNewUser>, path: string): Promise<Got | undefined> {
  if (/^\/api\/Task\(/.test(path)) return as('getTask', { path });
  if (/^\/api\/Jobs\([^)]*\)$/.test(path)) return as('getJob', { path });
  return undefined;
}

/** The accept and reject tests of `cases`, one describe block per rule id. */
export function describeRuleCases(cases: Record<string, RuleCase>, env: RulesSandbox): void {
  describe.each(Object.entries(cases))('%s', (_rule, c) => {
    it('accepts', async () => {
      const as = asNewUser(env);
      const got = await as(c.operation, c.accept.call);
      expect(got.status, JSON.stringify(got.body)).toBe(200);
      await c.accept.check?.(got, as);
    });

    const reject = c.reject;
    if ('never' in reject) return;
    it('rejects', async () => {
      const as = asNewUser(env);
      const before = await readBack(as, reject.call.path);
      const got = await as(c.operation, reject.call);
      await expectError(got, reject.want);
      const detail = (got.body as { error: { details: { code: string; message: string }[] } }).error.details.find(
        (d) => d.code === reject.want.rule,
      );
      for (const name of reject.messageNames ?? []) expect(detail?.message).toContain(name);
      if (reject.targets) {
        const details = (got.body as { error: { details: { code: string; target?: string }[] } }).error.details;
        expect(details.map((d) => [d.code, d.target])).toEqual(reject.targets.map((t) => [reject.want.rule, t]));
      }
      const after = await readBack(as, reject.call.path);
      if (before?.status === 200) expect(after?.body).toEqual(before.body);
    });
  });
}
