/**
 * The error catalogue (`x-errors`) and the rule lists (`x-rules`) of each spec hold together, the code raises
 * nothing the catalogue does not document, and each rule's `keyword` + `fields` names what its schema really has.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  deref,
  findOperation,
  isRef,
  keywordsOf,
  type Located,
  listOperations,
  listRules,
  loadSpec,
  type OpenApiDocument,
  type ParameterObject,
  type Rule,
  type RuleKeyword,
  repoRoot,
  requestSchemaPointer,
  resolvePointer,
  ruleForGroup,
  ruleForKeyword,
  ruleKeywords,
  vendors,
} from '../../src/spec/index.ts';
import { registry } from '../../src/vendors/index.ts';

type NamedExample = { name: string; value: unknown; ext: Record<string, unknown> };

/** The examples of an `examples` map that carry a value. */
function valuedExamples(map: unknown): NamedExample[] {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return [];
  return Object.entries(map as Record<string, Record<string, unknown>>)
    .filter(([, ex]) => ex && typeof ex === 'object' && 'value' in ex)
    .map(([name, ex]) => ({ name, value: ex.value, ext: ex }));
}

/** Adds to `found` the named examples of every `examples` map in `node`. */
function collectExamples(node: unknown, found: NamedExample[]): void {
  if (Array.isArray(node)) {
    for (const n of node) collectExamples(n, found);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'examples') found.push(...valuedExamples(value));
    collectExamples(value, found);
  }
}

