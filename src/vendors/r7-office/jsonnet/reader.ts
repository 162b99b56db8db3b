/**
 * Json.NET 13.0.1's JsonTextReader (JamesNK/Newtonsoft.Json, Src/Newtonsoft.Json/JsonTextReader.cs and JsonReader.cs),
 * the `Read()` path `JsonConvert.DeserializeXNode` drives, ported so that what it accepts, the tokens it reads and the
 * messages it fails with ("…. Path 'a', line 1, position 7.") are the vendor's. The whole text is in memory; `\0`
 * past its end plays the role of Json.NET's end-of-buffer sentinel. Settings are the defaults
 * JsonConvert.DeserializeObject runs with: DateParseHandling.DateTime, DateTimeZoneHandling.RoundtripKind,
 * FloatParseHandling.Double, MaxDepth 64.
 */
import { DotNetException, formatException, HRESULT } from '../dotnet/exception.ts';
import { type JsonDate, sniffDate } from './dates.ts';

export type TokenType =
  | 'None'
  | 'StartObject'
  | 'StartArray'
  | 'StartConstructor'
  | 'PropertyName'
  | 'Comment'
  | 'Integer'
  | 'Float'
  | 'String'
  | 'Boolean'
  | 'Null'
  | 'Undefined'
  | 'EndObject'
  | 'EndArray'
  | 'EndConstructor'
  | 'Date';

/** A token's value: text for strings, names and comments; numbers as Json.NET holds them; a parsed date. */
export type TokenValue =
  | { kind: 'string'; text: string }
  | { kind: 'integer'; text: string }
  | { kind: 'float'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'date'; date: JsonDate }
  | undefined;

type State =
  | 'Start'
  | 'Property'
  | 'ObjectStart'
  | 'Object'
  | 'ArrayStart'
  | 'Array'
  | 'ConstructorStart'
  | 'Constructor'
  | 'PostValue'
  | 'Finished';

type Container = 'None' | 'Object' | 'Array' | 'Constructor';

interface Position {
  type: Container;
  position: number;
  propertyName?: string;
}

const MAX_DEPTH = 64;
const MAXIMUM_JAVASCRIPT_INTEGER_CHARACTER_LENGTH = 380;

/** `char.IsWhiteSpace`. */
const isWhiteSpace = (c: string) => {
  const code = c.charCodeAt(0);
  return (
    c.length === 1 &&
    ((code >= 0x09 && code <= 0x0d) ||
      /^[\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]$/.test(c))
  );
};
const isLetterOrDigit = (c: string) => /^[\p{L}\p{Nd}]$/u.test(c);
const isNumber = (c: string) => /^\p{N}$/u.test(c);
const isDigit = (c: string) => /^\p{Nd}$/u.test(c);

