/**
 * What the handlers do beyond single rules: XML in and out, OData contexts and collections, embedded entities,
 * atomic writes, the vendor's date form, and the sandbox data itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../../src/generated/odyssee.ts';
import { loadSpec, SpecValidator } from '../../../src/spec/index.ts';
import {
  addMinutes,
  answerOf,
  completeRecord,
  EMPTY_GUID,
  shapeOf,
  vendorDate,
} from '../../../src/vendors/odyssee/model.ts';
import { sandboxData } from '../../../src/vendors/odyssee/seed.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { expectError, ids, send, vendorDateForm } from './helpers.ts';

let sandbox: RunningSandbox;
let base: string;
let users = 0;
beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base.odyssee as string;
});
afterAll(() => sandbox.close());

const fresh = () => ({ user: `sandbox+behaviour${++users}` });
const taskPath = `/api/Task(${ids.task})`;
const jobPath = `/api/Jobs(${ids.job})`;
const taskBody = {
  subject: 'Behaviour',
  task_type_id: '86819a15-5d35-412e-9ba1-be52c6ea1a85',
  task_priority_id: '879d5425-6219-473e-9a54-eab2199b1a96',
  company_id: '8505b8a2-cdb4-4cbb-bd2b-2f7661e901b2',
};
const jobBody = {
  name: 'Behaviour',
  project_id: 'dfe6fb32-a2c5-424b-a4e1-4d32cfabfb37',
  job_type_id: 'e544b795-8447-46b1-9e2b-c2ff7167cc72',
  job_status_code: 'Suggested',
  suggested_user_id: '5c6b6acd-9f3c-44c6-a724-07998852074a',
  estimated_time: 30,
};

describe('getTask', () => {
  it('answers the stored task with its OData context in JSON, every property present', async () => {
    const got = await send(base, 'getTask', { path: taskPath, headers: { 'x-api-version': '1' } });
    const shape = shapeOf(await loadSpec('odyssee'), 'Task');
    const seeded = sandboxData().task?.find((t) => t.id === ids.task) ?? {};
    expect(got.body).toEqual({ '@odata.context': `${base}/api/$metadata#Task/$entity`, ...answerOf(shape, seeded) });
    const embedded = (p: string) => shape.helpers.has(p) && shape.embedded.has(p);
    expect(Object.keys(got.body).slice(1)).toEqual(shape.properties.filter((p) => !embedded(p)));
    // Never set in the sandbox data: the vendor's defaults, not absent (LinkErp: no nulls).
    expect(got.body).toMatchObject({
      internal_remark: '',
      date_closed: '1980-01-01T00:00:00.0000000+00:00',
      date_suggested_by_company: '1980-01-01T00:00:00.0000000+00:00',
      requested_by_company_id: EMPTY_GUID,
      bill_to_party: '',
    });
    // Helpers are not columns: an ERP key is null, an embedded entity is left out.
    for (const helper of shape.helpers) {
      if (shape.embedded.has(helper)) expect(got.body, helper).not.toHaveProperty(helper);
      else expect(got.body[helper], helper).toBeNull();
    }
  });

  it('answers a task whose record predates a column with that column at its default', async () => {
    const shape = shapeOf(await loadSpec('odyssee'), 'Task');
    const { bill_to_party: _dropped, ...older } = completeRecord(shape, sandboxData().task?.[0] ?? {});
    const credentials = fresh();
    await sandbox.store.put(`odyssee:${credentials.user}`, 'odyssee.task', ids.task, older);
    const got = await send(base, 'getTask', { path: taskPath, credentials });
    expect(got.body.bill_to_party).toBe('');
  });

  it.each(['application/xml', 'text/xml'])('answers DataContract XML for Accept: %s', async (accept) => {
    const got = await send(base, 'getTask', { path: taskPath, accept });
    expect(got.headers.get('content-type')).toMatch(new RegExp(`^${accept}`));
    expect(got.text).toMatch(
      /^<task xmlns:i="http:\/\/www\.w3\.org\/2001\/XMLSchema-instance"><archived>false<\/archived>/,
    );
    expect(got.text).not.toContain('odata');
    const children = [...got.text.matchAll(/<(\w+)>/g)].map((m) => m[1]).slice(1);
    expect(children).toEqual([...children].sort());
    const json = await send(base, 'getTask', { path: taskPath });
    const { '@odata.context': _context, ...task } = json.body;
    const xml = parseXml(got.text).value as Record<string, string | null>;
    // A null helper is `<task_type_code i:nil="true"/>`, read back as null.
    expect(got.text).toContain('<task_type_code i:nil="true"></task_type_code>');
    expect(Object.fromEntries(Object.entries(task).map(([k, v]) => [k, v === null ? null : String(v)]))).toEqual(xml);
  });
});

describe('updateTask', () => {
  it('accepts an XML body, typed by the schema, and answers XML', async () => {
    const credentials = fresh();
    const body = `<task xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><company_code>CONTOSO</company_code><id2>77</id2><subject>From the ERP &amp; back</subject><task_priority_code>HIGH</task_priority_code><task_type_code>VISIT</task_type_code></task>`;
    const got = await send(base, 'updateTask', {
      path: taskPath,
      body,
      contentType: 'application/xml',
      accept: 'application/xml',
      credentials,
    });
    expect(got.status).toBe(200);
    // id2 is the task's internal number: a PUT keeps it, whatever the body says (updateTask's x-choice).
    expect(parseXml(got.text).value).toMatchObject({ subject: 'From the ERP & back', id2: '3101' });
    const stored = await send(base, 'getTask', { path: taskPath, credentials });
    expect(stored.body).toMatchObject({
      subject: 'From the ERP & back',
      id2: 3101,
      archived: false,
      task_type_id: '3f0b2c1e-7a4d-4e58-9b6c-1d2e3f4a5b6c',
      task_type_code: null,
    });
  });

  it('writes every date in the vendor form, whatever documented form it was sent in', async () => {
    const got = await send(base, 'updateTask', {
      path: taskPath,
      body: {
        ...taskBody,
        due_date: '2025-12-24T18:00:00-05:00',
        date_start: '2013-05-02T15:30:59.123',
        date_suggested_by_company: '2013-05-02T15:30:59.123Z',
        date_create: '2015-05-28T11:26:22Z',
      },
      credentials: fresh(),
    });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      due_date: '2025-12-24T23:00:00.0000000+00:00',
      date_start: '2013-05-02T15:30:59.1230000+00:00',
      date_suggested_by_company: '2013-05-02T15:30:59.1230000+00:00',
      date_create: '2015-05-28T11:26:22.0000000+00:00',
    });
    for (const field of shapeOf(await loadSpec('odyssee'), 'Task').dates) {
      expect(got.body[field], field).toMatch(vendorDateForm);
    }
  });

  it('replaces the task: a column the body leaves out takes its default, server-managed ones follow their rules', async () => {
    const credentials = fresh();
    const got = await send(base, 'updateTask', { path: taskPath, body: taskBody, credentials });
    expect(got.body).toMatchObject({
      remark: '',
      customer_reference: '',
      contact_id: EMPTY_GUID,
      to_id_in_table: EMPTY_GUID,
      assigned_to_user_id: EMPTY_GUID,
      date_assigned: '1980-01-01T00:00:00.0000000+00:00',
      due_date: '1980-01-01T00:00:00.0000000+00:00',
      // Kept: the key, the internal number and the creation date.
      id: ids.task,
      id2: 3101,
      date_create: '2025-09-10T09:12:00.0000000+00:00',
      // "If nothing specified, the system will uses the default task_status available".
      task_status_id: '6a1d3e2f-4b5c-4d6e-8f70-8192a3b4c5d6',
    });
    expect((await send(base, 'getTask', { path: taskPath, credentials })).body).toEqual(got.body);
  });

  it.each([
    ['30 February', '2026-02-30T10:00:00Z'],
    ['29 February of a year that is not a leap year', '2025-02-29T10:00:00Z'],
    ['a date without a time', '2026-01-01'],
    ['a space for T', '2026-01-01 10:00:00'],
    ['lower-case t and z', '2026-01-01t10:00:00z'],
    ['24:00', '2026-01-01T24:00:00Z'],
    ['8 fractional digits', '2026-01-01T10:00:00.12345678Z'],
    ['an offset without a colon', '2026-01-01T10:00:00+0200'],
    ['year 0000', '0000-01-01T00:00:00Z'],
  ])('refuses a date that is not in a documented form: %s', async (_name, value) => {
    const got = await send(base, 'updateTask', { path: taskPath, body: { ...taskBody, due_date: value } });
    await expectError(got, { status: 400, error: 'validation-failed', target: 'due_date' });
  });

  it('accepts 29 February of a leap year', async () => {
    const got = await send(base, 'updateTask', {
      path: taskPath,
      body: { ...taskBody, due_date: '2028-02-29T10:00:00' },
      credentials: fresh(),
    });
    expect(got.body.due_date).toBe('2028-02-29T10:00:00.0000000+00:00');
  });

  it('ignores unknown fields and stores no embedded object, only its keys', async () => {
    const credentials = fresh();
    const newType = { id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', code: 'INSPECT', name: 'Inspection' };
    const got = await send(base, 'updateTask', {
      path: taskPath,
      body: { ...taskBody, task_type_id: undefined, task_type: newType, colour: 'red' },
      credentials,
    });
    expect(got.body).toMatchObject({ task_type_id: newType.id, task_type_code: null });
    expect(got.body).not.toHaveProperty('task_type');
    expect(got.body).not.toHaveProperty('colour');
    // The embedded type was added: it can now be named by its code.
    const byCode = await send(base, 'updateTask', {
      path: `/api/Task(${ids.logTask})`,
      body: { ...taskBody, task_type_id: undefined, task_type_code: 'INSPECT' },
      credentials,
    });
    expect(byCode.body.task_type_id).toBe(newType.id);
  });

  it('uses an embedded entity only when neither its id nor its key is sent', async () => {
    const credentials = fresh();
    const got = await send(base, 'updateTask', {
      path: taskPath,
      body: { ...taskBody, task_type: { id: '1e2d3c4b-5a69-4877-8a5b-4c3d2e1f0a9b', code: 'IGNORED' } },
      credentials,
    });
    expect(got.body.task_type_id).toBe(taskBody.task_type_id);
    expect(
      await sandbox.store.has(
        `odyssee:${credentials.user}`,
        'odyssee.task_type',
        '1e2d3c4b-5a69-4877-8a5b-4c3d2e1f0a9b',
      ),
    ).toBe(false);
  });

  it('writes all or nothing: a refused task leaves no embedded entity behind', async () => {
    const credentials = fresh();
    const refused = await send(base, 'updateTask', {
      path: taskPath,
      body: { ...taskBody, task_type_id: undefined, task_type: { code: 'ROLLBACK' }, company_id: ids.unknown },
      credentials,
    });
    await expectError(refused, { status: 422, error: 'foreign-key-not-found', target: 'company_id' });
    const later = await send(base, 'updateTask', {
      path: taskPath,
      body: { ...taskBody, task_type_id: undefined, task_type_code: 'ROLLBACK' },
      credentials,
    });
    await expectError(later, {
      status: 422,
      error: 'foreign-key-not-found',
      rule: 'odyssee.task.foreign-keys-exist',
      target: 'task_type_code',
    });
  });

  it('answers 404 for a task that does not exist', async () => {
    const got = await send(base, 'updateTask', { path: `/api/Task(${ids.unknown})`, body: taskBody });
    await expectError(got, { status: 404, error: 'not-found', target: 'id' });
  });
});

describe('updateJob and listJobPlannings', () => {
  it('answers 404 for a job that does not exist', async () => {
    const got = await send(base, 'updateJob', { path: `/api/Jobs(${ids.unknown})`, body: jobBody });
    await expectError(got, { status: 404, error: 'not-found', target: 'id' });
  });

  it('pages plannings by 20 with @odata.nextLink, in the order they start', async () => {
    const credentials = fresh();
    for (let day = 1; day <= 22; day++) {
      const start = `2026-03-${String(day).padStart(2, '0')}T08:00:00Z`;
      await send(base, 'updateJob', { path: jobPath, body: { ...jobBody, suggested_date_start: start }, credentials });
    }
    const page = await send(base, 'listJobPlannings', { path: `${jobPath}/job_planning`, credentials });
    expect(page.body['@odata.context']).toBe(`${base}/api/$metadata#job_planning`);
    const value = page.body.value as components['schemas']['JobPlanning'][];
    expect(value).toHaveLength(20);
    expect(value[0]).toMatchObject({
      date_start: '2026-03-01T08:00:00.0000000+00:00',
      date_end: '2026-03-01T08:30:00.0000000+00:00',
    });
    const next = String(page.body['@odata.nextLink']);
    expect(next).toBe(`${base}/api/Jobs(${ids.job})/job_planning?$skip=20`);
    const rest = await send(base, 'listJobPlannings', { path: next.slice(base.length), credentials });
    expect((rest.body.value as unknown[]).length).toBe(2);
    expect(rest.body).not.toHaveProperty('@odata.nextLink');
    const top = await send(base, 'listJobPlannings', { path: `${jobPath}/job_planning?$top=3&$skip=1`, credentials });
    expect((top.body.value as { date_start: string }[]).map((p) => p.date_start.slice(0, 10))).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
    ]);
  });

  it('adds the planning for an embedded suggested user', async () => {
    const credentials = fresh();
    const user = { id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', code: 'U-NEW', firstname: 'Nora', lastname: 'Peeters' };
    const got = await send(base, 'updateJob', {
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
    const list = await send(base, 'listJobPlannings', { path: `${jobPath}/job_planning`, credentials });
    expect(list.body.value).toEqual([expect.objectContaining({ user_id: user.id, jobs_id: ids.job })]);
  });
});

describe('saveTaskActivityLog', () => {
  it('stores the schema’s types from XML and answers text/xml', async () => {
    const credentials = fresh();
    const got = await send(base, 'saveTaskActivityLog', {
      method: 'POST',
      path: '/api/TaskActivityLog/Save',
      contentType: 'text/xml',
      accept: 'text/xml',
      body: `<task_activity_log><is_closed>false</is_closed><task_id>${ids.task}</task_id><due_date>2026-01-02T03:04:05Z</due_date></task_activity_log>`,
      credentials,
    });
    const answered = parseXml(got.text).value as Record<string, string>;
    expect(answered).toMatchObject({ is_closed: 'false', due_date: '2026-01-02T03:04:05.0000000+00:00' });
    const stored = await sandbox.store.get<Record<string, unknown>>(
      `odyssee:${credentials.user}`,
      'odyssee.task_activity_log',
      answered.id as string,
    );
    expect(stored).toMatchObject({ is_closed: false, task_id: ids.task });
  });
});

/** A seed record holds columns only, conforms to its answer schema and writes every date in the vendor form. */
function expectAnsweredRecord(
  entity: string,
  shape: ReturnType<typeof shapeOf>,
  validate: (value: unknown) => boolean,
  record: Record<string, unknown>,
): void {
  for (const helper of shape.helpers) expect(record, `${entity} ${record.id}`).not.toHaveProperty(helper);
  expect(validate(answerOf(shape, record)), `${entity} ${record.id}`).toBe(true);
  for (const field of shape.dates) if (record[field] !== undefined) expect(record[field]).toMatch(vendorDateForm);
}