/** Every named example value anywhere in a document, by example name. */
function allExamples(doc: OpenApiDocument): NamedExample[] {
  const found: NamedExample[] = [];
  collectExamples(doc, found);
  return found;
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The top level of an object schema, `$ref`s and `allOf` parts followed: every schema each property has, the
 * required fields, the "Optionally required" groups (an `anyOf` whose branches hold only `required`) and whether
 * `additionalProperties` closes it.
 */
interface ObjectView {
  properties: Map<string, unknown[]>;
  required: Set<string>;
  groups: string[][];
  closed: boolean;
}

/** Adds one schema's own top level to the view: its properties, required fields, groups and closedness. */
function addToView(view: ObjectView, s: Node): void {
  if (isNode(s.properties))
    for (const [name, prop] of Object.entries(s.properties))
      view.properties.set(name, [...(view.properties.get(name) ?? []), prop]);
  if (Array.isArray(s.required)) for (const f of s.required as string[]) view.required.add(f);
  if (Array.isArray(s.anyOf) && s.anyOf.every((b) => isNode(b) && Array.isArray(b.required) && !b.properties))
    view.groups.push((s.anyOf as Node[]).flatMap((b) => b.required as string[]));
  if (s.additionalProperties === false || isNode(s.additionalProperties)) view.closed = true;
}

function objectView(doc: OpenApiDocument, schema: unknown): ObjectView {
  const view: ObjectView = { properties: new Map(), required: new Set(), groups: [], closed: false };
  const visit = (node: unknown, depth: number): void => {
    const s = deref<unknown>(doc, node as Node);
    if (!isNode(s) || depth > 8) return;
    addToView(view, s);
    if (Array.isArray(s.allOf)) for (const part of s.allOf) visit(part, depth + 1);
  };
  visit(schema, 0);
  return view;
}

/** Whether a (property or parameter) schema has `keyword`, in itself or in what it `$ref`s or combines. */
function hasKeyword(doc: OpenApiDocument, schema: unknown, keyword: RuleKeyword, depth = 0): boolean {
  if (!isNode(schema) || depth > 8) return false;
  if (keyword in schema) return true;
  const parts = ['allOf', 'anyOf', 'oneOf'].flatMap((k) => (Array.isArray(schema[k]) ? (schema[k] as unknown[]) : []));
  // `enum` also names a list of `const`s (`anyOf: [{const: a}, {const: b}]`).
  if (keyword === 'enum' && parts.length > 0 && parts.every((p) => isNode(p) && 'const' in deref<Node>(doc, p)))
    return true;
  if (isRef(schema) && hasKeyword(doc, resolvePointer(doc, schema.$ref), keyword, depth + 1)) return true;
  return parts.some((p) => hasKeyword(doc, p, keyword, depth + 1));
}

/** The operation (or iVvy action) a listed rule belongs to, with all the rules that apply to it. */
function ruleHome(doc: OpenApiDocument, operationId: string, action: string | undefined) {
  const located = findOperation(doc, action ?? operationId) as Located;
  const rules = [...(located.entry.operation['x-rules'] ?? []), ...(located.action?.object['x-rules'] ?? [])];
  const pointer = requestSchemaPointer(doc, located, 'application/json');
  const body = pointer ? objectView(doc, resolvePointer(doc, pointer)) : undefined;
  return { located, rules, pointer, body };
}

type Rules = ReturnType<typeof ruleHome>['rules'];

/** Each keyword at a field that several rules of one operation claim, with those rules. */
function sharedClaims(rules: Rules): [string, string[]][] {
  const claims = new Map<string, string[]>();
  for (const rule of rules)
    for (const keyword of keywordsOf(rule))
      for (const field of keyword === 'additionalProperties' ? ['*'] : (rule.fields ?? [])) {
        const key = `${keyword} ${field}`;
        claims.set(key, [...(claims.get(key) ?? []), rule.id]);
      }
  return [...claims].filter(([, ids]) => ids.length > 1);
}

/** The body's checks the contract suite breaks (required, groups, maxLength, enum) that no rule names. */
function unruledChecks(doc: OpenApiDocument, rules: Rules, body: ObjectView): string[] {
  return [
    ...[...body.required].filter((f) => !ruleForKeyword(rules, 'required', f)).map((f) => `required ${f}`),
    ...body.groups.filter((g) => !ruleForGroup(rules, g)).map((g) => `anyOf ${g.join(', ')}`),
    ...(['maxLength', 'enum'] as const).flatMap((k) =>
      [...body.properties]
        .filter(([f, schemas]) => schemas.some((s) => hasKeyword(doc, s, k)) && !ruleForKeyword(rules, k, f))
        .map(([f]) => `${k} ${f}`),
    ),
  ];
}

/**
 * What is wrong with a rule's link to the schema of its operation: a schema rule without `keyword` and `fields`, a
 * keyword this project does not know, a field no listed keyword constrains, a keyword that constrains no listed
 * field. A field is a top-level body field, or a path parameter when the operation has one of that name.
 */
function linkProblems(doc: OpenApiDocument, home: ReturnType<typeof ruleHome>, rule: Rule): string[] {
  const keywords = keywordsOf(rule);
  const fields = rule.fields ?? [];
  if (keywords.length === 0 && fields.length === 0)
    return rule.enforcedBy === 'schema' ? [`${rule.id}: a schema rule without keyword and fields`] : [];
  if (keywords.length === 0 || fields.length === 0) return [`${rule.id}: keyword and fields go together`];
  const problems = keywords
    .filter((k) => !(ruleKeywords as readonly string[]).includes(k))
    .map((k) => `${rule.id}: unknown keyword ${k}`);
  const where = (field: string) =>
    home.located.entry.parameters.find((p) => p.in === 'path' && p.name === field) as ParameterObject | undefined;
  const constrains = (keyword: RuleKeyword, field: string): boolean => {
    const param = where(field);
    if (param) return keyword === 'required' ? param.required === true : hasKeyword(doc, param.schema, keyword);
    const body = home.body;
    if (!body) return false;
    if (keyword === 'required') return body.required.has(field);
    if (keyword === 'anyOf') return body.groups.some((g) => g.includes(field) && g.every((f) => fields.includes(f)));
    if (keyword === 'additionalProperties') return body.closed && body.properties.has(field);
    return (body.properties.get(field) ?? []).some((p) => hasKeyword(doc, p, keyword));
  };
  for (const field of fields)
    if (!keywords.some((k) => constrains(k, field)))
      problems.push(`${rule.id}: ${field} has no ${keywords.join(' or ')} in ${home.pointer ?? 'the path parameters'}`);
  for (const keyword of keywords)
    if (!fields.some((f) => constrains(keyword, f)))
      problems.push(`${rule.id}: ${keyword} constrains none of ${fields.join(', ')}`);
  return problems;
}

/** The literal error keys a vendor's code raises: `new VendorError('key'` in src/vendors/<vendor>/. */
function raisedKeys(vendor: string): string[] {
  const dir = join(repoRoot, 'src', 'vendors', vendor);
  const keys = new Set<string>();
  for (const file of readdirSync(dir, { recursive: true }) as string[]) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/new VendorError\(\s*'([^']+)'/g)) if (m[1]) keys.add(m[1]);
  }
  return [...keys];
}

