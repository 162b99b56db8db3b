/** The cases of the rules of the task operations and of saveTaskActivityLog (see rule-cases.ts). */
import { expect } from 'vitest';
import { ids } from './helpers.ts';
import { isRecent, type RuleCase, save, task, taskBody, without } from './rule-cases.ts';

export const taskRuleCases: Record<string, RuleCase> = {
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
