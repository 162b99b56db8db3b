import { XMLParser, XMLValidator } from 'fast-xml-parser';

export class XmlRefusedError extends Error {
  override name = 'XmlRefusedError';
}

export interface ParsedXml {
  /** The root element's name, e.g. `task_activity_log`. */
  root: string;
  /** The root's children as a plain object; leaf values are strings, null for an element marked `xsi:nil="true"`. */
  value: unknown;
}

/** `xsi:nil` (any prefix): the one attribute read, so that a DataContract `<x i:nil="true"/>` is null, not ''. */
const isNil = (name: string) => /(^|:)nil$/.test(name);

const parser = new XMLParser({
  ignoreAttributes: (name: string) => !isNil(name),
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // Only XML's five predefined entities can reach the parser: declarations (DOCTYPE) are refused before it runs.
  processEntities: true,
  htmlEntities: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Document type declarations bring entities: external ones (XXE) and recursive ones (billion laughs). */
const forbidden = /<!DOCTYPE|<!ENTITY/i;

/**
 * Parses an XML body. A DOCTYPE or entity declaration is refused before the parser sees it, malformed XML is
 * refused with the validator's message, and whatever else the parser refuses (element names that would pollute a
 * prototype) likewise, so a caller can answer 400 without ever expanding anything.
 */
export function parseXml(text: string): ParsedXml {
  if (forbidden.test(text)) throw new XmlRefusedError('XML with a DOCTYPE or entity declaration is not accepted');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlRefusedError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    // The parser refuses what the validator lets through, e.g. elements named `__proto__` or `constructor`.
    throw new XmlRefusedError(`XML the parser refuses: ${(error as Error).message}`);
  }
  const roots = Object.keys(doc);
  if (roots.length !== 1 || roots[0] === undefined) throw new XmlRefusedError('XML must have exactly one root element');
  const value = nilAsNull(doc[roots[0]]);
  return { root: roots[0], value: value === '' ? {} : value };
}

/**
 * An element with `xsi:nil="true"` as null (what a .NET DataContract serializer writes for a null member, and
 * reads back as null); any other element as the parser gives it, its `nil` attribute dropped.
 */
function nilAsNull(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nilAsNull);
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  if ('@_nil' in record) {
    if (String(record['@_nil']).trim() === 'true') return null;
    const { '@_nil': _nil, ...rest } = record;
    const keys = Object.keys(rest);
    if (keys.length === 0) return '';
    if (keys.length === 1 && keys[0] === '#text') return rest['#text'];
    return nilAsNull(rest);
  }
  return Object.fromEntries(Object.entries(record).map(([key, child]) => [key, nilAsNull(child)]));
}