describe.each(vendors.map((v) => [v.name] as const))('%s', (name) => {
  it('has an x-errors catalogue whose every entry has a status and a message', async () => {
    const doc = await loadSpec(name);
    const errors = Object.entries(doc['x-errors'] ?? {});
    expect(errors.length).toBeGreaterThan(0);
    for (const [key, entry] of errors) {
      expect(entry.status, key).toBeGreaterThanOrEqual(400);
      expect(entry.status, key).toBeLessThan(600);
      expect(typeof entry.message, key).toBe('string');
    }
  });

  it('documents every catalogue entry as a response example carrying its code', async () => {
    const doc = await loadSpec(name);
    const examples = allExamples(doc);
    const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    for (const [key, entry] of Object.entries(doc['x-errors'] ?? {})) {
      // The codes an error body carries: numbers (errorCode, specificCode, hresult) and Odyssee's `code`.
      const codes = Object.entries(entry)
        .filter(([k, v]) => k !== 'status' && (typeof v === 'number' || k === 'code'))
        .map(([, v]) => String(v));
      const documented = examples.some(
        (ex) =>
          (ex.name === key ||
            ex.name.startsWith(`${key}-`) ||
            ex.ext['x-error'] === key ||
            ex.name.endsWith(`-${key}`) ||
            codes.some((c) => ex.name.endsWith(`-${c}`))) &&
          codes.every((c) => text(ex.value).includes(c)),
      );
      expect(documented, `x-errors ${key} (${codes.join(', ')}) has no example showing it`).toBe(true);
    }
  });

  it('names only catalogue errors in its rules, and gives each rule an id, an enforcer and a description', async () => {
    const doc = await loadSpec(name);
    const rules = listRules(doc);
    expect(rules.length).toBeGreaterThan(0);
    for (const { rule } of rules) {
      expect(rule.id, JSON.stringify(rule)).toMatch(new RegExp(`^${name}\\.[a-z0-9-]+\\.[a-z0-9-]+$`));
      expect(['schema', 'server']).toContain(rule.enforcedBy);
      expect(rule.description?.length, rule.id).toBeGreaterThan(10);
      if (rule.error) expect(Object.keys(doc['x-errors'] ?? {}), rule.id).toContain(rule.error);
    }
  });

  it("links every schema rule to the keyword its operation's schema has at each of its fields", async () => {
    const doc = await loadSpec(name);
    const problems = listRules(doc).flatMap(({ operationId, action, rule }) =>
      linkProblems(doc, ruleHome(doc, operationId, action), rule),
    );
    expect(problems).toEqual([]);
  });

  it('refuses a link to a field the schema does not constrain that way', async () => {
    const doc = await loadSpec(name);
    const [first] = listRules(doc).filter((r) => r.rule.keyword);
    if (!first) throw new Error(`${name}: no linked rule`);
    const home = ruleHome(doc, first.operationId, first.action);
    const problems = (rule: Partial<Rule>) => linkProblems(doc, home, { ...first.rule, ...rule });
    expect(problems({ fields: [...(first.rule.fields ?? []), 'no_such_field'] })).toEqual([
      expect.stringContaining('no_such_field has no'),
    ]);
    expect(problems({ keyword: 'maximum', fields: first.rule.fields })).not.toEqual([]);
    expect(problems({ keyword: 'requird' as RuleKeyword })).toContainEqual(expect.stringContaining('unknown keyword'));
    expect(problems({ enforcedBy: 'schema', keyword: undefined, fields: undefined })).not.toEqual([]);
  });

  it('gives each keyword at each field to at most one rule of an operation, and a rule to each check it generates', async () => {
    const doc = await loadSpec(name);
    const operations = listOperations(doc).flatMap((entry) => {
      const actions = Object.keys(entry.operation['x-actions'] ?? {});
      return actions.length ? actions : [entry.operationId];
    });
    for (const operation of operations) {
      const home = ruleHome(doc, operation, undefined);
      expect(sharedClaims(home.rules), `${operation}: keyword and field claimed by several rules`).toEqual([]);
      // What the contract suite's negative cases break (required, groups, maxLength, enum) each has its rule.
      if (!home.body) continue;
      expect(unruledChecks(doc, home.rules, home.body), `${operation}: schema checks no rule names`).toEqual([]);
    }
  });

  it('raises, in code, only errors its catalogue documents', async () => {
    const doc = await loadSpec(name);
    const catalogue = Object.keys(doc['x-errors'] ?? {});
    const module = registry.find((m) => m.name === name);
    const used = [...raisedKeys(name), ...Object.values(module?.errorKeys ?? {})];
    for (const key of used) expect(catalogue, `${name} raises ${key}`).toContain(key);
  });
});
