/**
 * The request pipeline the sandbox and the mock share: one Fastify instance, one scope per vendor under its local
 * prefix, every operation of its spec a route (aliases too), and for each request the same stages in Fastify's own
 * lifecycle:
 *
 *   onRequest   the vendor's hooks that come before the body is read (its plugin)
 *   parsing     the body parsers (content-types.ts, or the vendor's own)
 *   handler     the vendor's checks in its documented order (checks.ts), then the answering stage
 *   errors      any refusal, from any stage, in the vendor's error shape (reply.ts, framework-errors.ts)
 *
 * Why the checks run in the handler, not in Fastify's validation phase (a route's `schema`): Fastify validates the
 * params, body, query and headers in its own order, all between the preValidation and preHandler hooks, and fails
 * with one validation error. The vendors document orders that interleave authentication with
 * validation, each failure its own error: Odyssee authenticates, counts the rate, then validates (`defaultChecks`);
 * iVvy checks the action, Content-Type, Accept and its headers before the signature, and the body after it;
 * R7-Office authorises, then binds the request by its own rules (no schema check at all), then its methods check
 * their arguments. So each vendor's `checks` list runs in its order (checks.ts), on validators compiled from the
 * same spec, and the first that fails answers in the vendor's shape.
 *
 * What differs between the sandbox and the mock is the `Stage`: how credentials are checked, whether rate limits
 * count, and what answers a request that passed every check. This module imports no vendor: the definitions come in.
 */
import cookie, { type FastifyCookieOptions } from '@fastify/cookie';
import cors from '@fastify/cors';
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { localPrefix, type OpenApiDocument } from '../spec/index.ts';
import { runChecks } from './checks.ts';
import { registerBodyParsers } from './content-types.ts';
import { ErrorCatalogue, VendorError } from './errors.ts';
import { BODY_LIMIT, drainRefusedBody, isBodyTooLarge, toVendorError } from './framework-errors.ts';
import { type RateCheck, rateCheck } from './rate-limit.ts';
import { type Answer, sendAnswer, sendRefusal } from './reply.ts';
import { buildRoutes, type RouteSpec } from './routes.ts';
import { lazySchemaCompilers } from './schema-compilers.ts';
import type { CredentialMode } from './security.ts';
import type { CheckContext, VendorDefinition } from './vendor-module.ts';

export { BODY_LIMIT };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The operation a route serves (a vendor's error rendering reads its rules and parameters). */
    vendorRoute?: RouteSpec;
  }
}

/** One vendor as the pipeline serves it. */
export interface VendorScope {
  readonly definition: VendorDefinition;
  readonly doc: OpenApiDocument;
  /** The local prefix (`/odyssee`). */
  readonly prefix: string;
  readonly catalogue: ErrorCatalogue;
  readonly routes: readonly RouteSpec[];
}

/** A request that passed every check, as the answering stage gets it. */
export interface StageContext extends CheckContext {
  readonly scope: VendorScope;
}

/** What makes the pipeline a sandbox or a mock. */
export interface Stage {
  /** Verify credentials (the sandbox) or only look that they are there (the mock). */
  readonly credentials: CredentialMode;
  /** Count requests against the vendors' rate limits (the sandbox); a stateless mock does not. */
  readonly rateLimits: boolean;
  /** Where the rate limits' counts live (the sandbox's store, shared by its instances); else one count per process. */
  readonly rateLimitStore?: FastifyRateLimitStoreCtor;
  /** Whether the stage keeps data (the sandbox): a stateless one honours only the checks that need none. */
  readonly stateful: boolean;
  /** Called once per vendor before its routes are registered. */
  prepare?(scope: VendorScope): void | Promise<void>;
  /** The answer to a request that passed every check. */
  answer(ctx: StageContext): Answer | Promise<Answer>;
  /** The answer to a path under no vendor's prefix. */
  unknownPrefix(request: FastifyRequest, reply: FastifyReply, scopes: readonly VendorScope[]): FastifyReply;
  /** A refusal rendered otherwise than in the vendor's shape (the mock's --strict); undefined: the vendor's. */
  refuse?(
    error: VendorError,
    request: FastifyRequest,
    reply: FastifyReply,
    scope: VendorScope,
  ): FastifyReply | undefined;
}

