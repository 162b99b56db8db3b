/**
 * Every `x-rules` entry of every Odyssee operation, by its id: a request the rule accepts and, where the rule can
 * refuse anything, one it rejects (status, OData error body, the rule id in `details[].code`, the named field).
 * Each test runs as its own sandbox user (`sandbox+<n>`), so each starts from the sandbox data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRules, loadSpec } from '../../../src/spec/index.ts';
import { EMPTY_GUID } from '../../../src/vendors/odyssee/model.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { type Call, expectError, ids, send, vendorDateForm, type WantError } from './helpers.ts';

type Body = Record<string, unknown>;
type Got = { status: number; body: Body };

interface Step {
  call: Call;
  /** Further assertions on the answer; `again` sends another request as the same user. */
  check?: (got: Got, again: (operation: string, c: Call) => Promise<Got>) => void | Promise<void>;
}

interface RuleCase {
  operation: string;
  accept: Step;
  /** What the rule refuses; `null` with the reason when it refuses nothing (a server-set field). */
  reject: (Step & { want: WantError; messageNames?: string[]; targets?: string[] }) | { never: string };
}

const task = (id: string = ids.task) => `/api/Task(${id})`;
const job = (id: string = ids.job) => `/api/Jobs(${id})`;
const save = '/api/TaskActivityLog/Save';

/** A valid task body naming its type, priority and company by id. */
const taskBody: Body = {
  subject: 'Check the pressure gauge',
  task_type_id: '86819a15-5d35-412e-9ba1-be52c6ea1a85',
  task_priority_id: '879d5425-6219-473e-9a54-eab2199b1a96',
  company_id: '8505b8a2-cdb4-4cbb-bd2b-2f7661e901b2',
};
const without = (body: Body, ...fields: string[]) =>
  Object.fromEntries(Object.entries(body).filter(([k]) => !fields.includes(k)));

/** A valid job body naming its project, type and status. */
const jobBody: Body = {
  name: 'Replace the compressor belt',
  project_id: 'dfe6fb32-a2c5-424b-a4e1-4d32cfabfb37',
  job_type_id: 'e544b795-8447-46b1-9e2b-c2ff7167cc72',
  job_status_code: 'ToBePlanned',
};

/** Project P-G12, a mobile installation (`is_mobile_installation: true`). */
const mobileProject = '7b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

const secondsAgo = (date: unknown) => (Date.now() - Date.parse(String(date))) / 1000;
const isRecent = (date: unknown) => {
  expect(date).toMatch(vendorDateForm);
  expect(secondsAgo(date)).toBeLessThan(60);
  expect(secondsAgo(date)).toBeGreaterThan(-60);
};

