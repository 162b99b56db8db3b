import {
  type ActionObject,
  deref,
  type MediaTypeObject,
  type OpenApiDocument,
  type OperationEntry,
  type OperationObject,
  type RequestBodyObject,
  type ResponseObject,
} from '../spec/index.ts';

/** The parts of an `x-actions` entry (specs/README.md) the mock reads besides the typed ones. */
interface ActionExtras {
  /** The operation's named examples that belong to this action. */
  examples?: { request?: string[]; response?: string[] };
  /** The `x-errors` keys this action raises; error examples name theirs in `x-error`. */
  errors?: string[];
}

/** The action names of a query-discriminated operation and the query parameter that picks one (iVvy's `action`). */
export function actionSelector(entry: OperationEntry): { parameter: string; actions: string[] } | undefined {
  const actions = Object.keys(entry.operation['x-actions'] ?? {});
  if (actions.length === 0) return undefined;
  const parameter = entry.parameters.find((p) => {
    const values = (p.schema as { enum?: unknown[] } | undefined)?.enum;
    return p.in === 'query' && Array.isArray(values) && actions.every((a) => values.includes(a));
  });
  return parameter ? { parameter: parameter.name, actions } : undefined;
}

/**
 * The operation as one action sees it, for Prism, which knows one operation per path and method: the body schema
 * is the action's own (not the `oneOf` of every action's), each response is the action's own where it has one,
 * and only the action's examples remain: its success examples (`examples.response`) and the error examples whose
 * `x-error` is one of its `errors`. So `?action=getTaskList` answers getTaskList's example, statically or with
 * `Prefer: code=400`, and `Prefer: dynamic=true` generates from getTaskList's response schema.
 */
export function actionOperation(doc: OpenApiDocument, entry: OperationEntry, name: string): OperationObject {
  const { operation } = entry;
  const action = operation['x-actions']?.[name] as Action | undefined;
  if (!action) throw new Error(`${entry.operationId} has no action ${name}`);
  const { 'x-actions': _actions, requestBody: sharedBody, ...rest } = operation;
  const result: OperationObject = { ...rest, responses: actionResponses(doc, operation, action) };
  if (sharedBody) result.requestBody = actionRequestBody(deref<RequestBodyObject>(doc, sharedBody), action);
  return result;
}

type Action = ActionObject & ActionExtras;

/** Each response as the action sees it: its own where it has one, else the shared one, with its examples only. */
function actionResponses(
  doc: OpenApiDocument,
  operation: OperationObject,
  action: Action,
): Record<string, ResponseObject> {
  const responses: Record<string, ResponseObject> = {};
  const statuses = new Set([...Object.keys(operation.responses), ...Object.keys(action.responses ?? {})]);
  for (const status of statuses) {
    const shared = operation.responses[status] ? deref<ResponseObject>(doc, operation.responses[status]) : undefined;
    const own = action.responses?.[status] ? deref<ResponseObject>(doc, action.responses[status]) : undefined;
    const base = own ?? shared;
    if (base)
      responses[status] = {
        ...base,
        ...(base.content ? { content: actionContent(doc, action, status, base, shared) } : {}),
      };
  }
  return responses;
}

/** A response's media types with the action's examples only (the shared response's, where its own has none). */
function actionContent(
  doc: OpenApiDocument,
  action: Action,
  status: string,
  base: ResponseObject,
  shared: ResponseObject | undefined,
): Record<string, MediaTypeObject> {
  const content: Record<string, MediaTypeObject> = {};
  for (const [mediaType, media] of Object.entries(base.content ?? {})) {
    const examples = media.examples ?? shared?.content?.[mediaType]?.examples ?? {};
    const kept = Object.entries(examples).filter(([n, e]) => keepsExample(doc, action, status, e, n));
    const { example: _single, examples: _all, ...rest } = media;
    content[mediaType] = kept.length > 0 ? { ...rest, examples: Object.fromEntries(kept) } : rest;
  }
  return content;
}

/** Whether a response example is the action's: a success example it lists, an error example of an error it raises. */
function keepsExample(doc: OpenApiDocument, action: Action, status: string, example: unknown, name: string): boolean {
  if (/^2/.test(status)) return action.examples?.response?.includes(name) ?? true;
  const error = deref<Record<string, unknown>>(doc, example as Record<string, unknown>)['x-error'];
  return typeof error !== 'string' || !action.errors || action.errors.includes(error);
}

/** The request body as the action sees it: the action's own schema, and only the request examples it lists. */
function actionRequestBody(body: RequestBodyObject, action: Action): RequestBodyObject {
  const content: Record<string, MediaTypeObject> = {};
  const names = action.examples?.request;
  for (const [mediaType, media] of Object.entries(body.content)) {
    const examples = Object.entries(media.examples ?? {}).filter(([n]) => !names || names.includes(n));
    const { example: _single, examples: _all, ...other } = media;
    content[mediaType] = {
      ...other,
      ...(action.requestBody ? { schema: action.requestBody as MediaTypeObject['schema'] } : {}),
      ...(examples.length > 0 ? { examples: Object.fromEntries(examples) } : {}),
    };
  }
  return { ...body, content };
}
