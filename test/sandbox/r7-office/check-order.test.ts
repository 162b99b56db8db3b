/**
 * The vendor's order of checks (CRMApi.UpdateTask and TaskDao.SaveOrUpdateTask): route → authentication → binding →
 * entityType and categoryid → the category → title, deadline → insert, or update with CanEdit.
 */
import { describe, expect, it } from 'vitest';
import { answer, call, data, type ErrorEnvelope, expectError, expectPage, operationOf } from './helpers.ts';
import { type Case, put, RANGE, raw, useRulesSandbox } from './rule-cases.ts';

const env = useRulesSandbox();

describe('the order of checks', () => {
  const reasonOf = (res: Response) => res.headers.get('x-sandbox-reason') ?? '';
  const cases: [name: string, request: Case & { token?: string }, key: string, reason: RegExp][] = [
    ['the route before authentication', { method: 'GET', id: 'abc', token: '' }, 'no-route', /taskid-route/],
    [
      'authentication before binding',
      { ...raw('{"title":', { 'content-type': 'application/json' }), token: '' },
      'unauthorized',
      /carries no credential/,
    ],
    [
      'binding before entityType',
      put({ entityType: 'x', categoryid: 'abc' }),
      'format-error',
      /categoryid "abc".*request\.binding/,
    ],
    [
      'entityType before categoryid',
      put({ entityType: 'x', categoryid: 0 }),
      'invalid-argument',
      /entityType.*entity-type/,
    ],
    [
      'categoryid before the category lookup and the title',
      { method: 'PUT', id: 1234, body: { categoryid: 0 } },
      'invalid-argument',
      /categoryid 0.*category-positive/,
    ],
    [
      'the category before the title and the deadline',
      { method: 'PUT', id: 1234, body: { categoryid: 999 } },
      'category-not-found',
      /category-exists/,
    ],
    [
      'the title before the deadline',
      { method: 'PUT', id: 1234, body: { categoryid: 30 } },
      'invalid-argument',
      /title.*required-fields/,
    ],
    [
      'the DAO’s checks before CanEdit',
      { method: 'PUT', id: data.notEditable, body: { categoryid: 30, title: 'T' } },
      'invalid-argument',
      /deadline.*required-fields/,
    ],
    [
      'an unknown category before CanEdit',
      put({ categoryid: 999 }, data.notEditable),
      'category-not-found',
      /category-exists/,
    ],
    ['CanEdit last', put({}, data.notEditable), 'forbidden', /can-edit/],
  ];

  it.each(cases)('%s', async (_name, request, key, reason) => {
    const res = await call(env.base, { ...request, token: request.token ?? env.token });
    expect(reasonOf(res)).toMatch(reason);
    if (key === 'no-route' || key === 'unauthorized') await expectPage(res, operationOf(request.method, ''), key);
    else await expectError(res, operationOf(request.method, ''), key);
  });

  it('an insert skips CanEdit but not the other checks', async () => {
    await expectError(
      await call(env.base, { ...put({ title: '' }, 0), token: env.token }),
      'updateTask',
      'invalid-argument',
    );
    await expectError(
      await call(env.base, { ...put({ categoryid: 999 }, 99999), token: env.token }),
      'updateTask',
      'category-not-found',
    );
  });

  it('every error body is the vendor’s: no field names, no reason (those are in X-Sandbox-Reason only)', async () => {
    const res = await call(env.base, { ...put({ categoryid: 0 }), token: env.token });
    const body = (await answer<ErrorEnvelope>(res, 'updateTask')).body;
    expect(body).toEqual({ status: 1, statusCode: 400, error: { message: RANGE, hresult: -2147024809, data: {} } });
    expect(reasonOf(res)).toMatch(/categoryid/);
  });
});
