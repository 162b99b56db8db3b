/**
 * The docs site's view of a spec: each operation's rules and each choice, with the evidence they rest on, written
 * into the descriptions Redoc renders (Redoc shows no `x-` extensions). The spec files are not changed: this works
 * on a copy of the bundled document, for `npm run docs` only.
 */
import { type Evidence, type EvidenceItem, faithfulness, readEvidence } from '../spec/evidence.ts';
import { listActions, listOperations, type OpenApiDocument, type Rule } from '../spec/index.ts';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Where a source can be read: a repository file on GitHub, a page as it is, a seed page of this repository. */
export function sourceUrl(item: EvidenceItem): string {
  if (/^https?:\/\//.test(item.source)) return item.source;
  if (item.source.startsWith('specs/')) return item.source;
  return `https://github.com/${item.source}/blob/HEAD/${item.path ?? ''}`;
}

function sourceLabel(item: EvidenceItem): string {
  if (item.path) return `${item.source} \`${item.path}\`${item.symbol ? ` (\`${item.symbol}\`)` : ''}`;
  return item.source;
}

/** The evidence as Markdown: a list of sources with what each says, or the reason there is none. */
export function evidenceMarkdown(evidence: Evidence): string {
  if (evidence.kind === 'none') return `*No evidence: ${oneLine(evidence.why)}*`;
  if (evidence.kind === 'missing') return '*Evidence missing.*';
  return evidence.items.map((item) => `[${sourceLabel(item)}](${sourceUrl(item)}): “${oneLine(item.says)}”`).join('; ');
}

function ruleMarkdown(rule: Rule & { evidence?: unknown }): string {
  const how =
    rule.enforcedBy === 'schema' ? `schema${rule.keyword ? ` (${[rule.keyword].flat().join(', ')})` : ''}` : 'server';
  const error = rule.error ? `; error \`${rule.error}\`` : '';
  return `- **\`${rule.id}\`** (${how}${error}): ${oneLine(rule.description)}\n  Evidence: ${evidenceMarkdown(readEvidence(rule.evidence).evidence)}`;
}

function rulesSection(title: string, rules: readonly (Rule & { evidence?: unknown })[]): string {
  return rules.length === 0 ? '' : `\n\n#### ${title}\n\n${rules.map(ruleMarkdown).join('\n')}`;
}

/** Appends "Choice / Evidence" to the description of every object that makes a choice and has a description. */
function annotateChoices(node: unknown): void {
  if (Array.isArray(node)) {
    for (const child of node) annotateChoices(child);
    return;
  }
  if (!isNode(node)) return;
  if (typeof node['x-choice'] === 'string' && typeof node.description === 'string') {
    const { evidence } = readEvidence(node['x-evidence']);
    node.description = `${node.description}\n\n**Choice:** ${oneLine(node['x-choice'])}\n\n**Evidence:** ${evidenceMarkdown(evidence)}`;
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'x-rules') annotateChoices(value);
}

/** The error catalogue as a Markdown table, with each entry's choice and evidence. */
function errorsSection(doc: OpenApiDocument): string {
  const entries = Object.entries(doc['x-errors'] ?? {});
  if (entries.length === 0) return '';
  const rows = entries.map(([key, entry]) => {
    const choice = typeof entry['x-choice'] === 'string' ? ` Choice: ${oneLine(entry['x-choice'])}` : '';
    const evidence = entry['x-choice'] ? ` ${evidenceMarkdown(readEvidence(entry['x-evidence']).evidence)}` : '';
    return `| \`${key}\` | ${entry.status} | ${oneLine(entry.message).replaceAll('|', '\\|')} |${choice.replaceAll('|', '\\|')}${evidence.replaceAll('|', '\\|')} |`;
  });
  return `\n\n## Errors\n\nEvery error the reference sandbox answers, from the spec's \`x-errors\` catalogue.\n\n| key | status | message | choice and evidence |\n|---|---|---|---|\n${rows.join('\n')}`;
}

/**
 * A copy of the bundled document for Redoc: rules and evidence under each operation, choices and evidence under
 * each described object, the error catalogue and the faithfulness counts in the introduction, with a link to the
 * page that lists what rests on no evidence (`careful`).
 */
export function docsView(doc: OpenApiDocument, careful: string): OpenApiDocument {
  const view = structuredClone(doc);
  for (const { operation } of listOperations(view)) {
    let rules = rulesSection('Rules', operation['x-rules'] ?? []);
    for (const [action, object] of listActions(operation))
      rules += rulesSection(`Rules of \`${action}\``, object['x-rules'] ?? []);
    if (rules) operation.description = `${operation.description ?? ''}${rules}`;
  }
  annotateChoices(view);
  const counts = faithfulness(doc);
  const faithful =
    `\n\n## How faithful is this\n\nEvery rule and every choice in this description names what it rests on: the ` +
    `vendor's code, SDK or documentation. Rules with a source: **${counts.rules.sourced} of ${counts.rules.total}**; ` +
    `choices with a source: **${counts.choices.sourced} of ${counts.choices.total}**. ` +
    `[What rests on no evidence](${careful}): where to be careful.`;
  view.info.description = `${view.info.description ?? ''}${faithful}${errorsSection(doc)}`;
  return view;
}
