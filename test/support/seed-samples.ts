/**
 * Finds the sample payloads printed on a vendor page: every top-level JSON object (a `{` that starts a balanced,
 * parseable object; GitBook's `{% … %}` tags are not) and every top-level XML element that starts a line.
 */
export interface SeedSample {
  kind: 'json' | 'xml';
  text: string;
  offset: number;
}

export function extractSeedSamples(page: string): SeedSample[] {
  const found: SeedSample[] = [];
  let i = 0;
  while (i < page.length) {
    const ch = page[i];
    if (ch === '{' && page[i + 1] !== '%') {
      const end = balancedJsonEnd(page, i);
      if (end > 0) {
        const text = page.slice(i, end);
        if (parses(text)) {
          found.push({ kind: 'json', text, offset: i });
          i = end;
          continue;
        }
      }
    }
    if (ch === '<' && (i === 0 || page[i - 1] === '\n')) {
      const open = /^<([A-Za-z_][\w.-]*)[^>]*>/.exec(page.slice(i));
      if (open?.[1]) {
        const closing = `</${open[1]}>`;
        const end = page.indexOf(closing, i);
        if (end > 0) {
          found.push({ kind: 'xml', text: page.slice(i, end + closing.length), offset: i });
          i = end + closing.length;
          continue;
        }
      }
    }
    i++;
  }
  return found;
}

function balancedJsonEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
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
