/**
 * Sending requests to a sandbox as an authorised partner of any vendor, whatever the body: the vendor's own client
 * code (src/contract/clients.ts) signs or authorises each request, so fuzzed requests get past authentication and
 * reach the parsers, validators and handlers behind it.
 */
import { definitionOf } from '../../../src/vendors/index.ts';

export interface Exchange {
  method: string;
  /** The vendor's own path and query, already encoded (`/api/1.0/crm?action=getTaskList`). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Credential overrides (a second partner, e.g. `{ apiKey: 'sandbox-key+soak' }`). */
  credentials?: Record<string, string>;
  /** `false`: send no credentials at all. */
  authorise?: boolean;
}

export interface Answer {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** Header names lower-cased, later sources winning: one value per header, never a comma-joined pair. */
export function mergeHeaders(...sources: Record<string, string>[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) for (const [name, value] of Object.entries(source)) out[name.toLowerCase()] = value;
  return out;
}

/** The headers that authorise this exchange for `vendor` at `base` (`http://127.0.0.1:<port>/ivvy`). */
export async function authorisation(vendor: string, base: string, x: Exchange): Promise<Record<string, string>> {
  const client = definitionOf(vendor).client;
  if (!client) throw new Error(`no client for ${vendor}`);
  const body = x.body === undefined ? undefined : Buffer.from(x.body);
  return client.authorize(
    { method: x.method, path: x.path, headers: x.headers ?? {}, body },
    { baseUrl: base, ...(x.credentials ? { credentials: x.credentials } : {}) },
  );
}

/** Sends one exchange (authorised unless told otherwise); never throws for a status, only for a network failure. */
export async function exchange(vendor: string, base: string, x: Exchange, timeoutMs = 30_000): Promise<Answer> {
  const auth = x.authorise === false ? {} : await authorisation(vendor, base, x);
  const headers = mergeHeaders(x.headers ?? {}, auth);
  const res = await fetch(base + x.path, {
    method: x.method,
    headers,
    // Bytes, never a string: fetch would add `Content-Type: text/plain` to a string body sent without one.
    ...(x.body !== undefined ? { body: new Uint8Array(Buffer.from(x.body)) } : {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? undefined, body: await res.text() };
}

/** `encodeURIComponent` that also encodes `!'()*`, so the URL parser sends exactly what was signed. */
export const encode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A path with a query string, keys and values encoded. */
export function withQuery(path: string, query: readonly (readonly [string, string])[]): string {
  if (query.length === 0) return path;
  return `${path}?${query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`;
}
