/**
 * The TypeConverters the vendor's binder runs every request value through (module/ASC.Api/ASC.Api/Utils/
 * ConvertUtils.cs, GetConverted: `TypeDescriptor.GetConverter(type).ConvertFromString(…, InvariantCulture, value)`),
 * as Mono 6.8 implements them: Int32Converter, BooleanConverter and GuidConverter. Each returns the value or throws
 * the innermost exception the vendor's error body reports.
 */
import {
  argumentException,
  DotNetException,
  dotnetTrim,
  formatException,
  HRESULT,
  overflowException,
} from './exception.ts';

const INPUT_FORMAT = 'Input string was not in a correct format.';
const NO_DIGITS = 'Could not find any recognizable digits.';
const TRAILING = 'Additional non-parsable characters are at the end of the string.';
const UINT32_OVERFLOW = 'Value was either too large or too small for a UInt32.';
const INT32_OVERFLOW = 'Value was either too large or too small for an Int32.';
const MINUS_IN_BASE = 'String cannot contain a minus sign if the base is not 10.';

const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

/**
 * ParseNumbers.StringToInt in base 16 as `Convert.ToInt32(text, 16)` runs it: an optional `+`, an optional `0x`,
 * hexadecimal digits up to 0xFFFFFFFF, nothing after them; the 32 bits read as a signed Int32.
 */
function hexToInt32(text: string): number {
  if (text.length === 0) {
    throw new DotNetException(
      'System.ArgumentOutOfRangeException',
      'Specified argument was out of the range of valid values.\nParameter name: Index was out of range. Must be non-negative and less than the size of the collection.',
      HRESULT.argumentOutOfRange,
    );
  }
  let i = 0;
  if (text[i] === '-') throw argumentException(MINUS_IN_BASE);
  if (text[i] === '+') i++;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) i += 2;
  const start = i;
  let value = 0n;
  while (isHex(text[i])) {
    value = value * 16n + BigInt(Number.parseInt(text[i] as string, 16));
    if (value > 0xffffffffn) throw overflowException(UINT32_OVERFLOW);
    i++;
  }
  if (i === start) throw formatException(NO_DIGITS);
  if (i < text.length) throw formatException(TRAILING);
  return Number(BigInt.asIntN(32, value));
}

/**
 * Int32Converter (BaseNumberConverter.ConvertFrom): the text trimmed; `#…`, `0x…`, `&h…` in hexadecimal; otherwise
 * Int32.Parse with NumberStyles.Integer (an optional sign, ASCII digits, trailing NUL characters ignored).
 */
export function toInt32(value: string): number {
  const text = dotnetTrim(value);
  if (text.length === 0) {
    throw new DotNetException(
      'System.IndexOutOfRangeException',
      'Index was outside the bounds of the array.',
      HRESULT.indexOutOfRange,
    );
  }
  if (text[0] === '#') return hexToInt32(text.slice(1));
  if (/^(?:0[xX]|&[hH])/.test(text)) return hexToInt32(text.slice(2));
  const match = /^([+-]?)([0-9]+)\0*$/.exec(text);
  if (!match) throw formatException(INPUT_FORMAT);
  const number = BigInt(`${match[1]}${match[2]}`);
  if (number > 2147483647n || number < -2147483648n) throw overflowException(INT32_OVERFLOW);
  return Number(number);
}

/** BooleanConverter (Boolean.Parse): `true` or `false` in any letter case, white space and NULs around it. */
export function toBoolean(value: string): boolean {
  const text = value.replace(/^[\s\0]+|[\s\0]+$/g, '').toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw formatException('String was not recognized as a valid Boolean.');
}

const GUID_INVALID_LENGTH = 'Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).';
const GUID_HEX_ONLY = 'Guid string should only contain hexadecimal characters.';
const GUID_COMMA =
  "Could not find a comma, or the length between the previous token and the comma was zero (i.e., '0x,'etc.).";
const GUID_BRACE_AFTER_LAST =
  "Could not find a brace, or the length between the previous token and the brace was zero (i.e., '0x,'etc.).";
/** Mono leaves the placeholder in this resource unformatted. */
const GUID_HEX_PREFIX = "Expected hex 0x in '{0}'.";

/** One dashed component as Guid's StringToInt reads it: `+`, `0x` and hex digits, how many characters it took. */
function component(text: string, at: number): { value: bigint; length: number } {
  let i = at;
  if (text[i] === '-') throw argumentException(MINUS_IN_BASE);
  if (text[i] === '+') i++;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) i += 2;
  const digits = i;
  let value = 0n;
  while (isHex(text[i])) {
    value = value * 16n + BigInt(Number.parseInt(text[i] as string, 16));
    i++;
  }
  if (i === digits) throw formatException(NO_DIGITS);
  return { value, length: i - at };
}

const hex = (value: bigint, width: number) => value.toString(16).padStart(width, '0').slice(-width);

/** Where the dashed components start: 0, or 1 inside braces or parentheses (38 characters with the closing one). */
function dashedStart(text: string): number {
  if (text[0] === '{' || text[0] === '(') {
    if (text.length !== 38 || text[37] !== (text[0] === '{' ? '}' : ')')) throw formatException(GUID_INVALID_LENGTH);
    return 1;
  }
  if (text.length !== 36) throw formatException(GUID_INVALID_LENGTH);
  return 0;
}

