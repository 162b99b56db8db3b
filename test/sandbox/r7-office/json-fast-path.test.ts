/**
 * The JSON body's short way into the request parameters (flatProperties: a flat object of primitives under plain
 * names, no XML tree) against the way the vendor takes (Json.NET's XmlNodeConverter, then the XML flattened): over a
 * generated corpus of bodies, well-formed and not, both give the same parameters in the same order, or the same
 * failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BindingFailure, requestParams } from '../../../src/vendors/r7-office/binding/request-params.ts';
import { DotNetException } from '../../../src/vendors/r7-office/dotnet/exception.ts';
import { flatProperties } from '../../../src/vendors/r7-office/jsonnet/flat-properties.ts';

/** What a binding gives, in a form `toEqual` compares exactly: every key with its values in order, or the failure. */
function outcome(body: string, fastJson: boolean): unknown {
  try {
    const { params } = requestParams(
      {
        method: 'PUT',
        route: { id: '1234' },
        query: 'a=1',
        contentType: 'application/json',
        body: Buffer.from(body, 'utf8'),
      },
      fastJson,
    );
    return { params: params.keys().map((key) => [key, params.getValues(key ?? '')]) };
  } catch (error) {
    if (!(error instanceof BindingFailure)) throw error;
    const { exception } = error;
    expect(exception).toBeInstanceOf(DotNetException);
    return {
      failure: [error.status, error.reason, error.rule, exception.type, exception.message, exception.hresult],
    };
  }
}

/** Names as partners send them, and every kind Json.NET or XML treats otherwise. */
const names = fc.oneof(
  { arbitrary: fc.constantFrom('title', 'Title', 'TITLE', 'deadline', 'categoryid', 'isNotify', 'a', 'A'), weight: 8 },
  { arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '1a',
      '-a',
      '.a',
      'a b',
      'a:b',
      ':a',
      'a:',
      'xmlns',
      'xmlns:p',
      'p:x',
      '@a',
      '@xmlns',
      '@xmlns:p',
      '$id',
      '$ref',
      '$type',
      '$value',
      '$values',
      '$other',
      '#text',
      '#cdata-section',
      '#whitespace',
      '#significant-whitespace',
      '#comment',
      '?xml',
      '?pi',
      '!DOCTYPE',
      '!doctype',
      '_x0041_',
      'a_x0041_',
      '_X0041_',
      '_x00410000_',
      'é',
      'ü1',
      'ключ',
      '名前',
      'a\u00B7b',
      '\u00B7a',
      'a\u0301',
      '\u2070x',
      '😀',
      'a😀',
      '\uD800',
      'a\uDC00',
      '\u0000',
      'a\tb',
      '\uFFFE',
    ),
    weight: 4,
  },
  { arbitrary: fc.string({ maxLength: 6, unit: 'binary' }), weight: 2 },
);

/** A JSON string literal, the way a sender may well write one (escapes, unicode, dates in every spelling). */
const strings = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ maxLength: 8, unit: 'binary' }),
    fc.constantFrom(
      '',
      'some text',
      '2008-04-10T06-30-00.000Z',
      '2008-04-10T06:30:00.000Z',
      '2008-04-10T06:30:00Z',
      '2008-04-10T06:30:00+03:00',
      '2008-04-10T06:30:00',
      '2008-04-10',
      '2025-06-01T10:00:00.0000000Z',
      '0001-01-01T00:00:00',
      '9999-12-31T23:59:59.9999999Z',
      '2008-02-30T00:00:00Z',
      '/Date(1224043200000)/',
      '/Date(1224043200000+0300)/',
      '/Date(-1)/',
      '/Date(x)/',
      '9924256A-739C-462b-AF15-E652A3B1B6EB',
      'true',
      '1234',
      '\u0000',
      '<x/>',
      '&amp;',
      ']]>',
    ),
  )
  .map((text) => JSON.stringify(text));

/** Numbers at Json.NET's edges: Int64 and beyond (BigInteger), doubles, exponents, negative zero, non-numbers. */
const numbers = fc.oneof(
  fc.integer().map(String),
  fc.double().map((n) => (Number.isFinite(n) ? String(n) : 'NaN')),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom(
    '0',
    '-0',
    '0.0',
    '-0.0',
    '1e308',
    '1e309',
    '-1e309',
    '1e-400',
    '4.9e-324',
    '9223372036854775807',
    '9223372036854775808',
    '-9223372036854775808',
    '-9223372036854775809',
    '9007199254740993',
    '1.5',
    '1.0',
    '1E2',
    '1e+2',
    '0x1F',
    '01',
    '1.',
    '.5',
    '-',
    'NaN',
    'Infinity',
    '-Infinity',
  ),
);

