/**
 * The link between an `x-rules` entry and the JSON Schema keyword that enforces it (`keyword` + `fields`,
 * specs/README.md): which rule a schema failure breaks, found from the failing keyword and field alone. The spec
 * test (test/specs/catalogues.test.ts) checks that each link names a keyword the schema really has at each field,
 * and that no two rules of an operation claim the same keyword at the same field.
 */
import type { Rule, RuleKeyword } from './types.ts';

/** A rule's keywords as a list; empty for a rule without the link. */
export function keywordsOf(rule: Rule): RuleKeyword[] {
  if (rule.keyword === undefined) return [];
  return Array.isArray(rule.keyword) ? rule.keyword : [rule.keyword];
}

/** AJV keywords a rule names by another keyword: a list of `const`s is named `enum`. */
const namedAs: Readonly<Record<string, RuleKeyword>> = { const: 'enum' };

/**
 * The one rule of `rules` that names `keyword` and `field`: the rule a schema failure of that keyword at that field
 * (a top-level body field or a path parameter) breaks. A failure of `additionalProperties` is about a field the
 * schema does not know, which no rule can list, so it goes to the one rule naming that keyword. `anyOf` groups are
 * found by ruleForGroup. None, or more than one: undefined.
 */
export function ruleForKeyword(rules: readonly Rule[], keyword: string, field: string): Rule | undefined {
  const wanted = namedAs[keyword] ?? keyword;
  const found = rules.filter(
    (r) =>
      keywordsOf(r).some((k) => k === wanted) && (wanted === 'additionalProperties' || !!r.fields?.includes(field)),
  );
  return found.length === 1 ? found[0] : undefined;
}

/** The one `anyOf` rule whose fields hold every field of an "Optionally required" group; else undefined. */
export function ruleForGroup(rules: readonly Rule[], group: readonly string[]): Rule | undefined {
  if (group.length === 0) return undefined;
  const found = rules.filter((r) => keywordsOf(r).includes('anyOf') && group.every((f) => r.fields?.includes(f)));
  return found.length === 1 ? found[0] : undefined;
}
