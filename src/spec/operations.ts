import { deref } from './load.ts';
import {
  type ActionObject,
  type HttpMethod,
  httpMethods,
  type OpenApiDocument,
  type OperationObject,
  type ParameterObject,
  type PathItemObject,
  type Rule,
} from './types.ts';

/** One operation of a spec, flattened: what the server registers and the contract suite walks. */
export interface OperationEntry {
  readonly method: HttpMethod;
  /** The vendor's own path template, e.g. `/api/Task({id})`. */
  readonly path: string;
  /**
   * Other path templates the vendor serves this path item under (`x-aliases` on the path item: R7-Office's
   * `/api/2.0/crm/task/{taskid}.json`), same parameters, same operation.
   */
  readonly aliases: readonly string[];
  readonly operationId: string;
  readonly operation: OperationObject;
  readonly pathItem: PathItemObject;
  /** Path-level and operation-level parameters, refs followed, operation-level winning. */
  readonly parameters: readonly ParameterObject[];
}

export function listOperations(doc: OpenApiDocument): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const [path, pathItem] of Object.entries(doc.paths)) {
    for (const method of httpMethods) {
      const operation = pathItem[method];
      if (!operation) continue;
      const byKey = new Map<string, ParameterObject>();
      for (const p of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
        const param = deref<ParameterObject>(doc, p);
        byKey.set(`${param.in}:${param.name}`, param);
      }
      entries.push({
        method,
        path,
        aliases: pathItem['x-aliases'] ?? [],
        operationId: operation.operationId,
        operation,
        pathItem,
        parameters: [...byKey.values()],
      });
    }
  }
  return entries;
}

/** The `x-actions` of a query-discriminated operation (iVvy), as `[action, object]` pairs. */
export function listActions(operation: OperationObject): [string, ActionObject][] {
  return Object.entries(operation['x-actions'] ?? {});
}

/** Every rule of a spec, operation and action level, with where it sits. */
export function listRules(doc: OpenApiDocument): { operationId: string; action?: string; rule: Rule }[] {
  const rules: { operationId: string; action?: string; rule: Rule }[] = [];
  for (const op of listOperations(doc)) {
    for (const rule of op.operation['x-rules'] ?? []) rules.push({ operationId: op.operationId, rule });
    for (const [action, body] of listActions(op.operation)) {
      for (const rule of body['x-rules'] ?? []) rules.push({ operationId: op.operationId, action, rule });
    }
  }
  return rules;
}

/** The path prefix the local sandbox and mock serve this spec under: the path of its first loopback server. */
export function localPrefix(doc: OpenApiDocument): string {
  const local = (doc.servers ?? []).find((s) => /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(s.url));
  if (!local) throw new Error(`${doc.info.title}: no loopback server in servers; cannot tell its local prefix`);
  return new URL(local.url).pathname.replace(/\/$/, '');
}
