/**
 * fast-check arbitraries for hostile request parts: JSON values whose object keys include the dangerous ones
 * (`__proto__`, `constructor`, `prototype`) and the operation's own field names, JSON texts JSON.stringify never
 * writes, XML documents and near-XML, raw bytes, and the headers and query strings that go with them.
 */
import fc from 'fast-check';
import type { Json } from './targets.ts';

/** Keys that pollute a prototype when a parser or a merge assigns them naively. */
export const dangerousKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** An object with exactly these own entries, `__proto__` included as a plain own key (as JSON.parse makes it). */
export function objectOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Object keys: arbitrary strings, the operation's field names, and the dangerous keys. */
export function keyArbitrary(fields: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constantFrom(...dangerousKeys) },
    ...(fields.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...fields) }] : []),
  );
}

const scalar: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 2, 1e308, Number.MIN_VALUE),
  fc.string({ maxLength: 24 }),
  fc.string({ maxLength: 24, unit: 'binary' }),
  fc.constantFrom('', ' ', 'true', '1', 'null', '2025-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000000'),
);

/** Any JSON value (as a JS value; objects may own `__proto__`), depth-bounded. */
export function jsonArbitrary(fields: readonly string[] = []): fc.Arbitrary<Json> {
  const key = keyArbitrary(fields);
  return fc.letrec<{ value: Json }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 5 },
      scalar,
      fc.array(tie('value'), { maxLength: 5 }),
      fc.array(fc.tuple(key, tie('value')), { maxLength: 6 }).map((entries) => objectOf(entries) as Json),
    ),
  })).value;
}

/** JSON texts: stringified values (mostly objects), and texts JSON.stringify never writes. */
export function jsonTextArbitrary(fields: readonly string[]): fc.Arbitrary<string> {
  const key = keyArbitrary(fields);
  const value = jsonArbitrary(fields);
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.tuple(key, value), { maxLength: 8 }).map((e) => JSON.stringify(objectOf(e))) },
    { weight: 2, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '1e400',
        '{"a": 1e400}',
        '123456789012345678901234567890',
        '{"a": 1, "a": 2}',
        '{"__proto__": {"polluted": "yes"}}',
        '{"constructor": {"prototype": {"polluted": "yes"}}}',
        '{"a": "\\ud800"}',
        '{"a": "\\u0000"}',
        '\ufeff{}',
        '{} {}',
        '{"a":',
        '[',
        '"',
        '',
        ' ',
        'null',
        'NaN',
        "{'a': 1}",
      ),
    },
  );
}

const xmlNameChars = /^[A-Za-z_][\w.-]{0,10}$/;
const escapeXml = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

/** XML documents (well-formed or nearly), with the operation's root and field names as element names. */
export function xmlTextArbitrary(root: string | undefined, fields: readonly string[]): fc.Arbitrary<string> {
  const names = [...(root ? [root] : []), ...fields, ...dangerousKeys];
  const name = fc.oneof(fc.constantFrom(...names), fc.stringMatching(xmlNameChars));
  const text = fc.oneof(
    fc.string({ maxLength: 20 }).map(escapeXml),
    fc.string({ maxLength: 20 }),
    fc.constantFrom('&amp;', '&lt;&gt;', '&#x0;', '&#65;', '&nbsp;', '&unknown;', '<![CDATA[a<b]]>', '<!-- c -->'),
  );
  const attributes = fc.constantFrom(
    '',
    ' a="1"',
    ' xmlns="urn:x"',
    ' xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:nil="true"',
    " a='&#x1;'",
  );
  const element = fc.letrec<{ node: string }>((tie) => ({
    node: fc
      .tuple(
        name,
        attributes,
        fc.oneof({ depthSize: 'small', maxDepth: 4 }, text, fc.array(tie('node'), { maxLength: 4 })),
      )
      .map(([n, a, c]) => `<${n}${a}>${Array.isArray(c) ? c.join('') : c}</${n}>`),
  })).node;
  const rootElement = fc
    .tuple(root ? fc.constantFrom(root) : name, fc.array(element, { maxLength: 6 }))
    .map(([n, children]) => `<${n}>${children.join('')}</${n}>`);
  const prolog = fc.constantFrom(
    '',
    '<?xml version="1.0"?>',
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<?xml version="1.1" standalone="yes"?>',
    '<!-- a comment -->',
    '<?pi data?>',
    '<!DOCTYPE x>',
    '<!DOCTYPE x [<!ENTITY e "e">]>',
    '\ufeff',
  );
  const tail = fc.constantFrom('', '\n', '<extra/>', 'text', '<', '</unopened>');
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(prolog, rootElement, tail).map((p) => p.join('')) },
    { weight: 1, arbitrary: fc.tuple(prolog, element, tail).map((p) => p.join('')) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((s) => `<${s}`) },
  );
}

