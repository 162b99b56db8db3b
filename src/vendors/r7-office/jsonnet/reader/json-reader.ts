/**
 * Json.NET 13.0.1's JsonReader (JamesNK/Newtonsoft.Json, Src/Newtonsoft.Json/JsonReader.cs), the base the text reader
 * (json-text-reader.ts) reads through: the current token and value, the reader's state, the stack of containers
 * with their positions (MaxDepth 64), and the path, line and position every error message carries.
 */
import { DotNetException, HRESULT } from '../../dotnet/exception.ts';
import type { JsonDate } from '../dates.ts';
import { buildPath } from './path.ts';

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

export type State =
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

export type Container = 'None' | 'Object' | 'Array' | 'Constructor';

export interface Position {
  type: Container;
  position: number;
  propertyName?: string;
}

const MAX_DEPTH = 64;

/** A JsonReaderException or JsonSerializationException, message already carrying the path and position. */
export class JsonNetException extends DotNetException {}

export abstract class JsonReader {
  protected readonly source: string;
  protected pos = 0;
  protected line = 1;
  protected lineStart = 0;
  protected state: State = 'Start';
  protected token: TokenType = 'None';
  protected tokenValue: TokenValue;
  protected current: Position = { type: 'None', position: -1 };
  protected readonly stack: Position[] = [];
  protected hasExceededMaxDepth = false;

  constructor(text: string) {
    this.source = text;
  }

  get tokenType(): TokenType {
    return this.token;
  }

  get value(): TokenValue {
    return this.tokenValue;
  }

  /** The value as text (`reader.Value.ToString()` for names and strings). */
  get text(): string {
    const v = this.tokenValue;
    return v && (v.kind === 'string' || v.kind === 'integer') ? v.text : '';
  }

  protected char(at = this.pos): string {
    return at < this.source.length ? (this.source[at] as string) : '\0';
  }

  protected atEnd(at = this.pos): boolean {
    return at >= this.source.length;
  }

  /** `EnsureChars(relativePosition)`: whether the text has a character at pos + relative. */
  protected ensure(relative: number): boolean {
    return this.pos + relative < this.source.length;
  }

  protected get depth(): number {
    const depth = this.stack.length;
    const start = this.token === 'StartObject' || this.token === 'StartArray' || this.token === 'StartConstructor';
    return start || this.current.type === 'None' ? depth : depth + 1;
  }

  get path(): string {
    if (this.current.type === 'None') return '';
    const inside = this.state !== 'ArrayStart' && this.state !== 'ConstructorStart' && this.state !== 'ObjectStart';
    return buildPath(inside ? [...this.stack, this.current] : [...this.stack]);
  }

  get lineNumber(): number {
    if (this.state === 'Start' && this.linePosition === 0 && this.token !== 'Comment') return 0;
    return this.line;
  }

  get linePosition(): number {
    return this.pos - this.lineStart;
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

  protected peek(): Container {
    return this.current.type;
  }

  protected push(type: Container): void {
    this.updateScopeWithFinishedValue();
    if (this.current.type === 'None') {
      this.current = { type, position: -1 };
      return;
    }
    this.stack.push(this.current);
    this.current = { type, position: -1 };
    if (this.depth + 1 > MAX_DEPTH && !this.hasExceededMaxDepth) {
      this.hasExceededMaxDepth = true;
      throw this.readerError(`The reader's MaxDepth of ${MAX_DEPTH} has been exceeded.`);
    }
  }

  protected pop(): Container {
    const old = this.current;
    this.current = this.stack.pop() ?? { type: 'None', position: -1 };
    if (this.depth <= MAX_DEPTH) this.hasExceededMaxDepth = false;
    return old.type;
  }

  protected setToken(type: TokenType, value?: TokenValue, updateIndex = true): void {
    this.token = type;
    this.tokenValue = value;
    switch (type) {
      case 'StartObject':
        this.state = 'ObjectStart';
        this.push('Object');
        break;
      case 'StartArray':
        this.state = 'ArrayStart';
        this.push('Array');
        break;
      case 'StartConstructor':
        this.state = 'ConstructorStart';
        this.push('Constructor');
        break;
      case 'EndObject':
        this.validateEnd('EndObject', 'Object');
        break;
      case 'EndArray':
        this.validateEnd('EndArray', 'Array');
        break;
      case 'EndConstructor':
        this.validateEnd('EndConstructor', 'Constructor');
        break;
      case 'PropertyName':
        this.state = 'Property';
        this.current.propertyName = value && value.kind === 'string' ? value.text : '';
        break;
      case 'Undefined':
      case 'Integer':
      case 'Float':
      case 'Boolean':
      case 'Null':
      case 'Date':
      case 'String':
        this.setPostValueState(updateIndex);
        break;
      default:
        break;
    }
  }

  protected setPostValueState(updateIndex: boolean): void {
    this.state = this.peek() !== 'None' ? 'PostValue' : 'Finished';
    if (updateIndex) this.updateScopeWithFinishedValue();
  }

  protected updateScopeWithFinishedValue(): void {
    if (this.current.type === 'Array' || this.current.type === 'Constructor') this.current.position++;
  }

  protected validateEnd(token: TokenType, expected: Container): void {
    const current = this.pop();
    if (current !== expected)
      throw this.readerError(`JsonToken ${token} is not valid for closing JsonType ${current}.`);
    this.state = this.peek() !== 'None' ? 'PostValue' : 'Finished';
  }

  protected setStateBasedOnCurrent(): void {
    switch (this.peek()) {
      case 'Object':
        this.state = 'Object';
        break;
      case 'Array':
        this.state = 'Array';
        break;
      case 'Constructor':
        this.state = 'Constructor';
        break;
      default:
        this.state = 'Finished';
    }
  }

  /** JsonReader.ReadAndAssert (as the converter calls it). */
  /** JsonReader.Read: the next token; false at the end of the content. */
  abstract read(): boolean;

  readAndAssert(): void {
    if (!this.read()) throw this.serializationError('Unexpected end when reading JSON.');
  }
}
