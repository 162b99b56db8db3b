/** Odyssee's stateful contract flows: a task updated and read back, an unknown key, two partners kept apart. */
import { randomUUID } from 'node:crypto';
import type { ContractCase, FlowContext } from '../../contract/cases.ts';
import { equals, field, flow, json, partnersIsolated, pathOf, sampleBody, unique } from '../../contract/flow-kit.ts';
import type { ContractRequest } from '../../contract/http.ts';
import type { OpenApiDocument, Sample } from '../../spec/index.ts';

export function flows(doc: OpenApiDocument, samples: readonly Sample[]): ContractCase[] {
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
    partnersIsolated(
      'odyssee',
      'update',
      { operation: 'updateTask', request: (ctx) => put(unique(ctx, 'subject')) },
      { operation: 'getTask', request: get, shows: (b, ctx) => field(b, 'subject') === subject(ctx) },
    ),
  ];
}
