/**
 * Hostile bodies and query strings against every operation that takes a body, authorised so they get past
 * authentication: XML bombs (billion laughs), external entities (file:// and http://, general and parameter
 * entities, XInclude), deeply nested JSON and XML, huge strings and bodies at and over the 1 MiB limit, and
 * `__proto__` / `constructor` / `prototype` keys in bodies and query strings.
 *
 * Each is refused (a 4xx in the vendor's shape) or, where the table says so, harmless (a 2xx); never a 5xx. (A
 * request line and headers over Node's 16 KiB limit are refused before any vendor is known: a generic 431.) Nothing
 * is fetched (a canary HTTP server counts hits), no file's content comes back (a canary file holds a secret),
 * no prototype is polluted and no stored record kept a pollution attempt.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../../src/server/app.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import { answerProblems, describeExchange, isVendorServerAnswer } from './support/checks.ts';
import { exchange, withQuery } from './support/client.ts';
import {
  POLLUTED,
  pollutedRecords,
  pollutionSince,
  prototypeSnapshot,
  stillAnswers,
  tempFolder,
} from './support/harness.ts';
import { bounds } from './support/settings.ts';
import { allTargets, type Target } from './support/targets.ts';

const folder = tempFolder('hostile');
const dataFile = join(folder.dir, 'sandbox.sqlite');
const secret = `secret-${process.pid}-${Date.now()}`;
const secretFile = join(folder.dir, 'secret.txt');
writeFileSync(secretFile, secret);
const prototypesBefore = prototypeSnapshot();
const canaryHits: string[] = [];
let canary: Server;
let canaryUrl = '';
let sandbox: RunningSandbox;

beforeAll(async () => {
  canary = createServer((req, res) => {
    canaryHits.push(`${req.method} ${req.url}`);
    res.end(secret);
  });
  await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
  canaryUrl = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;
  // Rate limits off: the load is what this file is about, not the vendors' 429/503 (test/sandbox/rate-limit.test.ts).
  sandbox = await startSandbox({ dataFile, rateLimit: false });
});
afterAll(async () => {
  await sandbox?.close();
  await new Promise((resolve) => canary?.close(resolve));
  folder.remove();
});

/** Operations that take a body, and the XML root and a JSON body each accepts. */
const targets = (await allTargets()).filter((t) => t.mediaTypes.length > 0);
const xmlRoot = (t: Target) => t.xml[0]?.root ?? 'root';
const xmlType = (t: Target) => t.mediaTypes.find((m) => m.includes('xml')) ?? 'application/xml';
const validJson = (t: Target) => (t.json[0] ?? {}) as Record<string, unknown>;
/** A string field of the valid body (to fill with a huge string), else a new one. */
const stringField = (t: Target) => Object.entries(validJson(t)).find(([, v]) => typeof v === 'string')?.[0] ?? 'huge';

/** The body of `t`'s valid JSON with raw JSON text spliced in as one more member. */
const jsonWith = (t: Target, member: string, raw: string) =>
  `${JSON.stringify(validJson(t)).slice(0, -1)}${Object.keys(validJson(t)).length > 0 ? ',' : ''}"${member}":${raw}}`;

const laughs = (levels: number) => {
  const entities = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= levels; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return entities.join('');
};

type Want = 'refused' | 'refused or harmless' | 413;
interface Hostile {
  contentType: (t: Target) => string;
  body: (t: Target) => string;
  want: Want;
  /** Extra query pairs (a pollution attempt in the query string). */
  query?: [string, string][];
  /** A costly body (near 1 MiB, or 100k levels deep): in the small form, sent to one operation per vendor only. */
  heavy?: boolean;
}

const deep = 100_000;
const xmlDoc = (t: Target, inner: string, prolog = '') => `${prolog}<${xmlRoot(t)}>${inner}</${xmlRoot(t)}>`;

