/**
 * `JsonConvert.DeserializeXNode(body, "request", false)` as Newtonsoft.Json 13.0.1 runs it (JsonConvert.cs,
 * Serialization/JsonSerializerInternalReader.Deserialize, Converters/XmlNodeConverter.cs ReadJson and the methods it
 * calls), ported with the reader (reader/): the JSON body becomes an XML tree under `<request>` whose elements the
 * vendor's binder reads (../binding/request-params.ts). Special property names keep Json.NET's meaning (`@x`
 * attributes, `#text` text, `$type` and kin, `?xml`, `!DOCTYPE`); names that are no XML name are encoded
 * (XmlConvert.EncodeName), a prefixed name needs its namespace declared.
 */
import { DotNetException, HRESULT } from '../dotnet/exception.ts';
import { xmlConvertDouble } from '../dotnet/number-format.ts';
import { dateText } from './dates.ts';
import { JsonTextReader, type TokenType } from './reader/json-text-reader.ts';
import { encodeName, verifyNcName } from './xml-names.ts';
import { JSON_NAMESPACE, Namespaces, prefixOf, type XElement } from './xml-tree.ts';

/** ReadAttributeElements' dictionary of attribute names: none until the first, a name only once. */
class AttributeNames {
  names: string[] | undefined;

  add(key: string): void {
    this.names ??= [];
    if (this.names.includes(key)) {
      throw new DotNetException(
        'System.ArgumentException',
        `An item with the same key has already been added. Key: ${key}`,
        HRESULT.argument,
      );
    }
    this.names.push(key);
  }
}

const argumentNull = (parameter: string) =>
  new DotNetException(
    'System.ArgumentNullException',
    `Value cannot be null.\nParameter name: ${parameter}`,
    HRESULT.argumentNull,
  );

/** ConvertTokenToXmlValue: the reader's current primitive as the text of an element (null for a JSON null). */
export function tokenText(r: JsonTextReader): string | null {
  const v = r.value;
  switch (r.tokenType) {
    case 'String':
    case 'Integer':
      return r.text;
    case 'Float':
      return v?.kind === 'float' ? xmlConvertDouble(v.value) : '';
    case 'Boolean':
      return v?.kind === 'boolean' && v.value ? 'true' : 'false';
    case 'Date':
      return v?.kind === 'date' ? dateText(v.date) : '';
    case 'Null':
      return null;
    default:
      throw r.serializationError(`Cannot get an XML string value from token type '${r.tokenType}'.`);
  }
}

class Converter {
  readonly #reader: JsonTextReader;
  readonly #ns = new Namespaces();

  constructor(reader: JsonTextReader) {
    this.#reader = reader;
  }

