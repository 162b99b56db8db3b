/**
 * Deep and big bodies against every operation that takes a body (support/hostile.ts): 100k-deep JSON and XML,
 * huge strings, numbers, keys and collections, bodies at and over the 1 MiB limit. The costly ones go, in the small
 * form, to one operation per vendor only.
 */
import { BODY_LIMIT } from '../../src/server/app.ts';
import {
  deep,
  describeHostile,
  type Hostile,
  jsonWith,
  stringField,
  useHostileSandbox,
  xmlDoc,
  xmlType,
} from './support/hostile.ts';

const env = useHostileSandbox('hostile-size');

const cases: [string, Hostile][] = [
  // Depth.
  [
    'JSON: 100k nested arrays',
    {
      contentType: () => 'application/json',
      body: () => '['.repeat(deep) + ']'.repeat(deep),
      want: 'refused',
      heavy: true,
    },
  ],
  [
    'JSON: 100k nested objects',
    {
      contentType: () => 'application/json',
      // An operation whose fields are all optional ignores the unknown member `a`.
      body: () => `${'{"a":'.repeat(deep)}1${'}'.repeat(deep)}`,
      want: 'refused or harmless',
      heavy: true,
    },
  ],
  [
    'JSON: 100k nested arrays inside an unknown member of a valid body',
    {
      contentType: () => 'application/json',
      body: (t) => jsonWith(t, 'nested', '['.repeat(deep) + ']'.repeat(deep)),
      want: 'refused or harmless',
      heavy: true,
    },
  ],
  [
    'JSON: 100k nested objects in place of a string field',
    {
      contentType: () => 'application/json',
      body: (t) => jsonWith(t, stringField(t), `${'{"a":'.repeat(deep)}1${'}'.repeat(deep)}`),
      want: 'refused',
      heavy: true,
    },
  ],
  [
    'XML: 100k nested elements',
    {
      contentType: xmlType,
      body: (t) => xmlDoc(t, '<a>'.repeat(deep) + '</a>'.repeat(deep)),
      want: 'refused',
      heavy: true,
    },
  ],
  [
    'XML: 100k nested elements in a field',
    {
      contentType: xmlType,
      body: (t) => xmlDoc(t, `<subject>${'<a>'.repeat(deep)}${'</a>'.repeat(deep)}</subject>`),
      want: 'refused',
      heavy: true,
    },
  ],
  // Size.
  [
    'JSON: a string field filled up to exactly the body limit',
    {
      contentType: () => 'application/json',
      body: (t) => {
        const shell = jsonWith(t, stringField(t), '""');
        return jsonWith(t, stringField(t), `"${'x'.repeat(BODY_LIMIT - shell.length)}"`);
      },
      want: 'refused or harmless',
      heavy: true,
    },
  ],
  [
    'JSON: one byte over the body limit',
    {
      contentType: () => 'application/json',
      body: (t) => {
        const shell = jsonWith(t, stringField(t), '""');
        return jsonWith(t, stringField(t), `"${'x'.repeat(BODY_LIMIT - shell.length + 1)}"`);
      },
      want: 413,
      heavy: true,
    },
  ],
  [
    'JSON: fewer characters than the limit but more bytes (two-byte characters)',
    {
      contentType: () => 'application/json',
      body: (t) => jsonWith(t, stringField(t), `"${'é'.repeat(BODY_LIMIT / 2 + 10)}"`),
      want: 413,
      heavy: true,
    },
  ],
  [
    'JSON: a near-1 MiB string of escapes',
    {
      contentType: () => 'application/json',
      body: (t) => jsonWith(t, stringField(t), `"${'\\ud83d\\ude00'.repeat(Math.floor((BODY_LIMIT - 2_000) / 12))}"`),
      want: 'refused or harmless',
      heavy: true,
    },
  ],
  [
    'JSON: a near-1 MiB number',
    {
      contentType: () => 'application/json',
      body: (t) => jsonWith(t, 'id', '9'.repeat(BODY_LIMIT - 2_000)),
      want: 'refused or harmless',
      heavy: true,
    },
  ],
  [
    'JSON: a near-1 MiB key',
    {
      contentType: () => 'application/json',
      body: (t) => jsonWith(t, 'k'.repeat(BODY_LIMIT - 2_000), '1'),
      want: 'refused or harmless',
      heavy: true,
    },
  ],
  [
    'JSON: 60k members',
    {
      contentType: () => 'application/json',
      body: (t) =>
        jsonWith(t, 'last', '1').replace(/^\{/, `{${Array.from({ length: 60_000 }, (_, i) => `"k${i}":1`).join(',')},`),
      want: 'refused or harmless',
      heavy: true,
    },
  ],
  [
    'JSON: a 200k-item array',
    {
      contentType: () => 'application/json',
      body: (t) => jsonWith(t, 'items', `[${'0,'.repeat(200_000)}0]`),
      want: 'refused or harmless',
      heavy: true,
    },
  ],
  [
    'XML: a near-1 MiB text',
    {
      contentType: xmlType,
      body: (t) => xmlDoc(t, `<subject>${'x'.repeat(BODY_LIMIT - 2_000)}</subject>`),
      want: 'refused or harmless',
      heavy: true,
    },
  ],
  [
    'XML: 60k sibling elements',
    {
      contentType: xmlType,
      body: (t) => xmlDoc(t, '<subject>s</subject>'.repeat(60_000)),
      want: 'refused or harmless',
      heavy: true,
    },
  ],
  [
    'XML: 200k predefined entities',
    {
      contentType: xmlType,
      body: (t) => xmlDoc(t, `<subject>${'&amp;'.repeat(200_000)}</subject>`),
      want: 'refused or harmless',
      heavy: true,
    },
  ],
];

describeHostile(cases, env);
