/**
 * The vendor's ApiArgumentBuilder.GetRequestParams (module/ASC.Api/ASC.Api/Impl/ApiArgumentBuilder.cs): one
 * NameValueCollection of the route values, then the query string, then the body, read by the request's media type
 * compared case-sensitively: exactly `text/xml` → the XML root's children, exactly `application/json` → the JSON
 * turned into XML (Json.NET) and flattened the same way, anything else (no Content-Type is `text/plain`) → the form
 * ASP.NET reads for `application/x-www-form-urlencoded` and `multipart/form-data`, on methods other than GET.
 */
import { TextDecoder } from 'node:util';
import type { DotNetException } from '../dotnet/exception.ts';
import { flatProperties } from '../jsonnet/flat-properties.ts';
import { deserializeXNode } from '../jsonnet/xml-node-converter.ts';
import type { XElement } from '../jsonnet/xml-tree.ts';
import { type ContentType, parseContentType } from './content-type.ts';
import { parseMultipart } from './multipart.ts';
import { NameValueCollection } from './name-value-collection.ts';
import { parseUrlEncoded } from './url-encoding.ts';
import { loadXml } from './xml-reader.ts';

/** A failure before the method runs: 400 for what the vendor wraps as an argument error, 500 for the rest. */
export class BindingFailure extends Error {
  override name = 'BindingFailure';
  readonly exception: DotNetException;
  readonly status: 400 | 500;
  /** Where the sandbox saw it, for the X-Sandbox-Reason header. */
  readonly reason: string;
  /** The x-rules id it breaks. */
  readonly rule: string;

  constructor(exception: DotNetException, status: 400 | 500, reason: string, rule: string) {
    super(exception.message);
    this.exception = exception;
    this.status = status;
    this.reason = reason;
    this.rule = rule;
  }
}

export interface RequestInput {
  method: string;
  /** Route values by name, as matched (text). */
  route: Record<string, string>;
  /** The raw query string, without `?`. */
  query: string;
  contentType: string | undefined;
  body: Buffer | undefined;
}

/** The text of a body as `new StreamReader(stream)` reads it: UTF-8 unless a byte order mark says otherwise. */
export function bodyText(body: Buffer | undefined): string {
  if (!body || body.length === 0) return '';
  if (body[0] === 0xfe && body[1] === 0xff) return UTF16BE.decode(body.subarray(2));
  if (body[0] === 0xff && body[1] === 0xfe) return UTF16LE.decode(body.subarray(2));
  return UTF8.decode(body);
}

// Made once: a decoder used without `stream` keeps nothing from one decode to the next.
const UTF8 = new TextDecoder('utf-8');
const UTF16BE = new TextDecoder('utf-16be');
const UTF16LE = new TextDecoder('utf-16le');

/** Request.ContentEncoding: the Content-Type's charset when the platform knows it, else UTF-8. */
function contentDecoder(contentType: ContentType | undefined): TextDecoder {
  const charset = contentType?.parameters.get('charset');
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    return new TextDecoder('utf-8');
  }
}

/**
 * FillCollectionFromXElement / AddElement: leaves by name, nested elements as `a[b][c]`, repeats as `a[0][b]`. The
 * vendor's recursion, with an explicit stack (a document may nest deeper than any call stack), in the same order.
 */
function fill(top: XElement[], topPrefix: string, collection: NameValueCollection): void {
  const work: Level[] = [{ elements: top, prefix: topPrefix }];
  while (work.length > 0) {
    const { elements, prefix } = work.pop() as Level;
    fillLevel(groupsByName(elements), prefix, collection, work);
  }
}

/** Elements of one level still to add, under the prefix of their parents. */
interface Level {
  elements: XElement[];
  prefix: string;
}

const hasElements = (e: XElement) => e.children.some((c) => c.kind === 'element');

