/**
 * Negative cases that break one schema keyword of the JSON body, each carrying the rule linked to it (`keyword` +
 * `fields` of x-rules): missing-<field> (`required`), group-<i>-empty (`anyOf`), max-length-<field> (`maxLength`),
 * enum-<field> (`enum`), type-<field> (`type`, if a rule names it for the field).
 */
import { ruleForGroup, ruleForKeyword } from '../../spec/index.ts';
import { jsonRequest, type Negative, type NegativeTarget, ruleOf } from './negative-target.ts';
import { type Flat, outsideEnum, type Schema, schemaEnum, wrongType } from './schemas.ts';

type Body = Record<string, unknown>;

/** A case sending `body` that breaks `keyword` of `fields`. */
function breaking(
  t: NegativeTarget,
  suffix: string,
  title: string,
  body: unknown,
  fields: string[],
  rule: ReturnType<typeof ruleForKeyword>,
): Negative {
  return {
    suffix,
    title,
    step: { request: jsonRequest(t, body), auth: 'partner', expect: { kind: 'client-error' } },
    extra: { fields, ...ruleOf(rule) },
  };
}

/** A body without each required field the valid body has. */
function missingFields(t: NegativeTarget, base: Body, schema: Flat): Negative[] {
  return schema.required
    .filter((field) => field in base)
    .map((field) => {
      const { [field]: _dropped, ...rest } = base;
      const rule = ruleForKeyword(t.rules, 'required', field);
      return breaking(t, `missing-${field}`, `refuses a body without the required field ${field}`, rest, [field], rule);
    });
}

/** A body with none of the fields of each "one of these is required" group. */
function emptyGroups(t: NegativeTarget, base: Body, schema: Flat): Negative[] {
  return schema.groups.map((group, i) => {
    const rest = Object.fromEntries(Object.entries(base).filter(([k]) => !group.includes(k)));
    const title = `refuses a body with none of ${group.join(', ')}`;
    return breaking(t, `group-${i}-empty`, title, rest, group, ruleForGroup(t.rules, group));
  });
}

/** For one property: a value one character too long, one outside its enum, one of the wrong type. */
function propertyNegatives(t: NegativeTarget, base: Body, field: string, prop: Schema): Negative[] {
  const out: Negative[] = [];
  const rule = (keyword: string) => ruleForKeyword(t.rules, keyword, field);
  if (typeof prop.maxLength === 'number') {
    const body = { ...base, [field]: 'x'.repeat(prop.maxLength + 1) };
    const title = `refuses ${field} one character over its maximum length ${prop.maxLength}`;
    out.push(breaking(t, `max-length-${field}`, title, body, [field], rule('maxLength')));
  }
  const values = schemaEnum(t.doc, prop);
  if (values) {
    const body = { ...base, [field]: outsideEnum(values) };
    out.push(breaking(t, `enum-${field}`, `refuses ${field} outside its allowed values`, body, [field], rule('enum')));
  }
  const wrong = wrongType(prop);
  if (wrong !== undefined) {
    const body = { ...base, [field]: wrong };
    out.push(breaking(t, `type-${field}`, `refuses ${field} of the wrong type`, body, [field], rule('type')));
  }
  return out;
}

/** Every case that breaks one keyword of the body schema, in the order: required, groups, then per property. */
export function fieldNegatives(t: NegativeTarget, base: Body, schema: Flat): Negative[] {
  return [
    ...missingFields(t, base, schema),
    ...emptyGroups(t, base, schema),
    ...Object.entries(schema.properties).flatMap(([field, prop]) => propertyNegatives(t, base, field, prop)),
  ];
}
