/**
 * iVvy request signing ("IWS"), exactly as the spec's security scheme `ivvySignature` documents it
 * (specs/ivvy/components/securitySchemes/ivvySignature.yaml):
 *
 *   X-Api-Authorization: IWS {apiKey}:{signature}
 *   signature    = hex(HMAC-SHA1(secret, lowercase(stringToSign)))
 *   stringToSign = method + Content-MD5 + Content-Type + date + requestUri + apiVersion + ivvyHeaders
 *
 * `apiVersion` is the version of the path (`1.0` in `/api/1.0/crm`), as the vendor's .NET SDK signs it; an
 * `X-Api-Version` header is optional and not read (spec: the `X-Api-Version` parameter).
 *
 * Shared by the sandbox (verifying), the client (signing) and the `sign` CLI, so all three compute the same string.
 */
import { createHash, createHmac } from 'node:crypto';

/** The API version a request URI names: `1.0` in `/api/1.0/crm?action=getTaskList`; empty when it names none. */
export function apiVersionOf(requestUri: string): string {
  return /^\/api\/([^/?]+)\//.exec(requestUri)?.[1] ?? '';
}

/** The scheme word before `key:signature` in `X-Api-Authorization`. */
export const SCHEME = 'IWS';

export type Body = string | Uint8Array | undefined;

/** The hex MD5 of the body's bytes (a string is UTF-8), also of an empty body. */
export function contentMd5(body: Body): string {
  return createHash('md5')
    .update(body ?? '')
    .digest('hex');
}

/** `Y-m-d H:i:s` in UTC, the form of `IVVY-Date` (and of the vendor's timestamps), without the optional ` UTC`. */
export function ivvyTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** The HTTP date form of `Date`, with `UTC` as the vendor writes it: `Tue, 03 Apr 2012 22:23:24 UTC`. */
export function httpDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, 'UTC');
}

/**
 * The iVvy headers part: every header whose name starts with `IVVY`, name without `-` and `_`, as `name=value`,
 * sorted by name, joined with `&` (`ivvydate=2012-04-03 22:23:24` with `IVVY-Date` only; empty without any).
 */
export function ivvyHeadersPart(headers: Readonly<Record<string, string | undefined>>): string {
  return Object.entries(headers)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && /^ivvy/i.test(entry[0]))
    .map(([name, value]) => [name.replace(/[-_]/g, '').toLowerCase(), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export interface SigningParts {
  method: string;
  contentMd5: string;
  /** The `Content-Type` value as sent (empty when none is sent). */
  contentType: string;
  /** The `Date` value, or empty when `IVVY-Date` is sent (pass `ivvyHeaders` then). */
  date: string;
  /** The vendor's own path and query, as sent: `/api/1.0/crm?action=addOrUpdateTask`. */
  requestUri: string;
  apiVersion: string;
  /** The request's `IVVY…` headers by name (`{ 'IVVY-Date': '2012-04-03 22:23:24' }`). */
  ivvyHeaders: Readonly<Record<string, string | undefined>>;
}

/** The lower-cased string the signature is computed over. */
export function stringToSign(parts: SigningParts): string {
  return [
    parts.method,
    parts.contentMd5,
    parts.contentType,
    parts.date,
    parts.requestUri,
    parts.apiVersion,
    ivvyHeadersPart(parts.ivvyHeaders),
  ]
    .join('')
    .toLowerCase();
}

/** The hex HMAC-SHA1 of the string to sign, keyed with the API secret. */
export function signature(secret: string, toSign: string): string {
  return createHmac('sha1', secret).update(toSign, 'utf8').digest('hex');
}

export interface SignInput {
  method: string;
  /** The vendor's own path and query, without any local prefix: `/api/1.0/crm?action=addOrUpdateTask`. */
  path: string;
  body: Body;
  contentType: string;
  /** Sends `Date` with this value. */
  date?: string;
  /** Sends `IVVY-Date` with this value (signed instead of `Date` when both are given). Neither: `IVVY-Date` = now. */
  ivvyDate?: string;
  /** Sends `X-Api-Version` with this value and signs it; absent, no header is sent and the path's version is signed. */
  apiVersion?: string;
  key: string;
  secret: string;
}

export interface Signed {
  /** The headers to send, in this order. */
  headers: Record<string, string>;
  stringToSign: string;
}

/** Signs a request: the string to sign and every header the vendor requires for it. */
export function signRequest(input: SignInput): Signed {
  const md5 = contentMd5(input.body);
  const apiVersion = input.apiVersion ?? apiVersionOf(input.path);
  const ivvyDate = input.ivvyDate ?? (input.date === undefined ? ivvyTimestamp(new Date()) : undefined);
  const toSign = stringToSign({
    method: input.method,
    contentMd5: md5,
    contentType: input.contentType,
    date: ivvyDate === undefined ? (input.date ?? '') : '',
    requestUri: input.path,
    apiVersion,
    ivvyHeaders: ivvyDate === undefined ? {} : { 'IVVY-Date': ivvyDate },
  });
  const headers: Record<string, string> = {
    'Content-MD5': md5,
    'Content-Type': input.contentType,
    ...(input.date !== undefined ? { Date: input.date } : {}),
    ...(ivvyDate !== undefined ? { 'IVVY-Date': ivvyDate } : {}),
    ...(input.apiVersion !== undefined ? { 'X-Api-Version': input.apiVersion } : {}),
    'X-Api-Authorization': `${SCHEME} ${input.key}:${signature(input.secret, toSign)}`,
  };
  return { headers, stringToSign: toSign };
}

/** The headers that sign a request (`Content-MD5`, `Content-Type`, `Date`/`IVVY-Date`, `X-Api-Authorization`, and `X-Api-Version` when asked). */
export function sign(input: SignInput): Record<string, string> {
  return signRequest(input).headers;
}