describe('sandbox data', () => {
  it('has a job status for every job_status_code of the spec', async () => {
    const doc = await loadSpec('odyssee');
    const job = doc.components?.schemas?.JobFields as { properties: { job_status_code: { enum: (string | null)[] } } };
    const codes = (sandboxData().job_status ?? []).map((s) => s.code);
    expect(codes.sort()).toEqual(job.properties.job_status_code.enum.filter((c) => c !== null).sort());
    expect(sandboxData().job_status?.find((s) => s.id === 'ba23a900-2aff-4c48-8622-2fdd5a8552a1')?.code).toBe('Open');
  });

  it('every answered record holds columns only, conforms to its answer schema, every date in the vendor form', async () => {
    const doc = await loadSpec('odyssee');
    const validator = new SpecValidator('odyssee', doc);
    const schemas = {
      task: ['Task', 'TaskAnswer'],
      job: ['Job', 'JobAnswer'],
      job_planning: ['JobPlanning', 'JobPlanning'],
      task_activity_log: ['TaskActivityLog', 'TaskActivityLogAnswer'],
    };
    for (const [entity, [schema, answer]] of Object.entries(schemas)) {
      const validate = validator.at(`#/components/schemas/${answer}`);
      const shape = shapeOf(doc, schema as string);
      for (const record of sandboxData()[entity] ?? []) expectAnsweredRecord(entity, shape, validate, record);
    }
  });

  it('keys are unique within each entity', () => {
    for (const [entity, records] of Object.entries(sandboxData())) {
      for (const key of ['id', 'code', 'reference_back_office', 'name']) {
        if (key === 'name' && entity !== 'db_table') continue;
        const values = records.map((r) => r[key]).filter((v) => v !== undefined);
        expect(new Set(values).size, `${entity}.${key}`).toBe(values.length);
      }
    }
  });
});

