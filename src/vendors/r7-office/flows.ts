/** R7-Office's stateful contract flows: a task updated and read back, an unknown id inserted (the vendor's upsert), two partners kept apart. */
import type { ContractCase } from '../../contract/cases.ts';
import { equals, field, flow, json, partnersIsolated, pathOf, sampleBody, unique } from '../../contract/flow-kit.ts';
import type { ContractRequest } from '../../contract/http.ts';
import type { OpenApiDocument, Sample } from '../../spec/index.ts';

export function flows(doc: OpenApiDocument, samples: readonly Sample[]): ContractCase[] {
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
    partnersIsolated(
      'r7-office',
      'update',
      { operation: 'updateTask', request: (ctx) => put(unique(ctx, 'title')) },
      { operation: 'getTask', request: get, shows: (b, ctx) => title(b) === ctx.title },
    ),
  ];
}