  /** The reader's current token (read again after every call that moves the reader). */
  #token(): TokenType {
    return this.#reader.tokenType;
  }

  /** ConvertTokenToXmlValue. */
  #tokenText(): string | null {
    return tokenText(this.#reader);
  }

  /** CreateElement(name, document, prefix, manager): the element, its name checked as XLinq checks it. */
  #newElement(elementName: string, prefix: string | undefined): XElement {
    const encoded = encodeName(elementName);
    const ns = prefix ? this.#ns.lookupNamespace(prefix) : this.#ns.defaultNamespace;
    if (ns) {
      const local = encoded.slice(encoded.indexOf(':') + 1);
      verifyNcName(local);
      return { kind: 'element', namespace: ns, name: local, attributes: [], children: [] };
    }
    verifyNcName(encoded);
    return { kind: 'element', namespace: '', name: encoded, attributes: [], children: [] };
  }

  readJson(): XElement | null {
    const r = this.#reader;
    if (r.tokenType === 'Null') return null;
    if (r.tokenType !== 'StartObject')
      throw r.serializationError('XmlNodeConverter can only convert JSON that begins with an object.');
    const document: XElement = { kind: 'element', namespace: '', name: '#document', attributes: [], children: [] };
    this.#readElement(document, 'request');
    const root = document.children.find((c): c is XElement => c.kind === 'element');
    return root ?? null;
  }

  #deserializeValue(name: string, current: XElement): void {
    const r = this.#reader;
    switch (name) {
      case '#text':
      case '#cdata-section':
      case '#whitespace':
      case '#significant-whitespace': {
        const text = this.#tokenText();
        if (text === null) throw argumentNull('value');
        current.children.push({ kind: 'text', text });
        return;
      }
      default:
        if (name.startsWith('?')) {
          this.#createInstruction(current, name);
          return;
        }
        if (name.toLowerCase() === '!doctype') {
          this.#createDocumentType();
          return;
        }
    }
    if (r.tokenType === 'StartArray') {
      this.#readArrayElements(name, current);
      return;
    }
    this.#readElement(current, name);
  }

  #shouldReadInto(): boolean {
    return !['String', 'Null', 'Boolean', 'Integer', 'Float', 'Date', 'StartConstructor'].includes(
      this.#reader.tokenType,
    );
  }

  #readElement(current: XElement, name: string): void {
    const r = this.#reader;
    if (name === '')
      throw r.serializationError('XmlNodeConverter cannot convert JSON with an empty property name to XML.');
    const attributes = this.#shouldReadInto() ? this.#readAttributeElements() : undefined;
    let prefix = prefixOf(name);
    if (name.startsWith('@')) {
      this.#addAttribute(current, name.slice(1));
      return;
    }
    if (name.startsWith('$')) {
      switch (name) {
        case '$values':
          prefix = this.#ns.lookupPrefix(JSON_NAMESPACE);
          this.#createElement(current, 'values', prefix, attributes);
          return;
        case '$id':
        case '$ref':
        case '$type':
        case '$value':
          this.#addAttribute(current, name.slice(1));
          return;
      }
    }
    this.#createElement(current, name, prefix, attributes);
  }

  #createElement(current: XElement, name: string, prefix: string | undefined, attributes: string[] | undefined): void {
    const r = this.#reader;
    const element = this.#newElement(name, prefix);
    current.children.push(element);
    if (attributes) element.attributes.push(...attributes);
    switch (r.tokenType) {
      case 'String':
      case 'Integer':
      case 'Float':
      case 'Boolean':
      case 'Date': {
        const text = this.#tokenText();
        if (text !== null) element.children.push({ kind: 'text', text });
        break;
      }
      case 'Null':
        break;
      case 'EndObject':
        this.#ns.removeDefault();
        break;
      default:
        this.#ns.push();
        this.#deserializeNode(element);
        this.#ns.pop();
        this.#ns.removeDefault();
    }
  }

  #addAttribute(current: XElement, attributeName: string): void {
    const value = this.#tokenText();
    const encoded = encodeName(attributeName);
    if (current.attributes.includes(encoded)) {
      throw new DotNetException('System.InvalidOperationException', 'Duplicate attribute.', -2146233079);
    }
    current.attributes.push(encoded);
    void value;
  }

  #readArrayElements(name: string, current: XElement): void {
    const r = this.#reader;
    const nested = this.#newElement(name, prefixOf(name));
    current.children.push(nested);
    while (r.read() && r.tokenType !== 'EndArray') this.#deserializeValue(name, nested);
  }

  /**
   * ReadAttributeElements: the properties that are attributes (`@name`, and `$id`, `$ref`, `$type`, `$value` in the
   * json namespace), read until the first that is not; the attribute names, or undefined when there are none.
   */
  #readAttributeElements(): string[] | undefined {
    const r = this.#reader;
    const attributes = new AttributeNames();
    let finished = false;
    while (!finished && r.read()) {
      switch (r.tokenType) {
        case 'PropertyName':
          finished = !this.#readAttribute(r.text, attributes);
          break;
        case 'EndObject':
        case 'Comment':
          finished = true;
          break;
        default:
          throw r.serializationError(`Unexpected JsonToken: ${r.tokenType}`);
      }
    }
    return attributes.names;
  }

  /** ReadAttributeElements' PropertyName case: the attribute a property is, read; false when it is none. */
  #readAttribute(attributeName: string, attributes: AttributeNames): boolean {
    if (attributeName === '') return false;
    if (attributeName[0] === '@') {
      this.#readAtAttribute(attributeName.slice(1), attributes);
      return true;
    }
    if (attributeName[0] === '$' && ['$values', '$id', '$ref', '$type', '$value'].includes(attributeName)) {
      return this.#readJsonAttribute(attributeName, attributes);
    }
    return false;
  }

  /** The `@` case: the attribute and its value; a namespace declaration is added to the manager. */
  #readAtAttribute(bare: string, attributes: AttributeNames): void {
    this.#reader.readAndAssert();
    const value = this.#tokenText();
    attributes.add(bare);
    if (bare === 'xmlns') this.#ns.add('', value ?? '');
    else if (bare.startsWith('xmlns:')) this.#ns.add(bare.slice(6), value ?? '');
  }

  /**
   * The `$` case: the json namespace declared when it is not in scope; `$values` ends the attributes (its value is
   * no primitive), the others are attributes of that namespace with a primitive value.
   */
  #readJsonAttribute(attributeName: string, attributes: AttributeNames): boolean {
    const r = this.#reader;
    const prefix = this.#jsonPrefix(attributes);
    if (attributeName === '$values') return false;
    r.readAndAssert();
    if (!['Integer', 'Float', 'String', 'Boolean', 'Undefined', 'Null', 'Date', 'Bytes'].includes(r.tokenType)) {
      throw r.serializationError(`Unexpected JsonToken: ${r.tokenType}`);
    }
    attributes.add(`${prefix}:${attributeName.slice(1)}`);
    return true;
  }

  /** The prefix of the json namespace: the one in scope, else the first free of `json`, `json1`… declared. */
  #jsonPrefix(attributes: AttributeNames): string {
    const inScope = this.#ns.lookupPrefix(JSON_NAMESPACE);
    if (inScope !== undefined) return inScope;
    let i = 0;
    while (this.#ns.lookupNamespace(`json${i === 0 ? '' : i}`) !== undefined) i++;
    const prefix = `json${i === 0 ? '' : i}`;
    attributes.add(`xmlns:${prefix}`);
    this.#ns.add(prefix, JSON_NAMESPACE);
    return prefix;
  }

  #createInstruction(current: XElement, name: string): void {
    const r = this.#reader;
    if (name === '?xml') {
      const parts: Record<string, string | null> = {};
      while (r.read() && r.tokenType !== 'EndObject') {
        const key = r.text;
        if (key !== '@version' && key !== '@encoding' && key !== '@standalone') {
          throw r.serializationError(`Unexpected property name encountered while deserializing XmlDeclaration: ${key}`);
        }
        r.readAndAssert();
        parts[key.slice(1)] = this.#tokenText();
      }
      // An XDeclaration added to an element's content becomes its text.
      const attr = (k: string) => (parts[k] != null ? ` ${k}="${parts[k]}"` : '');
      current.children.push({
        kind: 'text',
        text: `<?xml${attr('version')}${attr('encoding')}${attr('standalone')}?>`,
      });
      return;
    }
    const target = name.slice(1);
    verifyNcName(target);
    const data = this.#tokenText();
    if (data === null) throw argumentNull('data');
    current.children.push({ kind: 'other' });
  }

  #createDocumentType(): void {
    const r = this.#reader;
    let name: string | null = null;
    while (r.read() && r.tokenType !== 'EndObject') {
      const key = r.text;
      if (!['@name', '@public', '@system', '@internalSubset'].includes(key)) {
        throw r.serializationError(`Unexpected property name encountered while deserializing XmlDeclaration: ${key}`);
      }
      r.readAndAssert();
      const value = this.#tokenText();
      if (key === '@name') name = value;
    }
    if (name === null) throw argumentNull('name');
    throw new DotNetException(
      'System.ArgumentException',
      'A node of type DocumentType cannot be added to content.',
      HRESULT.argument,
    );
  }

  #deserializeNode(current: XElement): void {
    const r = this.#reader;
    do {
      switch (r.tokenType) {
        case 'PropertyName': {
          const name = r.text;
          r.readAndAssert();
          if (this.#token() === 'StartArray') {
            while (r.read() && this.#token() !== 'EndArray') this.#deserializeValue(name, current);
          } else this.#deserializeValue(name, current);
          continue;
        }
        case 'StartConstructor': {
          const name = r.text;
          while (r.read() && this.#token() !== 'EndConstructor') this.#deserializeValue(name, current);
          break;
        }
        case 'Comment':
          current.children.push({ kind: 'other' });
          break;
        case 'EndObject':
        case 'EndArray':
          return;
        default:
          throw r.serializationError(`Unexpected JsonToken when deserializing node: ${r.tokenType}`);
      }
    } while (r.read());
  }
}

/**
 * The `<request>` element of a JSON body, or null when the body holds no object (empty, white space, `null`):
 * JsonConvert.DeserializeXNode with the additional-content check JsonConvert.DeserializeObject turns on.
 */
export function deserializeXNode(body: string): XElement | null {
  const reader = new JsonTextReader(body);
  if (!reader.read()) return null;
  const root = new Converter(reader).readJson();
  while (reader.read()) {
    if (reader.tokenType !== 'Comment') {
      throw reader.serializationError('Additional text found in JSON string after finishing deserializing object.');
    }
  }
  return root;
}
