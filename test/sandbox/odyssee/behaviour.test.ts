/**
 * What the handlers do beyond single rules: XML in and out, OData contexts and collections, embedded entities,
 * atomic writes, the vendor's date form, and the sandbox data itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../../src/generated/odyssee.ts';
import { loadSpec, SpecValidator } from '../../../src/spec/index.ts';
import { addMinutes, shapeOf, vendorDate } from '../../../src/vendors/odyssee/model.ts';
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
  it('answers the stored task with its OData context in JSON', async () => {
    const got = await send(base, 'getTask', { path: taskPath, headers: { 'x-api-version': '1' } });
    const seeded = sandboxData().task?.find((t) => t.id === ids.task);
    expect(got.body).toEqual({ '@odata.context': `${base}/api/$metadata#Task/$entity`, ...seeded });
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
    const xml = parseXml(got.text).value as Record<string, string>;
    expect(Object.fromEntries(Object.entries(task).map(([k, v]) => [k, String(v)]))).toEqual(xml);
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
    expect(parseXml(got.text).value).toMatchObject({ subject: 'From the ERP & back', id2: '77' });
    const stored = await send(base, 'getTask', { path: taskPath, credentials });
    expect(stored.body).toMatchObject({ subject: 'From the ERP & back', id2: 77, archived: false });
  });

  it('writes every date in the vendor form and keeps the fields it was not sent', async () => {
    const got = await send(base, 'updateTask', {
      path: taskPath,
      body: { ...taskBody, due_date: '2025-12-24T18:00:00-05:00', date_start: '2025-12-20t08:00:00.5z' },
      credentials: fresh(),
    });
    expect(got.body.due_date).toBe('2025-12-24T23:00:00.0000000+00:00');
    expect(got.body.date_start).toBe('2025-12-20T08:00:00.5000000+00:00');
    for (const field of shapeOf(await loadSpec('odyssee'), 'Task').dates) {
      if (got.body[field] !== undefined) expect(got.body[field], field).toMatch(vendorDateForm);
    }
    expect(got.body.remark).toBe('The customer hears a knocking sound when the boiler starts.');
  });

  it('ignores unknown fields and stores no embedded object, only its keys', async () => {
    const credentials = fresh();
    const newType = { id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', code: 'INSPECT', name: 'Inspection' };
    const got = await send(base, 'updateTask', {
      path: taskPath,
      body: { ...taskBody, task_type_id: undefined, task_type: newType, colour: 'red' },
      credentials,
    });
    expect(got.body).toMatchObject({ task_type_id: newType.id, task_type_code: 'INSPECT' });
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
      sandbox.store.has(`odyssee:${credentials.user}`, 'odyssee.task_type', '1e2d3c4b-5a69-4877-8a5b-4c3d2e1f0a9b'),
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
    expect(got.body).toMatchObject({ suggested_user_id: user.id, suggested_user_code: 'U-NEW' });
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
    const stored = sandbox.store.get<Record<string, unknown>>(
      `odyssee:${credentials.user}`,
      'odyssee.task_activity_log',
      answered.id as string,
    );
    expect(stored).toMatchObject({ is_closed: false, task_id: ids.task });
  });
});

describe('sandbox data', () => {
  it('has a job status for every job_status_code of the spec', async () => {
    const doc = await loadSpec('odyssee');
    const job = doc.components?.schemas?.Job as { properties: { job_status_code: { enum: string[] } } };
    const codes = (sandboxData().job_status ?? []).map((s) => s.code);
    expect(codes.sort()).toEqual([...job.properties.job_status_code.enum].sort());
    expect(sandboxData().job_status?.find((s) => s.id === 'ba23a900-2aff-4c48-8622-2fdd5a8552a1')?.code).toBe('Open');
  });

  it('every answered record conforms to its schema and every date is in the vendor form', async () => {
    const doc = await loadSpec('odyssee');
    const validator = new SpecValidator('odyssee', doc);
    const schemas = { task: 'Task', job: 'Job', job_planning: 'JobPlanning', task_activity_log: 'TaskActivityLog' };
    for (const [entity, schema] of Object.entries(schemas)) {
      const validate = validator.at(`#/components/schemas/${schema}`);
      const dates = shapeOf(doc, schema).dates;
      for (const record of sandboxData()[entity] ?? []) {
        expect(validate(record), `${entity} ${record.id}`).toBe(true);
        for (const field of dates) if (record[field] !== undefined) expect(record[field]).toMatch(vendorDateForm);
      }
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
    ['no fraction, lower-case t and z', '2026-01-01t00:00:00z', '2026-01-01T00:00:00.0000000+00:00'],
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
