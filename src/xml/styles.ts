import type { XmlStyle } from './build.ts';

/**
 * How each vendor writes XML, in one place for the sandbox's vendor modules and the mock: Odyssee answers .NET
 * DataContract XML (elements sorted by name, `xmlns:i`, nulls as `i:nil`), R7-Office its plain `<result>` envelope
 * in property order. A vendor not listed writes plain XML.
 */
export const xmlStyles: Readonly<Record<string, XmlStyle>> = Object.freeze({
  odyssee: { alphabetical: true, dataContract: true },
  'r7-office': { alphabetical: false, dataContract: false },
});

export const plainXml: XmlStyle = { alphabetical: false, dataContract: false };

export function xmlStyle(vendor: string): XmlStyle {
  return xmlStyles[vendor] ?? plainXml;
}
