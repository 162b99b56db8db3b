/**
 * JsonTextReader's reading of the text below the grammar (Src/Newtonsoft.Json/JsonTextReader.cs): line ends and
 * white space, comments, strings with their escapes (ReadStringIntoBuffer), numbers (ReadNumberIntoBuffer,
 * ParseReadNumber). The whole text is in memory; `\0` past its end plays the role of Json.NET's end-of-buffer
 * sentinel.
 */
import { sniffDate } from '../dates.ts';
import { isDigit, isHighSurrogate, isLowSurrogate, isWhiteSpace } from './chars.ts';
import { JsonReader } from './json-reader.ts';
import { convertToInt64, parseDouble } from './numbers.ts';

const MAXIMUM_JAVASCRIPT_INTEGER_CHARACTER_LENGTH = 380;

export abstract class JsonTextLexer extends JsonReader {
  protected newLine(): void {
    this.line++;
    this.lineStart = this.pos;
  }

  protected processLineFeed(): void {
    this.pos++;
    this.newLine();
  }

  protected processCarriageReturn(): void {
    this.pos++;
    if (this.ensure(0) && this.char() === '\n') this.pos++;
    this.newLine();
  }

  protected eatWhitespace(): void {
    while (true) {
      const c = this.char();
      if (c === '\0') {
        if (this.atEnd()) return;
        this.pos++;
      } else if (c === '\r') this.processCarriageReturn();
      else if (c === '\n') this.processLineFeed();
      else if (c === ' ' || isWhiteSpace(c)) this.pos++;
      else return;
    }
  }

  /** ParseComment from its `/`: a block comment or a line comment; a Comment token when `setToken`. */
  protected parseComment(setToken: boolean): void {
    this.pos++;
    if (!this.ensure(1)) throw this.readerError('Unexpected end while parsing comment.');
    const kind = this.char();
    if (kind !== '*' && kind !== '/') throw this.readerError(`Error parsing comment. Expected: *, got ${kind}.`);
    const single = kind === '/';
    this.pos++;
    const start = this.pos;
    const end = this.commentEnd(single);
    this.endComment(setToken, start, end);
  }

  /**
   * ParseComment's loop: where the comment's text ends, pos past its end. A block ends at its closing `*` and `/`
   * (an error without them); a line comment at a line end, which is left to be read, or at the end of the text.
   */
  protected commentEnd(single: boolean): number {
    return single ? this.lineCommentEnd() : this.blockCommentEnd();
  }

  /** A line comment ends before a line end, or at the end of the text. */
  protected lineCommentEnd(): number {
    while (true) {
      const c = this.char();
      if ((c === '\0' && this.atEnd()) || c === '\r' || c === '\n') return this.pos;
      this.pos++;
    }
  }

  /** A block comment ends at its closing star and slash; pos after them. */
  protected blockCommentEnd(): number {
    while (true) {
      const c = this.char();
      if (c === '\0' && this.atEnd()) throw this.readerError('Unexpected end while parsing comment.');
      if (c === '\r') this.processCarriageReturn();
      else if (c === '\n') this.processLineFeed();
      else {
        this.pos++;
        if (c === '*' && this.ensure(0) && this.char() === '/') {
          this.pos++;
          return this.pos - 2;
        }
      }
    }
  }

  protected endComment(setToken: boolean, start: number, end: number): void {
    if (setToken) this.setToken('Comment', { kind: 'string', text: this.source.slice(start, end) });
  }

  protected parseString(quote: string): void {
    this.pos++;
    const text = this.readString(quote);
    // ParseReadString (ReadType.Read): the state first, then an ISO or Microsoft date becomes a Date token.
    this.setPostValueState(true);
    const date = sniffDate(text);
    if (date) this.setToken('Date', { kind: 'date', date }, false);
    else this.setToken('String', { kind: 'string', text }, false);
  }

  /** ReadStringIntoBuffer: the string up to the closing quote, escapes resolved; pos after the quote. */
  protected readString(quote: string): string {
    let out = '';
    let charPos = this.pos;
    while (true) {
      const c = this.char(charPos);
      charPos++;
      if (c === '\0' && charPos - 1 >= this.source.length) {
        this.pos = charPos - 1;
        throw this.readerError(`Unterminated string. Expected delimiter: ${quote}.`);
      }
      if (c === '\\') {
        this.pos = charPos;
        if (!this.ensure(0)) throw this.readerError(`Unterminated string. Expected delimiter: ${quote}.`);
        out += this.readEscape();
        charPos = this.pos;
        continue;
      }
      if (c === '\r') {
        this.pos = charPos - 1;
        this.processCarriageReturn();
        out += this.source.slice(charPos - 1, this.pos);
        charPos = this.pos;
        continue;
      }
      if (c === '\n') {
        this.pos = charPos - 1;
        this.processLineFeed();
        out += '\n';
        charPos = this.pos;
        continue;
      }
      if (c === quote) {
        this.pos = charPos;
        return out;
      }
      out += c;
    }
  }