describe('dates', () => {
  it.each([
    ['UTC with 7 digits stays as it is', '2026-06-02T05:45:07.0236252+00:00', '2026-06-02T05:45:07.0236252+00:00'],
    ['Z with 3 digits', '2026-01-11T20:58:34.720Z', '2026-01-11T20:58:34.7200000+00:00'],
    [
      'an offset moves the time, not the fraction',
      '2026-01-01T01:30:00.1234567+02:00',
      '2025-12-31T23:30:00.1234567+00:00',
    ],
    ['more than 7 digits are cut', '2026-01-01T00:00:00.123456789Z', '2026-01-01T00:00:00.1234567+00:00'],
    ['no fraction, Z', '2015-05-28T11:26:22Z', '2015-05-28T11:26:22.0000000+00:00'],
    ['no zone: UTC', '2013-05-02T15:30:59.123', '2013-05-02T15:30:59.1230000+00:00'],
    ['one fractional digit', '2026-01-01T00:00:00.5+00:00', '2026-01-01T00:00:00.5000000+00:00'],
    ['the first .NET year', '0001-01-01T00:00:00', '0001-01-01T00:00:00.0000000+00:00'],
    ['an offset that would leave year 1 is left alone', '0001-01-01T00:00:00+01:00', '0001-01-01T00:00:00+01:00'],
    ['not a date-time is left alone', 'tomorrow', 'tomorrow'],
  ])('vendorDate: %s', (_name, given, want) => {
    expect(vendorDate(given)).toBe(want);
  });

  it.each([
    ['90 minutes', '2025-10-20T07:30:00.0000000+00:00', 90, '2025-10-20T09:00:00.0000000+00:00'],
    ['over midnight, fraction kept', '2025-10-20T23:30:00.1234567+00:00', 45, '2025-10-21T00:15:00.1234567+00:00'],
    ['zero', '2025-10-20T07:30:00Z', 0, '2025-10-20T07:30:00.0000000+00:00'],
  ])('addMinutes: %s', (_name, given, minutes, want) => {
    expect(addMinutes(given, minutes)).toBe(want);
  });
});
