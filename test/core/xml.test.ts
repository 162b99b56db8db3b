import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { toXml } from '../../src/xml/build.ts';
import { parseXml, XmlRefusedError } from '../../src/xml/parse.ts';
import { validateXmlValue } from '../../src/xml/read.ts';

describe('parseXml', () => {
  it('gives the root name and its children as strings', () => {
    expect(
      parseXml('<task_activity_log xmlns:i="x"><is_closed>true</is_closed><id>1</id></task_activity_log>'),
    ).toEqual({
      root: 'task_activity_log',
      value: { is_closed: 'true', id: '1' },
    });
  });

  it.each([
    ['an external entity (XXE)', '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'],
    ['an entity bomb', '<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><r>&b;</r>'],
    ['a bare DOCTYPE', '<!doctype r><r/>'],
    ['malformed XML', '<r><a></r>'],
    ['two roots', '<a/><b/>'],
    ['no XML at all', 'not xml'],
  ])('refuses %s', (_name, text) => {
    expect(() => parseXml(text)).toThrow(XmlRefusedError);
  });
});

describe('toXml', () => {
  it('writes the DataContract form: xmlns:i on the root, children alphabetical, nulls as i:nil', () => {
    const xml = toXml({ subject: 's', archived: true, id2: 26, due_date: null, '@odata.context': 'x' }, 'task', {
      alphabetical: true,
      dataContract: true,
    });
    expect(xml).toBe(
      '<task xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><archived>true</archived><due_date i:nil="true"></due_date><id2>26</id2><subject>s</subject></task>',
    );
  });

  it('keeps the given order without DataContract, and round-trips through parseXml', () => {
    const xml = toXml({ status: 0, response: { title: 'a & b', id: 1 } }, 'result', {
      alphabetical: false,
      dataContract: false,
    });
    expect(xml).toBe('<result><status>0</status><response><title>a &amp; b</title><id>1</id></response></result>');
    expect(parseXml(xml).value).toEqual({ status: '0', response: { title: 'a & b', id: '1' } });
  });
});

describe('validateXmlValue: one reading of XML against a schema for the sandbox, the mock and the suite', () => {
  const ajv = new Ajv2020({ coerceTypes: true, allErrors: true, strict: false });
  const validate = ajv.compile({
    type: 'object',
    properties: {
      id: { type: 'integer' },
      data: { type: 'object' },
      details: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' } } } },
      tags: { type: 'array', items: { type: 'string' } },
    },
  });
  const read = (xml: string) => {
    const { value } = parseXml(xml);
    return { valid: validateXmlValue(value, validate), value };
  };

  it('reads an empty element as the empty object or list the schema wants', () => {
    expect(read('<r><id>1</id><data></data><details/></r>')).toEqual({
      valid: true,
      value: { id: 1, data: {}, details: [] },
    });
  });

  it("reads a wrapper element as the list of its children (DataContract's list) and one child as a list of one", () => {
    expect(read('<r><details><detail><code>a</code></detail><detail><code>b</code></detail></details></r>')).toEqual({
      valid: true,
      value: { details: [{ code: 'a' }, { code: 'b' }] },
    });
    expect(read('<r><tags><tag>x</tag></tags></r>').value).toEqual({ tags: ['x'] });
  });

  it('leaves what no reading makes valid invalid, with the validator’s errors', () => {
    const { valid } = read('<r><id>one</id></r>');
    expect(valid).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(['/id']);
  });
});
