/**
 * iVvy's signed requests (spec: the `ivvySignature` security scheme and the `crm` operation's order of checks).
 * `requireAuthorization` runs first, as a hook before the body is read, so a call without a well-formed
 * `X-Api-Authorization` is 401 whatever else is wrong with it. Once the body is parsed (size 413, malformed JSON
 * 23016 come from the body parser in between), the checks run in the spec's order (`checks` in index.ts), the first
 * that fails answering:
 *
 *   action (404) → Content-Type (415) → Accept (406) → required headers (23017, the first missing) → their form,
 *   Content-MD5 = MD5 of the body (23016, the first invalid) → key and signature (401) → staleness (23005) → rate
 *   (429) → the body is a JSON object (23016 `body`) → the action's body schema
 *
 * The action, Content-Type and Accept checks are the pipeline's own; the rest are iVvy's, here.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { type ErrorDetail, VendorError } from '../../server/errors.ts';
import { fastifyUrl, type RouteSpec } from '../../server/routes.ts';
import { validationDetails } from '../../server/validation-details.ts';
import type { CheckContext, SecurityHandler } from '../../server/vendor-module.ts';
import type { OpenApiDocument } from '../../spec/index.ts';
import { reason, reasonFor } from './messages.ts';
import { credentials } from './settings.ts';
import { apiVersionOf, contentMd5, httpDate, ivvyTimestamp, SCHEME, signature, stringToSign } from './signing.ts';

/** "Requests over 5 minutes old are invalid" (x-errors `stale-request`: 300 s before or after the server's clock). */
export const STALE_AFTER_MS = 5 * 60 * 1000;

/** The two date headers, one of which is required (the spec's `Date` and `IVVY-Date` parameters). */
const DATE = 'date';
const IVVY_DATE = 'ivvy-date';
const AUTHORIZATION_HEADER = 'x-api-authorization';

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** The spec's parameter (`Content-MD5`) for a header's lower-case wire name. */
function parameter(route: RouteSpec, lower: string) {
  return route.entry.parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === lower);
}
const parameterName = (route: RouteSpec, lower: string): string => parameter(route, lower)?.name ?? lower;

/** The local prefix the route is served under (`/ivvy`): its URL minus the vendor's own path. */
function localPrefix(route: RouteSpec): string {
  return route.url.slice(0, route.url.length - fastifyUrl('', route.specPath).length);
}

/** The request URI the client signed: the vendor's own path and query, as sent, without the local prefix. */
export function signedRequestUri(request: FastifyRequest, route: RouteSpec): string {
  const prefix = localPrefix(route);
  return prefix && request.url.startsWith(prefix) ? request.url.slice(prefix.length) : request.url;
}

/** The instant a date header names, or undefined when it does not name a real one (`31 Feb`). */
function parseDate(name: string, value: string): number | undefined {
  if (name === IVVY_DATE) {
    // iVvy's timestamp, `Y-m-d H:i:s` with an optional ` UTC` (the spec's Timestamp; the SDK sends the ` UTC`).
    const timestamp = value.replace(/ UTC$/, '');
    const ms = Date.parse(`${timestamp.replace(' ', 'T')}Z`);
    return Number.isNaN(ms) || ivvyTimestamp(new Date(ms)) !== timestamp ? undefined : ms;
  }
  const ms = Date.parse(value.replace(/ (UTC|GMT)$/, ' GMT'));
  // The weekday is not checked; day, month, year and time must survive the round trip.
  return Number.isNaN(ms) || httpDate(new Date(ms)).slice(5, 25) !== value.slice(5, 25) ? undefined : ms;
}

const AUTHORIZATION = new RegExp(`^${SCHEME} (.+):([0-9a-fA-F]{40})$`);

/** `X-Api-Authorization` present and `IWS {apiKey}:{signature}`, else 401; returns the key and the signature. */
export function requireAuthorization(
  request: FastifyRequest,
  doc: OpenApiDocument,
): { key: string; signature: string } {
  const authorization = header(request, AUTHORIZATION_HEADER);
  const match = AUTHORIZATION.exec(authorization ?? '');
  if (!match?.[1] || !match[2]) {
    throw new VendorError('unauthorized', [
      {
        target: 'X-Api-Authorization',
        message:
          authorization === undefined ? reason(doc, 'required') : `Value must be "${SCHEME} {apiKey}:{signature}"`,
      },
    ]);
  }
  return { key: match[1], signature: match[2] };
}

/** A body is sent with a Content-Type: without one the call is 415, as one of another type (the pipeline's next). */
export function requireContentType({ request, definition }: CheckContext): void {
  if (header(request, 'content-type') === undefined)
    throw new VendorError(definition.errorKeys.unsupportedMediaType, [
      { target: 'Content-Type', message: '(none) is not one of application/json' },
    ]);
}

/** Required headers (23017): the first missing one, the two date headers counting as one. */
function checkRequiredHeaders(request: FastifyRequest, route: RouteSpec, doc: OpenApiDocument): void {
  const missing: string[] = route.entry.parameters
    .filter((p) => p.in === 'header' && p.required && header(request, p.name.toLowerCase()) === undefined)
    .map((p) => p.name);
  if (header(request, DATE) === undefined && header(request, IVVY_DATE) === undefined) {
    missing.push(parameterName(route, DATE));
  }
  if (missing[0] !== undefined)
    throw new VendorError('id-required', [{ target: missing[0], message: reason(doc, 'required') }]);
}

