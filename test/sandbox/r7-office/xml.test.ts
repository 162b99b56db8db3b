/** The `.xml` paths: the same envelope and task as the JSON form, as XML with the root element <result>. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXml } from '../../../src/xml/parse.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import { answer, call, expectError, readTask, tokenFor, validBody } from './helpers.ts';

let sandbox: RunningSandbox;
let base: string;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base['r7-office'] as string;
  token = await tokenFor(base);
});
afterAll(() => sandbox.close());

/** JSON as XML reads it back: every leaf text. */
const asXmlText = (value: unknown): unknown =>
  typeof value === 'object' && value !== null
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asXmlText(v)]))
    : String(value);

describe('GET and PUT task/{taskid}.xml', () => {
  it.each([1234, 1235, 1236, 1237])('task %i: <result> with the same content as the JSON answer', async (id) => {
    const res = await call(base, { id, xml: true, token });
    const { status, text } = await answer(res, 'getTaskXml');
    expect(status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(text).not.toMatch(/^<\?xml/); // no declaration, as the page's sample
    const parsed = parseXml(text);
    expect(parsed.root).toBe('result');
    expect(parsed.value).toEqual(asXmlText(await readTask(base, token, id)));
  });

  it('PUT answers the updated task as XML; GET .xml and GET read the same back', async () => {
    const body = validBody({ title: 'A & B <offer>', description: 'Ünïcödé — «ok»', alertValue: 30, contactid: 1240 });
    const { status, text } = await answer(await call(base, { method: 'PUT', xml: true, token, body }), 'updateTaskXml');
    expect(status).toBe(200);
    expect(text).toContain('<title>A &amp; B &lt;offer&gt;</title>');
    expect(text).toContain('<description>Ünïcödé — «ok»</description>');
    const json = await readTask(base, token);
    expect(json.response).toMatchObject({
      title: 'A & B <offer>',
      alertValue: 30,
      contact: { id: 1240, isCompany: true },
    });
    const again = await answer(await call(base, { xml: true, token }), 'getTaskXml');
    expect(again.text).toBe(text);
  });

  it('Accept: application/xml gets application/xml', async () => {
    const res = await call(base, { xml: true, token, headers: { accept: 'application/xml' } });
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect((await answer(res, 'getTaskXml')).status).toBe(200);
  });

  it('errors are XML too: the error envelope as <result>', async () => {
    const res = await call(base, { method: 'PUT', xml: true, token, body: validBody({ categoryid: 777 }) });
    const body = await expectError(res, 'updateTaskXml', 'category-not-found', 'Category is not found');
    expect(body.error.data).toBe(''); // <data></data>: the empty Data dictionary
  });

  it('the plain path still answers JSON whatever Accept asks for XML', async () => {
    const res = await call(base, { token, headers: { accept: 'application/xml, application/json;q=0.5' } });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await answer(res, 'getTask')).status).toBe(200);
  });
});
