/**
 * The README's "How faithful is this" counts, written by `npm run generate` between two markers and kept honest
 * by `check:generated`: per vendor, the rules and the choices whose evidence names a source, out of all.
 */
import { faithfulness } from '../spec/evidence.ts';
import type { OpenApiDocument } from '../spec/index.ts';

export const START = '<!-- faithfulness:start (npm run generate) -->';
export const END = '<!-- faithfulness:end -->';

export function faithfulnessSection(docs: readonly { name: string; doc: OpenApiDocument }[]): string {
  const rows = docs.map(({ name, doc }) => {
    const f = faithfulness(doc);
    return `| ${doc.info.title} | ${f.rules.sourced} / ${f.rules.total} | ${f.choices.sourced} / ${f.choices.total} | [${f.unsupported.length}](dist/docs/${name}-careful.html) |`;
  });
  return [
    START,
    '| vendor | rules with a source | choices with a source | resting on no evidence |',
    '|---|---|---|---|',
    ...rows,
    END,
  ].join('\n');
}

/** The README with its section replaced; a README without the markers is an error (the section is required). */
export function replaceSection(readme: string, section: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
  return readme.slice(0, start) + section + readme.slice(end + END.length);
}