const cases: Record<string, RuleCase> = {
  'odyssee.task.task-type-group': {
    operation: 'updateTask',
    accept: {
      call: { path: task(), body: { ...without(taskBody, 'task_type_id'), task_type_code: 'VISIT' } },
      check: ({ body }) => expect(body.task_type_id).toBe('3f0b2c1e-7a4d-4e58-9b6c-1d2e3f4a5b6c'),
    },
    reject: {
      call: { path: task(), body: without(taskBody, 'task_type_id') },
      want: { status: 400, error: 'validation-failed', rule: 'odyssee.task.task-type-group' },
      messageNames: ['task_type_id', 'task_type_code', 'task_type'],
    },
  },
  'odyssee.task.task-priority-group': {
    operation: 'updateTask',
    accept: {
      call: { path: task(), body: { ...without(taskBody, 'task_priority_id'), task_priority: { code: 'HIGH' } } },
      check: ({ body }) => expect(body.task_priority_id).toBe('4c5d6e7f-8091-4a2b-b3c4-d5e6f7081920'),
    },
    reject: {
      call: { path: task(), body: without(taskBody, 'task_priority_id') },
      want: { status: 400, error: 'validation-failed', rule: 'odyssee.task.task-priority-group' },
      messageNames: ['task_priority_id', 'task_priority_code', 'task_priority'],
    },
  },
  'odyssee.task.company-group': {
    operation: 'updateTask',
    accept: {
      call: { path: task(), body: { ...without(taskBody, 'company_id'), company_code: 'CONTOSO' } },
      check: ({ body }) => expect(body.company_id).toBe('1872de50-495d-4b3a-9663-6de3015d72e0'),
    },
    reject: {
      call: { path: task(), body: without(taskBody, 'company_id') },
      want: { status: 400, error: 'validation-failed', rule: 'odyssee.task.company-group' },
      messageNames: ['company_id', 'company_code', 'company'],
    },
  },
  'odyssee.task.subject-required': {
    operation: 'updateTask',
    accept: {
      call: { path: task(), body: taskBody },
      check: ({ body }) => expect(body.subject).toBe(taskBody.subject),
    },
    reject: {
      call: { path: task(), body: without(taskBody, 'subject') },
      want: { status: 400, error: 'validation-failed', rule: 'odyssee.task.subject-required', target: 'subject' },
    },
  },
  'odyssee.task.max-length': {
    operation: 'updateTask',
    accept: {
      call: { path: task(), body: { ...taskBody, subject: 's'.repeat(150), customer_reference: 'c'.repeat(50) } },
      check: ({ body }) => expect(body.subject).toHaveLength(150),
    },
    reject: {
      call: { path: task(), body: { ...taskBody, customer_reference: 'c'.repeat(51) } },
      want: { status: 400, error: 'validation-failed', rule: 'odyssee.task.max-length', target: 'customer_reference' },
    },
  },
  'odyssee.task.key-matches-path': {
    operation: 'updateTask',
    accept: {
      call: { path: task(), body: { ...taskBody, id: ids.task.toUpperCase() } },
      check: ({ body }) => expect(body.id).toBe(ids.task),
    },
    reject: {
      call: { path: task(), body: { ...taskBody, id: ids.logTask } },
      want: { status: 400, error: 'key-mismatch', rule: 'odyssee.task.key-matches-path', target: 'id' },
    },
  },
  'odyssee.task.foreign-keys-exist': {
    operation: 'updateTask',
    accept: {
      call: {
        path: task(),
        body: {
          ...taskBody,
          contact_code: 'C-DB7B',
          assigned_to_user_group_id: '90fc2806-4a12-41cf-a5d0-40e8034898ea',
          to_db_table_name: 'jobs',
          to_id_in_table: ids.job,
        },
      },
      check: ({ body }) => {
        expect(body.contact_id).toBe('db7ba171-ccd4-419e-abe0-dbfdb189a86e');
        expect(body.to_db_table_id).toBe('9fa0b1c2-d3e4-45f6-a708-192a3b4c5d6e');
      },
    },
    reject: {
      call: {
        path: task(),
        body: {
          ...taskBody,
          task_type_id: ids.unknown,
          requested_by_company_code: 'NOPE',
          to_id_in_table: ids.unknown,
        },
      },
      want: {
        status: 422,
        error: 'foreign-key-not-found',
        rule: 'odyssee.task.foreign-keys-exist',
        target: 'task_type_id',
      },
      targets: ['task_type_id', 'requested_by_company_code', 'to_id_in_table'],
    },
  },
  'odyssee.task.default-status': {
    operation: 'updateTask',
    accept: {
      // The stored task is In progress; a PUT naming no status gets the default one (Open).
      call: { path: task(ids.logTask), body: taskBody },
      check: async ({ body }, again) => {
        expect(body.task_status_id).toBe('6a1d3e2f-4b5c-4d6e-8f70-8192a3b4c5d6');
        const named = await again('updateTask', {
          path: task(ids.logTask),
          body: { ...taskBody, task_status_reference_back_office: 'INPROGRESS' },
        });
        expect(named.body.task_status_id).toBe('7b2e4f30-5c6d-4e7f-9a81-92a3b4c5d6e7');
      },
    },
    reject: { never: 'the default status fills a status left out; nothing is refused' },
  },
  'odyssee.task.date-create-default': {
    operation: 'updateTask',
    accept: {
      call: { path: task(ids.importedTask), body: taskBody },
      check: async ({ body }, again) => {
        isRecent(body.date_create);
        const kept = await again('updateTask', {
          path: task(ids.importedTask),
          body: { ...taskBody, subject: 'Again' },
        });
        expect(kept.body.date_create).toBe(body.date_create);
        const given = await again('updateTask', {
          path: task(ids.importedTask),
          body: { ...taskBody, date_create: '2025-02-03T04:05:06.123+02:00' },
        });
        expect(given.body.date_create).toBe('2025-02-03T02:05:06.1230000+00:00');
      },
    },
    reject: {
      call: { path: task(), body: { ...taskBody, date_create: '03/02/2025' } },
      want: {
        status: 400,
        error: 'validation-failed',
        rule: 'odyssee.task.date-create-default',
        target: 'date_create',
      },
    },
  },
  'odyssee.task.date-assigned': {
    operation: 'updateTask',
    accept: {
      call: {
        path: task(),
        body: {
          ...taskBody,
          assigned_to_user_id: 'abf642f9-e00d-42e5-9e35-4599721f85f9',
          date_assigned: '2001-01-01T00:00:00+00:00',
        },
      },
      check: async ({ body }, again) => {
        isRecent(body.date_assigned);
        const same = await again('updateTask', {
          path: task(),
          body: { ...taskBody, assigned_to_user_id: 'abf642f9-e00d-42e5-9e35-4599721f85f9' },
        });
        expect(same.body.date_assigned).toBe(body.date_assigned);
      },
    },
    reject: { never: 'date_assigned is server-set: whatever the request sends is overwritten, nothing is refused' },
  },
  'odyssee.task.archived-follows-status': {
    operation: 'updateTask',
    accept: {
      call: {
        path: task(),
        body: { ...taskBody, task_status_reference_back_office: 'sample string 5', archived: false },
      },
      check: async ({ body }, again) => {
        expect(body.archived).toBe(true);
        isRecent(body.date_closed);
        const reopened = await again('updateTask', {
          path: task(),
          body: { ...taskBody, task_status_id: '6a1d3e2f-4b5c-4d6e-8f70-8192a3b4c5d6', archived: true },
        });
        expect(reopened.body.archived).toBe(false);
        expect(reopened.body.date_closed).toBe('1980-01-01T00:00:00.0000000+00:00');
      },
    },
    reject: { never: 'archived and date_closed are server-set from the task status; nothing is refused' },
  },
  'odyssee.task.modified-dateutc': {
    operation: 'updateTask',
    accept: {
      call: { path: task(), body: { ...taskBody, modified_dateutc: '2001-01-01T00:00:00.0000000+00:00' } },
      check: ({ body }) => isRecent(body.modified_dateutc),
    },
    reject: { never: 'modified_dateutc is server-set: a value sent is accepted and overwritten' },
  },
  'odyssee.task.exists': {
    operation: 'getTask',
    accept: { call: { path: task() }, check: ({ body }) => expect(body.id).toBe(ids.task) },
    reject: {
      call: { path: task(ids.unknown) },
      want: { status: 404, error: 'not-found', rule: 'odyssee.task.exists', target: 'id' },
    },
  },
  'odyssee.job.project-group': {
    operation: 'updateJob',
    accept: {
      call: { path: job(), body: { ...without(jobBody, 'project_id'), project_reference_back_office: 'P-517E' } },
      check: ({ body }) => expect(body.project_id).toBe('517e0af5-2b3d-42b5-9ad5-d045e0ebbefb'),
    },
    reject: {
      call: { path: job(), body: without(jobBody, 'project_id') },
      want: { status: 400, error: 'validation-failed', rule: 'odyssee.job.project-group' },
      messageNames: ['project_id', 'project_reference_back_office', 'project'],
    },
  },
  'odyssee.job.job-type-group': {
    operation: 'updateJob',
    accept: {
      call: { path: job(), body: { ...without(jobBody, 'job_type_id'), job_type_code: 'REPAIR' } },
      check: ({ body }) => expect(body.job_type_id).toBe('c1d2e3f4-a5b6-47c8-89d0-e1f2a3b4c5d6'),
    },
    reject: {
      call: { path: job(), body: without(jobBody, 'job_type_id') },
      want: { status: 400, error: 'validation-failed', rule: 'odyssee.job.job-type-group' },
      messageNames: ['job_type_id', 'job_type_code', 'job_type'],
    },
  },
  'odyssee.job.job-status-group': {
    operation: 'updateJob',
    accept: {
      call: {
        path: job(),
        body: { ...without(jobBody, 'job_status_code'), job_status_id: 'ba23a900-2aff-4c48-8622-2fdd5a8552a1' },
      },
      check: ({ body }) => {
        expect(body.job_status_id).toBe('ba23a900-2aff-4c48-8622-2fdd5a8552a1');
        expect(body.job_status_code).toBeNull();
      },
    },
    reject: {
      call: { path: job(), body: without(jobBody, 'job_status_code') },
      want: { status: 400, error: 'validation-failed', rule: 'odyssee.job.job-status-group' },
      messageNames: ['job_status_id', 'job_status_code'],
    },
  },
  'odyssee.job.job-status-code': {
    operation: 'updateJob',
    accept: {
      call: { path: job(), body: { ...jobBody, job_status_code: 'Waiting' } },
      check: ({ body }) => expect(body.job_status_id).toBe('1a2b3c4d-0003-4e5f-8a9b-0c1d2e3f4a03'),
    },
    reject: {
      call: { path: job(), body: { ...jobBody, job_status_code: 'Closed' } },
      want: { status: 400, error: 'validation-failed', rule: 'odyssee.job.job-status-code', target: 'job_status_code' },
      messageNames: ['Canceled', 'ToBePlanned', 'Waiting', 'Pooling', 'Suggested', 'Activated', 'Open'],
    },
  },
  'odyssee.job.name-required': {
    operation: 'updateJob',
    accept: { call: { path: job(), body: jobBody }, check: ({ body }) => expect(body.name).toBe(jobBody.name) },
    reject: {
      call: { path: job(), body: without(jobBody, 'name') },
      want: { status: 400, error: 'validation-failed', rule: 'odyssee.job.name-required', target: 'name' },
    },
  },
  'odyssee.job.max-length': {
    operation: 'updateJob',
    accept: {
      call: {
        path: job(),
        body: { ...jobBody, name: 'n'.repeat(255), db_address_email: `${'e'.repeat(238)}@example.com` },
      },
      check: ({ body }) => expect(body.name).toHaveLength(255),
    },
    reject: {
      call: { path: job(), body: { ...jobBody, db_address_street2: 's'.repeat(51) } },
      want: { status: 400, error: 'validation-failed', rule: 'odyssee.job.max-length', target: 'db_address_street2' },
    },
  },
  'odyssee.job.key-matches-path': {
    operation: 'updateJob',
    accept: {
      call: { path: job(), body: { ...jobBody, id: ids.job } },
      check: ({ body }) => expect(body.id).toBe(ids.job),
    },
    reject: {
      call: { path: job(), body: { ...jobBody, id: ids.mobileJob } },
      want: { status: 400, error: 'key-mismatch', rule: 'odyssee.job.key-matches-path', target: 'id' },
    },
  },
  'odyssee.job.foreign-keys-exist': {
    operation: 'updateJob',
    accept: {
      call: {
        path: job(),
        body: {
          ...jobBody,
          requested_by_contact_id: '523d8100-3ea0-4593-ae45-6c3d6b90b6a7',
          approval_responsible_user_id: '0a7000cd-9314-4e5b-b7d8-3c218008b80c',
          db_address_db_country_code: 'NL',
          skill: { code: 'ELEC', name: 'Electrical safety' },
        },
      },
      check: ({ body }) => {
        expect(body.db_address_db_country_id).toBe('f3a4b5c6-d7e8-49f0-a1b2-c3d4e5f6a7b8');
        expect(body.skill_id).toMatch(/^[0-9a-f-]{36}$/);
        expect(body.skill_code).toBeNull();
        expect(body).not.toHaveProperty('skill');
      },
    },
    reject: {
      call: { path: job(), body: { ...jobBody, skill_id: ids.unknown, db_address_db_country_code: 'XX' } },
      want: { status: 422, error: 'foreign-key-not-found', rule: 'odyssee.job.foreign-keys-exist', target: 'skill_id' },
      targets: ['skill_id', 'db_address_db_country_code'],
    },
  },
  'odyssee.job.company-from-project': {
    operation: 'updateJob',
    accept: {
      // Project P-517E belongs to Acme Facilities; the body names no company.
      call: { path: job(), body: { ...without(jobBody, 'project_id'), project_reference_back_office: 'P-517E' } },
      check: async ({ body }, again) => {
        expect(body.company_id).toBe('8505b8a2-cdb4-4cbb-bd2b-2f7661e901b2');
        // A company the body names is kept.
        const named = await again('updateJob', { path: job(), body: { ...jobBody, company_code: 'CONTOSO' } });
        expect(named.body.company_id).toBe('1872de50-495d-4b3a-9663-6de3015d72e0');
      },
    },
    reject: { never: 'the project fills a company left out; nothing is refused' },
  },
  'odyssee.job.mobile-address': {
    operation: 'updateJob',
    accept: {
      // Project P-G12 is a mobile installation: the job carries its own address.
      call: {
        path: job(ids.mobileJob),
        body: {
          ...jobBody,
          project_id: mobileProject,
          db_address_street: 'Havenlaan',
          db_address_city: 'Mechelen',
          db_address_zip: '2800',
        },
      },
      check: async ({ body }, again) => {
        expect(body).toMatchObject({ db_address_id: EMPTY_GUID, db_address_city: 'Mechelen', db_address_zip: '2800' });
        // A job on an installation that is not mobile needs no address of its own, even without db_address_id.
        const fixed = await again('updateJob', { path: job(), body: { ...jobBody, db_address_id: undefined } });
        expect(fixed.status).toBe(200);
        expect(fixed.body).toMatchObject({ db_address_id: EMPTY_GUID, db_address_street: '' });
        // An embedded project that says it is mobile needs the address, db_address_id or not.
        const embeddedMobile = await again('updateJob', {
          path: job(),
          body: {
            ...without(jobBody, 'project_id'),
            project: { reference_back_office: 'P-VAN7', name: 'Service van 7', is_mobile_installation: true },
            db_address_id: '57916a2a-01ec-4697-b681-f223eb780dcc',
          },
        });
        expect(embeddedMobile.status).toBe(400);
        // An embedded project that does not say: the page's own reading, no db_address_id means mobile.
        const unsaid = { ...without(jobBody, 'project_id'), project: { reference_back_office: 'P-VAN8' } };
        expect((await again('updateJob', { path: job(), body: unsaid })).status).toBe(400);
        const located = await again('updateJob', {
          path: job(),
          body: { ...unsaid, db_address_id: '57916a2a-01ec-4697-b681-f223eb780dcc' },
        });
        expect(located.status).toBe(200);
      },
    },
    reject: {
      // A mobile installation needs the address even when the body names a db_address_id.
      call: {
        path: job(ids.mobileJob),
        body: {
          ...jobBody,
          project_id: mobileProject,
          db_address_id: '57916a2a-01ec-4697-b681-f223eb780dcc',
          db_address_street: ' ',
          db_address_city: 'Mechelen',
          db_address_zip: '',
        },
      },
      want: { status: 400, error: 'validation-failed', rule: 'odyssee.job.mobile-address', target: 'db_address_zip' },
      targets: ['db_address_street', 'db_address_zip'],
    },
  },
  'odyssee.job.suggested-adds-planning': {
    operation: 'updateJob',
    accept: {
      call: {
        path: job(),
        body: {
          ...jobBody,
          job_status_code: 'Suggested',
          suggested_user_code: 'U-ABF6',
          suggested_date_start: '2025-10-20T09:30:00+02:00',
          estimated_time: 90,
        },
      },
      check: async ({ body }, again) => {
        expect(body.suggested_user_id).toBe('abf642f9-e00d-42e5-9e35-4599721f85f9');
        const list = await again('listJobPlannings', { path: `${job()}/job_planning` });
        expect(list.body.value).toEqual([
          expect.objectContaining({
            jobs_id: ids.job,
            user_id: 'abf642f9-e00d-42e5-9e35-4599721f85f9',
            date_start: '2025-10-20T07:30:00.0000000+00:00',
            date_end: '2025-10-20T09:00:00.0000000+00:00',
          }),
        ]);
        // Saving the same suggestion again adds no second planning; another status adds none.
        await again('updateJob', { path: job(), body: { ...jobBody, job_status_code: 'Suggested' } });
        await again('updateJob', {
          path: job(),
          body: { ...jobBody, job_status_code: 'Open', suggested_date_start: '2025-11-01T08:00:00Z' },
        });
        expect((await again('listJobPlannings', { path: `${job()}/job_planning` })).body.value).toHaveLength(1);
      },
    },
    reject: {
      call: { path: job(), body: { ...jobBody, job_status_code: 'Suggested', suggested_date_start: 'next Monday' } },
      want: {
        status: 400,
        error: 'validation-failed',
        rule: 'odyssee.job.suggested-adds-planning',
        target: 'suggested_date_start',
      },
    },
  },
  'odyssee.job.exists': {
    operation: 'getJob',
    accept: { call: { path: job() }, check: ({ body }) => expect(body.id).toBe(ids.job) },
    reject: {
      call: { path: job(ids.unknown) },
      want: { status: 404, error: 'not-found', rule: 'odyssee.job.exists', target: 'id' },
    },
  },
  'odyssee.job-planning.job-exists': {
    operation: 'listJobPlannings',
    accept: { call: { path: `${job()}/job_planning` }, check: ({ body }) => expect(body.value).toEqual([]) },
    reject: {
      call: { path: `${job(ids.unknown)}/job_planning` },
      want: { status: 404, error: 'not-found', rule: 'odyssee.job-planning.job-exists', target: 'id' },
    },
  },
  'odyssee.task-activity-log.save-adds-or-updates': {
    operation: 'saveTaskActivityLog',
    accept: {
      call: { method: 'POST', path: save, body: { task_id: ids.logTask, subject: 'Left a voicemail' } },
      check: async ({ body }, again) => {
        expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        const updated = await again('saveTaskActivityLog', {
          method: 'POST',
          path: save,
          body: { id: body.id, is_closed: true },
        });
        expect(updated.body).toMatchObject({
          id: body.id,
          task_id: ids.logTask,
          subject: 'Left a voicemail',
          is_closed: true,
        });
        const seeded = await again('saveTaskActivityLog', {
          method: 'POST',
          path: save,
          body: { id: ids.log, subject: 'Called twice' },
        });
        expect(seeded.body).toMatchObject({ id: ids.log, subject: 'Called twice', reference_back_office: 'TAL-881' });
      },
    },
    reject: {
      call: { method: 'POST', path: save, body: { id: 'not-a-guid', task_id: ids.logTask } },
      want: {
        status: 400,
        error: 'validation-failed',
        rule: 'odyssee.task-activity-log.save-adds-or-updates',
        target: 'id',
      },
    },
  },
  'odyssee.task-activity-log.task-exists': {
    operation: 'saveTaskActivityLog',
    accept: {
      call: { method: 'POST', path: save, body: { task_id: ids.task.toUpperCase(), subject: 'On my way' } },
      check: ({ body }) => expect(body.task_id).toBe(ids.task),
    },
    reject: {
      call: { method: 'POST', path: save, body: { task_id: ids.unknown, subject: 'Lost' } },
      want: {
        status: 422,
        error: 'foreign-key-not-found',
        rule: 'odyssee.task-activity-log.task-exists',
        target: 'task_id',
      },
    },
  },
};

