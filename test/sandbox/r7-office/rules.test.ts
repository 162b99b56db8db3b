/**
 * Every x-rules id of the R7-Office spec with cases the vendor accepts and cases it refuses (or, for a rule that
 * checks nothing, what it lets through; rule-cases.ts), on the JSON and the XML path. The order in which the vendor
 * checks them is check-order.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { listRules, loadSpec } from '../../../src/spec/index.ts';
import {
  answer,
  call,
  expectError,
  expectPage,
  operationOf,
  readTask,
  type Suffix,
  signIn,
  type TaskEnvelope,
  validBody,
} from './helpers.ts';
import { accepts, type Case, lenient, rejects, useRulesSandbox } from './rule-cases.ts';

const env = useRulesSandbox();

const send = (request: Case, xml: Suffix) => call(env.base, { ...request, xml, token: env.token });

describe.each([
  ['JSON', ''],
  ['XML', '.xml'],
] as const)('%s path', (_label, suffix) => {
  it.each(accepts)('%s accepts %s', async (_rule, _name, request, check) => {
    const res = await send(request, suffix);
    const { status, body, text } = await answer<TaskEnvelope>(res, operationOf(request.method, suffix));
    expect(status, text).toBe(200);
    // The .xml path answers JSON to a JSON request (JsonNetSerializer.IsXmlRequest).
    const json =
      suffix === '' ||
      /^application\/json(;|$)/.test(
        request.headers?.['content-type'] ?? (typeof request.body === 'object' ? 'application/json' : ''),
      );
    if (json) {
      expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
      expect(body).toMatchObject({ count: 1, status: 0, statusCode: 200 });
      check(body.response);
    } else {
      expect(res.headers.get('content-type')).toBe('text/xml; charset=UTF-8');
      expect(text).toMatch(/^<result><count>1<\/count><status>0<\/status><statusCode>200<\/statusCode><response>/);
    }
  });

  it.each(rejects)('%s refuses %s', async (_rule, _name, request, key, message) => {
    const before = await readTask(env.base, env.token, 1234);
    const res = await send(request, suffix);
    // On the .xml path a Content-Type the serializer cannot read fails the answer as well: the host's 500 page.
    if (suffix === '.xml' && key === 'invalid-content-type')
      await expectPage(res, operationOf(request.method, suffix), 'server-error-page');
    else await expectError(res, operationOf(request.method, suffix), key, message);
    expect(await readTask(env.base, env.token, 1234)).toEqual(before);
  });
});

describe('rules outside the method', () => {
  it('r7-office.task.taskid-route refuses -1, abc and 1.5 with the host’s 404 page', async () => {
    for (const id of ['-1', 'abc', '1.5', '%20']) {
      await expectPage(await call(env.base, { id, token: env.token }), 'getTask', 'no-route');
      await expectPage(
        await call(env.base, { id, token: env.token, method: 'PUT', body: validBody() }),
        'updateTask',
        'no-route',
      );
    }
  });

  it('r7-office.auth.credentials accepts the sandbox user and refuses a wrong password with 500', async () => {
    expect((await answer(await signIn(env.base), 'authenticate')).status).toBe(201);
    await expectError(
      await signIn(env.base, 'sandbox+rules@example.com', 'wrong'),
      'authenticate',
      'authentication-failed',
      'User authentication failed',
    );
  });

  it('r7-office.auth.brute-force accepts five failures and refuses the sixth attempt', async () => {
    for (let i = 0; i < 5; i++)
      await expectError(
        await signIn(env.base, 'sandbox+rules-bf@example.com', 'wrong'),
        'authenticate',
        'authentication-failed',
      );
    await expectError(await signIn(env.base, 'sandbox+rules-bf@example.com'), 'authenticate', 'login-blocked');
  });
});

it('every x-rules id of the spec has accept and reject (or lenient) cases here', async () => {
  const ids = new Set(listRules(await loadSpec('r7-office')).map((r) => r.rule.id));
  const outside = ['r7-office.auth.credentials', 'r7-office.auth.brute-force', 'r7-office.task.taskid-route'];
  const accepted = new Set([...accepts.map((a) => a[0]), ...outside]);
  const rejected = new Set([...rejects.map((r) => r[0]), ...Object.keys(lenient), ...outside]);
  expect([...accepted].sort()).toEqual([...ids].sort());
  expect([...rejected].sort()).toEqual([...ids].sort());
});

it('the refusals of every rule with an error raise the x-errors key it names', async () => {
  const doc = await loadSpec('r7-office');
  const raised: [string, string][] = [
    ...rejects.map((r): [string, string] => [r[0], r[3]]),
    ['r7-office.auth.credentials', 'authentication-failed'],
    ['r7-office.auth.brute-force', 'login-blocked'],
    ['r7-office.task.taskid-route', 'no-route'],
  ];
  for (const { rule } of listRules(doc)) {
    const keys = new Set(raised.filter(([id]) => id === rule.id).map(([, key]) => key));
    if (rule.error) expect([...keys], rule.id).toContain(rule.error);
    else expect(Object.keys(lenient).concat('r7-office.request.form-body'), rule.id).toContain(rule.id);
  }
});