/** The headers against their schemas, then Content-MD5 against the body's MD5 when their forms are right. */
function invalidHeaders(request: FastifyRequest, route: RouteSpec, doc: OpenApiDocument): ErrorDetail[] {
  const headers = { ...request.headers } as Record<string, unknown>;
  const invalid: ErrorDetail[] = route.headers(headers)
    ? []
    : validationDetails(route.headers.errors, 'header').map((d) => ({
        ...d,
        ...(d.target ? { target: parameterName(route, d.target) } : {}),
      }));
  const md5 = header(request, 'content-md5') ?? '';
  if (invalid.length === 0 && md5.toLowerCase() !== contentMd5(request.rawBody)) {
    invalid.push({
      target: parameterName(route, 'content-md5'),
      message: reasonFor(doc, parameter(route, 'content-md5')?.schema),
    });
  }
  return invalid;
}

/**
 * The instant the date headers claim, `IVVY-Date` over `Date`; each one sent that names no real instant is added to
 * `invalid` (one already there is not read).
 */
function claimedInstant(
  request: FastifyRequest,
  route: RouteSpec,
  doc: OpenApiDocument,
  invalid: ErrorDetail[],
): number | undefined {
  let instant: number | undefined;
  for (const name of [DATE, IVVY_DATE]) {
    const value = header(request, name);
    if (value === undefined || invalid.some((d) => d.target === parameterName(route, name))) continue;
    const ms = parseDate(name, value);
    if (ms === undefined) {
      invalid.push({ target: parameterName(route, name), message: reasonFor(doc, parameter(route, name)?.schema) });
    } else if (name === IVVY_DATE || instant === undefined) instant = ms;
  }
  return instant;
}

/**
 * Required headers (23017, the first missing one), then their form (23016, the first invalid one); returns the
 * instant the request claims to be from.
 */
function headerInstant(request: FastifyRequest, route: RouteSpec, doc: OpenApiDocument): number {
  checkRequiredHeaders(request, route, doc);
  const invalid = invalidHeaders(request, route, doc);
  const instant = claimedInstant(request, route, doc, invalid);
  if (invalid.length > 0 || instant === undefined) throw new VendorError('parameter-invalid', invalid);
  return instant;
}

/** The key of a valid signature; throws `unauthorized` otherwise. */
function checkSignature(
  request: FastifyRequest,
  route: RouteSpec,
  config: Readonly<Config>,
  doc: OpenApiDocument,
): string {
  const { key, signature: sent } = requireAuthorization(request, doc);
  // `sandbox-key` or `sandbox-key+<partner>`: each key is its own tenant, all with the same secret.
  const account = credentials(config);
  if (key !== account.apiKey && !(key.startsWith(`${account.apiKey}+`) && key.length > account.apiKey.length + 1)) {
    throw new VendorError('unauthorized', [{ target: 'X-Api-Authorization', message: `unknown API key ${key}` }]);
  }
  const ivvyHeaders: Record<string, string | undefined> = {};
  for (const name of Object.keys(request.headers)) {
    if (/^ivvy/i.test(name)) ivvyHeaders[name] = header(request, name);
  }
  const requestUri = signedRequestUri(request, route);
  const expected = signature(
    account.apiSecret,
    stringToSign({
      method: request.method,
      contentMd5: header(request, 'content-md5') ?? '',
      contentType: header(request, 'content-type') ?? '',
      date: header(request, IVVY_DATE) === undefined ? (header(request, DATE) ?? '') : '',
      requestUri,
      // The version of the path, as the vendor's SDK signs it; an X-Api-Version header is not read.
      apiVersion: apiVersionOf(requestUri),
      ivvyHeaders,
    }),
  );
  if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(sent, 'hex'))) {
    throw new VendorError('unauthorized', [
      { target: 'X-Api-Authorization', message: 'the signature does not match the request' },
    ]);
  }
  return key;
}

/** The instant each checked request claims to be from, for the staleness check that follows the signature. */
const instants = new WeakMap<FastifyRequest, number>();

/** Required headers (23017), then their form and Content-MD5 (23016). */
export function checkHeaders({ request, route, doc }: CheckContext): void {
  instants.set(request, headerInstant(request, route, doc));
}

/**
 * The `ivvySignature` scheme: the key of a valid signature over a request that is not stale; 401 or 23005
 * otherwise. The headers were checked before it (checkHeaders), as the spec orders them.
 */
export const verifySignature: SecurityHandler = (request, { config, route, doc }) => {
  const instant = instants.get(request) ?? headerInstant(request, route, doc);
  const key = checkSignature(request, route, config, doc);
  const skew = Date.now() - instant;
  if (Math.abs(skew) > STALE_AFTER_MS) {
    throw new VendorError('stale-request', [
      {
        target: parameterName(route, header(request, IVVY_DATE) === undefined ? DATE : IVVY_DATE),
        message: `is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'behind' : 'ahead of'} the server's clock (at most ${STALE_AFTER_MS / 1000} s)`,
      },
    ]);
  }
  return key;
};

/** Every action's body is a JSON object (23016 `body`), before the action's own schema is asked. */
export function requireObjectBody({ state, doc }: CheckContext): void {
  const body: unknown = state.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new VendorError('parameter-invalid', [{ target: 'body', message: reason(doc, 'type', { type: 'object' }) }]);
  }
}
