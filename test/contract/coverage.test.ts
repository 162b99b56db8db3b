/** What the reports count as covered, from the specs and from the cases' records. */
import { describe, expect, it } from 'vitest';
import { type CaseRecord, documentedKey, specOperations, vendorReport } from '../../src/contract/coverage.ts';
import { listOperations, listRules, loadSpec } from '../../src/spec/index.ts';

const ivvy = await loadSpec('ivvy');
const r7 = await loadSpec('r7-office');

describe('specOperations', () => {
  it("counts iVvy's x-actions as its operations, each with its own and the operation's responses and rules", () => {
    const ops = specOperations(ivvy);
    const [crm] = listOperations(ivvy);
    const actions = Object.keys(crm?.operation['x-actions'] ?? {});
    expect(ops.map((o) => o.name)).toEqual(actions);
    const add = ops.find((o) => o.name === 'addOrUpdateTask');
    expect(add).toMatchObject({ method: 'POST', path: '/api/1.0/crm?action=addOrUpdateTask' });
    for (const status of Object.keys(crm?.operation.responses ?? {})) expect(add?.statuses).toContain(status);
    const rules = listRules(ivvy).filter((r) => r.action === 'addOrUpdateTask');
    expect(add?.rules).toEqual(rules.map((r) => r.rule.id));
    expect(add?.fields).toEqual(expect.arrayContaining(['name', 'endDatetime', 'leadId', 'status']));
  });

  it('takes the fields of a body from its JSON schema, and none for an operation without a body', () => {
    const ops = new Map(specOperations(r7).map((o) => [o.name, o]));
    expect(ops.get('getTask')?.fields).toEqual([]);
    expect(ops.get('authenticate')?.fields).toEqual(['userName', 'password', 'provider']);
    expect(ops.get('updateTask')?.fields).toEqual(expect.arrayContaining(['title', 'deadline', 'categoryid']));
  });
});

describe('documentedKey', () => {
  const cases: [string, { given: [string[], number]; want: string | undefined }][] = [
    ['an exact status', { given: [['200', '4XX'], 200], want: '200' }],
    ['a range', { given: [['200', '4XX'], 418], want: '4XX' }],
    ['default', { given: [['200', 'default'], 503], want: 'default' }],
    ['undocumented', { given: [['200', '400'], 500], want: undefined }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(documentedKey(...given)).toBe(want);
  });
});

describe('vendorReport', () => {
  const record = (over: Partial<CaseRecord>): CaseRecord => ({
    id: 'x',
    vendor: 'r7-office',
    operation: 'updateTask',
    kind: 'negative',
    title: 't',
    fields: [],
    outcome: 'passed',
    problems: [],
    exchanges: [],
    ...over,
  });
  const records = [
    record({ fields: ['title'], exchanges: [{ operation: 'updateTask', status: 400 }] }),
    record({
      rule: 'r7-office.task.entity-type',
      outcome: 'failed',
      exchanges: [{ operation: 'updateTask', status: 200 }],
    }),
    // A flow's read-back counts for the operation it read, not the case's.
    record({
      kind: 'flow',
      rule: 'r7-office.task.upsert',
      outcome: 'expected-failure',
      exchanges: [
        { operation: 'updateTask', status: 200 },
        { operation: 'getTask', status: 599 },
      ],
    }),
    // Left out by --grep: counted as skipped, covering nothing.
    record({ operation: 'authenticate', outcome: 'skipped', fields: ['userName'], rule: 'r7-office.auth.credentials' }),
  ];
  const report = vendorReport('r7-office', r7, 'http://h/r7', records);
  const op = (name: string) => report.operations.find((o) => o.name === name);

  it('marks documented statuses observed, and names the undocumented ones', () => {
    expect(
      op('updateTask')
        ?.statuses.filter((s) => s.observed)
        .map((s) => s.status),
    ).toEqual(['200', '400']);
    expect(op('getTask')?.undocumented).toEqual([599]);
    expect(op('getTask')?.covered).toBe(true);
  });

  it('gives each rule the worst outcome of the cases that exercise it', () => {
    const rules = Object.fromEntries((op('updateTask')?.rules ?? []).map((r) => [r.id, r.outcome]));
    expect(rules['r7-office.task.entity-type']).toBe('failed');
    expect(rules['r7-office.task.upsert']).toBe('expected-failure');
    expect(rules['r7-office.task.required-fields']).toBe('not exercised');
  });

  it('counts fields, rules and operations only for cases that ran', () => {
    expect(
      op('updateTask')
        ?.fields.filter((f) => f.exercised)
        .map((f) => f.name),
    ).toEqual(['title']);
    expect(op('authenticate')).toMatchObject({ covered: false, totals: { skipped: 1 } });
    expect(report.coverage.rules).toEqual({ covered: 2, total: new Set(listRules(r7).map((r) => r.rule.id)).size });
    expect(report.coverage.operations).toEqual({ covered: 2, total: listOperations(r7).length });
    expect(report.totals).toEqual({ cases: 4, passed: 1, failed: 1, expectedFailures: 1, skipped: 1 });
  });
});
