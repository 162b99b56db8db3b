/**
 * The vendor's answer text: JSON as JsonNetSerializer writes it (module/ASC.Api/ASC.Api/Impl/Serializers/: every
 * string through JsonStringConverter, which escapes `/` as `\/` and writes other non-ASCII characters as they are),
 * or, for XML, that JSON converted by Json.NET's XmlNodeConverter under `<result>` and written by XElement (no
 * declaration, arrays as repeated elements, null and `{}` as `<x />`, line ends as `\n`).
 */
import { DotNetException, HRESULT } from './dotnet/exception.ts';

/** Whether JsonStringConverter escapes this character: `/`, `"`, backslash, a control character, a surrogate, U+FFFE, U+FFFF. */
const escaped = (code: number) =>
  code === 47 || code === 34 || code === 92 || code < 32 || (code >= 0xd800 && (code <= 0xdfff || code >= 0xfffe));

/** JsonStringConverter.GetEscapedJsonString: the runs between escaped characters copied as they are. */
export function escapeJsonString(text: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!escaped(code)) continue;
    out += text.slice(from, i);
    out += code === 47 || code === 34 || code === 92 ? `\\${text[i]}` : `\\u${code.toString(16).padStart(4, '0')}`;
    from = i + 1;
  }
  return `${out}${text.slice(from)}"`;
}

/** The JSON text of an answer (keys in the order the object holds them). */
export function writeJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return escapeJsonString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(writeJson).join(',')}]`;
  const object = value as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(object)) {
    const v = object[key];
    if (v === undefined) continue;
    out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${writeJson(v)}`;
  }
  return `{${out}}`;
}

const hex2 = (code: number) => code.toString(16).toUpperCase().padStart(2, '0');

/** XmlWriter's text: `&`, `<`, `>` escaped, line ends as `\n`; a character XML cannot hold throws (ArgumentException). */
function xmlText(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      throw new DotNetException(
        'System.ArgumentException',
        'The surrogate pair is invalid. Missing a low surrogate character.',
        HRESULT.argument,
      );
    }
    const valid =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code < 0xd800) ||
      (code >= 0xe000 && code <= 0xfffd);
    if (!valid) {
      throw new DotNetException(
        'System.ArgumentException',
        `'${text[i]}', hexadecimal value 0x${hex2(code)}, is an invalid character.`,
        HRESULT.argument,
      );
    }
  }
  return text.replace(/\r\n?/g, '\n').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name} />`;
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join('');
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => element(k, v))
      .join('');
    return inner === '' ? `<${name} />` : `<${name}>${inner}</${name}>`;
  }
  if (typeof value === 'string') return value === '' ? `<${name}></${name}>` : `<${name}>${xmlText(value)}</${name}>`;
  return `<${name}>${String(value)}</${name}>`;
}

/** The XML text of an answer: the envelope as `<result>`. Throws the vendor's ArgumentException for a character XML cannot hold. */
export function writeXml(value: unknown, root = 'result'): string {
  return element(root, value);
}
