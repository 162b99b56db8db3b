import { XMLBuilder } from 'fast-xml-parser';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: false,
  suppressEmptyNode: false,
  suppressBooleanAttributes: false,
  processEntities: true,
});

export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

export interface XmlStyle {
  /** Sort child elements by name, as .NET's DataContractSerializer writes them. */
  alphabetical: boolean;
  /** Declare `xmlns:i` on the root and write nulls as `i:nil="true"` (DataContract). */
  dataContract: boolean;
  /** Name of each element of an array property (wrapped in an element named after the property). */
  itemName?: (property: string) => string;
}

function shape(value: unknown, style: XmlStyle): unknown {
  if (value === null || value === undefined) return style.dataContract ? { '@_i:nil': 'true' } : '';
  if (Array.isArray(value)) return value.map((v) => shape(v, style));
  if (typeof value !== 'object') return String(value);
  const entries = Object.entries(value as Record<string, unknown>);
  if (style.alphabetical) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const [key, child] of entries) {
    if (key.startsWith('@')) continue; // OData annotations such as @odata.context are not XML elements
    out[key] = Array.isArray(child) ? { [style.itemName?.(key) ?? key]: shape(child, style) } : shape(child, style);
  }
  return out;
}

/** Writes `value` as an XML document whose root element is `root`. */
export function toXml(value: unknown, root: string, style: XmlStyle): string {
  const body = shape(value, style);
  const rootNode = typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body } : { '#text': body };
  if (style.dataContract) Object.assign(rootNode, { '@_xmlns:i': XSI });
  const ordered = style.dataContract ? { '@_xmlns:i': XSI, ...rootNode } : rootNode;
  return builder.build({ [root]: ordered }) as string;
}
