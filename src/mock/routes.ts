import {
  deref,
  response as findResponse,
  type Located,
  listOperations,
  listRules,
  type OpenApiDocument,
  type OperationEntry,
} from '../spec/index.ts';
import { actionDocument, actionSelector } from './actions.ts';
import { prismResources, type Resource } from './prism.ts';

/** What the engine knows about each Prism resource: the operation (and action) it stands for. */
export interface ResourceInfo {
  located: Located;
  /** The documented answer to a request that fails the schema: the status and example of the schema rules' error. */
  schemaError?: { status: number; example?: string };
}

export interface Route {
  entry: OperationEntry;
  pattern: RegExp;
  resource: Resource;
  /** Query-discriminated operations (iVvy): the parameter and one resource per action. */
  selector?: { parameter: string; resources: Map<string, Resource> };
}

export interface Routes {
  /** Most literal template first: `/task/{taskid}.xml` is tried before `/task/{taskid}`. */
  routes: Route[];
  /** Every Prism resource of the spec, for Prism's own routing errors. */
  all: Resource[];
  info: Map<Resource, ResourceInfo>;
}

/**
 * The spec's operations as Prism resources, each with the path pattern the front routes by; an operation with
 * `x-actions` gets one resource per action (its own view, `actions.ts`).
 */
export async function buildRoutes(vendor: string, doc: OpenApiDocument): Promise<Routes> {
  const all = await prismResources(doc);
  const info = new Map<Resource, ResourceInfo>();
  const routes: Route[] = [];
  const common = commonSchemaError(doc);
  for (const entry of listOperations(doc)) {
    const resource = all.find((r) => r.method === entry.method && r.path === entry.path);
    if (!resource) throw new Error(`${vendor}: Prism has no operation for ${entry.method} ${entry.path}`);
    info.set(resource, describe(doc, { entry }, common));
    const route: Route = { entry, pattern: templatePattern(entry.path), resource };
    const selector = actionSelector(entry);
    if (selector) {
      const byAction = new Map<string, Resource>();
      for (const name of selector.actions) {
        const [own] = (await prismResources(actionDocument(doc, entry, name))).filter(
          (r) => r.method === entry.method && r.path === entry.path,
        );
        const object = entry.operation['x-actions']?.[name];
        if (!own || !object) throw new Error(`${vendor}: no Prism operation for action ${name}`);
        byAction.set(name, own);
        info.set(own, describe(doc, { entry, action: { name, object } }, common));
      }
      route.selector = { parameter: selector.parameter, resources: byAction };
    }
    routes.push(route);
  }
  routes.sort((a, b) => literalLength(b.entry.path) - literalLength(a.entry.path));
  return { routes, all, info };
}

export function findRoute(routes: readonly Route[], method: string, path: string): Route | undefined {
  return routes.find((r) => r.entry.method === method.toLowerCase() && r.pattern.test(path));
}

/** `/api/Task({id})` → `^/api/Task\(([^/]+?)\)$`: every template a non-empty segment part, the rest literal. */
export function templatePattern(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('([^/]+?)')}$`);
}

const literalLength = (template: string) => template.replace(/\{[^}]+\}/g, '').length;

/** The `error` most schema-enforced rules of the spec name. */
function commonSchemaError(doc: OpenApiDocument): string | undefined {
  const counts = new Map<string, number>();
  for (const { rule } of listRules(doc))
    if (rule.enforcedBy === 'schema' && rule.error) counts.set(rule.error, (counts.get(rule.error) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * The status and example a schema failure answers: the `x-errors` entry of the operation's (or action's) first
 * schema-enforced rule, as the sandbox raises it; for an operation without such rules, the error the spec's
 * schema rules raise most often (Odyssee's `validation-failed`, a 400, where Prism would pick the 422 that the
 * spec keeps for unknown foreign keys).
 */
function describe(doc: OpenApiDocument, located: Located, common: string | undefined): ResourceInfo {
  const rules = located.action?.object['x-rules'] ?? located.entry.operation['x-rules'] ?? [];
  const key = rules.find((r) => r.enforcedBy === 'schema' && r.error)?.error ?? common;
  const status = key ? doc['x-errors']?.[key]?.status : undefined;
  const documented = status ? findResponse(doc, located, String(status)) : undefined;
  if (!key || !status || !documented) return { located };
  const own = located.action?.name ?? located.entry.operationId;
  const contents = Object.values(documented.response.content ?? {});
  const names = [
    ...new Set(
      contents.flatMap((media) =>
        Object.entries(media.examples ?? {})
          .filter(([, e]) => (deref(doc, e) as Record<string, unknown>)['x-error'] === key)
          .map(([name]) => name),
      ),
    ),
  ].filter((name) => contents.every((media) => !media.examples || name in media.examples));
  const example = names.find((n) => n.startsWith(`${own}-`)) ?? names[0];
  return { located, schemaError: { status, ...(example ? { example } : {}) } };
}
