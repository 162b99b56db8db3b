/**
 * `__proto__` / `constructor` / `prototype` keys in JSON and XML bodies and in query strings, against every
 * operation that takes a body (support/hostile.ts): no prototype is polluted and no stored record kept an attempt.
 */
import { describe, expect, it } from 'vitest';
import { POLLUTED, pollutedRecords, pollutionSince, stillAnswers } from './support/harness.ts';
import {
  describeHostile,
  type Hostile,
  jsonWith,
  stringField,
  useHostileSandbox,
  validJson,
  xmlDoc,
  xmlType,
} from './support/hostile.ts';

const env = useHostileSandbox('hostile-pollution');

const cases: [string, Hostile][] = [
  // Prototype pollution in bodies.
  ...(
    [
      ['__proto__ at the top', `{"__proto__": {"${POLLUTED}": "yes"}}`],
      ['__proto__ written with escapes', `{"\\u005f_proto__": {"${POLLUTED}": "yes"}}`],
      ['constructor.prototype at the top', `{"constructor": {"prototype": {"${POLLUTED}": "yes"}}}`],
    ] as const
  ).map(([name, raw]): [string, Hostile] => [
    `JSON: ${name}`,
    { contentType: () => 'application/json', body: () => raw, want: 'refused' },
  ]),
  ...(
    [
      ['__proto__ in a valid body', '__proto__', `{"${POLLUTED}": "yes"}`],
      ['constructor.prototype in a valid body', 'constructor', `{"prototype": {"${POLLUTED}": "yes"}}`],
      ['a prototype member in a valid body', 'prototype', `{"${POLLUTED}": "yes"}`],
    ] as const
  ).map(([name, member, raw]): [string, Hostile] => [
    `JSON: ${name}`,
    {
      contentType: () => 'application/json',
      body: (t) => jsonWith(t, member, raw),
      // Refused (Fastify's JSON parser), or an ordinary unknown name that reaches nothing (R7-Office's Json.NET
      // binding reads it into no parameter): the pollution audit after the fuzzing checks nothing kept it.
      want: 'refused or harmless',
    },
  ]),
  [
    'JSON: __proto__ nested in a field of a valid body',
    {
      contentType: () => 'application/json',
      body: (t) => jsonWith(t, stringField(t), `{"__proto__": {"${POLLUTED}": "yes"}}`),
      want: 'refused',
    },
  ],
  ...(['__proto__', 'constructor', 'prototype'] as const).map((name): [string, Hostile] => [
    `XML: a <${name}> element`,
    {
      contentType: xmlType,
      body: (t) => xmlDoc(t, `<${name}><${POLLUTED}>yes</${POLLUTED}></${name}>`),
      want: name === 'prototype' ? 'refused or harmless' : 'refused',
    },
  ]),
  // Prototype pollution in query strings, on an otherwise valid request.
  ...(
    [
      ['__proto__[polluted]', `__proto__[${POLLUTED}]`],
      ['__proto__.polluted', `__proto__.${POLLUTED}`],
      ['__proto__', '__proto__'],
      ['constructor[prototype][polluted]', `constructor[prototype][${POLLUTED}]`],
      ['prototype', 'prototype'],
      ['constructor', 'constructor'],
    ] as const
  ).map(([name, key]): [string, Hostile] => [
    `query: ${name}`,
    {
      contentType: () => 'application/json',
      body: (t) => JSON.stringify(validJson(t)),
      query: [[key, 'yes']],
      want: 'refused or harmless',
    },
  ]),
];

describeHostile(cases, env);

describe('after the hostile input', () => {
  it('nothing was fetched, nothing is polluted, no stored record kept an attempt, and the sandbox still answers', async () => {
    expect(env.canaryHits).toEqual([]);
    expect(pollutionSince(env.prototypesBefore)).toEqual([]);
    expect(await pollutedRecords(env.sandbox.store)).toEqual([]);
    expect(await stillAnswers(env.sandbox.origin, env.sandbox.base)).toEqual([]);
  });
});