  /** ReadStringIntoBuffer's escapes, from the character after the backslash: what it stands for; pos after it. */
  protected readEscape(): string {
    const escaped = this.char();
    this.pos++;
    switch (escaped) {
      case 'b':
        return '\b';
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'f':
        return '\f';
      case 'r':
        return '\r';
      case '\\':
      case '"':
      case "'":
      case '/':
        return escaped;
      case 'u':
        return this.readUnicodeEscape();
      default:
        throw this.readerError(`Bad JSON escape sequence: \\${escaped}.`);
    }
  }

  /** A `\uXXXX` escape after its `u`: a lone low surrogate is U+FFFD; a high one is read with the escape that follows it. */
  protected readUnicodeEscape(): string {
    const unit = this.parseUnicode();
    if (isLowSurrogate(unit)) return String.fromCharCode(0xfffd);
    if (isHighSurrogate(unit)) return this.readSurrogatePair(unit);
    return String.fromCharCode(unit);
  }

  /**
   * A high surrogate and what follows it: an escaped low surrogate makes the pair; a high one makes the first U+FFFD and
   * is read the same way; anything else makes the high one U+FFFD (and the unit after it, when escaped, too).
   */
  protected readSurrogatePair(first: number): string {
    let out = '';
    let unit = first;
    let another: boolean;
    // Each round reads one more escape of the text: the loop ends with it.
    do {
      another = false;
      if (!(this.ensure(2) && this.char() === '\\' && this.char(this.pos + 1) === 'u')) {
        unit = 0xfffd;
        break;
      }
      let high = unit;
      this.pos += 2;
      unit = this.parseUnicode();
      if (!isLowSurrogate(unit)) {
        high = 0xfffd;
        another = isHighSurrogate(unit);
      }
      out += String.fromCharCode(high);
    } while (another);
    return out + String.fromCharCode(unit);
  }

  protected parseUnicode(): number {
    if (!this.ensure(4)) throw this.readerError('Unexpected end while parsing Unicode escape sequence.');
    const hex = this.source.slice(this.pos, this.pos + 4);
    if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw this.readerError(`Invalid Unicode escape sequence: \\u${hex}.`);
    this.pos += 4;
    return Number.parseInt(hex, 16);
  }

  /** ReadNumberIntoBuffer, then ParseReadNumber (ReadType.Read): an Integer or Float token, or the reader's error. */
  protected parseNumber(): void {
    const first = this.char();
    const start = this.pos;
    this.readNumberIntoBuffer();
    this.setPostValueState(true);
    const number = this.source.slice(start, this.pos);
    if (isDigit(first) && number.length === 1) {
      this.setToken('Integer', { kind: 'integer', text: String(first.charCodeAt(0) - 48) }, false);
      return;
    }
    const nonBase10 = first === '0' && number.length > 1 && !['.', 'e', 'E'].includes(number[1] as string);
    if (nonBase10) this.setNonBase10(number);
    else if (/^-?[0-9]+$/.test(number)) this.setInteger(number);
    else this.setFloat(number);
  }

  /** ReadNumberIntoBuffer: the characters a number may have, up to a separator or the end. */
  protected readNumberIntoBuffer(): void {
    while (true) {
      const c = this.char();
      if (c === '\0') return;
      if (/^[-+a-fA-FxX.0-9]$/.test(c)) {
        this.pos++;
        continue;
      }
      if (isWhiteSpace(c) || c === ',' || c === '}' || c === ']' || c === ')' || c === '/') return;
      throw this.readerError(`Unexpected character encountered while parsing number: ${c}.`);
    }
  }

  /** A hexadecimal (`0x…`) or octal (`0…`) integer, through Convert.ToInt64. */
  protected setNonBase10(number: string): void {
    let value: bigint;
    try {
      value = convertToInt64(number, number.toLowerCase().startsWith('0x') ? 16 : 8);
    } catch (inner) {
      // ThrowReaderError(message, ex): the vendor's error body reports the innermost exception, Convert's.
      this.setToken('Undefined', undefined, false);
      throw inner;
    }
    this.setToken('Integer', { kind: 'integer', text: String(value) }, false);
  }

  /** A decimal integer: an Int64, or a BigInteger up to 380 characters. */
  protected setInteger(number: string): void {
    const big = BigInt(number);
    const int64 = big >= -(2n ** 63n) && big < 2n ** 63n;
    if (!int64 && number.length > MAXIMUM_JAVASCRIPT_INTEGER_CHARACTER_LENGTH) {
      this.setToken('Undefined', undefined, false);
      throw this.readerError(`JSON integer ${number} is too large to parse.`);
    }
    this.setToken('Integer', { kind: 'integer', text: String(big) }, false);
  }

  /** Anything else: a double, or the reader's error. */
  protected setFloat(number: string): void {
    const parsed = parseDouble(number);
    if (parsed === undefined) {
      this.setToken('Undefined', undefined, false);
      throw this.readerError(`Input string '${number}' is not a valid number.`);
    }
    this.setToken('Float', { kind: 'float', value: parsed }, false);
  }
}