/** The elements of one level grouped by their full name, each group where its first element is. */
function groupsByName(elements: readonly XElement[]): XElement[][] {
  const groups = new Map<string, XElement[]>();
  for (const e of elements) {
    const key = `{${e.namespace}}${e.name}`;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  return [...groups.values()];
}

/**
 * The groups of one level in order, leaves added, up to the first group with child elements. That one is visited
 * before the groups after it: the rest of this level goes on the stack first, the children above it.
 */
function fillLevel(list: readonly XElement[][], prefix: string, collection: NameValueCollection, work: Level[]): void {
  for (let g = 0; g < list.length; g++) {
    const group = list[g] as XElement[];
    const nested = nestedLevels(group, prefix);
    if (nested) {
      work.push({ elements: list.slice(g + 1).flat(), prefix }, ...nested);
      return;
    }
    for (const e of group) addElement(prefix, collection, e);
  }
}

/**
 * The levels under a group, the first to visit last: one element's children (`a.b`), or each repeat's (`a.b[0]`)
 * when any repeat has child elements; undefined for a group of leaves.
 */
function nestedLevels(group: readonly XElement[], prefix: string): Level[] | undefined {
  const first = group[0] as XElement;
  if (group.length < 2) {
    return hasElements(first) ? [{ elements: childElements(first), prefix: `${prefix}.${first.name}` }] : undefined;
  }
  if (group.every((e) => !hasElements(e))) return undefined;
  return group.map((e, i) => ({ elements: childElements(e), prefix: `${prefix}.${first.name}[${i}]` })).reverse();
}

const childElements = (e: XElement): XElement[] => e.children.filter((c): c is XElement => c.kind === 'element');

/** XElement.Value: the text of every descendant text node, in order. */
export function elementValue(e: XElement): string {
  return e.children.map((c) => (c.kind === 'text' ? c.text : c.kind === 'element' ? elementValue(c) : '')).join('');
}

function addElement(prefix: string, collection: NameValueCollection, element: XElement): void {
  if (prefix === '') {
    collection.add(element.name, elementValue(element));
    return;
  }
  const prefixes = prefix.replace(/^\.+/, '').split('.');
  let additional = '';
  if (prefixes.length > 1) {
    additional = prefixes
      .slice(1)
      .map((sub) => {
        const index = sub.indexOf('[');
        return index < 0 ? `[${sub}]` : `[${sub.slice(0, index)}]${sub.slice(index)}`;
      })
      .join('');
  }
  collection.add(`${prefixes[0]}${additional}[${element.name}]`, elementValue(element));
}

/** The request's Form (what `Request[name]` falls back to), for form media types only. */
function readForm(contentType: ContentType | undefined, header: string, body: Buffer | undefined): NameValueCollection {
  const decoder = contentDecoder(contentType);
  const lower = header.toLowerCase();
  if (!body || body.length === 0) return new NameValueCollection();
  if (lower.startsWith('application/x-www-form-urlencoded')) return parseUrlEncoded(bodyText(body), decoder);
  if (lower.startsWith('multipart/form-data')) {
    const boundary = contentType?.parameters.get('boundary');
    return boundary ? parseMultipart(body, boundary, decoder) : new NameValueCollection();
  }
  return new NameValueCollection();
}

export interface RequestParams {
  params: NameValueCollection;
  /** Request.Form: the form values, empty unless the body is a form. */
  form: NameValueCollection;
}

/**
 * GetRequestParams, or the BindingFailure the vendor answers instead. A JSON body of the common shape (see
 * flatProperties) skips the XML tree it would become: same pairs, same order. `fastJson: false` always builds the
 * tree, for the test that holds the two to the same answers.
 */
export function requestParams(input: RequestInput, fastJson = true): RequestParams {
  const params = new NameValueCollection();
  for (const [name, value] of Object.entries(input.route)) params.add(name, value);
  const header = input.contentType ?? '';
  const contentType = requestContentType(header);
  params.addAll(parseUrlEncoded(input.query, contentDecoder(contentType)));
  const isGet = input.method.toUpperCase() === 'GET';
  const form = isGet ? new NameValueCollection() : readForm(contentType, header, input.body);
  switch (contentType.mediaType) {
    case 'text/xml':
      fill(childElements(xmlBodyRoot(input.body)), '', params);
      break;
    case 'application/json':
      addJsonBody(bodyText(input.body), params, fastJson);
      break;
    default:
      if (!isGet) params.addAll(form);
  }
  return { params, form };
}

/** The request's Content-Type as the vendor reads it (`text/plain` when there is none). */
function requestContentType(header: string): ContentType {
  try {
    return parseContentType(header === '' ? 'text/plain' : header);
  } catch (error) {
    throw new BindingFailure(
      error as DotNetException,
      500,
      `Content-Type ${header} cannot be read`,
      'r7-office.request.content-type',
    );
  }
}

/** A `text/xml` body's root element, as XDocument.Load reads it. */
function xmlBodyRoot(body: RequestInput['body']): XElement {
  try {
    return loadXml(bodyText(body));
  } catch (error) {
    throw new BindingFailure(
      error as DotNetException,
      500,
      'the text/xml body is not well-formed XML',
      'r7-office.request.xml-body',
    );
  }
}

/** A JSON body's values: the flat shape's pairs directly, anything else through the XML tree Json.NET makes of it. */
function addJsonBody(text: string, params: NameValueCollection, fastJson: boolean): void {
  const flat = fastJson ? flatProperties(text) : undefined;
  if (flat) {
    for (const [name, value] of flat) params.add(name, value);
    return;
  }
  let root: XElement | null;
  try {
    root = deserializeXNode(text);
  } catch (error) {
    throw new BindingFailure(
      error as DotNetException,
      400,
      'the JSON body cannot be read (Json.NET)',
      'r7-office.request.json-body',
    );
  }
  if (root) fill(childElements(root), '', params);
}