function guidWithDashes(text: string): string {
  const start = dashedStart(text);
  for (const dash of [8, 13, 18, 23]) {
    if (text[dash + start] !== '-') throw formatException('Dashes are in the wrong position for GUID parsing.');
  }
  const parts: string[] = [];
  for (const [offset, width] of [
    [0, 8],
    [9, 4],
    [14, 4],
    [19, 4],
  ] as const) {
    const c = component(text, start + offset);
    if (c.length !== width) throw formatException(GUID_HEX_ONLY);
    parts.push(hex(c.value, width));
  }
  const last = component(text, start + 24);
  if (last.length !== 12) throw formatException(GUID_INVALID_LENGTH);
  parts.push(hex(last.value, 12));
  return parts.join('-');
}

/**
 * Guid.TryParseGuidWithHexPrefix's position in the X form, its `numStart` and `numLen`: each number is `0x` one
 * character after the previous one's end, its digits up to the next `,` (or `}`).
 */
class HexPrefixed {
  readonly text: string;
  numStart = 0;
  numLen = 0;

  constructor(text: string) {
    this.text = text;
  }

  /** The character after the current number (its `,` or `}`). */
  get after(): number {
    return this.numStart + this.numLen + 1;
  }

  prefixed(at: number): boolean {
    return this.text[at] === '0' && (this.text[at + 1] === 'x' || this.text[at + 1] === 'X');
  }

  /** The digits of the next number, which ends at `end`; `missing` when there is none before it. */
  next(end: ',' | '}', missing: string): string {
    if (!this.prefixed(this.after)) throw formatException(GUID_HEX_PREFIX);
    this.numStart = this.numStart + this.numLen + 3;
    this.numLen = this.text.indexOf(end, this.numStart) - this.numStart;
    if (this.numLen <= 0) throw formatException(missing);
    return this.text.slice(this.numStart, this.numStart + this.numLen);
  }
}

/** `0xdddddddd,0xdddd,0xdddd,`: the two shorts are the parsed Int32 cut to 16 bits (Guid.StringToShort checks no range). */
function hexPrefixedWords(reader: HexPrefixed): bigint[] {
  return [32, 16, 16].map((bits) => BigInt.asUintN(bits, BigInt(hexToInt32(reader.next(',', GUID_COMMA)))));
}

/** `{0xdd,…,0xdd}`: the eight bytes, each at most 0xff. */
function hexPrefixedBytes(reader: HexPrefixed): bigint[] {
  if (reader.text.length <= reader.after || reader.text[reader.after] !== '{')
    throw formatException('Expected {0xdddddddd, etc}.');
  reader.numLen++;
  const bytes: bigint[] = [];
  for (let i = 0; i < 8; i++) {
    const digits = reader.next(i < 7 ? ',' : '}', i < 7 ? GUID_COMMA : GUID_BRACE_AFTER_LAST);
    const number = BigInt.asUintN(32, BigInt(hexToInt32(digits)));
    if (number > 255n) throw formatException('Value was either too large or too small for an unsigned byte.');
    bytes.push(number);
  }
  return bytes;
}

/** `{0xdddddddd,0xdddd,0xdddd,{0xdd,0xdd,0xdd,0xdd,0xdd,0xdd,0xdd,0xdd}}`, white space anywhere. */
function guidWithHexPrefix(raw: string): string {
  const reader = new HexPrefixed(raw.replace(/\s+/g, ''));
  const { text } = reader;
  if (text[0] !== '{') throw formatException('Expected {0xdddddddd, etc}.');
  const [a = 0n, b = 0n, c = 0n] = hexPrefixedWords(reader);
  const bytes = hexPrefixedBytes(reader);
  if (reader.after >= text.length || text[reader.after] !== '}')
    throw formatException('Could not find the ending brace.');
  if (reader.after !== text.length - 1) throw formatException(TRAILING);
  const tail = bytes.map((x) => hex(x, 2));
  return `${hex(a, 8)}-${hex(b, 4)}-${hex(c, 4)}-${tail.slice(0, 2).join('')}-${tail.slice(2).join('')}`;
}

/**
 * GuidConverter (`new Guid(text.Trim())`, GuidStyles.Any): dashed (`D`, in braces `B` or parentheses `P`), 32 hex
 * digits (`N`) or the hex-prefixed `X` form; the GUID in lower-case `D` form.
 */
export function toGuid(value: string): string {
  const text = dotnetTrim(value);
  if (text.length === 0) throw formatException('Unrecognized Guid format.');
  if (text.includes('-')) return guidWithDashes(text);
  if (text.includes('{')) return guidWithHexPrefix(text);
  if (text.length !== 32) throw formatException(GUID_INVALID_LENGTH);
  if (![...text].every(isHex)) throw formatException(GUID_HEX_ONLY);
  const t = text.toLowerCase();
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-${t.slice(12, 16)}-${t.slice(16, 20)}-${t.slice(20)}`;
}
