/**
 * The docs site's "where to be careful" page of a vendor: every choice and rule of its spec that rests on no
 * evidence from the vendor (`x-evidence: "none: …"`), with what the spec chose and why, so a partner knows which
 * answers of the sandbox and the mock are this project's guess rather than the vendor's known behaviour.
 */
import { faithfulness } from '../spec/evidence.ts';
import type { OpenApiDocument } from '../spec/index.ts';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export function carefulPage(vendor: string, doc: OpenApiDocument): string {
  const counts = faithfulness(doc);
  const rows = counts.unsupported.map((s) => {
    const why = s.evidence.kind === 'none' ? s.evidence.why : 'evidence missing';
    return (
      `<tr><td>${s.kind}</td><td><code>${esc(s.subject)}</code><br><small><code>${esc(s.pointer)}</code></small></td>` +
      `<td>${esc(oneLine(s.text))}</td><td>${esc(oneLine(why))}</td></tr>`
    );
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info.title)}: where to be careful</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:75rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}</style>
</head><body>
<h1>${esc(doc.info.title)}: where to be careful</h1>
<p>The sandbox and the mock answer exactly as the vendor does wherever the vendor's code, SDK or documentation shows
how it answers. These are the places where nothing the vendor publishes decides it, so the spec chose: an integration
that relies on one of them may meet a different answer at the vendor.</p>
<p id="counts">Rules with a source: <strong>${counts.rules.sourced} of ${counts.rules.total}</strong>. Choices with a
source: <strong>${counts.choices.sourced} of ${counts.choices.total}</strong>. Resting on no evidence:
<strong>${counts.unsupported.length}</strong>.</p>
<p><a href="${esc(vendor)}.html">Back to the API reference</a> · <a href="index.html">All APIs</a></p>
<table><tr><th>kind</th><th>what</th><th>the spec's choice</th><th>why (no evidence)</th></tr>
${rows.join('\n')}
</table>
</body></html>
`;
}
