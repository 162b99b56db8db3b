import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { issueToken, TOKEN_LIFETIME_MS, verifyToken } from '../../../src/vendors/r7-office/auth.ts';
import { type RunningSandbox, startSandbox } from '../../support/sandbox.ts';
import {
  AUTH_PATH,
  answer,
  call,
  expectError,
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

describe('sign-in (authenticate)', () => {
  it('answers 201 with the envelope exactly as the vendor: count, response {expires, token}, status, statusCode', async () => {
    const before = Date.now();
    const { status, body, text } = await answer<Record<string, unknown>>(await signIn(base), 'authenticate');
    expect(status).toBe(201);
    expect(Object.keys(body)).toEqual(['count', 'response', 'status', 'statusCode']);
    expect(body).toMatchObject({ count: 1, status: 0, statusCode: 201 });
    const response = body.response as { expires: string; token: string };
    expect(Object.keys(response)).toEqual(['expires', 'token']);
    expect(response.expires).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}\+00:00$/);
    const expires = Date.parse(response.expires);
    expect(expires).toBeGreaterThanOrEqual(before + TOKEN_LIFETIME_MS - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + TOKEN_LIFETIME_MS);
    expect(text).not.toContain(PASSWORD);
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
    ['a wrong password', USER, 'Sandbox'],
    ['an unknown user', 'someone@example.com', PASSWORD],
    ['a +suffix on another domain', 'sandbox+x@example.org', PASSWORD],
    ['a +suffix with characters no login has', 'sandbox+a/b@example.com', PASSWORD],
  ])('rejects %s with 401 authentication-failed in the envelope', async (_name, userName, password) => {
    await expectError(
      await signIn(base, userName, password),
      'authenticate',
      'authentication-failed',
      'User authentication failed',
    );
  });

  it.each([
    ['no password', { userName: USER }, 'password'],
    ['an empty user name', { userName: '', password: PASSWORD }, 'userName'],
    ['a numeric password', { userName: USER, password: 1234 }, 'password'],
  ])('rejects %s with 400 validation-failed naming the field', async (_name, body, field) => {
    const res = await fetch(base + AUTH_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await expectError(res, 'authenticate', 'validation-failed', `Request validation failed: ${field}`);
  });

  it('rejects a body that is not JSON with 400 malformed-body', async () => {
    const res = await fetch(base + AUTH_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"userName":',
    });
    await expectError(res, 'authenticate', 'malformed-body', 'The request body is not valid JSON.');
  });
});

describe('the token on the task calls', () => {
  it.each([
    ['raw Authorization', (t: string) => ({ authorization: t })],
    ['Authorization: Bearer', (t: string) => ({ authorization: `Bearer ${t}` })],
    ['lower-case bearer', (t: string) => ({ authorization: `bearer ${t}` })],
    ['the asc_auth_key cookie', (t: string) => ({ cookie: `theme=dark; asc_auth_key=${t}` })],
    ['the cookie, URL-encoded', (t: string) => ({ cookie: `asc_auth_key=${encodeURIComponent(t)}` })],
  ])('accepts %s', async (_name, headers) => {
    for (const xml of [false, true]) {
      const { status, body } = await answer<TaskEnvelope>(
        await call(base, { xml, headers: headers(token) }),
        xml ? 'getTaskXml' : 'getTask',
      );
      expect(status).toBe(200);
      expect(String(body.response.id)).toBe('1234');
    }
  });

  it('accepts a valid cookie next to a wrong header token', async () => {
    const res = await call(base, { headers: { authorization: 'sbx.wrong.token', cookie: `asc_auth_key=${token}` } });
    expect((await answer(res, 'getTask')).status).toBe(200);
  });

  const tampered = () => {
    const [prefix, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ u: 'sandbox+other@example.com', e: 4_102_444_800 })).toString(
      'base64url',
    );
    return [
      ['no token at all', {}],
      ['an empty Authorization header', { authorization: '' }],
      ['a made-up token', { authorization: 'sbx.7f3c2a1e9b5d4c6f8a0e1d2c3b4a5f6e' }],
      ['a token with a changed signature', { authorization: `${prefix}.${payload}.${signature.slice(0, -2)}AA` }],
      ['a token whose payload names another user', { authorization: `${prefix}.${forged}.${signature}` }],
      ['Bearer without a token', { authorization: 'Bearer' }],
      ['the token in another cookie', { cookie: `asc_auth=${token}` }],
      ['the password instead of a token', { authorization: PASSWORD }],
    ] as [string, Record<string, string>][];
  };

  it('answers 401 with the plain-text body Unauthorized, on the JSON and the XML path, GET and PUT', async () => {
    for (const [name, headers] of tampered()) {
      for (const xml of [false, true]) {
        for (const method of ['GET', 'PUT'] as const) {
          const res = await call(base, { method, xml, headers, ...(method === 'PUT' ? { body: validBody() } : {}) });
          const op = `${method === 'GET' ? 'getTask' : 'updateTask'}${xml ? 'Xml' : ''}`;
          const { status, text } = await answer(res, op);
          expect(status, name).toBe(401);
          expect(res.headers.get('content-type'), name).toMatch(/^text\/plain/);
          expect(text, name).toBe('Unauthorized');
        }
      }
    }
    expect((await readTask(base, token)).response.title).not.toBe(validBody().title);
  });

  it('answers HTTP Basic credentials with the spec’s 501 not-implemented (JSON and XML)', async () => {
    const basic = { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };
    const message = 'The method or operation is not implemented.';
    await expectError(await call(base, { headers: basic }), 'getTask', 'not-implemented', message);
    await expectError(await call(base, { headers: basic, xml: true }), 'getTaskXml', 'not-implemented', message);
    await expectError(
      await call(base, { method: 'PUT', headers: basic, body: validBody() }),
      'updateTask',
      'not-implemented',
      message,
    );
  });

  it('each user is its own tenant: ctx.tenant is r7-office:<user>', async () => {
    const partner = await tokenFor(base, 'sandbox+auth-test@example.com');
    await answer(
      await call(base, { method: 'PUT', token: partner, body: validBody({ title: 'Partner only' }) }),
      'updateTask',
    );
    expect(
      sandbox.store.get<{ title: string }>('r7-office:sandbox+auth-test@example.com', 'r7-office.task', 1234)?.title,
    ).toBe('Partner only');
  });
});

describe('token design: stateless, HMAC-signed', () => {
  const config = loadConfig([], {});

  it('verifies its own tokens and names the user', () => {
    expect(verifyToken(issueToken('sandbox@example.com', config).token, config)).toBe('sandbox@example.com');
  });

  it('refuses an expired token', () => {
    const old = issueToken('sandbox@example.com', config, Date.now() - TOKEN_LIFETIME_MS - 1000);
    expect(verifyToken(old.token, config)).toBeUndefined();
  });

  it('refuses every token once the password changes', () => {
    const { token: issued } = issueToken('sandbox@example.com', config);
    expect(verifyToken(issued, { ...config, r7Password: 'changed' })).toBeUndefined();
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
