import { deref, isRef } from './load.ts';
import type { OpenApiDocument } from './types.ts';

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

const annotations = new Set(['title', 'description', '$comment']);

/** A branch such as `{ required: [task_type_id] }`: it names fields and says nothing of their types. */
function isRequiredOnly(branch: unknown): branch is { required: string[] } {
  return (
    isObject(branch) &&
    Array.isArray(branch.required) &&
    Object.keys(branch).every((k) => k === 'required' || annotations.has(k) || k.startsWith('x-'))
  );
}

/**
 * The vendors' "Optionally required" groups are written as `anyOf` of required-only branches beside `properties`
 * (each property declared once, in the schema itself or in a schema its `allOf` names). openapi-typescript renders such a branch as `unknown`, which swallows the group.
 * This returns a copy of the document in which every such branch also carries its parent's schemas for the fields
 * it requires, so the generated type becomes `Base & ({ a: A } | { b: B } | …)`. Validation is unchanged: the
 * added `properties` restate what the parent already says.
 */
export function typeableGroups(doc: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(doc);
  visit(copy, copy);
  return copy;
}

/** A schema's own `properties`, and those of the schemas its `allOf` names (a `$ref`ed field list included). */
function propertiesOf(doc: OpenApiDocument, node: Schema): Schema | undefined {
  const parts = Array.isArray(node.allOf) ? node.allOf.map((p) => (isRef(p) ? deref<unknown>(doc, p) : p)) : [];
  const found = [node, ...parts].map((s) => (isObject(s) && isObject(s.properties) ? s.properties : undefined));
  const lists = found.filter((p): p is Schema => p !== undefined);
  return lists.length > 0 ? Object.assign({}, ...lists) : undefined;
}

function visit(node: unknown, doc: OpenApiDocument): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, doc);
    return;
  }
  if (!isObject(node)) return;
  const properties = propertiesOf(doc, node);
  if (properties) typeGroups(node, properties);
  for (const value of Object.values(node)) visit(value, doc);
}

/** The schema's groups: its own `anyOf` and `oneOf`, and the `anyOf` of each part its `allOf` lists. */
function groupsOf(node: Schema): unknown[] {
  return [
    node.anyOf,
    node.oneOf,
    ...(Array.isArray(node.allOf) ? node.allOf.map((s) => (isObject(s) ? s.anyOf : undefined)) : []),
  ];
}

/** Gives each required-only branch of the schema's groups the parent's schemas of the fields it requires. */
function typeGroups(node: Schema, properties: Schema): void {
  for (const group of groupsOf(node)) {
    if (!Array.isArray(group)) continue;
    for (const branch of group) if (isRequiredOnly(branch)) typeBranch(branch, properties);
  }
}

function typeBranch(branch: { required: string[] }, properties: Schema): void {
  const typed: Schema = {};
  for (const key of branch.required) if (key in properties) typed[key] = properties[key];
  Object.assign(branch, { type: 'object', properties: typed });
}
