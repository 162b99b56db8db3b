import { describe, expect, it } from 'vitest';
import { toXml } from '../../src/xml/build.ts';
import { parseXml, XmlRefusedError } from '../../src/xml/parse.ts';

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
