/**
 * Json.NET 13.0.1's JsonTextReader (JamesNK/Newtonsoft.Json, Src/Newtonsoft.Json/JsonTextReader.cs and JsonReader.cs),
 * the `Read()` path `JsonConvert.DeserializeXNode` drives, ported so that what it accepts, the tokens it reads and the
 * messages it fails with ("…. Path 'a', line 1, position 7.") are the vendor's. The whole text is in memory; `\0`
 * past its end plays the role of Json.NET's end-of-buffer sentinel. Settings are the defaults
 * JsonConvert.DeserializeObject runs with: DateParseHandling.DateTime, DateTimeZoneHandling.RoundtripKind,
 * FloatParseHandling.Double, MaxDepth 64. In Json.NET's own layers: JsonReader's state, stack and messages
 * (json-reader.ts), the text below the grammar (json-text-lexer.ts), the grammar here.
 */
import { isLetterOrDigit, isNumber, isWhiteSpace, validIdentifierChar } from './chars.ts';
import type { TokenType, TokenValue } from './json-reader.ts';
import { JsonTextLexer } from './json-text-lexer.ts';

export type { TokenType, TokenValue } from './json-reader.ts';

/** The grammar: Read and the Parse methods it dispatches to by state; the text below it is read by JsonTextLexer. */
export class JsonTextReader extends JsonTextLexer {
  read(): boolean {
    while (true) {
      switch (this.state) {
        case 'Start':
        case 'Property':
        case 'Array':
        case 'ArrayStart':
        case 'Constructor':
        case 'ConstructorStart':
          return this.parseValue();
        case 'Object':
        case 'ObjectStart':
          return this.parseObject();
        case 'PostValue':
          if (this.parsePostValue()) return true;
          break;
        case 'Finished':
          return this.readFinished();
      }
    }
  }

  /** Read in the Finished state: white space and comments may follow the content, nothing else. */
  protected readFinished(): boolean {
    if (!this.atEnd()) {
      this.eatWhitespace();
      if (this.atEnd()) {
        this.setToken('None');
        return false;
      }
      if (this.char() === '/') {
        this.parseComment(true);
        return true;
      }
      throw this.readerError(`Additional text encountered after finished reading JSON content: ${this.char()}.`);
    }
    this.setToken('None');
    return false;
  }

  protected parsePostValue(): boolean {
    while (true) {
      const c = this.char();
      switch (c) {
        case '\0':
          if (this.atEnd()) {
            this.state = 'Finished';
            return false;
          }
          this.pos++;
          break;
        case '}':
          this.pos++;
          this.setToken('EndObject');
          return true;
        case ']':
          this.pos++;
          this.setToken('EndArray');
          return true;
        case ')':
          this.pos++;
          this.setToken('EndConstructor');
          return true;
        case '/':
          this.parseComment(true);
          return true;
        case ',':
          this.pos++;
          this.setStateBasedOnCurrent();
          return false;
        case ' ':
        case '\t':
          this.pos++;
          break;
        case '\r':
          this.processCarriageReturn();
          break;
        case '\n':
          this.processLineFeed();
          break;
        default:
          if (isWhiteSpace(c)) {
            this.pos++;
            break;
          }
          throw this.readerError(`After parsing a value an unexpected character was encountered: ${c}.`);
      }
    }
  }

  protected parseObject(): boolean {
    while (true) {
      const c = this.char();
      switch (c) {
        case '\0':
          if (this.atEnd()) return false;
          this.pos++;
          break;
        case '}':
          this.setToken('EndObject');
          this.pos++;
          return true;
        case '/':
          this.parseComment(true);
          return true;
        case '\r':
          this.processCarriageReturn();
          break;
        case '\n':
          this.processLineFeed();
          break;
        case ' ':
        case '\t':
          this.pos++;
          break;
        default:
          if (isWhiteSpace(c)) {
            this.pos++;
            break;
          }
          return this.parseProperty();
      }
    }
  }

  protected parseProperty(): boolean {
    const first = this.char();
    let name: string;
    if (first === '"' || first === "'") {
      this.pos++;
      name = this.readString(first);
    } else if (validIdentifierChar(first)) {
      name = this.parseUnquotedProperty();
    } else {
      throw this.readerError(`Invalid property identifier character: ${this.char()}.`);
    }
    this.eatWhitespace();
    if (this.char() !== ':') {
      throw this.readerError(`Invalid character after parsing property name. Expected ':' but got: ${this.char()}.`);
    }
    this.pos++;
    this.setToken('PropertyName', { kind: 'string', text: name });
    return true;
  }

  protected parseUnquotedProperty(): string {
    const start = this.pos;
    while (true) {
      const c = this.char();
      if (c === '\0') {
        if (this.atEnd()) throw this.readerError('Unexpected end while parsing unquoted property name.');
        return this.source.slice(start, this.pos);
      }
      if (validIdentifierChar(c)) {
        this.pos++;
        continue;
      }
      if (isWhiteSpace(c) || c === ':') return this.source.slice(start, this.pos);
      throw this.readerError(`Invalid JavaScript property identifier character: ${c}.`);
    }
  }

  /** ParseValue: white space and line ends skipped, then the token a value starts with. */
  protected parseValue(): boolean {
    while (true) {
      const c = this.char();
      if (c === '\0') {
        if (this.atEnd()) return false;
        this.pos++;
      } else if (c === '\r') this.processCarriageReturn();
      else if (c === '\n') this.processLineFeed();
      else if (c === ' ' || c === '\t' || isWhiteSpace(c)) this.pos++;
      else return this.parseValueToken(c);
    }
  }

