/**
 * The reference sandbox: the shared request pipeline (src/server/app.ts) with credentials verified, the vendors' rate
 * limits counted, and every checked request answered by its vendor's handler over one store. The vendors come in
 * (the CLI passes the registry, src/vendors/index.ts).
 */
import type { FastifyInstance } from 'fastify';
import { type Config, SANDBOX_ID } from '../config.ts';
import { buildApp, type Stage } from '../server/app.ts';
import { VendorError } from '../server/errors.ts';
import { registerIndex } from '../server/index-page.ts';
import { registerReadiness } from '../server/lifecycle.ts';
import { counterStore } from '../server/rate-limit.ts';
import type { HandlerContext, VendorDefinition } from '../server/vendor-module.ts';
import { loadSpec } from '../spec/index.ts';
import { openStore, type Store } from '../store/store.ts';

export interface SandboxOptions {
  vendors: readonly VendorDefinition[];
  config: Readonly<Config>;
  store?: Store;
}

export interface Sandbox {
  app: FastifyInstance;
  store: Store;
  /** The local prefix per vendor (`/odyssee`). */
  prefixes: Record<string, string>;
}

/** The sandbox over the store given, else the one `config.dataFile` names (SQLite or PostgreSQL: src/store/store.ts). */
export async function buildSandbox({ vendors, config, store: given }: SandboxOptions): Promise<Sandbox> {
  const store = given ?? (await openStore(config.dataFile, { poolSize: config.poolSize }));
  const specs = new Map(await Promise.all(vendors.map(async (v) => [v.name, await loadSpec(v.name, v.spec)] as const)));
  const stage: Stage = {
    credentials: 'verify',
    rateLimits: true,
    rateLimitStore: counterStore(store.counters),
    stateful: true,
    unknownPrefix(request, reply, scopes) {
      return reply.code(404).send({
        message: `${request.method} ${request.url} is under no vendor's prefix`,
        vendors: Object.fromEntries(scopes.map((s) => [s.definition.name, s.prefix])),
      });
    },
    async answer(ctx) {
      const { definition, route, state, request, doc } = ctx;
      const handler = definition.handlers[state.action ?? route.operationId];
      if (!handler)
        throw new VendorError(definition.errorKeys.notImplemented, [
          { message: `${state.action ?? route.operationId} is not implemented by the sandbox` },
        ]);
      const context: HandlerContext = {
        tenant: `${definition.name}:${state.account ?? ''}`,
        store,
        config,
        doc,
        route,
        params: state.params,
        query: state.query,
        headers: state.headers,
        body: state.body,
        request,
        ...(state.action ? { action: state.action } : {}),
      };
      return handler(context);
    },
  };
  const { app, scopes } = await buildApp({ vendors, specs, config, stage });

  const prefixes = Object.fromEntries(scopes.map((s) => [s.definition.name, s.prefix]));
  const seed = Object.assign({}, ...scopes.map((s) => s.definition.seed(s.doc)));
  await store.seed(seed);
  registerIndex(app, scopes, {
    server: 'Reference sandbox',
    description:
      "Each vendor's task API under its prefix, stateful and as strict as the vendor; credentials in the README.",
    base: '/_sandbox',
    endpoints: {
      'GET /_sandbox/health': 'liveness: the process answers; its vendors and where its data lives',
      'GET /_sandbox/ready': 'readiness: 200 when its store answers, 503 when not or while it stops',
      'POST /_sandbox/reset': 'every vendor’s data back to the seed',
    },
  });
  app.get('/_sandbox/health', async () => ({ ok: true, sandbox: SANDBOX_ID, vendors: prefixes, data: store.location }));
  registerReadiness(app, store);
  app.post('/_sandbox/reset', async () => {
    await store.reset(seed);
    return { reset: true };
  });
  app.addHook('onClose', async () => store.close());
  return { app, store, prefixes };
}
