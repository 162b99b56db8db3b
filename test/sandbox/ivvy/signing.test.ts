/**
 * Known answers of iVvy's request signing: the vendor's own worked example (specs/sources/VENDORS.md, the
 * `ivvySignature` scheme) and the spec's sandbox examples for the seed add request.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mocksDir } from '../../../src/spec/index.ts';
import {
  contentMd5,
  httpDate,
  ivvyHeadersPart,
  ivvyTimestamp,
  sign,
  signature,
  signRequest,
  stringToSign,
} from '../../../src/vendors/ivvy/signing.ts';

const seedAdd = readFileSync(join(mocksDir, 'ivvy', 'addOrUpdateTask', 'seed-add.request.json'));

describe('contentMd5', () => {
  it.each([
    ["the vendor's example body", { given: '{"example":"body"}', want: 'a09f600c77a6dbd947db24c61e8935ca' }],
    ['an empty body', { given: '', want: 'd41d8cd98f00b204e9800998ecf8427e' }],
    ['no body', { given: undefined, want: 'd41d8cd98f00b204e9800998ecf8427e' }],
    ['the seed add request, byte for byte', { given: seedAdd, want: '2e66fd4734273dfa77f4fd66c5a568cf' }],
  ])('%s', (_name, { given, want }) => {
    expect(contentMd5(given)).toBe(want);
  });
});

describe("the vendor's known answer", () => {
  const input = {
    method: 'POST',
    path: '/api/1.0/test?action=ping',
    body: '{"example":"body"}',
    contentType: 'application/json',
    ivvyDate: '2012-04-03 22:23:24',
    apiVersion: '1.0',
    key: 'some-key',
    secret: 'foo',
  };

  it('builds the documented string to sign', () => {
    expect(
      stringToSign({
        method: 'POST',
        contentMd5: 'a09f600c77a6dbd947db24c61e8935ca',
        contentType: 'application/json',
        date: '',
        requestUri: '/api/1.0/test?action=ping',
        apiVersion: '1.0',
        ivvyHeaders: { 'IVVY-Date': '2012-04-03 22:23:24' },
      }),
    ).toBe(
      'posta09f600c77a6dbd947db24c61e8935caapplication/json/api/1.0/test?action=ping1.0ivvydate=2012-04-03 22:23:24',
    );
  });

  it('signs it to the documented signature', () => {
    expect(
      signature(
        'foo',
        'posta09f600c77a6dbd947db24c61e8935caapplication/json/api/1.0/test?action=ping1.0ivvydate=2012-04-03 22:23:24',
      ),
    ).toBe('8c7a8f2bcd32aa06d9c4097653bee4106b64fe81');
  });

  it('sign() answers every header, in the documented form', () => {
    expect(sign(input)).toEqual({
      'Content-MD5': 'a09f600c77a6dbd947db24c61e8935ca',
      'Content-Type': 'application/json',
      'IVVY-Date': '2012-04-03 22:23:24',
      'X-Api-Version': '1.0',
      'X-Api-Authorization': 'IWS some-key:8c7a8f2bcd32aa06d9c4097653bee4106b64fe81',
    });
  });

  it('with both Date and IVVY-Date, signs an empty date part and IVVY-Date (as the vendor example sends both)', () => {
    const signed = signRequest({ ...input, date: 'Tue, 03 Apr 2012 22:23:24 UTC' });
    expect(signed.headers.Date).toBe('Tue, 03 Apr 2012 22:23:24 UTC');
    expect(signed.headers['X-Api-Authorization']).toBe('IWS some-key:8c7a8f2bcd32aa06d9c4097653bee4106b64fe81');
  });
});

describe("the spec's sandbox known answers (seed add request)", () => {
  const base = {
    method: 'POST',
    path: '/api/1.0/crm?action=addOrUpdateTask',
    body: seedAdd,
    contentType: 'application/json',
    apiVersion: '1.0',
    key: 'sandbox-key',
    secret: 'sandbox-secret',
  };
  it.each([
    [
      'IVVY-Date',
      {
        given: { ivvyDate: '2021-11-01 09:00:00' },
        want: {
          toSign:
            'post2e66fd4734273dfa77f4fd66c5a568cfapplication/json/api/1.0/crm?action=addorupdatetask1.0ivvydate=2021-11-01 09:00:00',
          signature: 'd099b4be6e914c3d3987af5b1799a14e6ead889c',
        },
      },
    ],
    [
      'Date',
      {
        given: { date: 'Mon, 01 Nov 2021 09:00:00 UTC' },
        want: {
          toSign:
            'post2e66fd4734273dfa77f4fd66c5a568cfapplication/jsonmon, 01 nov 2021 09:00:00 utc/api/1.0/crm?action=addorupdatetask1.0',
          signature: 'a057cd070b750d5b4b47dbd8e98025cc37f718cb',
        },
      },
    ],
  ])('with %s', (_name, { given, want }) => {
    const signed = signRequest({ ...base, ...given });
    expect(signed.stringToSign).toBe(want.toSign);
    expect(signed.headers['X-Api-Authorization']).toBe(`IWS sandbox-key:${want.signature}`);
  });
});

describe('the parts', () => {
  it.each([
    ['no iVvy header', { given: {}, want: '' }],
    ['IVVY-Date only', { given: { 'IVVY-Date': '2012-04-03 22:23:24' }, want: 'ivvydate=2012-04-03 22:23:24' }],
    [
      'several, sorted by name without - and _',
      { given: { 'IVVY-Zeta': 'z', ivvy_date: 'd', 'Content-Type': 'x' }, want: 'ivvydate=d&ivvyzeta=z' },
    ],
  ])('iVvy headers: %s', (_name, { given, want }) => {
    expect(ivvyHeadersPart(given)).toBe(want);
  });

  it('formats the two date forms', () => {
    const at = new Date(Date.UTC(2012, 3, 3, 22, 23, 24));
    expect(ivvyTimestamp(at)).toBe('2012-04-03 22:23:24');
    expect(httpDate(at)).toBe('Tue, 03 Apr 2012 22:23:24 UTC');
  });

  it('without a date, sends IVVY-Date = now', () => {
    const headers = sign({
      method: 'POST',
      path: '/api/1.0/crm',
      body: '{}',
      contentType: 'application/json',
      key: 'k',
      secret: 's',
    });
    const sent = Date.parse(`${headers['IVVY-Date']?.replace(' ', 'T')}Z`);
    expect(Math.abs(Date.now() - sent)).toBeLessThan(5_000);
    expect(headers.Date).toBeUndefined();
  });
});