const primitives = fc.oneof(
  { arbitrary: strings, weight: 6 },
  { arbitrary: numbers, weight: 4 },
  { arbitrary: fc.constantFrom('true', 'false', 'null'), weight: 3 },
  { arbitrary: fc.constantFrom('undefined', "'single'", 'new Date(1)', 'tru', 'nul', '"open'), weight: 1 },
);

/** Values, nested a few levels at most: objects (duplicate names included) and arrays. */
const { value } = fc.letrec<{ value: string; object: string; array: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, primitives, tie('object'), tie('array')),
  object: fc
    .array(fc.tuple(names, tie('value')), { maxLength: 5 })
    .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
}));

/** The common shape, so that the short way is taken often: a flat object of primitives. */
const flatObject = fc
  .array(fc.tuple(names, primitives), { maxLength: 12 })
  .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);

/** The body partners send: plain names, well-formed values. */
const commonObject = fc
  .array(
    fc.tuple(
      fc.oneof(
        names.filter((name) => /^[A-Za-z_][\w.-]*$/.test(name)),
        fc.constantFrom('é', 'ключ', '名前'),
      ),
      fc.oneof(
        strings,
        numbers.filter((n) => /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(n)),
        fc.constantFrom('true', 'false', 'null'),
      ),
    ),
    { maxLength: 12 },
  )
  .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);

/** Mostly nothing, one time in five the value. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary, weight: 1 });

/** White space, comments and other text around and between tokens, and bodies cut short. */
const bodies = fc
  .tuple(
    fc.oneof(
      { arbitrary: commonObject, weight: 3 },
      { arbitrary: flatObject, weight: 3 },
      { arbitrary: value, weight: 2 },
    ),
    rarely(fc.constantFrom(' ', '\n', '/*c*/', '\uFEFF')),
    rarely(fc.constantFrom(' ', '\r\n', '/*c*/', '//c', ' x', ',', '{}', 'null')),
    rarely(fc.nat()),
    rarely(fc.constantFrom(' ', '/*c*/')),
  )
  .map(([body, before = '', after = '', cut, gap = '']) => {
    const spaced = gap === '' ? body : body.replaceAll(',', `${gap},${gap}`).replaceAll(':', `${gap}:`);
    const whole = before + spaced + after;
    return cut === undefined ? whole : whole.slice(0, cut % (whole.length + 1));
  });

describe('a JSON body read the short way', () => {
  it('binds exactly what the XML tree binds, or fails exactly as it fails, over a generated corpus', () => {
    let shortWays = 0;
    let failures = 0;
    fc.assert(
      fc.property(bodies, (body) => {
        const fast = outcome(body, true);
        expect(fast).toEqual(outcome(body, false));
        if (flatProperties(body)) shortWays++;
        if ((fast as { failure?: unknown }).failure) failures++;
      }),
      { numRuns: 30_000, endOnFailure: true },
    );
    // The corpus exercises both ways and the failures: were either too rare, the comparison would prove little.
    expect(shortWays).toBeGreaterThan(3_500);
    expect(failures).toBeGreaterThan(3_000);
  });

  it('takes the short way for the common body, and not for a duplicate, nested or special name', () => {
    const sample =
      '{"title":"some text","deadline":"2008-04-10T06:30:00.000Z","categoryid":1234,"isNotify":true,"x":null,"f":1.50}';
    expect(flatProperties(sample)).toEqual([
      ['title', 'some text'],
      ['deadline', expect.any(String)],
      ['categoryid', '1234'],
      ['isNotify', 'true'],
      ['x', ''],
      ['f', '1.5'],
    ]);
    expect(outcome(sample, true)).toEqual(outcome(sample, false));
    for (const other of ['{"a":1,"a":2}', '{"a":{"b":1}}', '{"a":[1]}', '{"@a":1}', '{"$type":"x"}', '{"p:a":1}']) {
      expect(flatProperties(other), other).toBeUndefined();
      expect(outcome(other, true), other).toEqual(outcome(other, false));
    }
  });
});