/** Characters after which a property name is written `['…']` in a path (JsonPosition.SpecialCharacters). */
const SPECIAL = /[.\s[\]()'"]/;

/** A JsonReaderException or JsonSerializationException, message already carrying the path and position. */
export class JsonNetException extends DotNetException {}

export class JsonTextReader {
  readonly #text: string;
  #pos = 0;
  #lineNumber = 1;
  #lineStart = 0;
  #state: State = 'Start';
  #tokenType: TokenType = 'None';
  #value: TokenValue;
  #current: Position = { type: 'None', position: -1 };
  readonly #stack: Position[] = [];
  #hasExceededMaxDepth = false;

  constructor(text: string) {
    this.#text = text;
  }

  get tokenType(): TokenType {
    return this.#tokenType;
  }

  get value(): TokenValue {
    return this.#value;
  }

  /** The value as text (`reader.Value.ToString()` for names and strings). */
  get text(): string {
    const v = this.#value;
    return v && (v.kind === 'string' || v.kind === 'integer') ? v.text : '';
  }

  #char(at = this.#pos): string {
    return at < this.#text.length ? (this.#text[at] as string) : '\0';
  }

  #atEnd(at = this.#pos): boolean {
    return at >= this.#text.length;
  }

  /** `EnsureChars(relativePosition)`: whether the text has a character at pos + relative. */
  #ensure(relative: number): boolean {
    return this.#pos + relative < this.#text.length;
  }

  // --- JsonReader base -------------------------------------------------------------------------------------------

  get #depth(): number {
    const depth = this.#stack.length;
    const start =
      this.#tokenType === 'StartObject' || this.#tokenType === 'StartArray' || this.#tokenType === 'StartConstructor';
    return start || this.#current.type === 'None' ? depth : depth + 1;
  }

  get path(): string {
    if (this.#current.type === 'None') return '';
    const inside = this.#state !== 'ArrayStart' && this.#state !== 'ConstructorStart' && this.#state !== 'ObjectStart';
    const positions = inside ? [...this.#stack, this.#current] : [...this.#stack];
    let path = '';
    for (const p of positions) {
      if (p.type === 'Object') {
        const name = p.propertyName ?? '';
        if (SPECIAL.test(name)) path += `['${escapeSingleQuoted(name)}']`;
        else path += path.length > 0 ? `.${name}` : name;
      } else if (p.type === 'Array' || p.type === 'Constructor') path += `[${p.position}]`;
    }
    return path;
  }

  get lineNumber(): number {
    if (this.#state === 'Start' && this.linePosition === 0 && this.#tokenType !== 'Comment') return 0;
    return this.#lineNumber;
  }

  get linePosition(): number {
    return this.#pos - this.#lineStart;
  }

  /** `JsonPosition.FormatMessage`: the message, a full stop, the path, the line and the position. */
  formatMessage(message: string): string {
    let text = message.trim();
    if (!text.endsWith('.')) text += '.';
    return `${text} Path '${this.path}', line ${this.lineNumber}, position ${this.linePosition}.`;
  }

  /** JsonReaderException.Create(reader, message). */
  readerError(message: string): JsonNetException {
    return new JsonNetException('Newtonsoft.Json.JsonReaderException', this.formatMessage(message), HRESULT.json);
  }

  /** JsonSerializationException.Create(reader, message). */
  serializationError(message: string): JsonNetException {
    return new JsonNetException(
      'Newtonsoft.Json.JsonSerializationException',
      this.formatMessage(message),
      HRESULT.json,
    );
  }

  #peek(): Container {
    return this.#current.type;
  }

  #push(type: Container): void {
    this.#updateScopeWithFinishedValue();
    if (this.#current.type === 'None') {
      this.#current = { type, position: -1 };
      return;
    }
    this.#stack.push(this.#current);
    this.#current = { type, position: -1 };
    if (this.#depth + 1 > MAX_DEPTH && !this.#hasExceededMaxDepth) {
      this.#hasExceededMaxDepth = true;
      throw this.readerError(`The reader's MaxDepth of ${MAX_DEPTH} has been exceeded.`);
    }
  }

  #pop(): Container {
    const old = this.#current;
    this.#current = this.#stack.pop() ?? { type: 'None', position: -1 };
    if (this.#depth <= MAX_DEPTH) this.#hasExceededMaxDepth = false;
    return old.type;
  }

  #setToken(type: TokenType, value?: TokenValue, updateIndex = true): void {
    this.#tokenType = type;
    this.#value = value;
    switch (type) {
      case 'StartObject':
        this.#state = 'ObjectStart';
        this.#push('Object');
        break;
      case 'StartArray':
        this.#state = 'ArrayStart';
        this.#push('Array');
        break;
      case 'StartConstructor':
        this.#state = 'ConstructorStart';
        this.#push('Constructor');
        break;
      case 'EndObject':
        this.#validateEnd('EndObject', 'Object');
        break;
      case 'EndArray':
        this.#validateEnd('EndArray', 'Array');
        break;
      case 'EndConstructor':
        this.#validateEnd('EndConstructor', 'Constructor');
        break;
      case 'PropertyName':
        this.#state = 'Property';
        this.#current.propertyName = value && value.kind === 'string' ? value.text : '';
        break;
      case 'Undefined':
      case 'Integer':
      case 'Float':
      case 'Boolean':
      case 'Null':
      case 'Date':
      case 'String':
        this.#setPostValueState(updateIndex);
        break;
      default:
        break;
    }
  }

  #setPostValueState(updateIndex: boolean): void {
    this.#state = this.#peek() !== 'None' ? 'PostValue' : 'Finished';
    if (updateIndex) this.#updateScopeWithFinishedValue();
  }

  #updateScopeWithFinishedValue(): void {
    if (this.#current.type === 'Array' || this.#current.type === 'Constructor') this.#current.position++;
  }

  #validateEnd(token: TokenType, expected: Container): void {
    const current = this.#pop();
    if (current !== expected)
      throw this.readerError(`JsonToken ${token} is not valid for closing JsonType ${current}.`);
    this.#state = this.#peek() !== 'None' ? 'PostValue' : 'Finished';
  }

  #setStateBasedOnCurrent(): void {
    switch (this.#peek()) {
      case 'Object':
        this.#state = 'Object';
        break;
      case 'Array':
        this.#state = 'Array';
        break;
      case 'Constructor':
        this.#state = 'Constructor';
        break;
      default:
        this.#state = 'Finished';
    }
  }

  /** JsonReader.ReadAndAssert (as the converter calls it). */
  readAndAssert(): void {
    if (!this.read()) throw this.serializationError('Unexpected end when reading JSON.');
  }

  // --- JsonTextReader ----------------------------------------------------------------------------------------------

  read(): boolean {
    while (true) {
      switch (this.#state) {
        case 'Start':
        case 'Property':
        case 'Array':
        case 'ArrayStart':
        case 'Constructor':
        case 'ConstructorStart':
          return this.#parseValue();
        case 'Object':
        case 'ObjectStart':
          return this.#parseObject();
        case 'PostValue':
          if (this.#parsePostValue()) return true;
          break;
        case 'Finished':
          if (!this.#atEnd()) {
            this.#eatWhitespace();
            if (this.#atEnd()) {
              this.#setToken('None');
              return false;
            }
            if (this.#char() === '/') {
              this.#parseComment(true);
              return true;
            }
            throw this.readerError(`Additional text encountered after finished reading JSON content: ${this.#char()}.`);
          }
          this.#setToken('None');
          return false;
      }
    }
  }

  #newLine(): void {
    this.#lineNumber++;
    this.#lineStart = this.#pos;
  }

  #processLineFeed(): void {
    this.#pos++;
    this.#newLine();
  }

  #processCarriageReturn(): void {
    this.#pos++;
    if (this.#ensure(0) && this.#char() === '\n') this.#pos++;
    this.#newLine();
  }

  #eatWhitespace(): void {
    while (true) {
      const c = this.#char();
      if (c === '\0') {
        if (this.#atEnd()) return;
        this.#pos++;
      } else if (c === '\r') this.#processCarriageReturn();
      else if (c === '\n') this.#processLineFeed();
      else if (c === ' ' || isWhiteSpace(c)) this.#pos++;
      else return;
    }
  }

  #parsePostValue(): boolean {
    while (true) {
      const c = this.#char();
      switch (c) {
        case '\0':
          if (this.#atEnd()) {
            this.#state = 'Finished';
            return false;
          }
          this.#pos++;
          break;
        case '}':
          this.#pos++;
          this.#setToken('EndObject');
          return true;
        case ']':
          this.#pos++;
          this.#setToken('EndArray');
          return true;
        case ')':
          this.#pos++;
          this.#setToken('EndConstructor');
          return true;
        case '/':
          this.#parseComment(true);
          return true;
        case ',':
          this.#pos++;
          this.#setStateBasedOnCurrent();
          return false;
        case ' ':
        case '\t':
          this.#pos++;
          break;
        case '\r':
          this.#processCarriageReturn();
          break;
        case '\n':
          this.#processLineFeed();
          break;
        default:
          if (isWhiteSpace(c)) {
            this.#pos++;
            break;
          }
          throw this.readerError(`After parsing a value an unexpected character was encountered: ${c}.`);
      }
    }
  }

  #parseObject(): boolean {
    while (true) {
      const c = this.#char();
      switch (c) {
        case '\0':
          if (this.#atEnd()) return false;
          this.#pos++;
          break;
        case '}':
          this.#setToken('EndObject');
          this.#pos++;
          return true;
        case '/':
          this.#parseComment(true);
          return true;
        case '\r':
          this.#processCarriageReturn();
          break;
        case '\n':
          this.#processLineFeed();
          break;
        case ' ':
        case '\t':
          this.#pos++;
          break;
        default:
          if (isWhiteSpace(c)) {
            this.#pos++;
            break;
          }
          return this.#parseProperty();
      }
    }
  }

  #parseProperty(): boolean {
    const first = this.#char();
    let name: string;
    if (first === '"' || first === "'") {
      this.#pos++;
      name = this.#readString(first);
    } else if (validIdentifierChar(first)) {
      name = this.#parseUnquotedProperty();
    } else {
      throw this.readerError(`Invalid property identifier character: ${this.#char()}.`);
    }
    this.#eatWhitespace();
    if (this.#char() !== ':') {
      throw this.readerError(`Invalid character after parsing property name. Expected ':' but got: ${this.#char()}.`);
    }
    this.#pos++;
    this.#setToken('PropertyName', { kind: 'string', text: name });
    return true;
  }

  #parseUnquotedProperty(): string {
    const start = this.#pos;
    while (true) {
      const c = this.#char();
      if (c === '\0') {
        if (this.#atEnd()) throw this.readerError('Unexpected end while parsing unquoted property name.');
        return this.#text.slice(start, this.#pos);
      }
      if (validIdentifierChar(c)) {
        this.#pos++;
        continue;
      }
      if (isWhiteSpace(c) || c === ':') return this.#text.slice(start, this.#pos);
      throw this.readerError(`Invalid JavaScript property identifier character: ${c}.`);
    }
  }

  #parseValue(): boolean {
    while (true) {
      const c = this.#char();
      switch (c) {
        case '\0':
          if (this.#atEnd()) return false;
          this.#pos++;
          break;
        case '"':
        case "'":
          this.#parseString(c);
          return true;
        case 't':
          this.#parseLiteral('true', 'Boolean', { kind: 'boolean', value: true }, 'Error parsing boolean value.');
          return true;
        case 'f':
          this.#parseLiteral('false', 'Boolean', { kind: 'boolean', value: false }, 'Error parsing boolean value.');
          return true;
        case 'n':
          if (this.#ensure(1)) {
            const next = this.#char(this.#pos + 1);
            if (next === 'u') this.#parseLiteral('null', 'Null', undefined, 'Error parsing null value.');
            else if (next === 'e') this.#parseConstructor();
            else throw this.readerError(`Unexpected character encountered while parsing value: ${this.#char()}.`);
          } else {
            this.#pos++;
            throw this.readerError('Unexpected end when reading JSON.');
          }
          return true;
        case 'N':
          this.#parseLiteral('NaN', 'Float', { kind: 'float', value: Number.NaN }, 'Error parsing NaN value.');
          return true;
        case 'I':
          this.#parseLiteral(
            'Infinity',
            'Float',
            { kind: 'float', value: Number.POSITIVE_INFINITY },
            'Error parsing Infinity value.',
          );
          return true;
        case '-':
          if (this.#ensure(1) && this.#char(this.#pos + 1) === 'I') {
            this.#parseLiteral(
              '-Infinity',
              'Float',
              { kind: 'float', value: Number.NEGATIVE_INFINITY },
              'Error parsing -Infinity value.',
            );
          } else this.#parseNumber();
          return true;
        case '/':
          this.#parseComment(true);
          return true;
        case 'u':
          this.#parseLiteral('undefined', 'Undefined', undefined, 'Error parsing undefined value.');
          return true;
        case '{':
          this.#pos++;
          this.#setToken('StartObject');
          return true;
        case '[':
          this.#pos++;
          this.#setToken('StartArray');
          return true;
        case ']':
          this.#pos++;
          this.#setToken('EndArray');
          return true;
        case ',':
          // Json.NET reads an empty value between commas as `undefined` and leaves the comma for the next read.
          this.#setToken('Undefined');
          return true;
        case ')':
          this.#pos++;
          this.#setToken('EndConstructor');
          return true;
        case '\r':
          this.#processCarriageReturn();
          break;
        case '\n':
          this.#processLineFeed();
          break;
        case ' ':
        case '\t':
          this.#pos++;
          break;
        default:
          if (isWhiteSpace(c)) {
            this.#pos++;
            break;
          }
          if (isNumber(c) || c === '-' || c === '.') {
            this.#parseNumber();
            return true;
          }
          throw this.readerError(`Unexpected character encountered while parsing value: ${c}.`);
      }
    }
  }

  /** MatchValueWithTrailingSeparator, then the token or the literal's error. */
  #parseLiteral(literal: string, type: TokenType, value: TokenValue, error: string): void {
    if (!this.#ensure(literal.length - 1)) {
      this.#pos = this.#text.length;
      throw this.readerError('Unexpected end when reading JSON.');
    }
    for (let i = 0; i < literal.length; i++) {
      if (this.#char(this.#pos + i) !== literal[i]) {
        this.#pos += i;
        throw this.readerError(error);
      }
    }
    this.#pos += literal.length;
    if (!this.#atEnd() && !this.#isSeparator(this.#char()) && this.#char() !== '\0') throw this.readerError(error);
    this.#setToken(type, value);
  }

  #isSeparator(c: string): boolean {
    switch (c) {
      case '}':
      case ']':
      case ',':
        return true;
      case '/': {
        if (!this.#ensure(1)) return false;
        const next = this.#char(this.#pos + 1);
        return next === '*' || next === '/';
      }
      case ')':
        return this.#state === 'Constructor' || this.#state === 'ConstructorStart';
      default:
        return c === ' ' || c === '\t' || c === '\n' || c === '\r' || isWhiteSpace(c);
    }
  }

  #parseConstructor(): void {
    // MatchValueWithTrailingSeparator("new")
    if (!this.#ensure(2)) {
      this.#pos = this.#text.length;
      throw this.readerError('Unexpected end when reading JSON.');
    }
    let matched = true;
    for (let i = 0; i < 3; i++) {
      if (this.#char(this.#pos + i) !== 'new'[i]) {
        this.#pos += i;
        matched = false;
        break;
      }
    }
    if (matched) {
      this.#pos += 3;
      matched = this.#atEnd() || this.#isSeparator(this.#char()) || this.#char() === '\0';
    }
    if (!matched) throw this.readerError('Unexpected content while parsing JSON.');
    this.#eatWhitespace();
    const start = this.#pos;
    let end: number;
    while (true) {
      const c = this.#char();
      if (c === '\0') {
        if (this.#atEnd()) throw this.readerError('Unexpected end while parsing constructor.');
        end = this.#pos;
        this.#pos++;
        break;
      }
      if (isLetterOrDigit(c)) this.#pos++;
      else if (c === '\r') {
        end = this.#pos;
        this.#processCarriageReturn();
        break;
      } else if (c === '\n') {
        end = this.#pos;
        this.#processLineFeed();
        break;
      } else if (isWhiteSpace(c)) {
        end = this.#pos;
        this.#pos++;
        break;
      } else if (c === '(') {
        end = this.#pos;
        break;
      } else throw this.readerError(`Unexpected character while parsing constructor: ${c}.`);
    }
    const name = this.#text.slice(start, end);
    this.#eatWhitespace();
    if (this.#char() !== '(')
      throw this.readerError(`Unexpected character while parsing constructor: ${this.#char()}.`);
    this.#pos++;
    this.#setToken('StartConstructor', { kind: 'string', text: name });
  }

  #parseComment(setToken: boolean): void {
    this.#pos++;
    if (!this.#ensure(1)) throw this.readerError('Unexpected end while parsing comment.');
    const kind = this.#char();
    let single: boolean;
    if (kind === '*') single = false;
    else if (kind === '/') single = true;
    else throw this.readerError(`Error parsing comment. Expected: *, got ${kind}.`);
    this.#pos++;
    const start = this.#pos;
    while (true) {
      const c = this.#char();
      if (c === '\0' && this.#atEnd()) {
        if (!single) throw this.readerError('Unexpected end while parsing comment.');
        this.#endComment(setToken, start, this.#pos);
        return;
      }
      if (c === '\0') this.#pos++;
      else if (c === '*') {
        this.#pos++;
        if (!single && this.#ensure(0) && this.#char() === '/') {
          this.#endComment(setToken, start, this.#pos - 1);
          this.#pos++;
          return;
        }
      } else if (c === '\r') {
        if (single) {
          this.#endComment(setToken, start, this.#pos);
          return;
        }
        this.#processCarriageReturn();
      } else if (c === '\n') {
        if (single) {
          this.#endComment(setToken, start, this.#pos);
          return;
        }
        this.#processLineFeed();
      } else this.#pos++;
    }
  }

  #endComment(setToken: boolean, start: number, end: number): void {
    if (setToken) this.#setToken('Comment', { kind: 'string', text: this.#text.slice(start, end) });
  }

  #parseString(quote: string): void {
    this.#pos++;
    const text = this.#readString(quote);
    // ParseReadString (ReadType.Read): the state first, then an ISO or Microsoft date becomes a Date token.
    this.#setPostValueState(true);
    const date = sniffDate(text);
    if (date) this.#setToken('Date', { kind: 'date', date }, false);
    else this.#setToken('String', { kind: 'string', text }, false);
  }

  /** ReadStringIntoBuffer: the string up to the closing quote, escapes resolved; #pos after the quote. */
  #readString(quote: string): string {
    let out = '';
    let charPos = this.#pos;
    while (true) {
      const c = this.#char(charPos);
      charPos++;
      if (c === '\0' && charPos - 1 >= this.#text.length) {
        this.#pos = charPos - 1;
        throw this.readerError(`Unterminated string. Expected delimiter: ${quote}.`);
      }
      if (c === '\\') {
        this.#pos = charPos;
        if (!this.#ensure(0)) throw this.readerError(`Unterminated string. Expected delimiter: ${quote}.`);
        const escaped = this.#char(charPos);
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
            this.#pos = charPos;
            let unit = this.#parseUnicode();
            if (isLowSurrogate(unit)) unit = 0xfffd;
            else if (isHighSurrogate(unit)) {
              let another: boolean;
              do {
                another = false;
                if (this.#ensure(2) && this.#char() === '\\' && this.#char(this.#pos + 1) === 'u') {
                  let high = unit;
                  this.#pos += 2;
                  unit = this.#parseUnicode();
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
            charPos = this.#pos;
            break;
          }
          default:
            this.#pos = charPos;
            throw this.readerError(`Bad JSON escape sequence: \\${escaped}.`);
        }
        continue;
      }
      if (c === '\r') {
        this.#pos = charPos - 1;
        this.#processCarriageReturn();
        out += this.#text.slice(charPos - 1, this.#pos);
        charPos = this.#pos;
        continue;
      }
      if (c === '\n') {
        this.#pos = charPos - 1;
        this.#processLineFeed();
        out += '\n';
        charPos = this.#pos;
        continue;
      }
      if (c === quote) {
        this.#pos = charPos;
        return out;
      }
      out += c;
    }
  }

  #parseUnicode(): number {
    if (!this.#ensure(4)) throw this.readerError('Unexpected end while parsing Unicode escape sequence.');
    const hex = this.#text.slice(this.#pos, this.#pos + 4);
    if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw this.readerError(`Invalid Unicode escape sequence: \\u${hex}.`);
    this.#pos += 4;
    return Number.parseInt(hex, 16);
  }

  #parseNumber(): void {
    const first = this.#char();
    const start = this.#pos;
    // ReadNumberIntoBuffer
    while (true) {
      const c = this.#char();
      if (c === '\0') break;
      if (/^[-+a-fA-FxX.0-9]$/.test(c)) {
        this.#pos++;
        continue;
      }
      if (isWhiteSpace(c) || c === ',' || c === '}' || c === ']' || c === ')' || c === '/') break;
      throw this.readerError(`Unexpected character encountered while parsing number: ${c}.`);
    }
    // ParseReadNumber (ReadType.Read)
    this.#setPostValueState(true);
    const number = this.#text.slice(start, this.#pos);
    const singleDigit = isDigit(first) && number.length === 1;
    const nonBase10 = first === '0' && number.length > 1 && !['.', 'e', 'E'].includes(number[1] as string);
    if (singleDigit) {
      this.#setToken('Integer', { kind: 'integer', text: String(first.charCodeAt(0) - 48) }, false);
      return;
    }
    if (nonBase10) {
      const hex = number.toLowerCase().startsWith('0x');
      let value: bigint;
      try {
        value = convertToInt64(hex ? number : number, hex ? 16 : 8);
      } catch (inner) {
        // ThrowReaderError(message, ex): the vendor's error body reports the innermost exception, Convert's.
        this.#setToken('Undefined', undefined, false);
        throw inner;
      }
      this.#setToken('Integer', { kind: 'integer', text: String(value) }, false);
      return;
    }
    if (/^-?[0-9]+$/.test(number)) {
      const big = BigInt(number);
      if (big >= -(2n ** 63n) && big < 2n ** 63n) {
        this.#setToken('Integer', { kind: 'integer', text: String(big) }, false);
        return;
      }
      if (number.length > MAXIMUM_JAVASCRIPT_INTEGER_CHARACTER_LENGTH) {
        this.#setToken('Undefined', undefined, false);
        throw this.readerError(`JSON integer ${number} is too large to parse.`);
      }
      this.#setToken('Integer', { kind: 'integer', text: String(big) }, false);
      return;
    }
    const parsed = parseDouble(number);
    if (parsed === undefined) {
      this.#setToken('Undefined', undefined, false);
      throw this.readerError(`Input string '${number}' is not a valid number.`);
    }
    this.#setToken('Float', { kind: 'float', value: parsed }, false);
  }
}

