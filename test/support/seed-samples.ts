/**
 * Finds the sample payloads printed on a vendor page: every top-level JSON object (a `{` that starts a balanced,
 * parseable object; GitBook's `{% … %}` tags are not) and every top-level XML element that starts a line.
 */
export interface SeedSample {
  kind: 'json' | 'xml';
  text: string;
  offset: number;
}

/** The JSON sample starting at `i`: a `{` (not GitBook's `{%`) opening a balanced, parseable object. */
function jsonSampleAt(page: string, i: number): SeedSample | undefined {
  if (page[i] !== '{' || page[i + 1] === '%') return undefined;
  const end = balancedJsonEnd(page, i);
  if (end <= 0) return undefined;
  const text = page.slice(i, end);
  return parses(text) ? { kind: 'json', text, offset: i } : undefined;
}

/** The XML sample starting at `i`: an element that starts a line, up to its closing tag. */
function xmlSampleAt(page: string, i: number): SeedSample | undefined {
  if (page[i] !== '<' || (i !== 0 && page[i - 1] !== '\n')) return undefined;
  const open = /^<([A-Za-z_][\w.-]*)[^>]*>/.exec(page.slice(i));
  if (!open?.[1]) return undefined;
  const closing = `</${open[1]}>`;
  const end = page.indexOf(closing, i);
  return end > 0 ? { kind: 'xml', text: page.slice(i, end + closing.length), offset: i } : undefined;
}

export function extractSeedSamples(page: string): SeedSample[] {
  const found: SeedSample[] = [];
  let i = 0;
  while (i < page.length) {
    const sample = jsonSampleAt(page, i) ?? xmlSampleAt(page, i);
    if (sample) {
      found.push(sample);
      i = sample.offset + sample.text.length;
    } else i++;
  }
  return found;
}

/** Where the JSON string opening at `start` closes (its closing quote), or the text's length when it never does. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

/** Where the JSON value opening at `start` ends (past its closing brace), or -1 when it never closes. */
function balancedJsonEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = stringEnd(text, i);
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
