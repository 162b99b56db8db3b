/**
 * The spec's named examples are what the sandbox answers: every request example has a response example of the same
 * name, every operation's success has one, the first request example is one the vendor accepts, each path's
 * parameter example is a key the sandbox data holds for that path, and each response example is the sandbox's own
 * answer (its @odata.context on the vendor's host, the dates the server stamps "now" left out of the comparison).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deref,
  listOperations,
  listSamples,
  loadSpec,
  type MediaTypeObject,
  type OpenApiDocument,
  type ParameterObject,
  type RequestBodyObject,
  type ResponseObject,
} from '../../../src/spec/index.ts';
import { shapeOf } from '../../../src/vendors/odyssee/model.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { call, vendorDateForm } from './helpers.ts';

/** Fields the server stamps with the current date+time: compared as recent, not as the example's fixed value. */
const stamped: Record<string, string[]> = {
  updateTask: ['date_assigned', 'date_closed', 'modified_dateutc'],
  updateJob: ['date_update', 'modified_dateutc'],
};

interface Named {
  operation: string;
  method: string;
  path: string;
  name: string;
  status: string;
  value: unknown;
}

function examplesOf(doc: OpenApiDocument, content: Record<string, MediaTypeObject> | undefined): [string, unknown][] {
  const examples = content?.['application/json']?.examples ?? {};
  return Object.entries(examples).map(([name, ex]) => [name, deref<{ value?: unknown }>(doc, ex).value]);
}

type Entry = ReturnType<typeof listOperations>[number];

/** An operation's path with its path parameter's example filled in. */
function examplePath(entry: Entry): string {
  const param = entry.parameters.find((p) => p.in === 'path') as (ParameterObject & { example?: string }) | undefined;
  if (!param) return entry.path;
  return entry.path.replace(
    `{${param.name}}`,
    String(param.example ?? (param.schema as { example?: unknown } | undefined)?.example),
  );
}

/** An operation's own named response examples (named after it), with their statuses. */
function responseExamples(doc: OpenApiDocument, entry: Entry, base: Omit<Named, 'name' | 'status' | 'value'>): Named[] {
  return Object.entries(entry.operation.responses).flatMap(([status, raw]) =>
    examplesOf(doc, deref<ResponseObject>(doc, raw).content)
      .filter(([name]) => name.startsWith(`${entry.operationId}-`))
      .map(([name, value]) => ({ ...base, name, status, value })),
  );
}

function collect(doc: OpenApiDocument) {
  const requests: Named[] = [];
  const responses: Named[] = [];
  for (const entry of listOperations(doc)) {
    const base = { operation: entry.operationId, method: entry.method.toUpperCase(), path: examplePath(entry) };
    const body = entry.operation.requestBody ? deref<RequestBodyObject>(doc, entry.operation.requestBody) : undefined;
    for (const [name, value] of examplesOf(doc, body?.content)) requests.push({ ...base, name, status: '', value });
    responses.push(...responseExamples(doc, entry, base));
  }
  return { requests, responses };
}

/**
 * Checks what may differ between an answer and its example, then copies it over: the service root of
 * `@odata.context`, and the dates the sandbox stamps (in the vendor form, about now).
 */
function alignVaryingFields(example: Named, got: Record<string, unknown>, want: Record<string, unknown>): void {
  const context = (v: unknown) => String(v).slice(String(v).indexOf('/api/$metadata#'));
  if ('@odata.context' in want) {
    expect(context(got['@odata.context']), example.name).toBe(context(want['@odata.context']));
    got['@odata.context'] = want['@odata.context'];
  }
  for (const field of stamped[example.operation] ?? []) {
    if (example.status !== '200') continue;
    expect(got[field], `${example.name} ${field}`).toMatch(vendorDateForm);
    expect(Math.abs(Date.now() - Date.parse(String(got[field]))), `${example.name} ${field}`).toBeLessThan(60_000);
    got[field] = want[field];
  }
}

let sandbox: RunningSandbox;
let doc: OpenApiDocument;
let users = 0;
beforeAll(async () => {
  sandbox = await startSandbox();
  doc = await loadSpec('odyssee');
});
afterAll(() => sandbox.close());

/** Response examples that are a vendor page's own sample (mocks/): the vendor's answer, not the sandbox's. */
const vendorResponses = new Set(
  listSamples()
    .filter((s) => s.vendor === 'odyssee' && s.manifest.side === 'response')
    .map((s) => s.manifest.example),
);

const invalid = new Set(
  listSamples()
    .filter((s) => s.vendor === 'odyssee' && s.manifest.expect?.outcome === 'rejected')
    .map((s) => s.manifest.example),
);