  /** ParseValue's cases past the white space: the token that starts with `c`, or the unexpected character. */
  protected parseValueToken(c: string): true {
    switch (c) {
      case '"':
      case "'":
        this.parseString(c);
        break;
      case 't':
        this.parseLiteral('true', 'Boolean', { kind: 'boolean', value: true }, 'Error parsing boolean value.');
        break;
      case 'f':
        this.parseLiteral('false', 'Boolean', { kind: 'boolean', value: false }, 'Error parsing boolean value.');
        break;
      case 'n':
        this.parseNullOrConstructor();
        break;
      case 'N':
        this.parseLiteral('NaN', 'Float', { kind: 'float', value: Number.NaN }, 'Error parsing NaN value.');
        break;
      case 'I':
        this.parseLiteral(
          'Infinity',
          'Float',
          { kind: 'float', value: Number.POSITIVE_INFINITY },
          'Error parsing Infinity value.',
        );
        break;
      case '-':
        if (this.ensure(1) && this.char(this.pos + 1) === 'I') {
          this.parseLiteral(
            '-Infinity',
            'Float',
            { kind: 'float', value: Number.NEGATIVE_INFINITY },
            'Error parsing -Infinity value.',
          );
        } else this.parseNumber();
        break;
      case '/':
        this.parseComment(true);
        break;
      case 'u':
        this.parseLiteral('undefined', 'Undefined', undefined, 'Error parsing undefined value.');
        break;
      case ',':
        // Json.NET reads an empty value between commas as `undefined` and leaves the comma for the next read.
        this.setToken('Undefined');
        break;
      default:
        this.parsePunctuationOrNumber(c);
    }
    return true;
  }

  /** `{`, `[`, `]` and `)` as tokens; a number; else the unexpected character. */
  protected parsePunctuationOrNumber(c: string): void {
    const punctuation: Record<string, TokenType> = {
      '{': 'StartObject',
      '[': 'StartArray',
      ']': 'EndArray',
      ')': 'EndConstructor',
    };
    const token = Object.hasOwn(punctuation, c) ? punctuation[c] : undefined;
    if (token) {
      this.pos++;
      this.setToken(token);
      return;
    }
    if (isNumber(c) || c === '-' || c === '.') {
      this.parseNumber();
      return;
    }
    throw this.readerError(`Unexpected character encountered while parsing value: ${c}.`);
  }

  /** `n`: `null` when `u` follows, a constructor (`new`) when `e` does. */
  protected parseNullOrConstructor(): void {
    if (!this.ensure(1)) {
      this.pos++;
      throw this.readerError('Unexpected end when reading JSON.');
    }
    const next = this.char(this.pos + 1);
    if (next === 'u') this.parseLiteral('null', 'Null', undefined, 'Error parsing null value.');
    else if (next === 'e') this.parseConstructor();
    else throw this.readerError(`Unexpected character encountered while parsing value: ${this.char()}.`);
  }

  /** MatchValueWithTrailingSeparator, then the token or the literal's error. */
  protected parseLiteral(literal: string, type: TokenType, value: TokenValue, error: string): void {
    if (!this.ensure(literal.length - 1)) {
      this.pos = this.source.length;
      throw this.readerError('Unexpected end when reading JSON.');
    }
    for (let i = 0; i < literal.length; i++) {
      if (this.char(this.pos + i) !== literal[i]) {
        this.pos += i;
        throw this.readerError(error);
      }
    }
    this.pos += literal.length;
    if (!this.atEnd() && !this.isSeparator(this.char()) && this.char() !== '\0') throw this.readerError(error);
    this.setToken(type, value);
  }

  protected isSeparator(c: string): boolean {
    switch (c) {
      case '}':
      case ']':
      case ',':
        return true;
      case '/': {
        if (!this.ensure(1)) return false;
        const next = this.char(this.pos + 1);
        return next === '*' || next === '/';
      }
      case ')':
        return this.state === 'Constructor' || this.state === 'ConstructorStart';
      default:
        return c === ' ' || c === '\t' || c === '\n' || c === '\r' || isWhiteSpace(c);
    }
  }

  /** ParseConstructor: `new`, the constructor's name, `(`. */
  protected parseConstructor(): void {
    this.matchNew();
    this.eatWhitespace();
    const start = this.pos;
    const end = this.constructorNameEnd();
    const name = this.source.slice(start, end);
    this.eatWhitespace();
    if (this.char() !== '(') throw this.readerError(`Unexpected character while parsing constructor: ${this.char()}.`);
    this.pos++;
    this.setToken('StartConstructor', { kind: 'string', text: name });
  }

  /** MatchValueWithTrailingSeparator("new"). */
  protected matchNew(): void {
    if (!this.ensure(2)) {
      this.pos = this.source.length;
      throw this.readerError('Unexpected end when reading JSON.');
    }
    let matched = true;
    for (let i = 0; i < 3; i++) {
      if (this.char(this.pos + i) !== 'new'[i]) {
        this.pos += i;
        matched = false;
        break;
      }
    }
    if (matched) {
      this.pos += 3;
      matched = this.atEnd() || this.isSeparator(this.char()) || this.char() === '\0';
    }
    if (!matched) throw this.readerError('Unexpected content while parsing JSON.');
  }

  /** The constructor's name: letters and digits up to white space or `(`; where it ends, pos past a line end. */
  protected constructorNameEnd(): number {
    while (isLetterOrDigit(this.char())) this.pos++;
    const c = this.char();
    const end = this.pos;
    if (c === '\0') {
      if (this.atEnd()) throw this.readerError('Unexpected end while parsing constructor.');
      this.pos++;
    } else if (c === '\r') this.processCarriageReturn();
    else if (c === '\n') this.processLineFeed();
    else if (isWhiteSpace(c)) this.pos++;
    else if (c !== '(') throw this.readerError(`Unexpected character while parsing constructor: ${c}.`);
    return end;
  }
}
