/**
 * XML names as System.Xml checks and encodes them: XmlConvert.EncodeName (what XmlNodeConverter does to a JSON
 * property name before it becomes an element) and XName's check of a local name (XmlConvert.VerifyNCName), with
 * .NET's messages. Character classes are XML 1.0's (fifth edition), close to the fourth edition's .NET uses for
 * every character a JSON body realistically holds.
 */
import { DotNetException, HRESULT } from '../dotnet/exception.ts';

const START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const REST = `${START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040`;
// Compiled once: these run for every character of every property name of every JSON body.
const START_CHAR = new RegExp(`^[${START}]$`);
const NAME_CHAR = new RegExp(`^[${REST}:]$`);
const NC_NAME_CHAR = new RegExp(`^[${REST}]$`);
const isStartChar = (c: string) => START_CHAR.test(c);
const isNameChar = (c: string) => NAME_CHAR.test(c);
const isNcNameChar = (c: string) => NC_NAME_CHAR.test(c);

const hex2 = (code: number) => code.toString(16).toUpperCase().padStart(2, '0');

/** XmlConvert.VerifyNCName, as XName checks a local name. */
export function verifyNcName(name: string): void {
  if (name === '') {
    throw new DotNetException(
      'System.ArgumentNullException',
      "The empty string '' is not a valid local name.\nParameter name: name",
      HRESULT.argumentNull,
    );
  }
  const first = name[0] as string;
  if (!isStartChar(first)) {
    throw new DotNetException(
      'System.Xml.XmlException',
      `Name cannot begin with the '${first}' character, hexadecimal value 0x${hex2(first.charCodeAt(0))}.`,
      HRESULT.xml,
    );
  }
  for (const c of name.slice(1)) {
    if (!isNcNameChar(c)) {
      throw new DotNetException(
        'System.Xml.XmlException',
        `The '${c}' character, hexadecimal value 0x${hex2(c.charCodeAt(0))}, cannot be included in a name.`,
        HRESULT.xml,
      );
    }
  }
}

/** XmlConvert.EncodeName: each character no name may hold as `_xHHHH_` (`_xHHHHHHHH_` for a surrogate pair). */
export function encodeName(name: string): string {
  if (name === '') return name;
  const escapes = new Set<number>();
  for (const m of name.matchAll(/(?<=_)[Xx](?:[0-9a-fA-F]{4}|[0-9a-fA-F]{8})_/g)) escapes.add(m.index - 1);
  let out = '';
  const units = name;
  for (let i = 0; i < units.length; i++) {
    const c = units[i] as string;
    const code = c.charCodeAt(0);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < units.length;
    const valid = i === 0 ? isStartChar(c) || c === ':' : isNameChar(c);
    if (!valid || escapes.has(i)) {
      if (pair) {
        const cp = name.codePointAt(i) as number;
        out += `_x${cp.toString(16).toUpperCase().padStart(8, '0')}_`;
        i++;
      } else out += `_x${code.toString(16).toUpperCase().padStart(4, '0')}_`;
    } else out += c;
  }
  return out;
}
