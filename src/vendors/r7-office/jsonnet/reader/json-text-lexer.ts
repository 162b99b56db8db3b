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

  protected parseComment(setToken: boolean): void {
    this.pos++;
    if (!this.ensure(1)) throw this.readerError('Unexpected end while parsing comment.');
    const kind = this.char();
    let single: boolean;
    if (kind === '*') single = false;
    else if (kind === '/') single = true;
    else throw this.readerError(`Error parsing comment. Expected: *, got ${kind}.`);
    this.pos++;
    const start = this.pos;
    while (true) {
      const c = this.char();
      if (c === '\0' && this.atEnd()) {
        if (!single) throw this.readerError('Unexpected end while parsing comment.');
        this.endComment(setToken, start, this.pos);
        return;
      }
      if (c === '\0') this.pos++;
      else if (c === '*') {
        this.pos++;
        if (!single && this.ensure(0) && this.char() === '/') {
          this.endComment(setToken, start, this.pos - 1);
          this.pos++;
          return;
        }
      } else if (c === '\r') {
        if (single) {
          this.endComment(setToken, start, this.pos);
          return;
        }
        this.processCarriageReturn();
      } else if (c === '\n') {
        if (single) {
          this.endComment(setToken, start, this.pos);
          return;
        }
        this.processLineFeed();
      } else this.pos++;
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
        const escaped = this.char(charPos);
        charPos++;
        switch (escaped) {
          case 'b':
            out += '\b';
            break;
          case 't':
            out += '\t';
            break;
          case 'n':
            out += '\n';
            break;
          case 'f':
            out += '\f';
            break;
          case 'r':
            out += '\r';
            break;
          case '\\':
          case '"':
          case "'":
          case '/':
            out += escaped;
            break;
          case 'u': {
            this.pos = charPos;
            let unit = this.parseUnicode();
            if (isLowSurrogate(unit)) unit = 0xfffd;
            else if (isHighSurrogate(unit)) {
              let another: boolean;
              do {
                another = false;
                if (this.ensure(2) && this.char() === '\\' && this.char(this.pos + 1) === 'u') {
                  let high = unit;
                  this.pos += 2;
                  unit = this.parseUnicode();
                  if (isLowSurrogate(unit)) {
                    // a pair
                  } else if (isHighSurrogate(unit)) {
                    high = 0xfffd;
                    another = true;
                  } else high = 0xfffd;
                  out += String.fromCharCode(high);
                } else unit = 0xfffd;
              } while (another);
            }
            out += String.fromCharCode(unit);
            charPos = this.pos;
            break;
          }
          default:
            this.pos = charPos;
            throw this.readerError(`Bad JSON escape sequence: \\${escaped}.`);
        }
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

  protected parseUnicode(): number {
    if (!this.ensure(4)) throw this.readerError('Unexpected end while parsing Unicode escape sequence.');
    const hex = this.source.slice(this.pos, this.pos + 4);
    if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw this.readerError(`Invalid Unicode escape sequence: \\u${hex}.`);
    this.pos += 4;
    return Number.parseInt(hex, 16);
  }

  protected parseNumber(): void {
    const first = this.char();
    const start = this.pos;
    // ReadNumberIntoBuffer
    while (true) {
      const c = this.char();
      if (c === '\0') break;
      if (/^[-+a-fA-FxX.0-9]$/.test(c)) {
        this.pos++;
        continue;
      }
      if (isWhiteSpace(c) || c === ',' || c === '}' || c === ']' || c === ')' || c === '/') break;
      throw this.readerError(`Unexpected character encountered while parsing number: ${c}.`);
    }
    // ParseReadNumber (ReadType.Read)
    this.setPostValueState(true);
    const number = this.source.slice(start, this.pos);
    const singleDigit = isDigit(first) && number.length === 1;
    const nonBase10 = first === '0' && number.length > 1 && !['.', 'e', 'E'].includes(number[1] as string);
    if (singleDigit) {
      this.setToken('Integer', { kind: 'integer', text: String(first.charCodeAt(0) - 48) }, false);
      return;
    }
    if (nonBase10) {
      const hex = number.toLowerCase().startsWith('0x');
      let value: bigint;
      try {
        value = convertToInt64(hex ? number : number, hex ? 16 : 8);
      } catch (inner) {
        // ThrowReaderError(message, ex): the vendor's error body reports the innermost exception, Convert's.
        this.setToken('Undefined', undefined, false);
        throw inner;
      }
      this.setToken('Integer', { kind: 'integer', text: String(value) }, false);
      return;
    }
    if (/^-?[0-9]+$/.test(number)) {
      const big = BigInt(number);
      if (big >= -(2n ** 63n) && big < 2n ** 63n) {
        this.setToken('Integer', { kind: 'integer', text: String(big) }, false);
        return;
      }
      if (number.length > MAXIMUM_JAVASCRIPT_INTEGER_CHARACTER_LENGTH) {
        this.setToken('Undefined', undefined, false);
        throw this.readerError(`JSON integer ${number} is too large to parse.`);
      }
      this.setToken('Integer', { kind: 'integer', text: String(big) }, false);
      return;
    }
    const parsed = parseDouble(number);
    if (parsed === undefined) {
      this.setToken('Undefined', undefined, false);
      throw this.readerError(`Input string '${number}' is not a valid number.`);
    }
    this.setToken('Float', { kind: 'float', value: parsed }, false);
  }
}
