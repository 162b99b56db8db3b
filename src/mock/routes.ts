import { type Located, listOperations, type OpenApiDocument, type OperationEntry } from '../spec/index.ts';
import { actionOperation, actionSelector } from './actions.ts';
import { prismResources, type Resource } from './prism.ts';

/** What the engine knows about each Prism resource: the operation (and action) it stands for. */
export interface ResourceInfo {
  located: Located;
}

/** An operation as Prism knows it: its resource, and for a query-discriminated one (iVvy) one per action. */
export interface Route {
  entry: OperationEntry;
  resource: Resource;
  /** Query-discriminated operations (iVvy): the parameter and one resource per action. */
  selector?: { parameter: string; resources: Map<string, Resource> };
}

export interface Routes {
  /** By operationId. */
  routes: Map<string, Route>;
  info: Map<Resource, ResourceInfo>;
}

/**
 * The spec's operations as Prism resources (the pipeline routes requests; Prism only answers them); an operation
 * with `x-actions` gets one resource per action (its own view, `actions.ts`). Prism reads the spec once: each
 * action's view is added to the document under a path of its own, and its resource given back the operation's path
 * (Prism's router matches a request against it).
 */
export async function buildRoutes(vendor: string, doc: OpenApiDocument): Promise<Routes> {
  const { paths, views } = actionViews(doc);
  const all = await prismResources({ ...doc, paths });
  const info = new Map<Resource, ResourceInfo>();
  const routes = new Map<string, Route>();
  for (const entry of listOperations(doc)) {
    const resource = all.find((r) => r.method === entry.method && r.path === entry.path);
    if (!resource) throw new Error(`${vendor}: Prism has no operation for ${entry.method} ${entry.path}`);
    info.set(resource, { located: { entry } });
    const route: Route = { entry, resource };
    const selector = actionSelector(entry);
    if (selector) {
      const resources = actionResources(vendor, entry, all, views, info);
      route.selector = { parameter: selector.parameter, resources };
    }
    routes.set(entry.operationId, route);
  }
  return { routes, info };
}

type ActionView = { entry: OperationEntry; name: string };

/** The document's paths with each action's view added under a path of its own (`/__action-<n>__<path>`). */
function actionViews(doc: OpenApiDocument): { paths: OpenApiDocument['paths']; views: Map<string, ActionView> } {
  const views = new Map<string, ActionView>();
  const paths: OpenApiDocument['paths'] = { ...doc.paths };
  for (const entry of listOperations(doc)) {
    for (const name of actionSelector(entry)?.actions ?? []) {
      const path = `/__action-${views.size}__${entry.path}`;
      const { parameters, servers } = entry.pathItem;
      paths[path] = {
        ...(parameters ? { parameters } : {}),
        ...(servers ? { servers } : {}),
        [entry.method]: actionOperation(doc, entry, name),
      };
      views.set(path, { entry, name });
    }
  }
  return { paths, views };
}

/** The Prism resource of each action of an operation, given back the operation's path, by action name. */
function actionResources(
  vendor: string,
  entry: OperationEntry,
  all: readonly Resource[],
  views: ReadonlyMap<string, ActionView>,
  info: Map<Resource, ResourceInfo>,
): Map<string, Resource> {
  const byAction = new Map<string, Resource>();
  for (const [path, view] of views) {
    if (view.entry.operationId !== entry.operationId) continue;
    const own = all.find((r) => r.method === entry.method && r.path === path);
    const object = entry.operation['x-actions']?.[view.name];
    if (!own || !object) throw new Error(`${vendor}: no Prism operation for action ${view.name}`);
    // The operation's path again: Prism's router matches a request against it.
    own.path = entry.path;
    byAction.set(view.name, own);
    info.set(own, { located: { entry, action: { name: view.name, object } } });
  }
  return byAction;
}
