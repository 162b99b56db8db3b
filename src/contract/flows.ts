/**
 * Stateful flows: write, update, read back; an update of an unknown id; two partners who must not see each other's
 * writes. They need a target that keeps state. Each flow is the vendor API's own semantics, so it names the
 * operations; paths come from the spec and bodies from the documented samples.
 */
import { randomUUID } from 'node:crypto';
import { findOperation, listSamples, type OpenApiDocument, type Sample } from '../spec/index.ts';
import { type CaseStep, type ContractCase, type FlowContext, fillPath } from './cases.ts';
import type { ContractRequest } from './http.ts';

const json = { 'content-type': 'application/json', accept: 'application/json' };

function sampleBody(samples: Sample[], vendor: string, operation: string): Record<string, unknown> {
  const sample = samples.find(
    (s) =>
      s.vendor === vendor &&
      s.manifest.operation === operation &&
      s.manifest.side === 'request' &&
      s.format === 'json' &&
      s.manifest.expect?.outcome === 'accepted',
  );
  if (!sample) throw new Error(`no accepted JSON sample of ${vendor} ${operation} to build a flow on`);
  return JSON.parse(sample.bytes.toString('utf8')) as Record<string, unknown>;
}

function pathOf(
  doc: OpenApiDocument,
  operation: string,
  params: Record<string, string | number>,
  query?: Record<string, string>,
): string {
  const found = findOperation(doc, operation);
  if (!found) throw new Error(`no operation ${operation}`);
  const path = fillPath(found.entry.path, params);
  return query ? `${path}?${new URLSearchParams(query)}` : path;
}

/** A value unique to this run, kept in the flow's context under `key` so later steps can look for it. */
function unique(ctx: FlowContext, key: string): string {
  ctx[key] ??= `contract ${randomUUID().slice(0, 8)}`;
  return String(ctx[key]);
}

const field = (body: unknown, name: string): unknown =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
const equals = (what: string, got: unknown, want: unknown) =>
  got === want ? [] : [`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`];

function flow(
  vendor: string,
  operation: string,
  suffix: string,
  title: string,
  steps: CaseStep[],
  rule?: string,
): ContractCase {
  return {
    id: `${vendor}/${operation}/flow/${suffix}`,
    vendor,
    operation,
    kind: 'flow',
    title,
    fields: [],
    needs: ['state'],
    steps,
    ...(rule ? { rule } : {}),
  };
}

function odyssee(doc: OpenApiDocument, samples: Sample[]): ContractCase[] {
  const base = sampleBody(samples, 'odyssee', 'updateTask');
  const id = String(base.id);
  const put = (subject: string, key = id): ContractRequest => ({
    method: 'PUT',
    path: pathOf(doc, 'updateTask', { id: key }),
    headers: json,
    body: JSON.stringify({ ...base, id: key, subject }),
  });
  const get = (): ContractRequest => ({
    method: 'GET',
    path: pathOf(doc, 'getTask', { id }),
    headers: { accept: 'application/json' },
  });
  const subject = (ctx: FlowContext) => String(ctx.subject);
  return [
    flow('odyssee', 'updateTask', 'write-read-back', 'an update is read back', [
      {
        operation: 'updateTask',
        auth: 'partner',
        request: (ctx) => put(unique(ctx, 'subject')),
        expect: { kind: 'status', status: 200 },
        verify: (b, ctx) => equals('subject', field(b, 'subject'), subject(ctx)),
      },
      {
        operation: 'getTask',
        auth: 'partner',
        request: get,
        expect: { kind: 'status', status: 200 },
        verify: (b, ctx) => equals('subject read back', field(b, 'subject'), subject(ctx)),
      },
    ]),
    flow('odyssee', 'updateTask', 'unknown-key', 'an update of an unknown key is refused', [
      {
        operation: 'updateTask',
        auth: 'partner',
        request: () => put('x', randomUUID()),
        expect: { kind: 'status', status: 404 },
      },
    ]),
    flow('odyssee', 'updateTask', 'partners-isolated', "a second partner does not see the first one's update", [
      {
        operation: 'updateTask',
        auth: 'partner',
        request: (ctx) => put(unique(ctx, 'subject')),
        expect: { kind: 'status', status: 200 },
      },
      {
        operation: 'getTask',
        auth: 'other-partner',
        request: get,
        expect: { kind: 'status', status: 200 },
        verify: (b, ctx) =>
          field(b, 'subject') === subject(ctx) ? ["the second partner sees the first partner's subject"] : [],
      },
    ]),
  ];
}