export interface AppOptions {
  vendors: readonly VendorDefinition[];
  /** Each vendor's bundled spec, by name. */
  specs: ReadonlyMap<string, OpenApiDocument>;
  config: Readonly<Config>;
  stage: Stage;
}

/** The methods a vendor's path may be asked with besides its own; each answers the vendor's 405 where it has one. */
const otherMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export async function buildApp({ vendors, specs, config, stage }: AppOptions): Promise<{
  app: FastifyInstance;
  scopes: VendorScope[];
}> {
  const scopes: VendorScope[] = [];
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    schemaController: { compilersFactory: lazySchemaCompilers },
    // A URL the router cannot decode (`/r7/api/2.0/crm/task/%`) or a path parameter over the router's length limit
    // is refused before routing: answer it in the vendor's shape too, not Fastify's.
    frameworkErrors: (error, request, reply) => {
      const scope = scopeOf(scopes, request.url);
      if (!scope) return (reply as FastifyReply).code(error.statusCode ?? 400).send({ error: error.message });
      return refuse(stage, scope, toVendorError(scope.definition.errorKeys, error, request), request, reply);
    },
  });
  registerBodyParsers(app);
  // The cookie parser for the security schemes that read one (@fastify/cookie, on the `cookie` package): values as
  // sent, not URL-decoded, as ASP.NET's Request.Cookies holds them (R7-Office); the first of a repeated name wins.
  // No parsing hook: a request's cookies are parsed when something reads them (requestCookieValues, security.ts).
  // (`parseOptions` goes to the parser as it is; its type names only serialising options, hence the cast.)
  const parseOptions = { decode: (value: string) => value } as FastifyCookieOptions['parseOptions'];
  await app.register(cookie, { parseOptions, hook: false });
  // A body refused as too large, under any prefix: its rest is read and discarded, so the client reads the 413.
  app.addHook('onError', async (request, reply, error) => {
    if (isBodyTooLarge(error)) drainRefusedBody(request, reply);
  });
  await registerCors(app, config);
  // Counters only: each vendor's check is created from its spec and called after the caller is known (rate-limit.ts).
  await app.register(rateLimit, {
    global: false,
    ...(stage.rateLimitStore ? { store: stage.rateLimitStore } : {}),
  });

  // A request no route takes (OPTIONS that is not a preflight reaches CORS's catch-all route, then here): under a
  // vendor's prefix, that vendor's unknown-route answer; elsewhere the stage's.
  app.setNotFoundHandler((request, reply) => {
    const scope = scopeOf(scopes, request.url);
    if (!scope) return stage.unknownPrefix(request, reply, scopes);
    return refuse(stage, scope, unknownRoute(scope, request), request, reply);
  });

  for (const definition of vendors) {
    const doc = specs.get(definition.name);
    if (!doc) throw new Error(`no spec for the vendor ${definition.name}`);
    const scope: VendorScope = {
      definition,
      doc,
      prefix: localPrefix(doc),
      catalogue: new ErrorCatalogue(doc),
      routes: buildRoutes(definition.name, doc),
    };
    scopes.push(scope);
    await stage.prepare?.(scope);
    const rate = stage.rateLimits ? rateCheck(app, definition.name, doc, config) : undefined;
    await app.register(async (instance) => registerVendor(instance, scope, stage, config, rate), {
      prefix: scope.prefix,
    });
  }
  return { app, scopes };
}

