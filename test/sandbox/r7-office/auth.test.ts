/**
 * Sign-in (AuthenticationEntryPoint.AuthenticateMe) and the vendor's three authorizers (AscCookieAuthorization,
 * AscBasicAuthorization, AscBearerAuthorization, in web.autofac.config's order) on the task calls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { issueToken, verifyToken } from '../../../src/vendors/r7-office/auth.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import {
  answer,
  call,
  expectError,
  expectPage,
  PASSWORD,
  readTask,
  signIn,
  type TaskEnvelope,
  tokenFor,
  USER,
  validBody,
} from './helpers.ts';

let sandbox: RunningSandbox;
let base: string;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  base = sandbox.base['r7-office'] as string;
  token = await tokenFor(base);
});
afterAll(() => sandbox.close());

const YEAR_MS = 365 * 24 * 3600 * 1000;
const basic = (user: string, password: string, word = 'Basic') =>
  `${word} ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('sign-in (authenticate)', () => {
  it('answers 201: count, status, statusCode, response {token, expires}; the token also as the asc_auth_key cookie', async () => {
    const before = Date.now();
    const res = await signIn(base);
    const { status, body, text } = await answer<Record<string, unknown>>(res, 'authenticate');
    expect(status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(Object.keys(body)).toEqual(['count', 'status', 'statusCode', 'response']);
    expect(body).toMatchObject({ count: 1, status: 0, statusCode: 201 });
    const response = body.response as { expires: string; token: string };
    expect(Object.keys(response)).toEqual(['token', 'expires']);
    // ApiDateTime in the UTC portal: seven fractional digits and Z.
    expect(response.expires).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    const expires = Date.parse(response.expires);
    expect(expires).toBeGreaterThanOrEqual(before + YEAR_MS - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + YEAR_MS + 24 * 3600 * 1000);
    expect(res.headers.get('set-cookie')).toMatch(
      new RegExp(
        `^asc_auth_key=${response.token.replace(/\./g, '\\.')}; expires=\\w{3}, \\d{2}-\\w{3}-\\d{4} \\d{2}:\\d{2}:\\d{2} GMT; path=/; HttpOnly$`,
      ),
    );
    expect(res.headers.get('etag')).toMatch(/^[0-9a-f]{32}$/);
    expect(res.headers.get('cache-control')).toBe('private, max-age=0');
    expect(text).not.toContain(PASSWORD);
  });

  it.each([
    ['authentication', 'application/json; charset=UTF-8'],
    ['authentication.json', 'application/json; charset=UTF-8'],
    ['authentication.xml', 'text/xml; charset=UTF-8'],
    ['authentication.tml', 'text/xml; charset=UTF-8'],
  ])('serves /api/2.0/%s (a form body): %s', async (path, type) => {
    const res = await fetch(`${base}/api/2.0/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `userName=${encodeURIComponent(USER)}&password=${PASSWORD}`,
    });
    const { status, text } = await answer(res, 'authenticate');
    expect(status).toBe(201);
    expect(res.headers.get('content-type')).toBe(type);
    if (type.startsWith('text/xml'))
      expect(text).toMatch(
        /^<result><count>1<\/count><status>0<\/status><statusCode>201<\/statusCode><response><token>sbx\./,
      );
  });

  it('answers JSON on the .xml path when the request is application/json', async () => {
    const res = await fetch(`${base}/api/2.0/authentication.xml`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName: USER, password: PASSWORD }),
    });
    expect((await answer(res, 'authenticate')).status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
  });

  it.each([
    [
      'a text/xml body, whatever its root',
      'text/xml',
      `<credentials><UserName>${USER}</UserName><password>${PASSWORD}</password></credentials>`,
      '',
    ],
    [
      'multipart/form-data',
      'multipart/form-data; boundary=b',
      `--b\r\nContent-Disposition: form-data; name="userName"\r\n\r\n${USER}\r\n--b\r\nContent-Disposition: form-data; name="password"\r\n\r\n${PASSWORD}\r\n--b--\r\n`,
      '',
    ],
    ['the query string, no body', undefined, undefined, `?userName=${encodeURIComponent(USER)}&password=${PASSWORD}`],
    [
      'scalars of another JSON type, names in any case',
      'application/json',
      `{"USERNAME":"${USER}","Password":"${PASSWORD}","provider":""}`,
      '',
    ],
  ])('takes the credentials from %s', async (_name, type, body, query) => {
    const res = await fetch(`${base}/api/2.0/authentication.json${query}`, {
      method: 'POST',
      headers: type ? { 'content-type': type } : {},
      ...(body !== undefined ? { body } : {}),
    });
    expect((await answer(res, 'authenticate')).status).toBe(201);
  });

  it('takes the user name in any letter case: the same user, the same data', async () => {
    const upper = await tokenFor(base, 'Sandbox@Example.COM');
    await answer(
      await call(base, { method: 'PUT', token: upper, body: validBody({ title: 'Case-insensitive' }) }),
      'updateTask',
    );
    expect((await readTask(base, token)).response.title).toBe('Case-insensitive');
  });

  it.each([
    ['a wrong password', { userName: 'sandbox+a@example.com', password: 'Sandbox' }],
    ['an unknown user', { userName: 'someone@example.com', password: PASSWORD }],
    ['a +suffix on another domain', { userName: 'sandbox+x@example.org', password: PASSWORD }],
    ['no password', { userName: 'sandbox+b@example.com' }],
    ['an empty user name', { userName: '', password: PASSWORD }],
    ['no body at all', undefined],
    ['a numeric password (bound as its text "1234")', { userName: 'sandbox+c@example.com', password: 1234 }],
    ['a provider other than email', { userName: 'sandbox+d@example.com', password: PASSWORD, provider: 'facebook' }],
  ])('answers %s with 500 "User authentication failed" in the envelope (not 401)', async (_name, body) => {
    const res = await fetch(`${base}/api/2.0/authentication.json`, {
      method: 'POST',
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    await expectError(res, 'authenticate', 'authentication-failed', 'User authentication failed');
  });

  it('answers JSON Json.NET cannot read with 400 and Json.NET’s message', async () => {
    const res = await fetch(`${base}/api/2.0/authentication.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"userName":',
    });
    await expectError(
      res,
      'authenticate',
      'malformed-json',
      /^Unexpected end when reading JSON\. Path 'userName', line 1, position 12\.$/,
    );
  });
});

describe('the brute-force limit (BruteForceLoginManager): more than 5 attempts of a login within 60 s', () => {
  it('blocks the sixth attempt of a login from an address, even with the right password; other logins go on', async () => {
    const own = await startSandbox();
    try {
      const b = own.base['r7-office'] as string;
      const login = 'sandbox+bf@example.com';
      for (let i = 0; i < 5; i++)
        await expectError(await signIn(b, login, 'wrong'), 'authenticate', 'authentication-failed');
      await expectError(
        await signIn(b, login, PASSWORD),
        'authenticate',
        'login-blocked',
        'Login Fail. Too many attempts',
      );
      await expectError(await signIn(b, login, 'wrong'), 'authenticate', 'login-blocked');
      expect((await signIn(b, 'sandbox+other-bf@example.com')).status).toBe(201);
    } finally {
      await own.close();
    }
  });

  it('takes a successful attempt back: four failures, then any number of successes', async () => {
    const own = await startSandbox();
    try {
      const b = own.base['r7-office'] as string;
      for (let i = 0; i < 4; i++) await signIn(b, USER, 'wrong');
      for (let i = 0; i < 10; i++) expect((await signIn(b)).status).toBe(201);
      await expectError(await signIn(b, USER, 'wrong'), 'authenticate', 'authentication-failed');
      await expectError(await signIn(b, USER, 'wrong'), 'authenticate', 'login-blocked');
    } finally {
      await own.close();
    }
  });

  it('is off with the other limits (--no-rate-limit)', async () => {
    const own = await startSandbox({ rateLimit: false });
    try {
      const b = own.base['r7-office'] as string;
      for (let i = 0; i < 8; i++)
        await expectError(await signIn(b, USER, 'wrong'), 'authenticate', 'authentication-failed');
      expect((await signIn(b)).status).toBe(201);
    } finally {
      await own.close();
    }
  });
});

describe('the token on the task calls', () => {
  const accepted: [string, (t: string) => { headers?: Record<string, string>; query?: string }][] = [
    ['the raw Authorization header', (t) => ({ headers: { authorization: t } })],
    ['Authorization: Bearer <token>', (t) => ({ headers: { authorization: `Bearer ${t}` } })],
    ['the asc_auth_key cookie', (t) => ({ headers: { cookie: `theme=dark; asc_auth_key=${t}` } })],
    ['asc_auth_key in the query string', (t) => ({ query: `asc_auth_key=${encodeURIComponent(t)}` })],
    [
      'a valid cookie next to a wrong Authorization header',
      (t) => ({ headers: { cookie: `asc_auth_key=${t}`, authorization: 'sbx.wrong' } }),
    ],
    ['HTTP Basic with the e-mail and password', () => ({ headers: { authorization: basic(USER, PASSWORD) } })],
    [
      'HTTP Basic, the e-mail in another case',
      () => ({ headers: { authorization: basic('SANDBOX@example.com', PASSWORD) } }),
    ],
  ];

  it.each(accepted)('accepts %s, on every suffix', async (_name, how) => {
    for (const xml of ['', '.json', '.xml', '.tml'] as const) {
      const { status, body } = await answer<TaskEnvelope>(
        await call(base, { xml, ...how(token) }),
        xml === '.xml' || xml === '.tml' ? 'getTaskXml' : 'getTask',
      );
      expect(status).toBe(200);
      expect(String(body.response.id)).toBe('1234');
    }
  });

  it('accepts asc_auth_key as a form field of a PUT', async () => {
    const res = await call(base, {
      method: 'PUT',
      body: `asc_auth_key=${encodeURIComponent(token)}&title=By+form&deadline=2027-05-06&categoryid=1234`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect((await answer(res, 'updateTask')).status).toBe(200);
  });

  type How = { headers?: Record<string, string>; query?: string };
  const refused = (): [string, How][] => {
    const [prefix, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ u: 'sandbox+other@example.com', e: 4_102_444_800 })).toString(
      'base64url',
    );
    return [
      ['no token at all', {}],
      ['an empty Authorization header', { headers: { authorization: '' } }],
      ['a made-up token', { headers: { authorization: 'sbx.7f3c2a1e9b5d4c6f8a0e1d2c3b4a5f6e' } }],
      [
        'a token with a changed signature',
        { headers: { authorization: `${prefix}.${payload}.${signature.slice(0, -2)}AA` } },
      ],
      ['a token whose payload names another user', { headers: { authorization: `${prefix}.${forged}.${signature}` } }],
      ['Bearer without a token', { headers: { authorization: 'Bearer' } }],
      // AscBearerAuthorization compares "Bearer" case-sensitively.
      ['lower-case bearer', { headers: { authorization: `bearer ${token}` } }],
      ['the token in another cookie', { headers: { cookie: `asc_auth=${token}` } }],
      ['the password instead of a token', { headers: { authorization: PASSWORD } }],
      ['Basic with a wrong password', { headers: { authorization: basic(USER, 'wrong') } }],
      ['lower-case basic', { headers: { authorization: basic(USER, PASSWORD, 'basic') } }],
      [
        'Basic with the user name only',
        { headers: { authorization: `Basic ${Buffer.from(USER).toString('base64')}` } },
      ],
      // The cookie authorizer tries one candidate: a stale cookie hides the raw header's token.
      [
        'a stale cookie and the raw token in Authorization',
        { headers: { cookie: 'asc_auth_key=stale', authorization: token } },
      ],
      // ASP.NET's Request.Cookies holds values as sent: a percent-encoded token is another token.
      ['the token percent-encoded in the cookie', { headers: { cookie: `asc_auth_key=%73${token.slice(1)}` } }],
      [
        'a wrong asc_auth_key in the query string and a valid cookie',
        { query: 'asc_auth_key=stale', headers: { cookie: `asc_auth_key=${token}` } },
      ],
    ];
  };

  /** One refused request: 401 with the host's page; the Basic challenge only when an Authorization was sent. */
  const expectRefused = async (name: string, how: How, xml: '' | '.json' | '.xml' | '.tml', method: 'GET' | 'PUT') => {
    // A body the vendor could not even read: authentication comes first.
    const res = await call(base, { method, xml, ...how, ...(method === 'PUT' ? { body: '{"title":' } : {}) });
    await expectPage(
      res,
      `${method === 'GET' ? 'getTask' : 'updateTask'}${xml === '.xml' || xml === '.tml' ? 'Xml' : ''}`,
      'unauthorized',
    );
    const authorization = how.headers?.authorization;
    const challenge = res.headers.get('www-authenticate');
    if (authorization) expect(challenge, name).toBe('Basic Realm="127.0.0.1"');
    else expect(challenge, name).toBeNull();
  };

  it('answers 401 with the host’s text/html body Unauthorized on every suffix, GET and PUT, before binding', async () => {
    for (const [name, how] of refused()) {
      for (const xml of ['', '.json', '.xml', '.tml'] as const) {
        for (const method of ['GET', 'PUT'] as const) await expectRefused(name, how, xml, method);
      }
    }
    expect((await readTask(base, token)).response.title).not.toBe('{"title":');
  });

  it('answers a path no route matches with the 404 page before asking for a token', async () => {
    await expectPage(await call(base, { id: 'abc' }), 'getTask', 'no-route');
    await expectPage(await call(base, { id: '-1', method: 'PUT', body: validBody() }), 'updateTask', 'no-route');
  });

  it('each user is its own tenant: ctx.tenant is r7-office:<user>', async () => {
    const partner = await tokenFor(base, 'sandbox+auth-test@example.com');
    await answer(
      await call(base, { method: 'PUT', token: partner, body: validBody({ title: 'Partner only' }) }),
      'updateTask',
    );
    expect(
      (await sandbox.store.get<{ title: string }>('r7-office:sandbox+auth-test@example.com', 'r7-office.task', 1234))
        ?.title,
    ).toBe('Partner only');
  });
});

