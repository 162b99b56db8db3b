/**
 * What the negative cases of one operation (or one iVvy action) are built from: its path with parameters that the
 * target holds, its rules, a valid JSON body to break, and the requests every kind of negative case starts from.
 */
import {
  deref,
  findOperation,
  type Located,
  type OpenApiDocument,
  type OperationEntry,
  type RequestBodyObject,
  type Rule,
  type Sample,
} from '../../spec/index.ts';
import type { CaseStep, ContractCase } from '../cases.ts';
import type { ContractRequest } from '../http.ts';
import { bodySource } from './bodies.ts';
import { contentHeaders, exampleOf, fillPath, withQuery } from './requests.ts';

export interface NegativeTarget {
  vendor: string;
  doc: OpenApiDocument;
  entry: OperationEntry;
  /** The operationId, or the action's name. */
  name: string;
  located: Located;
  /** `{ action }` for an iVvy action, else empty. */
  query: Record<string, string>;
  /** The operation's `x-actions` names, in order (empty for a plain operation). */
  actions: string[];
  /** The operation's `x-rules`, then the action's. */
  rules: Rule[];
  pathParams: Record<string, string | number>;
  /** The vendor path with its parameters and query. */
  path: string;
  method: string;
  /** A valid JSON body, when the operation (or one sharing its schema) has one. */
  base?: Record<string, unknown>;
  requestBody?: RequestBodyObject;
}

/** One negative case before it is given its id and vendor. */
export interface Negative {
  suffix: string;
  title: string;
  step: Omit<CaseStep, 'operation'>;
  extra?: Partial<ContractCase>;
}

/** The operation itself, or one target per `x-actions` entry (iVvy's `?action=`). */
function namedTargets(
  doc: OpenApiDocument,
  entry: OperationEntry,
): { name: string; located: Located; query: Record<string, string> }[] {
  const actions = Object.keys(entry.operation['x-actions'] ?? {});
  return actions.length
    ? actions.map((a) => ({ name: a, located: findOperation(doc, a) as Located, query: { action: a } }))
    : [{ name: entry.operationId, located: { entry }, query: {} }];
}

/** Path parameters: those of the sample replayed for the body's operation, else each schema's example. */
function pathParamsOf(entry: OperationEntry, samples: Sample[], source: string): Record<string, string | number> {
  const replay = samples.find((s) => s.manifest.operation === source && s.manifest.replay?.path)?.manifest.replay?.path;
  return Object.fromEntries(
    entry.parameters
      .filter((p) => p.in === 'path')
      .map((p) => [p.name, replay?.[p.name] ?? exampleOf(p.schema, p.name)]),
  );
}

/** Every target of an operation: the operation, or each of its actions. */
export function negativeTargets(
  vendor: string,
  doc: OpenApiDocument,
  entry: OperationEntry,
  samples: Sample[],
): NegativeTarget[] {
  const actions = Object.keys(entry.operation['x-actions'] ?? {});
  const requestBody = entry.operation.requestBody
    ? deref<RequestBodyObject>(doc, entry.operation.requestBody)
    : undefined;
  return namedTargets(doc, entry).map(({ name, located, query }) => {
    const source = bodySource(doc, located, name, samples);
    const pathParams = pathParamsOf(entry, samples, source.name);
    return {
      vendor,
      doc,
      entry,
      name,
      located,
      query,
      actions,
      rules: [...(entry.operation['x-rules'] ?? []), ...(located.action?.object['x-rules'] ?? [])],
      pathParams,
      path: withQuery(fillPath(entry.path, pathParams), query),
      method: entry.method.toUpperCase(),
      ...(source.body ? { base: source.body } : {}),
      ...(requestBody ? { requestBody } : {}),
    };
  });
}

/** A JSON request of the target with this body (a string is sent as it is). */
export const jsonRequest =
  (t: NegativeTarget, body: unknown): (() => ContractRequest) =>
  () => ({
    method: t.method,
    path: t.path,
    headers: contentHeaders('application/json'),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** The target's valid request: its valid body, or none. */
export const validRequest = (t: NegativeTarget): (() => ContractRequest) =>
  t.base ? jsonRequest(t, t.base) : () => ({ method: t.method, path: t.path, headers: { accept: 'application/json' } });

/** `{ rule }` for a case that breaks a rule, nothing otherwise. */
export const ruleOf = (rule: Rule | undefined): Partial<ContractCase> => (rule ? { rule: rule.id } : {});

/** A negative case as the suite runs it. */
export function negativeCase(t: NegativeTarget, { suffix, title, step, extra = {} }: Negative): ContractCase {
  return {
    id: `${t.vendor}/${t.name}/negative/${suffix}`,
    vendor: t.vendor,
    operation: t.name,
    kind: 'negative',
    title,
    fields: [],
    needs: ['vendor-errors'],
    steps: [{ operation: t.name, ...step }],
    ...extra,
  };
}