describe('Odyssee examples', () => {
  it('every request example has a response example of the same name, every success at least one', async () => {
    const { requests, responses } = collect(await loadSpec('odyssee'));
    for (const r of requests)
      expect(
        responses.map((x) => x.name),
        r.name,
      ).toContain(r.name);
    for (const entry of listOperations(await loadSpec('odyssee'))) {
      expect(
        responses.filter((x) => x.operation === entry.operationId && x.status.startsWith('2')).length,
        entry.operationId,
      ).toBeGreaterThan(0);
    }
  });

  it('the first request example of every operation is one the vendor accepts', async () => {
    const { requests } = collect(await loadSpec('odyssee'));
    const first = new Map<string, string>();
    for (const r of requests) if (!first.has(r.operation)) first.set(r.operation, r.name);
    expect([...first.values()].filter((name) => invalid.has(name))).toEqual([]);
    expect(first.get('updateJob')).toBe('updateJob-corrected');
  });

  it.each([
    ['/api/Task({id})', 'getTask', 'task'],
    ['/api/Jobs({jobId})', 'getJob', 'job'],
    ['/api/Jobs({plannedJobId})/job_planning', 'listJobPlannings', 'job'],
  ])('the id example of %s is a %s key the sandbox data holds', async (path, operation, entity) => {
    const entry = listOperations(await loadSpec('odyssee')).find((e) => e.operationId === operation);
    expect(entry?.path).toBe(path);
    const param = entry?.parameters.find((p) => p.in === 'path') as
      | { example?: string; schema?: { example?: string } }
      | undefined;
    const id = String(param?.example ?? param?.schema?.example);
    expect(await sandbox.store.has('odyssee:sandbox', `odyssee.${entity}`, id)).toBe(true);
  });

  it('the planned job example has a planning to list', async () => {
    const entry = listOperations(await loadSpec('odyssee')).find((e) => e.operationId === 'listJobPlannings');
    const param = entry?.parameters.find((p) => p.in === 'path') as { schema?: { example?: string } } | undefined;
    const id = String(param?.schema?.example);
    const plannings = await sandbox.store.list<{ jobs_id: string }>('odyssee:sandbox', 'odyssee.job_planning');
    expect(plannings.some((p) => p.jobs_id === id)).toBe(true);
  });

  it('every named response example is what the sandbox answers to its request', async () => {
    const { requests, responses } = collect(doc);
    expect(responses.length).toBeGreaterThan(0);
    for (const example of responses) {
      if (vendorResponses.has(example.name)) continue;
      const request = requests.find((r) => r.name === example.name);
      const res = await call(sandbox.base.odyssee as string, {
        method: example.method,
        path: example.path,
        ...(request ? { body: JSON.stringify(request.value) } : {}),
        credentials: { user: `sandbox+examples${++users}` },
      });
      expect(String(res.status), example.name).toBe(example.status);
      const got = (await res.json()) as Record<string, unknown>;
      const want = structuredClone(example.value) as Record<string, unknown>;
      alignVaryingFields(example, got, want);
      expect(got, example.name).toEqual(want);
    }
  });
});

describe('Odyssee answer schemas', () => {
  it.each([
    ['TaskAnswer', 'Task'],
    ['JobAnswer', 'Job'],
    ['TaskActivityLogAnswer', 'TaskActivityLog'],
  ])('%s requires every property of %s but the embedded entities', async (answer, entity) => {
    const doc = await loadSpec('odyssee');
    const shape = shapeOf(doc, entity);
    const required = new Set(
      (((doc.components?.schemas?.[answer] ?? {}) as { allOf?: { required?: string[] }[] }).allOf ?? []).flatMap(
        (part) => part.required ?? [],
      ),
    );
    const embedded = shape.properties.filter((p) => shape.helpers.has(p) && shape.embedded.has(p));
    expect([...required].sort()).toEqual(shape.properties.filter((p) => !embedded.includes(p)).sort());
  });

  it('an ERP-key helper takes null (an answer carries it so), an embedded entity is an object', async () => {
    const doc = await loadSpec('odyssee');
    for (const entity of ['Task', 'Job']) {
      const shape = shapeOf(doc, entity);
      const fields = (
        (doc.components?.schemas?.[`${entity}Fields`] ?? { properties: {} }) as {
          properties: Record<string, { type?: unknown }>;
        }
      ).properties;
      for (const helper of shape.helpers) {
        if (shape.embedded.has(helper)) expect(fields[helper]?.type, helper).toBeUndefined();
        else expect(fields[helper]?.type, helper).toEqual(['string', 'null']);
      }
    }
  });
});