describe('token design: stateless, HMAC-signed', () => {
  const config = loadConfig([], {});

  it('verifies its own tokens and names the user', () => {
    expect(verifyToken(issueToken('sandbox@example.com', config).token, config)).toBe('sandbox@example.com');
  });

  it('refuses a token after its year', () => {
    const old = issueToken('sandbox@example.com', config, Date.now() - YEAR_MS - 2 * 24 * 3600 * 1000);
    expect(verifyToken(old.token, config)).toBeUndefined();
  });

  it('refuses every token once the password changes', () => {
    const { token: issued } = issueToken('sandbox@example.com', config);
    expect(
      verifyToken(issued, {
        ...config,
        vendors: { 'r7-office': { user: 'sandbox@example.com', password: 'changed' } },
      }),
    ).toBeUndefined();
  });

  it('a token survives a restart of the sandbox on the same data file, and so does the update it made', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'r7-token-'));
    try {
      const dataFile = join(dir, 'sandbox.sqlite');
      const first = await startSandbox({ dataFile });
      const firstBase = first.base['r7-office'] as string;
      const kept = await tokenFor(firstBase);
      await answer(
        await call(firstBase, { method: 'PUT', token: kept, body: validBody({ title: 'Before restart' }) }),
        'updateTask',
      );
      await first.close();
      const second = await startSandbox({ dataFile });
      try {
        expect((await readTask(second.base['r7-office'] as string, kept)).response.title).toBe('Before restart');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
