/**
 * Which `x-rules` entry an error detail breaks. The spec's ODataError x-choice puts that rule id in
 * `details[].code`. The handlers name the rule they enforce themselves (`ErrorDetail.rule`); a schema failure found
 * by the core names the JSON Schema keyword that failed and its field, and each rule names the keyword that enforces
 * it and the fields it governs (`keyword` + `fields`, specs/README.md): the rule is the one naming both. A failed
 * "Optionally required" group goes to the `anyOf` rule whose fields are the group's. The field is the last property
 * of the target, so a field of an embedded job (`_parent_job.name`) breaks the job's own rule. A detail no rule
 * names, or several do, keeps the error's own code.
 */
import type { ErrorDetail } from '../../server/errors.ts';
import { type Rule, ruleForGroup, ruleForKeyword } from '../../spec/index.ts';

/** The property a target ends in: `name` of `_parent_job.name`, `value` of `translations[0].value`. */
const fieldOf = (target: string) =>
  target
    .split('.')
    .pop()
    ?.replace(/\[\d+\]$/, '') ?? '';

/** The id of the one rule of `rules` that `detail` breaks, if exactly one does. */
export function ruleBrokenBy(rules: readonly Rule[], detail: ErrorDetail): string | undefined {
  if (detail.rule) return detail.rule;
  if (!detail.keyword) return undefined;
  if (detail.keyword === 'anyOf' || detail.keyword === 'oneOf') return ruleForGroup(rules, detail.group ?? [])?.id;
  const field = fieldOf(detail.target ?? '');
  return field ? ruleForKeyword(rules, detail.keyword, field)?.id : undefined;
}