async function registerVendor(
  instance: FastifyInstance,
  scope: VendorScope,
  stage: Stage,
  config: Readonly<Config>,
  rate: RateCheck | undefined,
): Promise<void> {
  const { definition, doc, prefix, routes } = scope;
  await definition.plugin?.(instance, { doc, config });
  instance.setErrorHandler((error: Error, request, reply) =>
    refuse(stage, scope, toVendorError(definition.errorKeys, error, request), request, reply),
  );
  instance.setNotFoundHandler((request, reply) => refuse(stage, scope, unknownRoute(scope, request), request, reply));
  for (const route of routes) {
    for (const url of [route.url, ...route.aliasUrls]) {
      instance.route({
        method: route.method,
        url: url.slice(prefix.length),
        config: { vendorRoute: route },
        handler: async (request, reply) => {
          const ctx: StageContext = {
            request,
            route,
            definition,
            doc,
            config,
            scope,
            state: {
              params: { ...(request.params as Record<string, unknown>) },
              query: { ...(request.query as Record<string, unknown>) },
              headers: { ...request.headers } as Record<string, unknown>,
              body: request.body,
            },
          };
          await runChecks(ctx, { credentials: stage.credentials, stateful: stage.stateful, ...(rate ? { rate } : {}) });
          return sendAnswer(definition, route, await stage.answer(ctx), request, reply, ctx.state.mediaType);
        },
      });
    }
  }
  registerMethodNotAllowed(instance, scope);
}

/** Every method a path does not have answers the vendor's 405 with `Allow`, where the vendor has one. */
function registerMethodNotAllowed(instance: FastifyInstance, scope: VendorScope): void {
  const key = scope.definition.errorKeys.methodNotAllowed;
  if (!key) return;
  const byUrl = new Map<string, Set<string>>();
  for (const route of scope.routes) {
    for (const url of [route.url, ...route.aliasUrls]) byUrl.set(url, (byUrl.get(url) ?? new Set()).add(route.method));
  }
  for (const [url, allowed] of byUrl) {
    const allow = [...allowed].join(', ');
    instance.route({
      method: otherMethods.filter((m) => !allowed.has(m) && !(m === 'HEAD' && allowed.has('GET'))),
      url: url.slice(scope.prefix.length),
      handler: async (request) => {
        throw new VendorError(key, [{ message: `${request.method} is not allowed here; the path answers ${allow}` }], {
          Allow: allow,
        });
      },
    });
  }
}

/** The vendor whose prefix a URL is under. */
function scopeOf(scopes: readonly VendorScope[], url: string): VendorScope | undefined {
  const path = url.split('?')[0] ?? '';
  return scopes.find((s) => path === s.prefix || path.startsWith(`${s.prefix}/`));
}

const unknownRoute = (scope: VendorScope, request: FastifyRequest) =>
  new VendorError(scope.definition.errorKeys.routeNotFound, [
    { message: `${request.method} ${request.url} is not an operation of this API` },
  ]);

/**
 * CORS with @fastify/cors, so a browser client works against the sandbox as against the mock: any origin (echoed)
 * by default, a list, or none (`--cors-origins`). Preflights answer 204 with the method and headers asked for.
 */
async function registerCors(app: FastifyInstance, config: Readonly<Config>): Promise<void> {
  const setting = config.corsOrigins.trim();
  if (setting === 'off') return;
  const origin = setting === '*' ? true : setting.split(',').map((o) => o.trim());
  await app.register(cors, {
    // An OPTIONS request that is not a preflight is the vendor's to answer (iVvy: 405), not CORS's.
    delegator: (request, done) => {
      const preflight = Boolean(request.headers.origin && request.headers['access-control-request-method']);
      done(null, request.method === 'OPTIONS' && !preflight ? { origin: false } : { origin, methods: otherMethods });
    },
  });
}

function refuse(
  stage: Stage,
  scope: VendorScope,
  error: VendorError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  return stage.refuse?.(error, request, reply, scope) ?? sendRefusal(scope, error, request, reply);
}