const cases: [string, Hostile][] = [
  // XML: entities, bombs, external references.
  ...(
    [
      ['billion laughs', () => `<!DOCTYPE lolz [${laughs(9)}]><lolz>&lol9;</lolz>`],
      ['billion laughs under the root element', (t: Target) => xmlDoc(t, '&lol9;', `<!DOCTYPE x [${laughs(9)}]>`)],
      [
        'quadratic blow-up (one big entity used many times)',
        (t: Target) => xmlDoc(t, '&a;'.repeat(10_000), `<!DOCTYPE x [<!ENTITY a "${'a'.repeat(50_000)}">]>`),
      ],
      [
        'an external file:// entity',
        (t: Target) =>
          xmlDoc(t, '<subject>&xxe;</subject>', `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://${secretFile}">]>`),
      ],
      [
        'an external http:// entity',
        (t: Target) =>
          xmlDoc(t, '<subject>&xxe;</subject>', `<!DOCTYPE x [<!ENTITY xxe SYSTEM "${canaryUrl}/entity">]>`),
      ],
      [
        'an external parameter entity',
        (t: Target) => xmlDoc(t, '', `<!DOCTYPE x [<!ENTITY % p SYSTEM "${canaryUrl}/parameter"> %p;]>`),
      ],
      ['an external DTD', (t: Target) => xmlDoc(t, '', `<!DOCTYPE x SYSTEM "${canaryUrl}/dtd">`)],
      ['a public external DTD', (t: Target) => xmlDoc(t, '', `<!DOCTYPE x PUBLIC "-//X//Y" "${canaryUrl}/public">`)],
      ['a lower-case doctype', (t: Target) => xmlDoc(t, '&e;', '<!doctype x [<!entity e "e">]>')],
      ['an entity declaration without a DOCTYPE', (t: Target) => xmlDoc(t, '<!ENTITY e "e">&e;')],
    ] as const
  ).map(([name, body]): [string, Hostile] => [`XML: ${name}`, { contentType: xmlType, body, want: 'refused' }]),
  // Kept as the literal text `&xxe;` (nothing to expand it with) or refused.
  [
    'XML: an undeclared entity',
    { contentType: xmlType, body: (t) => xmlDoc(t, '<subject>&xxe;</subject>'), want: 'refused or harmless' },
  ],
  [
    'XML: XInclude of a file and of a URL',
    {
      contentType: xmlType,
      body: (t) =>
        xmlDoc(
          t,
          `<subject><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://${secretFile}" parse="text"/></subject>` +
            `<remark><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${canaryUrl}/xinclude" parse="text"/></remark>`,
        ),
      want: 'refused or harmless',
    },
  ],
  [
    'XML: a processing instruction naming a stylesheet URL',
    {
      contentType: xmlType,
      body: (t) => xmlDoc(t, '', `<?xml-stylesheet type="text/xsl" href="${canaryUrl}/xsl"?>`),
      want: 'refused or harmless',
    },
  ],
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

/** In the small form the heavy bodies go to the first secured operation taking a body of each vendor only. */
const heavyTargets = new Set(
  [...new Set(targets.map((t) => t.vendor))].map((v) => targets.find((t) => t.vendor === v && t.secured) as Target),
);

describe.each(targets)('$vendor $operation', (target) => {
  const applicable = cases.filter(([, h]) => !h.heavy || bounds.heavyEverywhere || heavyTargets.has(target));
  it.each(applicable)('%s', async (_name, hostile) => {
    const request = {
      method: target.method,
      path: withQuery(target.path, hostile.query ?? []),
      headers: { 'content-type': hostile.contentType(target) },
      body: hostile.body(target),
    };
    const answer = await exchange(target.vendor, sandbox.base[target.vendor] as string, request);
    const context = describeExchange(request, answer);
    expect(await answerProblems(target.vendor, target.operation, answer), context).toEqual([]);
    if (hostile.want === 413) expect(answer.status, context).toBe(413);
    else if (hostile.want === 'refused') expect(answer.status, context).toBeGreaterThanOrEqual(400);
    // A 5xx only as the vendor's own answer to what it cannot read (R7-Office: XML that does not parse is a 500).
    if (!(await isVendorServerAnswer(target.vendor, answer))) expect(answer.status, context).toBeLessThan(500);
    expect(answer.body, context).not.toContain(secret);
    expect(canaryHits).toEqual([]);
    expect(pollutionSince(prototypesBefore)).toEqual([]);
  });
});

/** Operations with path parameters, each with a value the router itself refuses (before any validation). */
const refusedByRouter = (await allTargets())
  .filter((t) => Object.keys(t.params).length > 0)
  .flatMap((t) =>
    [
      ['a lone %', '%'],
      ['a bad % escape', '%zz'],
      ['5000 characters', 'x'.repeat(5_000)],
    ].map(([name, value]) => [`${t.vendor} ${t.operation}: ${name}`, t, value as string] as const),
  );

describe('path parameters the router refuses', () => {
  // Found by the fuzzing: these were answered in Fastify's own shape (400, 414), not the vendor's.
  it.each(refusedByRouter)('%s', async (_name, target, value) => {
    const body = target.json[0] === undefined ? undefined : JSON.stringify(target.json[0]);
    const request = {
      method: target.method,
      path: target.template.replace(/\{([^}]+)\}/g, value),
      headers: (body === undefined ? {} : { 'content-type': 'application/json' }) as Record<string, string>,
      ...(body === undefined ? {} : { body }),
    };
    const answer = await exchange(target.vendor, sandbox.base[target.vendor] as string, request);
    const context = describeExchange(request, answer);
    expect(answer.status, context).toBeGreaterThanOrEqual(400);
    expect(await answerProblems(target.vendor, target.operation, answer), context).toEqual([]);
  });
});

describe('requests over the HTTP parser’s header limit', () => {
  // Node refuses a request line plus headers over its 16 KiB limit before Fastify parses the URL, so no vendor can
  // be told: the answer is the framework's generic 431 (not in any vendor's shape). Refused, nothing more.
  it.each([
    ['a 64 KiB query string', { query: 'x'.repeat(64 * 1024), header: '' }],
    ['a 64 KiB header', { query: '', header: 'y'.repeat(64 * 1024) }],
  ])('%s is refused with 431 and the sandbox keeps answering', async (_name, { query, header }) => {
    const res = await fetch(`${sandbox.base['r7-office']}/api/2.0/crm/task/1234${query ? `?q=${query}` : ''}`, {
      headers: header ? { 'x-big': header } : {},
    });
    expect(res.status).toBe(431);
    expect(await res.text()).not.toMatch(/^\s+at /m);
    expect(await stillAnswers(sandbox.origin, sandbox.base)).toEqual([]);
  });
});

describe('after the hostile input', () => {
  it('nothing was fetched, nothing is polluted, no stored record kept an attempt, and the sandbox still answers', async () => {
    expect(canaryHits).toEqual([]);
    expect(pollutionSince(prototypesBefore)).toEqual([]);
    expect(await pollutedRecords(sandbox.store)).toEqual([]);
    expect(await stillAnswers(sandbox.origin, sandbox.base)).toEqual([]);
  });
});
