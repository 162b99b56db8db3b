/**
 * A client of the Odyssee API built the way the vendor documents it and its public client does it, independently of
 * the sandbox's own helpers: HTTP Basic over `username:password@domain`, JSON or XML with the vendor's content
 * types, the vendor's own paths under a base URL (the sandbox's or the mock's prefix instead of the vendor's host).
 */

/**
 * `Authorization: Basic base64("username:password@domain")`.
 * mirrors https://v4developers.odysseemobile.com/Documentation/HelpGuide/Authentication ("The input for the Base64
 * encoded string would be APIUser:123456@TESTAPI") and alexchukanov/OdysseeMobileTest Connector/Util.cs
 * OdysseeAuthenticator.Authorization (`string.Format("{0}:{1}@{2}", _user, _password, _domain)`, UTF-8, Base64).
 */
export function odysseeAuthorization(user: string, password: string, domain: string): string {
  return `Basic ${Buffer.from(`${user}:${password}@${domain}`, 'utf8').toString('base64')}`;
}

/** The sandbox's credentials (README "Sandbox credentials"); the mock only checks that they are well-formed. */
export const sandboxAuthorization = odysseeAuthorization('sandbox', 'sandbox', 'SANDBOX');

/** The content types of https://developers.odysseemobile.com/Documentation/HelpGuide/DataFormats. */
export const contentTypes = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
} as const;

export interface OdysseeRequest {
  method?: string;
  /** The vendor's path, e.g. `/api/Task(f7d8…)`. */
  path: string;
  body?: string;
  format?: 'json' | 'xml';
  /** `Accept`; none by default: "By default and if nothing is found on the HTTP REQUEST, API will uses JSON". */
  accept?: string;
  authorization?: string | false;
}

/** Sends one request to `base` (the sandbox's or the mock's `/odyssee` prefix). */
export function send(base: string, r: OdysseeRequest): Promise<Response> {
  const headers: Record<string, string> = {};
  if (r.authorization !== false) headers.authorization = r.authorization ?? sandboxAuthorization;
  if (r.body !== undefined) headers['content-type'] = contentTypes[r.format ?? 'json'];
  if (r.accept) headers.accept = r.accept;
  return fetch(`${base}${r.path}`, {
    method: r.method ?? (r.body === undefined ? 'GET' : 'PUT'),
    headers,
    ...(r.body !== undefined ? { body: r.body } : {}),
  });
}

export const keys = {
  task: 'f7d828f8-7316-428f-9ae8-f04ecefda91e',
  job: '465cd9f6-60fc-4b63-8386-9fd2780ae406',
} as const;
