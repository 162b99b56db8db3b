/** The mock's small parts, table-driven: pruning a generated sample, reading XML by schema. */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { actionOperation, actionSelector } from '../../src/mock/actions.ts';
import { pruneToValid } from '../../src/mock/repair.ts';
import { readXmlBody } from '../../src/mock/xml.ts';
import { findOperation, loadSpec } from '../../src/spec/index.ts';

const ajv = new Ajv2020({ allErrors: true, coerceTypes: false });
const coercing = new Ajv2020({ allErrors: true, coerceTypes: true });

describe('pruneToValid', () => {
  const node = {
    $id: 'node',
    type: 'object',
    required: ['id'],
    properties: {
      id: { type: 'string' },
      parent: { $ref: 'node' },
      tags: { type: 'array', items: { type: 'string' } },
    },
  };
  const validate = ajv.compile(node);
  it.each([
    ['a valid value untouched', { given: { id: 'a', parent: { id: 'b' } }, want: { id: 'a', parent: { id: 'b' } } }],
    ['a recursive stub without its required field', { given: { id: 'a', parent: { $ref: null } }, want: { id: 'a' } }],
    [
      'a stub two levels down',
      { given: { id: 'a', parent: { id: 'b', parent: {} } }, want: { id: 'a', parent: { id: 'b' } } },
    ],
    ['a bad list item', { given: { id: 'a', tags: ['x', 3, 'y'] }, want: { id: 'a', tags: ['x', 'y'] } }],
  ])('%s', (_name, { given, want }) => {
    const result = pruneToValid(structuredClone(given), validate);
    expect(result.valid).toBe(true);
    expect(result.value).toEqual(want);
  });

  it('gives up on a root that cannot be valid', () => {
    expect(pruneToValid({ parent: {} }, validate).valid).toBe(false);
  });
});

describe('readXmlBody', () => {
  const validate = coercing.compile({
    type: 'object',
    required: ['id'],
    properties: {
      id: { type: 'integer' },
      closed: { type: 'boolean' },
      data: { type: 'object' },
      details: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' } } } },
    },
  });
  it.each([
    ['types coerced by the schema', { given: '<r><id>7</id><closed>true</closed></r>', want: { id: 7, closed: true } }],
    [
      'an empty element where an object is wanted',
      { given: '<r><id>1</id><data></data></r>', want: { id: 1, data: {} } },
    ],
    [
      'a wrapped list of one',
      {
        given: '<r><id>1</id><details><detail><code>a</code></detail></details></r>',
        want: { id: 1, details: [{ code: 'a' }] },
      },
    ],
    [
      'a wrapped list of two',
      {
        given: '<r><id>1</id><details><detail><code>a</code></detail><detail><code>b</code></detail></details></r>',
        want: { id: 1, details: [{ code: 'a' }, { code: 'b' }] },
      },
    ],
  ])('reads %s', (_name, { given, want }) => {
    const read = readXmlBody(given, validate, 'r');
    expect(read.violations).toEqual([]);
    expect(read.value).toEqual(want);
  });

  it.each([
    ['a value that does not coerce', '<r><id>x</id></r>', 'body.id must be integer'],
    ['another root element', '<s><id>1</id></s>', 'body root element must be <r>, not <s>'],
    ['an entity declaration', '<!DOCTYPE r [<!ENTITY e "x">]><r><id>1</id></r>', 'DOCTYPE'],
  ])('refuses %s', (_name, given, message) => {
    const read = readXmlBody(given, validate, 'r');
    expect(read.violations.map((v) => v.message).join('; ')).toContain(message);
  });
});

describe("an iVvy action's own view of the operation", () => {
  it('keeps only the action schema and its own examples', async () => {
    const doc = await loadSpec('ivvy');
    const located = findOperation(doc, 'getTaskList');
    if (!located) throw new Error('no getTaskList');
    expect(actionSelector(located.entry)).toEqual({ parameter: 'action', actions: ['addOrUpdateTask', 'getTaskList'] });
    const view = actionOperation(doc, located.entry, 'getTaskList');
    const body = view.requestBody as { content: Record<string, { schema: unknown; examples?: object }> };
    expect(body.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/GetTaskListRequest' });
    const own = ['getTaskList-first-page', 'getTaskList-venue', 'getTaskList-filter'];
    expect(Object.keys(body.content['application/json']?.examples ?? {})).toEqual(own);
    const ok = view.responses['200'] as { content: Record<string, { examples?: object }> };
    expect(Object.keys(ok.content['application/json']?.examples ?? {})).toEqual(own);
    const bad = view.responses['400'] as { content: Record<string, { examples?: object }> };
    expect(Object.keys(bad.content['application/json']?.examples ?? {})).toEqual([
      'crm-23016',
      'getTaskList-23016',
      'getTaskList-23016-whole-number',
      'crm-23017',
    ]);
  });
});