let sandbox: RunningSandbox;
let users = 0;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

/** A fresh sandbox user: its own copy of the sandbox data. */
function asNewUser() {
  const credentials = { user: `sandbox+rules${++users}` };
  return (operation: string, c: Call) => send(sandbox.base.odyssee as string, operation, { ...c, credentials });
}

/** The entity a request addresses, read back: what a refused write must leave as it was. */
async function readBack(as: ReturnType<typeof asNewUser>, path: string): Promise<Got | undefined> {
  if (/^\/api\/Task\(/.test(path)) return as('getTask', { path });
  if (/^\/api\/Jobs\([^)]*\)$/.test(path)) return as('getJob', { path });
  return undefined;
}

describe('x-rules of the Odyssee spec', () => {
  it('every rule of every operation has a case here, and only those', async () => {
    const rules = listRules(await loadSpec('odyssee'));
    expect(Object.keys(cases).sort()).toEqual(rules.map((r) => r.rule.id).sort());
    for (const { operationId, rule } of rules) {
      expect(cases[rule.id]?.operation, rule.id).toBe(operationId);
      // Only a server-set field may refuse nothing.
      if ('never' in (cases[rule.id]?.reject ?? {})) expect(rule.enforcedBy, rule.id).toBe('server');
    }
  });
});

describe.each(Object.entries(cases))('%s', (_rule, c) => {
  it('accepts', async () => {
    const as = asNewUser();
    const got = await as(c.operation, c.accept.call);
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    await c.accept.check?.(got, as);
  });

  const reject = c.reject;
  if ('never' in reject) return;
  it('rejects', async () => {
    const as = asNewUser();
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
