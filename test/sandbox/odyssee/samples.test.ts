/**
 * The vendor pages' own request samples (mocks/odyssee/**), replayed byte for byte as their manifests say: a valid
 * one succeeds and what it wrote reads back; the documented-invalid one is refused by the rule its manifest names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOperation, listRules, listSamples, loadSpec } from '../../../src/spec/index.ts';
import { shapeOf, vendorDate } from '../../../src/vendors/odyssee/model.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { expectError, send } from './helpers.ts';

const samples = listSamples().filter((s) => s.vendor === 'odyssee');
const requests = samples.filter((s) => s.manifest.side === 'request');

/** The field each rule broken by a documented-invalid sample must be named in the error (`details[].target`). */
const fieldOfRule: Record<string, string> = { 'odyssee.job.job-status-code': 'job_status_code' };

/**
 * Fields the server sets whatever the sample sends: x-rules of updateTask and updateJob, modified_dateutc, and id2,
 * the internal number a PUT keeps (the x-choice of updateTask and updateJob).
 */
const serverSet = new Set(['date_assigned', 'archived', 'date_closed', 'modified_dateutc', 'date_update', 'id2']);

/** The schema of each write's entity: its `x-helper` fields are answered null whatever the sample sends. */
const entitySchema: Record<string, string> = {
  updateTask: 'Task',
  updateJob: 'Job',
  saveTaskActivityLog: 'TaskActivityLog',
};

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

/** The sample's replay path: the operation's path template with the manifest's parameters. */
async function replayPath(operation: string, params: Record<string, string | number> = {}): Promise<[string, string]> {
  const located = findOperation(await loadSpec('odyssee'), operation);
  if (!located) throw new Error(`no operation ${operation}`);
  const path = located.entry.path.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name]));
  return [located.entry.method.toUpperCase(), path];
}

/** The sample's fields as plain values: JSON as is, XML as the element texts. */
function fieldsOf(sample: (typeof samples)[number]): Record<string, unknown> {
  const text = sample.bytes.toString('utf8');
  return sample.format === 'json' ? JSON.parse(text) : (parseXml(text).value as Record<string, unknown>);
}

/** What the stored record must hold for a field the sample sent (dates in the vendor's form). */
function expected(value: unknown): unknown {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return vendorDate(value);
  return value;
}

type Manifest = (typeof samples)[number]['manifest'];
type Answer = Awaited<ReturnType<typeof send>>;

/** A documented-invalid sample is refused by the rule its manifest names, naming that rule's field. */
async function expectRejectedByItsRule(got: Answer, manifest: Manifest): Promise<void> {
  const rule = listRules(await loadSpec('odyssee')).find((r) => r.rule.id === manifest.expect?.rule)?.rule;
  expect(rule, `the manifest's rule ${manifest.expect?.rule}`).toBeDefined();
  const target = fieldOfRule[rule?.id ?? ''];
  expect(target, `the field ${rule?.id} names`).toBeDefined();
  await expectError(got, { status: manifest.expect?.status ?? 0, error: rule?.error ?? '', rule: rule?.id, target });
}

/** What a write stored: the GET of the entity, or the store for a log (no GET is specified for logs). */
async function storedRecord(
  operation: string,
  path: string,
  user: string,
  id: string,
): Promise<Record<string, unknown>> {
  const base = sandbox.base.odyssee as string;
  if (operation === 'updateTask') return (await send(base, 'getTask', { path, credentials: { user } })).body;
  if (operation === 'updateJob') return (await send(base, 'getJob', { path, credentials: { user } })).body;
  return (await sandbox.store.get(`odyssee:${user}`, 'odyssee.task_activity_log', id)) as Record<string, unknown>;
}

interface Written {
  operation: string;
  xml: boolean;
  helpers: ReadonlySet<string>;
  embedded: ReadonlySet<string>;
  answered: Record<string, unknown>;
  stored: Record<string, unknown>;
}

