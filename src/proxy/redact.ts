/**
 * Credentials out of recorded traffic: HTTP authentication and every header, query parameter and cookie the spec's
 * security schemes name (Authorization, iVvy's X-Api-Authorization, R7-Office's token header, query and cookie),
 * every cookie, and in bodies both ways any field named like a secret (R7-Office's sign-in `password`, the `token`
 * of its answer), in JSON, XML and forms. What is redacted reads `[redacted]`.
 */
import type { ProxyVendor } from './vendors.ts';

export const REDACTED = '[redacted]';

/** Field, element and parameter names that hold a secret. */
const secretName = /pass(word|wd)?$|^pwd$|secret|token|api[-_]?key|auth[-_]?key|credential|signature/i;

export class Redactor {
  readonly #secrets: ProxyVendor['secrets'];
  constructor(vendor: ProxyVendor) {
    this.#secrets = vendor.secrets;
  }

  /** Raw headers as HAR name/value pairs, credentials redacted (cookies by value, their names and attributes kept). */
  headers(raw: readonly string[]): { name: string; value: string }[] {
    const out: { name: string; value: string }[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i] as string;
      const value = raw[i + 1] as string;
      const lower = name.toLowerCase();
      if (lower === 'cookie') out.push({ name, value: value.replace(/=([^;]*)/g, `=${REDACTED}`) });
      else if (lower === 'set-cookie') out.push({ name, value: value.replace(/^([^=;]*)=([^;]*)/, `$1=${REDACTED}`) });
      else if (this.#secrets.headers.has(lower) || secretName.test(lower)) out.push({ name, value: REDACTED });
      else out.push({ name, value });
    }
    return out;
  }

  #secretParam(name: string): boolean {
    return this.#secrets.query.has(name) || this.#secrets.cookies.has(name) || secretName.test(name);
  }

  /** A URL with its credential query parameters redacted (the rest of it as it was). */
  url(url: string): string {
    const at = url.indexOf('?');
    if (at < 0) return url;
    return `${url.slice(0, at)}?${this.query(url.slice(at + 1))}`;
  }

  /** A query string or form body with its credential parameters redacted, the others byte for byte. */
  query(query: string): string {
    return query
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const name = decodeSafe(eq < 0 ? pair : pair.slice(0, eq));
        return eq >= 0 && this.#secretParam(name) ? `${pair.slice(0, eq)}=${encodeURIComponent(REDACTED)}` : pair;
      })
      .join('&');
  }

  /** A body with its secret fields redacted; `changed` when anything was. */
  body(mediaType: string, text: string): { text: string; changed: boolean } {
    if (/json/.test(mediaType)) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return { text, changed: false };
      }
      if (!redactJson(value)) return { text, changed: false };
      try {
        return { text: JSON.stringify(value), changed: true };
      } catch {
        return { text: `${REDACTED}: a body too deep to write back`, changed: true };
      }
    }
    if (/xml/.test(mediaType)) {
      const out = text.replace(
        /<((?:[\w.-]+:)?([\w.-]+))(\s[^>]*)?>([^<]*)<\/\1>/g,
        (whole, tag: string, local: string, attrs: string | undefined, inner: string) =>
          secretName.test(local) && inner !== '' ? `<${tag}${attrs ?? ''}>${REDACTED}</${tag}>` : whole,
      );
      return { text: out, changed: out !== text };
    }
    if (/x-www-form-urlencoded/.test(mediaType)) {
      const out = this.query(text);
      return { text: out, changed: out !== text };
    }
    if (/multipart\/form-data/.test(mediaType)) {
      const out = text.replace(
        /(name="([^"]*)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n)([^\r\n]*)/g,
        (whole, head: string, name: string) => (secretName.test(name) ? `${head}${REDACTED}` : whole),
      );
      return { text: out, changed: out !== text };
    }
    return { text, changed: false };
  }
}

/**
 * Replaces, in place, every scalar under a secret-looking name; returns whether any was. Iterative: a body nested
 * 100k deep (the reliability suite sends them) costs no stack.
 */
function redactJson(root: unknown): boolean {
  let changed = false;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if (secretName.test(key) && child !== null && typeof child !== 'object' && child !== '') {
        (value as Record<string, unknown>)[key] = REDACTED;
        changed = true;
      } else stack.push(child);
    }
  }
  return changed;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
