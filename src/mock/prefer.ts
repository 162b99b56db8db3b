/**
 * The client's mock preferences, read the way Prism's own server reads them: the `Prefer` header
 * (`Prefer: code=404, example=updateTask-seed, dynamic=true, seed=42`), or, when there is no `Prefer` header, the
 * query parameters `__code`, `__example`, `__dynamic` and `__seed`.
 */
export interface Preferences {
  code?: number;
  example?: string;
  dynamic?: boolean;
  seed?: string;
}

export type PreferencesResult = { ok: true; value: Preferences } | { ok: false; detail: string };

const keys = ['code', 'example', 'dynamic', 'seed'] as const;

/** `token=value` pairs of a `Prefer` header (RFC 7240): comma-separated preferences, the first of a token wins. */
export function parsePrefer(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const preference of splitOutsideQuotes(header, ',')) {
    const [head = ''] = splitOutsideQuotes(preference, ';');
    const eq = head.indexOf('=');
    const token = (eq < 0 ? head : head.slice(0, eq)).trim().toLowerCase();
    let value = eq < 0 ? '' : head.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (token && !(token in out)) out[token] = value;
  }
  return out;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Decodes the preferences; a malformed `code` or `dynamic` is the client's error (Prism answers 422). */
export function readPreferences(prefer: string | undefined, query: URLSearchParams): PreferencesResult {
  const raw: Record<string, string | undefined> =
    prefer !== undefined && prefer.trim() !== ''
      ? parsePrefer(prefer)
      : Object.fromEntries(keys.map((k) => [k, query.get(`__${k}`) ?? undefined]));
  const value: Preferences = {};
  if (raw.code !== undefined) {
    if (!/^\d{3}$/.test(raw.code))
      return { ok: false, detail: `Prefer code must be a 3-digit status, got "${raw.code}"` };
    value.code = Number(raw.code);
  }
  if (raw.dynamic !== undefined) {
    if (raw.dynamic !== 'true' && raw.dynamic !== 'false')
      return { ok: false, detail: `Prefer dynamic must be true or false, got "${raw.dynamic}"` };
    value.dynamic = raw.dynamic === 'true';
  }
  if (raw.example) value.example = raw.example;
  if (raw.seed) value.seed = raw.seed;
  return { ok: true, value };
}
