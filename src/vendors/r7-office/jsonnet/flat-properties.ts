/**
 * The JSON body's short way into the request parameters: the common body, a flat object of primitives under plain
 * names, read straight into the pairs deserializeXNode's `<request>` element would hold (src/vendors/r7-office/
 * binding/request-params.ts), without building the tree. test/sandbox/r7-office/json-fast-path.test.ts holds the two
 * ways to the same answers.
 */
import { JsonTextReader, type TokenType } from './reader/json-text-reader.ts';
import { encodeName, verifyNcName } from './xml-names.ts';
import { tokenText } from './xml-node-converter.ts';

/**
 * Whether a property name becomes an element of that very name in no namespace, with nothing special about it:
 * XmlConvert.EncodeName leaves it as it is, XName accepts it as a local name, and it has no prefix (so no colon) and
 * none of the marks (`@`, `$`, `#`, `?`, `!`) that give a name Json.NET's other meanings (none of them may begin an
 * XML name, so EncodeName would change such a name). Memoised: a partner sends the same few names every time.
 */
function isPlainName(name: string): boolean {
  let plain = plainNames.get(name);
  if (plain === undefined) {
    plain = name !== '' && !name.includes(':') && encodeName(name) === name && isNcName(name);
    if (plainNames.size >= PLAIN_NAMES_KEPT) plainNames.clear();
    plainNames.set(name, plain);
  }
  return plain;
}

/** Bounds the memo of isPlainName: names are the sender's, so their number is too. */
const PLAIN_NAMES_KEPT = 4096;
const plainNames = new Map<string, boolean>();

function isNcName(name: string): boolean {
  try {
    verifyNcName(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * The common body, `{"a": 1, "b": "x", …}` (an object of primitives under distinct plain names), read straight into
 * the name/value pairs deserializeXNode's `<request>` element holds for it, in the same order: each a child element
 * whose value is its text ('' for a JSON null). The reader is driven by exactly the calls the converter makes, so
 * every value (dates, numbers, escapes) is read as the converter reads it. Undefined for anything else, and for any
 * failure: the caller then runs deserializeXNode itself, which gives the answer or the error the vendor gives.
 */
export function flatProperties(body: string): [name: string, value: string][] | undefined {
  try {
    const r = new JsonTextReader(body);
    if (!r.read() || r.tokenType !== 'StartObject') return undefined;
    const fields = readFlatMembers(r);
    return fields && onlyCommentsAfter(r) ? fields : undefined;
  } catch {
    return undefined;
  }
}

/** The tokens a member's value may be for the short way: a primitive, as an element's text. */
const PRIMITIVES: ReadonlySet<TokenType> = new Set(['String', 'Integer', 'Float', 'Boolean', 'Date', 'Null']);

/** The object's members up to its end, or undefined at the first one the short way does not take. */
function readFlatMembers(r: JsonTextReader): [string, string][] | undefined {
  // Read again after every call that moves the reader (a getter TypeScript would otherwise narrow).
  const token = (): TokenType => r.tokenType;
  const fields: [string, string][] = [];
  const seen = new Set<string>();
  while (r.read()) {
    if (token() === 'EndObject') return fields;
    if (token() !== 'PropertyName') return undefined;
    const name = r.text;
    if (seen.has(name) || !isPlainName(name)) return undefined;
    seen.add(name);
    r.readAndAssert();
    if (!PRIMITIVES.has(token())) return undefined;
    fields.push([name, tokenText(r) ?? '']);
  }
  return undefined;
}

/** After the object, nothing but comments (the additional-content check deserializeXNode makes). */
function onlyCommentsAfter(r: JsonTextReader): boolean {
  while (r.read()) if (r.tokenType !== 'Comment') return false;
  return true;
}
