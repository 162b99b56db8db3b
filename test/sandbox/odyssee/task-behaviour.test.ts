/**
 * What the task handlers do beyond single rules: OData contexts, XML in and out, every property present, dates in
 * the vendor's form, replacing a task, embedded entities and atomic writes; and the activity log's XML.
 */
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../src/spec/index.ts';
import { answerOf, completeRecord, EMPTY_GUID, shapeOf } from '../../../src/vendors/odyssee/model.ts';
import { sandboxData } from '../../../src/vendors/odyssee/seed.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import { taskBody, taskPath, useBehaviourSandbox } from './behaviour-setup.ts';
import { expectError, ids, send, vendorDateForm } from './helpers.ts';

const env = useBehaviourSandbox();

describe('getTask', () => {
  it('answers the stored task with its OData context in JSON, every property present', async () => {
    const got = await send(env.base, 'getTask', { path: taskPath, headers: { 'x-api-version': '1' } });
    const shape = shapeOf(await loadSpec('odyssee'), 'Task');
    const seeded = sandboxData().task?.find((t) => t.id === ids.task) ?? {};
    expect(got.body).toEqual({
      '@odata.context': `${env.base}/api/$metadata#Task/$entity`,
      ...answerOf(shape, seeded),
    });
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
    const credentials = env.fresh();
    await env.sandbox.store.put(`odyssee:${credentials.user}`, 'odyssee.task', ids.task, older);
    const got = await send(env.base, 'getTask', { path: taskPath, credentials });
    expect(got.body.bill_to_party).toBe('');
  });

  it.each(['application/xml', 'text/xml'])('answers DataContract XML for Accept: %s', async (accept) => {
    const got = await send(env.base, 'getTask', { path: taskPath, accept });
    expect(got.headers.get('content-type')).toMatch(new RegExp(`^${accept}`));
    expect(got.text).toMatch(
      /^<task xmlns:i="http:\/\/www\.w3\.org\/2001\/XMLSchema-instance"><archived>false<\/archived>/,
    );
    expect(got.text).not.toContain('odata');
    const children = [...got.text.matchAll(/<(\w+)>/g)].map((m) => m[1]).slice(1);
    expect(children).toEqual([...children].sort());
    const json = await send(env.base, 'getTask', { path: taskPath });
    const { '@odata.context': _context, ...task } = json.body;
    const xml = parseXml(got.text).value as Record<string, string | null>;
    // A null helper is `<task_type_code i:nil="true"/>`, read back as null.
    expect(got.text).toContain('<task_type_code i:nil="true"></task_type_code>');
    expect(Object.fromEntries(Object.entries(task).map(([k, v]) => [k, v === null ? null : String(v)]))).toEqual(xml);
  });
});

