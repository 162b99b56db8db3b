/** Which x-rules id a schema failure found by the core is rendered with in `details[].code`. */
import { describe, expect, it } from 'vitest';
import type { ErrorDetail } from '../../../src/server/errors.ts';
import { findOperation, loadSpec } from '../../../src/spec/index.ts';
import { ruleBrokenBy } from '../../../src/vendors/odyssee/rules.ts';

const cases: [string, { operation: string; given: ErrorDetail; want: string | undefined }][] = [
  [
    'an "Optionally required" group: the anyOf rule with the group\'s fields',
    {
      operation: 'updateTask',
      given: {
        message: 'one of company_id, company_code, company must be provided',
        keyword: 'anyOf',
        group: ['company_id', 'company_code', 'company'],
      },
      want: 'odyssee.task.company-group',
    },
  ],
  [
    'the same group inside an embedded job',
    {
      operation: 'updateJob',
      given: {
        target: '_parent_job',
        message: 'one of job_type_id, job_type_code, job_type must be provided',
        keyword: 'anyOf',
        group: ['job_type_id', 'job_type_code', 'job_type'],
      },
      want: 'odyssee.job.job-type-group',
    },
  ],
  [
    'a required field',
    {
      operation: 'updateJob',
      given: { target: 'name', message: 'is required', keyword: 'required' },
      want: 'odyssee.job.name-required',
    },
  ],
  [
    'a required field of an embedded job',
    {
      operation: 'updateJob',
      given: { target: '_parent_job.name', message: 'is required', keyword: 'required' },
      want: 'odyssee.job.name-required',
    },
  ],
  [
    'a maximum length, not the required rule of the same field',
    {
      operation: 'updateTask',
      given: { target: 'subject', message: 'must NOT have more than 150 characters', keyword: 'maxLength' },
      want: 'odyssee.task.max-length',
    },
  ],
  [
    'an enum',
    {
      operation: 'updateJob',
      given: { target: 'job_status_code', message: 'must be one of: Canceled, Open', keyword: 'enum' },
      want: 'odyssee.job.job-status-code',
    },
  ],
  [
    'the part of a server rule a schema keyword checks',
    {
      operation: 'updateJob',
      given: { target: 'suggested_date_start', message: 'must match pattern "^(?!0000)…"', keyword: 'pattern' },
      want: 'odyssee.job.suggested-adds-planning',
    },
  ],
  [
    'a keyword at a field no rule names',
    {
      operation: 'saveTaskActivityLog',
      given: { target: 'task_id', message: 'must match format "uuid"', keyword: 'format' },
      want: undefined,
    },
  ],
  [
    'a keyword no rule of the field names',
    {
      operation: 'updateTask',
      given: { target: 'archived', message: 'must be boolean', keyword: 'type' },
      want: undefined,
    },
  ],
  [
    'a group no rule names',
    {
      operation: 'updateTask',
      given: { message: 'one of a, b must be provided', keyword: 'anyOf', group: ['a', 'b'] },
      want: undefined,
    },
  ],
  [
    'a detail that is no schema failure and names no rule',
    { operation: 'updateTask', given: { target: 'subject', message: 'is required' }, want: undefined },
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
