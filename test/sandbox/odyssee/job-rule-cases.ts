/** The cases of the rules of the job operations and of listJobPlannings (see rule-cases.ts). */
import { expect } from 'vitest';
import { EMPTY_GUID } from '../../../src/vendors/odyssee/model.ts';
import { ids } from './helpers.ts';
import { job, jobBody, type RuleCase, without } from './rule-cases.ts';

/** Project P-G12, a mobile installation (`is_mobile_installation: true`). */
const mobileProject = '7b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

export const jobRuleCases: Record<string, RuleCase> = {
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
};