/** A request body of any kind, with the Content-Type it goes with (or none). */
export interface FuzzBody {
  kind: 'json' | 'xml' | 'bytes' | 'text';
  contentType: string | undefined;
  body: string | Uint8Array;
}

export const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'text/json',
  'application/xml',
  'text/xml',
  'text/xml; charset=iso-8859-1',
  'text/plain',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/*',
  'application/json, text/xml',
  'application/problem+json',
  '*/*',
  'json',
  '',
];

export function bodyArbitrary(
  mediaTypes: readonly string[],
  root: string | undefined,
  fields: readonly string[],
): fc.Arbitrary<FuzzBody> {
  const typed = (kind: FuzzBody['kind'], bodies: fc.Arbitrary<string | Uint8Array>, preferred: string[]) =>
    fc
      .tuple(
        bodies,
        fc.oneof(
          { weight: 4, arbitrary: preferred.length > 0 ? fc.constantFrom(...preferred) : fc.constant(undefined) },
          { weight: 1, arbitrary: fc.option(fc.constantFrom(...contentTypes), { nil: undefined }) },
        ),
      )
      .map(([body, contentType]): FuzzBody => ({ kind, body, contentType }));
  const json = mediaTypes.filter((m) => m.includes('json'));
  const xml = mediaTypes.filter((m) => m.includes('xml'));
  return fc.oneof(
    { weight: 4, arbitrary: typed('json', jsonTextArbitrary(fields), json) },
    { weight: 3, arbitrary: typed('xml', xmlTextArbitrary(root, fields), xml.length > 0 ? xml : ['application/xml']) },
    { weight: 1, arbitrary: typed('bytes', fc.uint8Array({ maxLength: 1024 }), mediaTypes as string[]) },
    { weight: 1, arbitrary: typed('text', fc.string({ maxLength: 200, unit: 'binary' }), mediaTypes as string[]) },
  );
}

/** Query parameters: arbitrary pairs, pollution attempts and (for Odyssee) OData options. */
export const queryArbitrary: fc.Arbitrary<[string, string][]> = fc.array(
  fc.tuple(
    fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.constantFrom(
        ...dangerousKeys,
        '__proto__[polluted]',
        '__proto__.polluted',
        'constructor[prototype][polluted]',
        'action',
        '$filter',
        '$top',
        '$select',
        'a[]',
        '',
      ),
    ),
    fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('yes', '', '[]', '{}', 'getTaskList', '-1', '1e400')),
  ),
  { maxLength: 4 },
);

/** Values for a path parameter: arbitrary strings and near-misses of valid ones. */
export function pathValueArbitrary(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ maxLength: 40, unit: 'binary' }),
    fc.constantFrom(
      valid.toUpperCase(),
      `${valid}0`,
      valid.slice(1),
      `-${valid}`,
      '0',
      '-1',
      '2147483648',
      '99999999999999999999',
      '1e3',
      '0x10',
      ' 1',
      '__proto__',
      'constructor',
      '..',
      '%',
      '%00',
      'null',
      'x'.repeat(5000),
    ),
  );
}

export const acceptArbitrary: fc.Arbitrary<string | undefined> = fc.option(
  fc.oneof(
    fc.constantFrom(
      '*/*',
      'application/json',
      'application/xml',
      'text/xml',
      'text/html',
      'application/json;q=0',
      '*/*;q=0',
      'application/*;q=0.5, text/*;q=x',
      ';;;,,,',
      'a/b/c',
    ),
    fc.stringMatching(/^[\w/*;=., -]{0,40}$/),
  ),
  { nil: undefined },
);
