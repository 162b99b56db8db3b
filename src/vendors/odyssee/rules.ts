/**
 * Which `x-rules` entry an error detail breaks. The spec's ODataError x-choice puts that rule id in
 * `details[].code`. The handlers name the rule they enforce themselves (`ErrorDetail.rule`); a schema failure found
 * by the core only names its field and the JSON Schema message, so its rule is found among the operation's rules by
 * what each rule's description says about that field (`subject is required.`, `… subject 150, …`,
 * `job_status_code is one of …`, `Optionally required: a, b or c …`, `… that is not a date-time is rejected.`).
 * A detail that matches no rule, or more than one, keeps the error's own code.
 */
import type { ErrorDetail } from '../../server/errors.ts';
import type { Rule } from '../../spec/index.ts';

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `text` names `field` as a whole word (`id` is not found inside `task_id`). */
const mentions = (text: string, field: string) => new RegExp(`(^|[^\\w])${literal(field)}([^\\w]|$)`).test(text);

type Matcher = (description: string) => boolean;

function matcherFor(detail: ErrorDetail): Matcher | undefined {
  const field =
    (detail.target ?? '')
      .split('.')
      .pop()
      ?.replace(/\[\d+\]$/, '') ?? '';
  const group = /^one of (.+) must be provided$/.exec(detail.message);
  if (group?.[1]) {
    const fields = group[1].split(', ');
    return (d) => d.startsWith('Optionally required') && fields.every((f) => mentions(d, f));
  }
  if (!field) return undefined;
  if (detail.message === 'is required') return (d) => d.includes(`${field} is required`);
  if (/^must NOT have more than \d+ characters$/.test(detail.message))
    return (d) => new RegExp(`(^|[^\\w])${literal(field)} \\d+`).test(d);
  if (/^must be one of: /.test(detail.message)) return (d) => d.startsWith(`${field} is one of`);
  if (/^must match format /.test(detail.message))
    return (d) => mentions(d, field) && /that is not an? [\w-]+ is rejected/.test(d);
  return undefined;
}

/** The id of the one rule of `rules` that `detail` breaks, if exactly one does. */
export function ruleBrokenBy(rules: readonly Rule[], detail: ErrorDetail): string | undefined {
  if (detail.rule) return detail.rule;
  const matches = matcherFor(detail);
  if (!matches) return undefined;
  const found = rules.filter((r) => matches(r.description.replace(/\s+/g, ' ')));
  return found.length === 1 ? found[0]?.id : undefined;
}
