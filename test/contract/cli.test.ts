/** `npm run contract`'s flags and environment, turned into a run; the target's trip through CONTRACT_TARGET. */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractHelp, DEFAULT_OUT, parseContractArgs } from '../../src/contract/cli-options.ts';
import { decodeTarget, encodeTarget, TARGET_ENV, targetFromEnv } from '../../src/contract/target.ts';
import { loadAllSpecs, repoRoot } from '../../src/spec/index.ts';
import { registry } from '../../src/vendors/index.ts';

const docs = await loadAllSpecs();
const settings = new Map(registry.map((d) => [d.name, d.settings] as const));
const parse = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  parseContractArgs(args, env, docs, '/work/here', settings);
const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const parsed = parse(args, env);
  if (parsed === 'help') throw new Error('unexpected help');
  return parsed;
};
const URL = 'http://127.0.0.1:3000';

describe('parseContractArgs', () => {
  const cases: [string, { given: string[]; env?: NodeJS.ProcessEnv; want: Record<string, unknown> }][] = [
    [
      '--target serves every vendor under its local prefix',
      {
        given: ['--target', `${URL}/`],
        want: {
          vendors: {
            odyssee: { baseUrl: `${URL}/odyssee` },
            ivvy: { baseUrl: `${URL}/ivvy` },
            'r7-office': { baseUrl: `${URL}/r7` },
          },
          capabilities: ['state', 'vendor-errors'],
          reporters: ['console', 'html'],
          out: join('/work/here', DEFAULT_OUT),
          name: URL,
          sharedData: false,
        },
      },
    ],
    [
      'a per-vendor URL takes the vendor alone, without a prefix',
      {
        given: ['--r7', 'https://portal.example/'],
        want: { vendors: { 'r7-office': { baseUrl: 'https://portal.example' } } },
      },
    ],
    [
      'a per-vendor URL overrides --target for its vendor',
      {
        given: ['--target', URL, '--ivvy', 'https://api.ivvy.example', '--vendor', 'ivvy,odyssee'],
        want: {
          vendors: { odyssee: { baseUrl: `${URL}/odyssee` }, ivvy: { baseUrl: 'https://api.ivvy.example' } },
        },
      },
    ],
    [
      '--vendor narrows, repeatable, comma lists, by name or by prefix',
      {
        given: ['--target', URL, '--vendor', 'ivvy,r7', '--vendor', 'ivvy'],
        want: { vendors: { ivvy: { baseUrl: `${URL}/ivvy` }, 'r7-office': { baseUrl: `${URL}/r7` } } },
      },
    ],
    ['--stateless: no capabilities', { given: ['--target', URL, '--stateless'], want: { capabilities: [] } }],
    ['--mock is --stateless', { given: ['--target', URL, '--mock'], want: { capabilities: [] } }],
    [
      '--shared-data: write as the credentials given, even at our sandbox',
      { given: ['--target', URL, '--shared-data'], want: { sharedData: true } },
    ],
    [
      'credentials from flags and from the environment, a flag winning',
      {
        given: ['--target', URL, '--vendor', 'r7-office,ivvy', '--r7-user', 'qa@example.com', '--ivvy-api-key', 'k'],
        env: { R7_PASSWORD: 'secret', R7_USER: 'env@example.com', IVVY_API_SECRET: 's', ODYSSEE_USER: 'unused' },
        want: {
          vendors: {
            ivvy: { baseUrl: `${URL}/ivvy`, credentials: { apiKey: 'k', apiSecret: 's' } },
            'r7-office': { baseUrl: `${URL}/r7`, credentials: { user: 'qa@example.com', password: 'secret' } },
          },
        },
      },
    ],
    [
      'reporters repeatable and comma lists, --out, --name, --grep',
      {
        given: [
          '--target',
          URL,
          '--reporter',
          'junit,html',
          '--reporter',
          'json',
          '--out',
          'ci/out',
          '--name',
          'staging',
          '--grep',
          'updateTask',
        ],
        want: { reporters: ['junit', 'html', 'json'], out: '/work/here/ci/out', name: 'staging', grep: 'updateTask' },
      },
    ],
  ];
  it.each(cases)('%s', (_name, { given, env, want }) => {
    const got = run(given, env);
    const flat = {
      vendors: got.target.vendors,
      capabilities: [...got.target.capabilities],
      reporters: got.reporters,
      out: got.out,
      name: got.target.name,
      grep: got.grep,
      sharedData: got.sharedData,
    };
    expect(flat).toMatchObject(want);
    if (want.vendors) expect(Object.keys(got.target.vendors)).toEqual(Object.keys(want.vendors as object));
  });

  const errors: [string, { given: string[]; want: RegExp }][] = [
    ['no target at all', { given: [], want: /no target: give --target <url> or a base URL per vendor/ }],
    ['an unknown vendor', { given: ['--target', URL, '--vendor', 'acme'], want: /unknown vendor acme/ }],
    ['a vendor without a URL', { given: ['--r7', URL, '--vendor', 'ivvy'], want: /--vendor ivvy: no base URL for it/ }],
    ['a URL that is not one', { given: ['--target', 'localhost:3000'], want: /--target must be an http\(s\) URL/ }],
    ['an unknown reporter', { given: ['--target', URL, '--reporter', 'tap'], want: /unknown reporter tap/ }],
    ['an unknown flag', { given: ['--target', URL, '--verbose'], want: /Unknown option '--verbose'/ }],
    ['a bad --grep', { given: ['--target', URL, '--grep', '('], want: /--grep:/ }],
  ];
  it.each(errors)('refuses %s', (_name, { given, want }) => {
    expect(() => parse(given)).toThrow(want);
  });

  it('--help and -h ask for help', () => {
    expect(parse(['--help'])).toBe('help');
    expect(parse(['-h', '--target', URL])).toBe('help');
  });
});