/** A field the sample sent, as answered and as stored. */
function expectFieldWritten(w: Written, field: string, value: unknown): void {
  if (w.helpers.has(field)) {
    // A helper is resolved to its *_id, never stored: an ERP key is answered null, an embedded entity left out.
    if (w.embedded.has(field)) expect(w.answered, field).not.toHaveProperty(field);
    else expect(w.answered[field], field).toBeNull();
    if (w.operation !== 'saveTaskActivityLog') expect(w.stored[field], field).toBe(w.answered[field]);
    return;
  }
  if (serverSet.has(field) || (typeof value === 'object' && value !== null)) return;
  // XML carries text: `true`, `26`; the store holds the schema's types, so compare XML values as text.
  if (w.xml) expect(String(w.stored[field]), field).toBe(String(expected(value)));
  else expect(w.stored[field], field).toEqual(expected(value));
  expect(String(w.answered[field]), field).toBe(String(w.stored[field]));
}

it('there are Odyssee request samples for every write operation', () => {
  expect(new Set(requests.map((s) => s.manifest.operation))).toEqual(
    new Set(['updateTask', 'updateJob', 'saveTaskActivityLog']),
  );
});

describe.each(requests.map((s) => [s.id, s] as const))('%s', (_id, sample) => {
  const { manifest } = sample;
  const user = `sandbox+${sample.id.replace(/[^\w]+/g, '-')}`;

  it(`is ${manifest.expect?.outcome} with ${manifest.expect?.status}`, async () => {
    const [method, path] = await replayPath(manifest.operation, manifest.replay?.path);
    const xml = sample.format === 'xml';
    const got = await send(sandbox.base.odyssee as string, manifest.operation, {
      method,
      path,
      body: sample.bytes.toString('utf8'),
      contentType: manifest.mediaType,
      credentials: { user },
      ...(xml ? { accept: manifest.mediaType } : {}),
    });
    expect(got.status, got.text).toBe(manifest.expect?.status);

    if (manifest.expect?.outcome === 'rejected') {
      await expectRejectedByItsRule(got, manifest);
      return;
    }

    const sent = fieldsOf(sample);
    const answered = xml ? (parseXml(got.text).value as Record<string, unknown>) : got.body;
    if (xml) expect(got.text).toMatch(/^<task_activity_log xmlns:i="http:\/\/www\.w3\.org\/2001\/XMLSchema-instance">/);

    // Read back what was stored: the GET of the entity, or the store for a log (no GET is specified for logs).
    const { helpers, embedded } = shapeOf(await loadSpec('odyssee'), entitySchema[manifest.operation] ?? '');
    const id = String(sent.id);
    const stored = await storedRecord(manifest.operation, path, user, id);
    expect(stored.id).toBe(id);
    const written = { operation: manifest.operation, xml, helpers, embedded, answered, stored };
    for (const [field, value] of Object.entries(sent)) expectFieldWritten(written, field, value);
  });
});

describe('saveTaskActivityLog answers in the shape of the page’s response samples', () => {
  it.each(samples.filter((s) => s.manifest.side === 'response').map((s) => [s.id, s] as const))(
    '%s',
    async (_id, response) => {
      const request = requests.find((s) => s.manifest.example === response.manifest.example);
      expect(request).toBeDefined();
      const got = await send(sandbox.base.odyssee as string, 'saveTaskActivityLog', {
        method: 'POST',
        path: '/api/TaskActivityLog/Save',
        body: request?.bytes.toString('utf8'),
        contentType: request?.manifest.mediaType,
        accept: response.manifest.mediaType,
      });
      expect(got.status).toBe(200);
      const answered = response.format === 'xml' ? (parseXml(got.text).value as object) : got.body;
      expect(Object.keys(answered).sort()).toEqual(Object.keys(fieldsOf(response)).sort());
    },
  );
});
