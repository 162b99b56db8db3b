/** The negative cases generated from the specs name the rule they break, through the rules' `keyword` + `fields`. */
import { describe, expect, it } from 'vitest';
import { negativeCases } from '../../src/contract/cases.ts';
import { findOperation, keywordsOf, listRules, loadSpec, vendors } from '../../src/spec/index.ts';

/** The keyword a negative case breaks, by the prefix of its id; undefined for a case no schema keyword decides. */
const keywordOfCase: [RegExp, string][] = [
  [/^missing-/, 'required'],
  [/^group-\d+-empty$/, 'anyOf'],
  [/^max-length-/, 'maxLength'],
  [/^enum-/, 'enum'],
];

type Doc = Awaited<ReturnType<typeof loadSpec>>;
type Case = ReturnType<typeof negativeCases>[number];
type Rule = ReturnType<typeof listRules>[number]['rule'];

/** One case against its rule: the rule exists when a keyword decides the case, names it and the fields, and is the operation's own. */
function expectRuleOfCase(doc: Doc, c: Case, byId: Map<string, Rule>): void {
  const suffix = c.id.split('/').pop() ?? '';
  const keyword = keywordOfCase.find(([re]) => re.test(suffix))?.[1];
  const rule = c.rule ? byId.get(c.rule) : undefined;
  // A server rule's schema part (r7-office.auth.credentials: a missing userName fails the schema first) counts.
  if (keyword) expect(rule, c.id).toBeDefined();
  if (!rule) return;
  if (keyword) expect(keywordsOf(rule), c.id).toContain(keyword);
  for (const field of c.fields) expect(rule.fields, c.id).toContain(field);
  const located = findOperation(doc, c.operation);
  const own = [...(located?.entry.operation['x-rules'] ?? []), ...(located?.action?.object['x-rules'] ?? [])];
  expect(
    own.map((r) => r.id),
    c.id,
  ).toContain(rule.id);
}

describe.each(vendors.map((v) => [v.name] as const))('%s', (name) => {
  it('gives every missing-, group-, max-length- and enum- case the rule naming its keyword and field', async () => {
    const doc = await loadSpec(name);
    const byId = new Map(listRules(doc).map((r) => [r.rule.id, r.rule]));
    for (const c of negativeCases(name, doc)) expectRuleOfCase(doc, c, byId);
  });
});

describe('type- and path- cases', () => {
  it('carry the rule of the field only when a rule names `type` there', async () => {
    const cases = new Map(negativeCases('r7-office', await loadSpec('r7-office')).map((c) => [c.id, c]));
    // R7-Office's title takes any JSON scalar (a list of types): the case sends an object; no rule names `type` there.
    expect(cases.get('r7-office/updateTask/negative/type-title')?.rule).toBeUndefined();
    // categoryid takes a number or its text (anyOf): no type case at all.
    expect(cases.has('r7-office/updateTask/negative/type-categoryid')).toBe(false);
    // taskid is digits (a pattern): its malformed case breaks the route rule of either operation.
    expect(cases.get('r7-office/getTask/negative/path-taskid-invalid')?.rule).toBe('r7-office.task.taskid-route');
    expect(cases.get('r7-office/updateTask/negative/path-taskid-invalid')?.rule).toBe('r7-office.task.taskid-route');
    const ivvy = new Map(negativeCases('ivvy', await loadSpec('ivvy')).map((c) => [c.id, c]));
    expect(ivvy.get('ivvy/getTaskList/negative/type-perPage')?.rule).toBe('ivvy.task-list.paging');
  });
});

describe('an operation without a sample of its own', () => {
  it("takes the body and path of the operation that shares its request schema (R7's updateTaskXml)", async () => {
    const cases = negativeCases('r7-office', await loadSpec('r7-office'));
    const xml = cases.filter((c) => c.operation === 'updateTaskXml');
    const twin = cases.filter((c) => c.operation === 'updateTask');
    const suffixes = (list: typeof cases) => list.map((c) => c.id.split('/').pop());
    expect(suffixes(xml)).toEqual(suffixes(twin));
    const missing = xml.find((c) => c.id.endsWith('/missing-title'));
    const request = missing?.steps[0]?.request({});
    expect(request?.path).toBe('/api/2.0/crm/task/1234.xml');
    expect(JSON.parse(String(request?.body))).toMatchObject({ deadline: expect.any(String), categoryid: 1234 });
    expect(JSON.parse(String(request?.body))).not.toHaveProperty('title');
  });
});