const validIdentifierChar = (c: string) => isLetterOrDigit(c) || c === '_' || c === '$';
const isHighSurrogate = (u: number) => u >= 0xd800 && u <= 0xdbff;
const isLowSurrogate = (u: number) => u >= 0xdc00 && u <= 0xdfff;

function escapeSingleQuoted(name: string): string {
  // JavaScriptUtils.WriteEscapedJavaScriptString with the single-quote flags.
  const named: Record<string, string> = {
    '\\': '\\\\',
    "'": "\\'",
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\b': '\\b',
    '\f': '\\f',
    '\u0085': '\\u0085',
    '\u2028': '\\u2028',
    '\u2029': '\\u2029',
  };
  let out = '';
  for (const c of name) {
    const code = c.charCodeAt(0);
    out += named[c] ?? (code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : c);
  }
  return out;
}

/**
 * `double.TryParse(text, NumberStyles.Float, InvariantCulture)`: optional sign, digits with one optional point,
 * optional exponent; out of the double range fails (.NET Framework and Mono do not return infinity).
 */
function parseDouble(text: string): number | undefined {
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** `Convert.ToInt64(text, 16 | 8)` (ParseNumbers.StringToLong, IsTight). */
function convertToInt64(text: string, base: 16 | 8): bigint {
  let i = 0;
  if (text[i] === '-') {
    if (base !== (10 as number)) {
      throw new DotNetException(
        'System.ArgumentException',
        'String cannot contain a minus sign if the base is not 10.',
        HRESULT.argument,
      );
    }
  }
  if (text[i] === '+') i++;
  if (base === 16 && text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) i += 2;
  const digit = base === 16 ? /^[0-9A-Fa-f]$/ : /^[0-7]$/;
  const start = i;
  let value = 0n;
  while (i < text.length && digit.test(text[i] as string)) {
    value = value * BigInt(base) + BigInt(Number.parseInt(text[i] as string, base));
    if (value > 0xffffffffffffffffn) {
      throw new DotNetException(
        'System.OverflowException',
        'Value was either too large or too small for a UInt64.',
        HRESULT.overflow,
      );
    }
    i++;
  }
  if (i === start) throw formatException('Could not find any recognizable digits.');
  if (i < text.length) throw formatException('Additional non-parsable characters are at the end of the string.');
  return BigInt.asIntN(64, value);
}