function ivvy(doc: OpenApiDocument, samples: Sample[]): ContractCase[] {
  const add = sampleBody(samples, 'ivvy', 'addOrUpdateTask');
  const call = (action: string, body: unknown): ContractRequest => ({
    method: 'POST',
    path: pathOf(doc, action, {}, { action }),
    headers: json,
    body: JSON.stringify(body),
  });
  const listed = (b: unknown, id: unknown) =>
    ((field(b, 'results') as { id: unknown; name: unknown }[] | undefined) ?? []).find((t) => t.id === id);
  const capture = (b: unknown, ctx: FlowContext) => {
    ctx.id = field(b, 'id');
  };
  return [
    flow('ivvy', 'addOrUpdateTask', 'add-update-read-back', 'a task added, then updated, is read back', [
      {
        operation: 'addOrUpdateTask',
        auth: 'partner',
        request: (ctx) => call('addOrUpdateTask', { ...add, name: unique(ctx, 'name') }),
        expect: { kind: 'status', status: 200 },
        capture,
      },
      {
        operation: 'addOrUpdateTask',
        auth: 'partner',
        request: (ctx) => call('addOrUpdateTask', { id: ctx.id, name: `${ctx.name} updated` }),
        expect: { kind: 'status', status: 200 },
        verify: (b, ctx) => equals('id', field(b, 'id'), ctx.id),
      },
      {
        operation: 'getTaskList',
        auth: 'partner',
        request: () => call('getTaskList', {}),
        expect: { kind: 'status', status: 200 },
        verify: (b, ctx) => equals('name read back', listed(b, ctx.id)?.name, `${ctx.name} updated`),
      },
    ]),
    flow(
      'ivvy',
      'addOrUpdateTask',
      'unknown-id',
      'an update of an unknown task is refused',
      [
        {
          operation: 'addOrUpdateTask',
          auth: 'partner',
          request: () => call('addOrUpdateTask', { id: 2_000_000_000, name: 'x' }),
          expect: { kind: 'client-error' },
          verify: (b) => (field(b, 'specificCode') === undefined ? ['no specificCode'] : []),
        },
      ],
      'ivvy.task.update-requires-known-id',
    ),
    flow('ivvy', 'addOrUpdateTask', 'partners-isolated', "a second partner does not see the first one's task", [
      {
        operation: 'addOrUpdateTask',
        auth: 'partner',
        request: (ctx) => call('addOrUpdateTask', { ...add, name: unique(ctx, 'name') }),
        expect: { kind: 'status', status: 200 },
        capture,
      },
      {
        operation: 'getTaskList',
        auth: 'other-partner',
        request: () => call('getTaskList', {}),
        expect: { kind: 'status', status: 200 },
        verify: (b, ctx) =>
          ((field(b, 'results') as { name: unknown }[] | undefined) ?? []).some((t) => t.name === ctx.name)
            ? ["the second partner lists the first partner's task"]
            : [],
      },
    ]),
  ];
}

function r7(doc: OpenApiDocument, samples: Sample[]): ContractCase[] {
  const sample = samples.find(
    (s) =>
      s.vendor === 'r7-office' && s.manifest.operation === 'updateTask' && s.manifest.expect?.outcome === 'accepted',
  );
  const base = sampleBody(samples, 'r7-office', 'updateTask');
  const taskid = sample?.manifest.replay?.path?.taskid ?? 1;
  const put = (title: string, id: string | number = taskid): ContractRequest => ({
    method: 'PUT',
    path: pathOf(doc, 'updateTask', { taskid: id }),
    headers: json,
    body: JSON.stringify({ ...base, title }),
  });
  const get = (): ContractRequest => ({
    method: 'GET',
    path: pathOf(doc, 'getTask', { taskid }),
    headers: { accept: 'application/json' },
  });
  const title = (b: unknown) => field(field(b, 'response'), 'title');
  return [
    flow('r7-office', 'updateTask', 'write-read-back', 'an update is read back', [
      {
        operation: 'updateTask',
        auth: 'partner',
        request: (ctx) => put(unique(ctx, 'title')),
        expect: { kind: 'status', status: 200 },
        verify: (b, ctx) => equals('title', title(b), ctx.title),
      },
      {
        operation: 'getTask',
        auth: 'partner',
        request: get,
        expect: { kind: 'status', status: 200 },
        verify: (b, ctx) => equals('title read back', title(b), ctx.title),
      },
    ]),
    flow(
      'r7-office',
      'updateTask',
      'unknown-id',
      'an update of an unknown task creates it under a new id, which reads back',
      [
        {
          operation: 'updateTask',
          auth: 'partner',
          request: (ctx) => put(unique(ctx, 'title'), 2_000_000_000),
          expect: { kind: 'status', status: 200 },
          verify: (b) => {
            const id = field(field(b, 'response'), 'id');
            return typeof id === 'number' && id !== 2_000_000_000
              ? []
              : [`expected a new id, got ${JSON.stringify(id)}`];
          },
          capture: (b, ctx) => {
            ctx.id = field(field(b, 'response'), 'id');
          },
        },
        {
          operation: 'getTask',
          auth: 'partner',
          request: (ctx) => ({
            method: 'GET',
            path: pathOf(doc, 'getTask', { taskid: String(ctx.id) }),
            headers: { accept: 'application/json' },
          }),
          expect: { kind: 'status', status: 200 },
          verify: (b, ctx) => equals('title read back', title(b), ctx.title),
        },
      ],
      'r7-office.task.upsert',
    ),
    flow('r7-office', 'updateTask', 'partners-isolated', "a second partner does not see the first one's update", [
      {
        operation: 'updateTask',
        auth: 'partner',
        request: (ctx) => put(unique(ctx, 'title')),
        expect: { kind: 'status', status: 200 },
      },
      {
        operation: 'getTask',
        auth: 'other-partner',
        request: get,
        expect: { kind: 'status', status: 200 },
        verify: (b, ctx) => (title(b) === ctx.title ? ["the second partner sees the first partner's title"] : []),
      },
    ]),
  ];
}

const byVendor: Record<string, (doc: OpenApiDocument, samples: Sample[]) => ContractCase[]> = {
  odyssee,
  ivvy,
  'r7-office': r7,
};

export function flowCases(vendor: string, doc: OpenApiDocument, samples: Sample[] = listSamples()): ContractCase[] {
  return byVendor[vendor]?.(doc, samples) ?? [];
}