describe('updateTask', () => {
  it('accepts an XML body, typed by the schema, and answers XML', async () => {
    const credentials = env.fresh();
    const body = `<task xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><company_code>CONTOSO</company_code><id2>77</id2><subject>From the ERP &amp; back</subject><task_priority_code>HIGH</task_priority_code><task_type_code>VISIT</task_type_code></task>`;
    const got = await send(env.base, 'updateTask', {
      path: taskPath,
      body,
      contentType: 'application/xml',
      accept: 'application/xml',
      credentials,
    });
    expect(got.status).toBe(200);
    // id2 is the task's internal number: a PUT keeps it, whatever the body says (updateTask's x-choice).
    expect(parseXml(got.text).value).toMatchObject({ subject: 'From the ERP & back', id2: '3101' });
    const stored = await send(env.base, 'getTask', { path: taskPath, credentials });
    expect(stored.body).toMatchObject({
      subject: 'From the ERP & back',
      id2: 3101,
      archived: false,
      task_type_id: '3f0b2c1e-7a4d-4e58-9b6c-1d2e3f4a5b6c',
      task_type_code: null,
    });
  });

  it('writes every date in the vendor form, whatever documented form it was sent in', async () => {
    const got = await send(env.base, 'updateTask', {
      path: taskPath,
      body: {
        ...taskBody,
        due_date: '2025-12-24T18:00:00-05:00',
        date_start: '2013-05-02T15:30:59.123',
        date_suggested_by_company: '2013-05-02T15:30:59.123Z',
        date_create: '2015-05-28T11:26:22Z',
      },
      credentials: env.fresh(),
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
    const credentials = env.fresh();
    const got = await send(env.base, 'updateTask', { path: taskPath, body: taskBody, credentials });
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
    expect((await send(env.base, 'getTask', { path: taskPath, credentials })).body).toEqual(got.body);
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
    const got = await send(env.base, 'updateTask', { path: taskPath, body: { ...taskBody, due_date: value } });
    await expectError(got, { status: 400, error: 'validation-failed', target: 'due_date' });
  });

  it('accepts 29 February of a leap year', async () => {
    const got = await send(env.base, 'updateTask', {
      path: taskPath,
      body: { ...taskBody, due_date: '2028-02-29T10:00:00' },
      credentials: env.fresh(),
    });
    expect(got.body.due_date).toBe('2028-02-29T10:00:00.0000000+00:00');
  });

  it('ignores unknown fields and stores no embedded object, only its keys', async () => {
    const credentials = env.fresh();
    const newType = { id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', code: 'INSPECT', name: 'Inspection' };
    const got = await send(env.base, 'updateTask', {
      path: taskPath,
      body: { ...taskBody, task_type_id: undefined, task_type: newType, colour: 'red' },
      credentials,
    });
    expect(got.body).toMatchObject({ task_type_id: newType.id, task_type_code: null });
    expect(got.body).not.toHaveProperty('task_type');
    expect(got.body).not.toHaveProperty('colour');
    // The embedded type was added: it can now be named by its code.
    const byCode = await send(env.base, 'updateTask', {
      path: `/api/Task(${ids.logTask})`,
      body: { ...taskBody, task_type_id: undefined, task_type_code: 'INSPECT' },
      credentials,
    });
    expect(byCode.body.task_type_id).toBe(newType.id);
  });

  it('uses an embedded entity only when neither its id nor its key is sent', async () => {
    const credentials = env.fresh();
    const got = await send(env.base, 'updateTask', {
      path: taskPath,
      body: { ...taskBody, task_type: { id: '1e2d3c4b-5a69-4877-8a5b-4c3d2e1f0a9b', code: 'IGNORED' } },
      credentials,
    });
    expect(got.body.task_type_id).toBe(taskBody.task_type_id);
    expect(
      await env.sandbox.store.has(
        `odyssee:${credentials.user}`,
        'odyssee.task_type',
        '1e2d3c4b-5a69-4877-8a5b-4c3d2e1f0a9b',
      ),
    ).toBe(false);
  });

  it('writes all or nothing: a refused task leaves no embedded entity behind', async () => {
    const credentials = env.fresh();
    const refused = await send(env.base, 'updateTask', {
      path: taskPath,
      body: { ...taskBody, task_type_id: undefined, task_type: { code: 'ROLLBACK' }, company_id: ids.unknown },
      credentials,
    });
    await expectError(refused, { status: 422, error: 'foreign-key-not-found', target: 'company_id' });
    const later = await send(env.base, 'updateTask', {
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
    const got = await send(env.base, 'updateTask', { path: `/api/Task(${ids.unknown})`, body: taskBody });
    await expectError(got, { status: 404, error: 'not-found', target: 'id' });
  });
});

describe('saveTaskActivityLog', () => {
  it('stores the schema’s types from XML and answers text/xml', async () => {
    const credentials = env.fresh();
    const got = await send(env.base, 'saveTaskActivityLog', {
      method: 'POST',
      path: '/api/TaskActivityLog/Save',
      contentType: 'text/xml',
      accept: 'text/xml',
      body: `<task_activity_log><is_closed>false</is_closed><task_id>${ids.task}</task_id><due_date>2026-01-02T03:04:05Z</due_date></task_activity_log>`,
      credentials,
    });
    const answered = parseXml(got.text).value as Record<string, string>;
    expect(answered).toMatchObject({ is_closed: 'false', due_date: '2026-01-02T03:04:05.0000000+00:00' });
    const stored = await env.sandbox.store.get<Record<string, unknown>>(
      `odyssee:${credentials.user}`,
      'odyssee.task_activity_log',
      answered.id as string,
    );
    expect(stored).toMatchObject({ is_closed: false, task_id: ids.task });
  });
});
