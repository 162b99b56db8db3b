import { type Located, listOperations, type OpenApiDocument, type OperationEntry } from '../spec/index.ts';
import { actionDocument, actionSelector } from './actions.ts';
import { prismResources, type Resource } from './prism.ts';

/** What the engine knows about each Prism resource: the operation (and action) it stands for. */
export interface ResourceInfo {
  located: Located;
}

export interface Route {
  entry: OperationEntry;
  /** The path's own template first, then its `x-aliases`: each a pattern with its parameters' names in order. */
  templates: { template: string; pattern: RegExp; names: string[] }[];
  resource: Resource;
  /** Query-discriminated operations (iVvy): the parameter and one resource per action. */
  selector?: { parameter: string; resources: Map<string, Resource> };
}

/** A request matched to a route: the raw (still percent-encoded) path parameters, and the path under its own template. */
export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
  /** The request's path written with the operation's own template, for Prism, which knows no aliases. */
  canonicalPath: string;
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
  for (const entry of listOperations(doc)) {
    const resource = all.find((r) => r.method === entry.method && r.path === entry.path);
    if (!resource) throw new Error(`${vendor}: Prism has no operation for ${entry.method} ${entry.path}`);
    info.set(resource, { located: { entry } });
    const templates = [entry.path, ...entry.aliases].map((template) => ({
      template,
      pattern: templatePattern(template),
      names: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string),
    }));
    const route: Route = { entry, templates, resource };
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
        info.set(own, { located: { entry, action: { name, object } } });
      }
      route.selector = { parameter: selector.parameter, resources: byAction };
    }
    routes.push(route);
  }
  return { routes, all, info };
}

/**
 * The operation a request is for: the most literal matching template wins (`/task/{taskid}.xml` before
 * `/task/{taskid}`), an alias as its path's own template.
 */
export function findRoute(routes: readonly Route[], method: string, path: string): RouteMatch | undefined {
  let best: { match: RouteMatch; literal: number } | undefined;
  for (const route of routes) {
    if (route.entry.method !== method.toLowerCase()) continue;
    for (const { template, pattern, names } of route.templates) {
      const found = pattern.exec(path);
      const literal = literalLength(template);
      if (!found || (best && best.literal >= literal)) continue;
      const params = Object.fromEntries(names.map((name, i) => [name, found[i + 1] as string]));
      const canonicalPath = route.entry.path.replace(/\{([^}]+)\}/g, (_m, name: string) => params[name] ?? '');
      best = { match: { route, params, canonicalPath }, literal };
    }
  }
  return best?.match;
}

/**
 * `/api/Task({id})` → `^/api/Task\(([^/().]+)\)$`: every template a non-empty run of characters other than `/`,
 * `(`, `)` and `.`, the rest literal — the sandbox's own parameter pattern (src/server/routes.ts `fastifyUrl`), so
 * `/task/12.xml` is never the task `12.xml` of `/task/{taskid}`.
 */
export function templatePattern(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('([^/().]+)')}$`);
}

const literalLength = (template: string) => template.replace(/\{[^}]+\}/g, '').length;
