/**
 * What each statement of a spec rests on (specs/README.md, "As strict as the vendor"): every `x-choice` has an
 * `x-evidence` beside it and every `x-rules` entry an `evidence`, either a list of sources (a public repository with
 * path and symbol, a vendor page, a seed page in this repository) or `none: <why>`. Read by the evidence test, the
 * docs site and the faithfulness report.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isObject, escapeSegment as segment } from './json.ts';
import { repoRoot } from './paths.ts';
import type { OpenApiDocument } from './types.ts';

/** One place the fact was read. */
export interface EvidenceItem {
  /** `owner/name` of a public repository, an `https://` page, or a `specs/sources/…` file of this repository. */
  source: string;
  /** For a repository: the file … */
  path?: string;
  /** … and the class, method or constant in it. */
  symbol?: string;
  /** What the source says. */
  says: string;
}

/** The evidence of a rule or choice: its sources, or why none exists. */
export type Evidence = { kind: 'sourced'; items: EvidenceItem[] } | { kind: 'none'; why: string } | { kind: 'missing' };

/** A statement that needs evidence: an `x-choice` or an `x-rules` entry, with where it sits. */
export interface Statement {
  kind: 'choice' | 'rule';
  /** JSON pointer into the bundled document (`#/paths/~1api~1Task({id})/put/x-rules/3`). */
  pointer: string;
  /** The rule's id, or what the choice is about (the object's title, name or key). */
  subject: string;
  /** The choice's text or the rule's description. */
  text: string;
  evidence: Evidence;
  /** What is wrong with its evidence, if anything (empty when it is well-formed). */
  problems: string[];
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => isObject(v);

/** Reads an `x-evidence` / `evidence` value and says what is wrong with it. */
export function readEvidence(value: unknown): { evidence: Evidence; problems: string[] } {
  if (value === undefined) return { evidence: { kind: 'missing' }, problems: ['no evidence'] };
  if (typeof value === 'string') return readNone(value);
  const list = Array.isArray(value) ? value : [value];
  const problems: string[] = [];
  const items: EvidenceItem[] = [];
  if (list.length === 0) problems.push('an empty evidence list');
  for (const [i, raw] of list.entries()) {
    if (!isNode(raw)) {
      problems.push(`item ${i} is not an object with source and says`);
      continue;
    }
    const item = raw as Partial<EvidenceItem>;
    problems.push(...itemProblems(item, i));
    items.push(item as EvidenceItem);
  }
  return { evidence: problems.length > 0 ? { kind: 'missing' } : { kind: 'sourced', items }, problems };
}

/** A string evidence: `none: <why the choice was made>`, the why 20 characters or more. */
function readNone(value: string): { evidence: Evidence; problems: string[] } {
  const match = /^none:\s*(.+)$/s.exec(value.trim());
  if (!match?.[1] || match[1].trim().length < 20)
    return {
      evidence: { kind: 'missing' },
      problems: [`a string evidence must be "none: <why the choice was made>" (20 characters or more): ${value}`],
    };
  return { evidence: { kind: 'none', why: match[1].trim() }, problems: [] };
}

/** What is wrong with one item of an evidence list: what it says, then its source. */
function itemProblems(item: Partial<EvidenceItem>, i: number): string[] {
  const where = `item ${i} (${String(item.source)})`;
  const problems: string[] = [];
  if (typeof item.says !== 'string' || item.says.trim() === '') problems.push(`${where} does not say what it says`);
  if (typeof item.source !== 'string' || item.source.trim() === '') problems.push(`item ${i} has no source`);
  else problems.push(...sourceProblems(item, item.source, where));
  return problems;
}

/** A source is a vendor page (its address is enough), a file of specs/sources/, or a repository with path and symbol. */
function sourceProblems(item: Partial<EvidenceItem>, source: string, where: string): string[] {
  if (source.startsWith('https://') || source.startsWith('http://')) return [];
  if (source.startsWith('specs/sources/'))
    return existsSync(join(repoRoot, source)) ? [] : [`${where}: no such file in this repository`];
  if (!REPOSITORY.test(source)) return [`${where}: a source is owner/name, an https:// page or a specs/sources/ file`];
  const problems: string[] = [];
  if (typeof item.path !== 'string' || item.path === '') problems.push(`${where}: a repository needs a path`);
  if (typeof item.symbol !== 'string' || item.symbol === '')
    problems.push(`${where}: a repository needs a symbol (class, method or constant)`);
  return problems;
}

function subjectOf(node: Node, key: string): string {
  for (const field of ['title', 'name', 'operationId', 'id']) if (typeof node[field] === 'string') return node[field];
  return key;
}

/** Every `x-choice` and every `x-rules` entry of a (bundled) document, with its evidence read. */
export function listStatements(doc: OpenApiDocument): Statement[] {
  const found: Statement[] = [];
  const walk = (node: unknown, pointer: string, key: string): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        walk(child, `${pointer}/${i}`, key);
      });
      return;
    }
    if (!isNode(node)) return;
    if (node['x-choice'] !== undefined) {
      const { evidence, problems } = readEvidence(node['x-evidence']);
      found.push({
        kind: 'choice',
        pointer,
        subject: subjectOf(node, key),
        text: String(node['x-choice']),
        evidence,
        problems,
      });
    }
    const rules = node['x-rules'];
    if (Array.isArray(rules)) {
      rules.forEach((rule, i) => {
        if (!isNode(rule)) return;
        const { evidence, problems } = readEvidence(rule.evidence);
        found.push({
          kind: 'rule',
          pointer: `${pointer}/x-rules/${i}`,
          subject: String(rule.id),
          text: String(rule.description ?? ''),
          evidence,
          problems,
        });
      });
    }
    for (const [child, value] of Object.entries(node)) {
      if (child === 'x-rules' || child === 'x-evidence' || child === 'evidence') continue;
      walk(value, `${pointer}/${segment(child)}`, child);
    }
  };
  walk(doc, '#', '');
  return found;
}

/** Counts for the README and the docs: statements with a source, out of all, per kind. */
export interface Faithfulness {
  rules: { sourced: number; total: number };
  choices: { sourced: number; total: number };
  /** The choices and rules that rest on no evidence (`none: …`), for the "where to be careful" page. */
  unsupported: Statement[];
}

export function faithfulness(doc: OpenApiDocument): Faithfulness {
  const statements = listStatements(doc);
  const count = (kind: Statement['kind']) => {
    const of = statements.filter((s) => s.kind === kind);
    return { sourced: of.filter((s) => s.evidence.kind === 'sourced').length, total: of.length };
  };
  return {
    rules: count('rule'),
    choices: count('choice'),
    unsupported: statements.filter((s) => s.evidence.kind !== 'sourced'),
  };
}
