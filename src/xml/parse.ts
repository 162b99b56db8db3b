import { XMLParser, XMLValidator } from 'fast-xml-parser';

export class XmlRefusedError extends Error {
  override name = 'XmlRefusedError';
}

export interface ParsedXml {
  /** The root element's name, e.g. `task_activity_log`. */
  root: string;
  /** The root's children as a plain object; leaf values are strings (see coerce.ts for schema-driven types). */
  value: unknown;
}

const parser = new XMLParser({
  ignoreAttributes: true,
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
  const value = doc[roots[0]];
  return { root: roots[0], value: value === '' ? {} : value };
}
