/**
 * The request side of the proxy's checks: the sandbox's own request pipeline (src/server/app.ts `buildApp`: the
 * body parsers, each vendor's plugin and checks in its documented order, its error rendering) with a stage of the
 * proxy's, as the mock has its own: credentials only present and well-formed (the proxy cannot know whose they
 * are), no rate limits, no stored data. A request that passes every check reaches the stage's answer, a marker; one
 * that does not gets the vendor's refusal, exactly as the mock would answer it. Each request the proxy forwards is
 * replayed into it with Fastify's `inject` (no socket, no port), so what it refuses and how is the pipeline's, not a
 * copy of it.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { loadConfig } from '../config.ts';
import { buildApp, type Stage, type StageContext, type VendorScope } from '../server/app.ts';
import type { VendorError } from '../server/errors.ts';
import type { RouteSpec } from '../server/routes.ts';
import type { VendorDefinition } from '../server/vendor-module.ts';
import type { OpenApiDocument } from '../spec/index.ts';

/** The header that ties an injected request to what the stage saw of it. */
const CHECK_ID = 'x-contract-proxy-check';

/** What the pipeline made of a request. */
export interface Verdict {
  /** The route it was routed to, when it was (an unknown path, a URL the router refuses: none). */
  route?: RouteSpec;
  /** The action of a query-discriminated operation, once found. */
  action?: string;
  /** Query and path parameters as the pipeline read them; the body as parsed (and, passed, as validated). */
  query: Record<string, unknown>;
  params: Record<string, unknown>;
  body: unknown;
  /** The vendor's error for the first check that failed, and the answer the pipeline gave for it. */
  refusal?: {
    error: VendorError;
    status: number;
    headers: Record<string, string | string[] | undefined>;
    payload: Buffer;
  };
}

interface Seen {
  ctx?: StageContext;
  error?: VendorError;
  request?: FastifyRequest;
}

/** The proxy's stage: passes are marked, refusals rendered in the vendor's shape; both recorded by check id. */
function checkingStage(seen: Map<string, Seen>): Stage {
  const idOf = (request: FastifyRequest) => String(request.headers[CHECK_ID]);
  return {
    credentials: 'present',
    rateLimits: false,
    stateful: false,
    answer(ctx) {
      seen.set(idOf(ctx.request), { ctx });
      return { status: 204, payload: '', contentType: 'text/plain' };
    },
    refuse(error, request) {
      seen.set(idOf(request), { error, request });
      return undefined;
    },
    unknownPrefix(_request, reply) {
      return reply.code(404).send();
    },
  };
}

export class RequestChecker {
  readonly #app: FastifyInstance;
  readonly #seen: Map<string, Seen>;
  /** Each route by method and Fastify URL (aliases too): a request refused before its route's own hook ran. */
  readonly #routes = new Map<string, RouteSpec>();

  private constructor(app: FastifyInstance, seen: Map<string, Seen>, scopes: readonly VendorScope[]) {
    this.#app = app;
    this.#seen = seen;
    for (const route of scopes.flatMap((s) => s.routes))
      for (const url of [route.url, ...route.aliasUrls]) this.#routes.set(`${route.method} ${url}`, route);
  }

  /** The pipeline for these vendors (the registry is passed in: the proxy imports no vendor). */
  static async create(
    vendors: readonly VendorDefinition[],
    specs: ReadonlyMap<string, OpenApiDocument>,
  ): Promise<RequestChecker> {
    const seen = new Map<string, Seen>();
    const config = Object.freeze({ ...loadConfig([], {}), logLevel: 'silent', rateLimit: false, corsOrigins: 'off' });
    const { app, scopes } = await buildApp({ vendors, specs, config, stage: checkingStage(seen) });
    await app.ready();
    return new RequestChecker(app, seen, scopes);
  }

  /** The vendor's checks, in its order, over one request. */
  async check(request: {
    method: string;
    /** Our local URL: prefix, path and query. */
    url: string;
    headers: Record<string, string | string[] | undefined>;
    body?: Buffer;
  }): Promise<Verdict> {
    const id = randomUUID();
    const res = await this.#app.inject({
      method: request.method as 'GET',
      url: request.url,
      headers: { ...request.headers, [CHECK_ID]: id } as Record<string, string>,
      ...(request.body ? { payload: request.body } : {}),
    });
    const found = this.#seen.get(id) ?? {};
    this.#seen.delete(id);
    const fastify = found.ctx?.request ?? found.request;
    // The route's config names its operation; a request refused before routing has none (and none is found).
    const route =
      found.ctx?.route ??
      fastify?.routeOptions.config?.vendorRoute ??
      (fastify ? this.#routes.get(`${fastify.method} ${fastify.routeOptions.url}`) : undefined);
    const verdict: Verdict = {
      ...(route ? { route } : {}),
      ...(found.ctx?.state.action ? { action: found.ctx.state.action } : {}),
      query: found.ctx?.state.query ?? { ...((fastify?.query as Record<string, unknown> | undefined) ?? {}) },
      params: found.ctx?.state.params ?? { ...((fastify?.params as Record<string, unknown> | undefined) ?? {}) },
      body: found.ctx ? found.ctx.state.body : fastify?.body,
    };
    if (found.error)
      verdict.refusal = {
        error: found.error,
        status: res.statusCode,
        headers: res.headers as Record<string, string | string[] | undefined>,
        payload: res.rawPayload,
      };
    return verdict;
  }

  close(): Promise<void> {
    return this.#app.close();
  }
}