describe('contractHelp', () => {
  it('lists every flag once with its description, and the environment variable of every credential', () => {
    const text = contractHelp(docs, settings);
    for (const flag of ['--target <url>', '--odyssee <url>', '--ivvy <url>', '--r7 <url>', '--vendor <name>'])
      expect(text).toContain(flag);
    for (const flag of [
      '--stateless',
      '--mock',
      '--shared-data',
      '--reporter <name>',
      '--out <dir>',
      '--grep <regexp>',
      '--help',
    ])
      expect(text).toContain(flag);
    expect(text).toMatch(/--r7-user <value>\s+R7_USER\s+R7-Office user name/);
    expect(text).toMatch(/--ivvy-api-secret <value>\s+IVVY_API_SECRET/);
    expect(text).toMatch(/--odyssee-domain <value>\s+ODYSSEE_DOMAIN/);
  });
});

describe('the target in CONTRACT_TARGET', () => {
  const target = run(['--target', URL, '--vendor', 'r7-office', '--r7-password', 'pw']).target;

  it('survives the trip, with the partner it writes as', () => {
    const partnered = {
      ...target,
      vendors: { 'r7-office': { ...target.vendors['r7-office'], baseUrl: `${URL}/r7`, partner: 'contract-0a1b2c3d' } },
    };
    for (const sent of [target, partnered]) {
      const back = targetFromEnv({ [TARGET_ENV]: encodeTarget(sent) });
      expect({ ...back, capabilities: [...back.capabilities] }).toEqual({
        ...sent,
        capabilities: [...sent.capabilities],
      });
    }
  });

  const bad: [string, string, RegExp][] = [
    ['not JSON', '{', /is not JSON/],
    ['no vendors', '{"name":"x","vendors":{},"capabilities":[]}', /vendors must map/],
    ['a base URL that is not http', '{"name":"x","vendors":{"ivvy":{"baseUrl":"ftp://h"}},"capabilities":[]}', /http/],
    [
      'a partner name the sandbox would not take',
      '{"name":"x","vendors":{"ivvy":{"baseUrl":"http://h","partner":"a+b"}},"capabilities":[]}',
      /partner must be a name/,
    ],
    [
      'an unknown capability',
      '{"name":"x","vendors":{"ivvy":{"baseUrl":"http://h"}},"capabilities":["magic"]}',
      /capabilities must be a list/,
    ],
  ];
  it.each(bad)('names what is wrong: %s', (_name, json, want) => {
    expect(() => decodeTarget(json)).toThrow(want);
  });

  it('says how to run the suite when it is missing', () => {
    expect(() => targetFromEnv({})).toThrow(/npm run contract -- --target/);
  });
});

it('npm run contract runs the CLI', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts.contract).toBe('node src/cli/contract.ts');
});
