/**
 * Hostile XML against every operation that takes a body (support/hostile.ts): XML bombs (billion laughs, quadratic
 * blow-up), external entities (file:// and http://, general and parameter entities, external DTDs), XInclude and a
 * stylesheet URL. Nothing is fetched (the canary HTTP server counts hits) and no file's content comes back (the
 * canary file holds a secret).
 */
import { describeHostile, type Hostile, useHostileSandbox, xmlDoc, xmlType } from './support/hostile.ts';
import type { Target } from './support/targets.ts';

const env = useHostileSandbox('hostile-xml');

const laughs = (levels: number) => {
  const entities = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= levels; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return entities.join('');
};

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
          xmlDoc(t, '<subject>&xxe;</subject>', `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://${env.secretFile}">]>`),
      ],
      [
        'an external http:// entity',
        (t: Target) =>
          xmlDoc(t, '<subject>&xxe;</subject>', `<!DOCTYPE x [<!ENTITY xxe SYSTEM "${env.canaryUrl}/entity">]>`),
      ],
      [
        'an external parameter entity',
        (t: Target) => xmlDoc(t, '', `<!DOCTYPE x [<!ENTITY % p SYSTEM "${env.canaryUrl}/parameter"> %p;]>`),
      ],
      ['an external DTD', (t: Target) => xmlDoc(t, '', `<!DOCTYPE x SYSTEM "${env.canaryUrl}/dtd">`)],
      [
        'a public external DTD',
        (t: Target) => xmlDoc(t, '', `<!DOCTYPE x PUBLIC "-//X//Y" "${env.canaryUrl}/public">`),
      ],
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
          `<subject><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://${env.secretFile}" parse="text"/></subject>` +
            `<remark><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${env.canaryUrl}/xinclude" parse="text"/></remark>`,
        ),
      want: 'refused or harmless',
    },
  ],
  [
    'XML: a processing instruction naming a stylesheet URL',
    {
      contentType: xmlType,
      body: (t) => xmlDoc(t, '', `<?xml-stylesheet type="text/xsl" href="${env.canaryUrl}/xsl"?>`),
      want: 'refused or harmless',
    },
  ],
];

describeHostile(cases, env);
