/** Which x-rules id a schema failure found by the core is rendered with in `details[].code`. */
import { describe, expect, it } from 'vitest';
import type { ErrorDetail } from '../../../src/server/errors.ts';
import { findOperation, loadSpec } from '../../../src/spec/index.ts';
import { ruleBrokenBy } from '../../../src/vendors/odyssee/rules.ts';

const cases: [string, { operation: string; given: ErrorDetail; want: string | undefined }][] = [
  [
    'an "Optionally required" group',
    {
      operation: 'updateTask',
      given: { message: 'one of company_id, company_code, company must be provided' },
      want: 'odyssee.task.company-group',
    },
  ],
  [
    'the same group inside an embedded job',
    {
      operation: 'updateJob',
      given: { target: '_parent_job', message: 'one of job_type_id, job_type_code, job_type must be provided' },
      want: 'odyssee.job.job-type-group',
    },
  ],
  [
    'a required field',
    { operation: 'updateJob', given: { target: 'name', message: 'is required' }, want: 'odyssee.job.name-required' },
  ],
  [
    'a maximum length, not the required rule of the same field',
    {
      operation: 'updateTask',
      given: { target: 'subject', message: 'must NOT have more than 150 characters' },
      want: 'odyssee.task.max-length',
    },
  ],
  [
    'a maximum length of a field whose name ends another field’s name',
    {
      operation: 'updateJob',
      given: { target: 'name', message: 'must NOT have more than 255 characters' },
      want: 'odyssee.job.max-length',
    },
  ],
  [
    'an enum',
    {
      operation: 'updateJob',
      given: { target: 'job_status_code', message: 'must be one of: Canceled, Open' },
      want: 'odyssee.job.job-status-code',
    },
  ],
  [
    'a date-time a server rule refuses',
    {
      operation: 'updateJob',
      given: { target: 'suggested_date_start', message: 'must match format "date-time"' },
      want: 'odyssee.job.suggested-adds-planning',
    },
  ],
  [
    'a GUID a server rule refuses (id, not task_id)',
    {
      operation: 'saveTaskActivityLog',
      given: { target: 'id', message: 'must match format "uuid"' },
      want: 'odyssee.task-activity-log.save-adds-or-updates',
    },
  ],
  [
    'a format no rule speaks of',
    {
      operation: 'updateTask',
      given: { target: 'due_date', message: 'must match format "date-time"' },
      want: undefined,
    },
  ],
  [
    'a type error',
    { operation: 'updateTask', given: { target: 'archived', message: 'must be boolean' }, want: undefined },
  ],
  [
    'a rule the raiser names itself',
    {
      operation: 'getTask',
      given: { target: 'id', message: 'no task', rule: 'odyssee.task.exists' },
      want: 'odyssee.task.exists',
    },
  ],
];

describe('ruleBrokenBy', () => {
  it.each(cases)('%s', async (_name, { operation, given, want }) => {
    const located = findOperation(await loadSpec('odyssee'), operation);
    expect(ruleBrokenBy(located?.entry.operation['x-rules'] ?? [], given)).toBe(want);
  });
});
