/** iVvy's stateful contract flows: a task added, updated and listed, an unknown id, two partners kept apart. */
import type { ContractCase, FlowContext } from '../../contract/cases.ts';
import { equals, field, flow, json, partnersIsolated, pathOf, sampleBody, unique } from '../../contract/flow-kit.ts';
import type { ContractRequest } from '../../contract/http.ts';
import type { OpenApiDocument, Sample } from '../../spec/index.ts';

export function flows(doc: OpenApiDocument, samples: readonly Sample[]): ContractCase[] {
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
    partnersIsolated(
      'ivvy',
      'task',
      {
        operation: 'addOrUpdateTask',
        request: (ctx) => call('addOrUpdateTask', { ...add, name: unique(ctx, 'name') }),
        capture,
      },
      {
        operation: 'getTaskList',
        request: () => call('getTaskList', {}),
        shows: (b, ctx) =>
          ((field(b, 'results') as { name: unknown }[] | undefined) ?? []).some((t) => t.name === ctx.name),
      },
    ),
  ];
}
