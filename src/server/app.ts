import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { loadSpec, localPrefix } from '../spec/index.ts';
import { openStore, type Store } from '../store/store.ts';
import { vendorModules } from '../vendors/index.ts';
import { parseXml, XmlRefusedError } from '../xml/parse.ts';
import { ErrorCatalogue, type ErrorDetail, VendorError } from './errors.ts';
import { registerReadiness } from './lifecycle.ts';
import { negotiate } from './negotiate.ts';
import { counterStore, type RateCheck, rateCheck } from './rate-limit.ts';
import { type BodyValidators, buildRoutes, type RouteSpec } from './routes.ts';
import { validationDetails } from './validation-details.ts';
import type { HandlerContext, VendorModule } from './vendor-module.ts';

/** The largest request body the sandbox reads; a larger one is refused in the vendor's error shape. */
export const BODY_LIMIT = 1024 * 1024;

/** An XML request body before validation: the parsed tree and its root element name. */
export class XmlBody {
  readonly root: string;
  readonly value: unknown;
  constructor(root: string, value: unknown) {
    this.root = root;
    this.value = value;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    vendorRoute?: RouteSpec;
    /** The body's bytes as received, for vendors that hash or sign them (iVvy's Content-MD5); unset without a body. */
    rawBody?: Buffer;
  }
}

export interface SandboxOptions {
  config: Readonly<Config>;
  store?: Store;
}

export interface Sandbox {
  app: FastifyInstance;
  store: Store;
  /** Base URL per vendor once listening (`http://127.0.0.1:3000/odyssee`). */
  prefixes: Record<string, string>;
}

/**
 * Builds the reference sandbox: every vendor's spec registered as routes, one Fastify instance, one store (the one
 * given, else the one `config.dataFile` names: src/store/store.ts).
 */
export async function buildSandbox({ config, store: given }: SandboxOptions): Promise<Sandbox> {
  const store = given ?? (await openStore(config.dataFile, { poolSize: config.poolSize }));
  /** Each vendor's prefix with what renders its errors, for errors raised before any route or scope is chosen. */
  const scopes: { prefix: string; module: VendorModule; catalogue: ErrorCatalogue }[] = [];
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    // A URL the router cannot decode (`/r7/api/2.0/crm/task/%`) or a path parameter over the router's length limit
    // is refused before routing: answer it in the vendor's shape too, not Fastify's.
    frameworkErrors: (error, request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      const scope = scopes.find((s) => path === s.prefix || path.startsWith(`${s.prefix}/`));
      if (!scope) return (reply as FastifyReply).code(error.statusCode ?? 400).send({ error: error.message });
      return sendError(scope.module, scope.catalogue, toVendorError(scope.module, error, request), request, reply);
    },
  });
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  // Every parser reads the body as bytes and keeps them (`request.rawBody`): one buffer, no second read.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', 'text/json'], { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer;
    defaultJson(req, body as unknown as string, done);
  });
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer;
    try {
      const parsed = parseXml((body as Buffer).toString('utf8'));
      done(null, new XmlBody(parsed.root, parsed.value));
    } catch (error) {
      done(error as Error);
    }
  });

  // Counters only: each vendor's check is created from its spec and called after the caller is known (rate-limit.ts).
  await app.register(rateLimit, { global: false, store: counterStore(store.counters) });

  const prefixes: Record<string, string> = {};
  const seed: Record<string, Record<string, unknown>[]> = {};
  for (const module of vendorModules) {
    const doc = await loadSpec(module.name);
    const prefix = localPrefix(doc);
    prefixes[module.name] = prefix;
    Object.assign(seed, module.seed(doc));
    const catalogue = new ErrorCatalogue(doc);
    scopes.push({ prefix, module, catalogue });
    const routes = buildRoutes(module.name, doc);
    const limit = rateCheck(app, module.name, doc, config);
    await app.register(
      async (scope) => {
        await module.plugin?.(scope, { doc, config });
        scope.setErrorHandler((error: Error, request, reply) =>
          sendError(module, catalogue, toVendorError(module, error, request), request, reply),
        );
        scope.setNotFoundHandler((request, reply) =>
          sendError(
            module,
            catalogue,
            new VendorError(module.errorKeys.routeNotFound, [
              { message: `${request.method} ${request.url} is not an operation of this API` },
            ]),
            request,
            reply,
          ),
        );
        for (const route of routes) {
          for (const url of [route.url, ...route.aliasUrls]) {
            scope.route({
              method: route.method,
              url: url.slice(prefix.length),
              handler: (request, reply) => handle(module, config, store, limit, route, request, reply),
            });
          }
        }
        const methodNotAllowed = module.errorKeys.methodNotAllowed;
        if (methodNotAllowed) {
          for (const [url, allowed] of methodsByUrl(routes)) {
            const others = otherMethods.filter((m) => !allowed.has(m) && !(m === 'HEAD' && allowed.has('GET')));
            scope.route({
              method: others,
              url: url.slice(prefix.length),
              handler: async (request) => {
                const allow = [...allowed].join(', ');
                throw new VendorError(
                  methodNotAllowed,
                  [{ message: `${request.method} is not allowed here; the path answers ${allow}` }],
                  { Allow: allow },
                );
              },
            });
          }
        }
      },
      { prefix },
    );
  }
  await store.seed(seed);

  app.get('/_sandbox/health', async () => ({ ok: true, vendors: prefixes, data: store.location }));
  registerReadiness(app, store);
  app.post('/_sandbox/reset', async () => {
    await store.reset(seed);
    return { reset: true };
  });
  app.addHook('onClose', async () => store.close());
  return { app, store, prefixes };
}

/** The methods a vendor's path may be asked with besides its own; each answers the vendor's 405. */
const otherMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Every URL of the spec's routes (aliases included) with the methods its operations have. */
function methodsByUrl(routes: readonly RouteSpec[]): Map<string, Set<string>> {
  const byUrl = new Map<string, Set<string>>();
  for (const route of routes) {
    for (const url of [route.url, ...route.aliasUrls]) {
      const methods = byUrl.get(url) ?? new Set<string>();
      methods.add(route.method);
      byUrl.set(url, methods);
    }
  }
  return byUrl;
}

async function handle(
  module: VendorModule,
  config: Readonly<Config>,
  store: Store,
  limit: RateCheck | undefined,
  route: RouteSpec,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  request.vendorRoute = route;
  const keys = module.errorKeys;
  const account = route.secured ? module.authenticate(request, config, route) : '';
  await limit?.(request, account);
  const tenant = `${module.name}:${account}`;
  const params = { ...(request.params as Record<string, unknown>) };
  const query = { ...(request.query as Record<string, unknown>) };
  const headers = { ...request.headers } as Record<string, unknown>;
  const failures: ErrorDetail[] = [];
  // A vendor that binds the request itself checks it in its own order (VendorModule.bindsRequest).
  const checked = !module.bindsRequest;
  if (checked && !route.params(params)) failures.push(...validationDetails(route.params.errors, 'path'));
  if (checked && !route.query(query)) failures.push(...validationDetails(route.query.errors, 'query'));
  if (checked && !route.headers(headers)) failures.push(...validationDetails(route.headers.errors, 'header'));

  let action: string | undefined;
  let validators: BodyValidators | undefined = route.body;
  if (route.actions) {
    action = typeof query.action === 'string' ? query.action : undefined;
    if (action === undefined || !route.actions.has(action)) {
      throw new VendorError(keys.unknownAction ?? keys.validation, [
        { target: 'action', message: `unknown action ${String(query.action)}` },
      ]);
    }
    validators = route.actions.get(action);
  }
  if (failures.length > 0) throw new VendorError(keys.validation, failures);

  let body: unknown = request.body;
  if (validators && checked) body = validateBody(module, validators, request, body);

  const accept = request.headers.accept;
  const success = [...route.responseMediaTypes.keys()].find((s) => /^2/.test(s));
  const offered = route.responseMediaTypes.get(success ?? '') ?? [];
  const choose = (types: readonly string[]) =>
    module.responseMediaType ? module.responseMediaType(request, route, types) : negotiate(accept, types);
  const mediaType = choose(offered);
  if (offered.length > 0 && mediaType === undefined) {
    throw new VendorError(keys.notAcceptable, [
      { message: `cannot answer in ${accept}; offered: ${offered.join(', ')}` },
    ]);
  }

  const handler = module.handlers[action ?? route.operationId];
  if (!handler)
    throw new VendorError(keys.notImplemented, [
      { message: `${action ?? route.operationId} is not implemented by the sandbox` },
    ]);
  const ctx: HandlerContext = {
    tenant,
    store,
    config,
    route,
    params,
    query,
    headers,
    body,
    request,
    ...(action ? { action } : {}),
  };
  const result = await handler(ctx);
  for (const [name, value] of Object.entries(result.headers ?? {})) reply.header(name, value);
  const chosen = choose(route.responseMediaTypes.get(String(result.status)) ?? offered) ?? 'application/json';
  const root = route.responseXmlRoot.get(String(result.status)) ?? 'result';
  if (module.writeBody) {
    const { payload, contentType } = module.writeBody(result.body, chosen, root, request);
    return reply.code(result.status).type(contentType).send(payload);
  }
  if (/[/+]xml$/.test(chosen) && module.toXml) {
    return reply.code(result.status).type(`${chosen}; charset=utf-8`).send(module.toXml(result.body, root));
  }
  return reply
    .code(result.status)
    .type(`${chosen.includes('json') ? chosen : 'application/json'}; charset=utf-8`)
    .send(JSON.stringify(result.body));
}

function validateBody(
  module: VendorModule,
  validators: BodyValidators,
  request: FastifyRequest,
  body: unknown,
): unknown {
  const keys = module.errorKeys;
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (body === undefined || (contentType === '' && request.headers['content-length'] === undefined)) {
    if (validators.required) throw new VendorError(keys.malformed, [{ message: 'the request has no body' }]);
    return undefined;
  }
  const validator = validators.byMediaType.get(contentType);
  if (!validator) {
    throw new VendorError(keys.unsupportedMediaType, [
      { message: `Content-Type ${contentType || '(none)'} is not one of ${validators.mediaTypes.join(', ')}` },
    ]);
  }
  let value: unknown = body;
  if (body instanceof XmlBody) {
    if (validator.xmlRoot && body.root !== validator.xmlRoot) {
      throw new VendorError(validators.errorKey ?? keys.validation, [
        { message: `the XML root element must be <${validator.xmlRoot}>, not <${body.root}>` },
      ]);
    }
    value = body.value;
  }
  if (!validator.validate(value)) {
    throw new VendorError(validators.errorKey ?? keys.validation, validationDetails(validator.validate.errors, 'body'));
  }
  return value;
}

function toVendorError(
  module: VendorModule,
  error: FastifyError | VendorError | Error,
  request: FastifyRequest,
): VendorError {
  const keys = module.errorKeys;
  if (error instanceof VendorError) return error;
  if (error instanceof XmlRefusedError) return new VendorError(keys.malformed, [{ message: error.message }]);
  const code = (error as FastifyError).code;
  const status = (error as FastifyError).statusCode;
  if (code === 'FST_ERR_BAD_URL')
    return new VendorError(keys.validation, [
      { target: 'path', message: 'the path is not a valid URL (its % escapes)' },
    ]);
  if (code === 'FST_ERR_MAX_PARAM_LENGTH')
    return new VendorError(keys.validation, [{ target: 'path', message: 'a path parameter is too long' }]);
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413)
    return new VendorError(keys.payloadTooLarge, [{ message: `the body is larger than ${BODY_LIMIT} bytes` }]);
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
    return new VendorError(keys.unsupportedMediaType, [
      { message: `Content-Type ${request.headers['content-type'] ?? '(none)'} is not supported` },
    ]);
  }
  if (
    error instanceof SyntaxError ||
    code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' ||
    (status !== undefined && status >= 400 && status < 500)
  ) {
    return new VendorError(keys.malformed, [{ message: error.message }]);
  }
  request.log.error({ err: error }, 'unexpected error');
  return new VendorError(keys.internal, [{ message: 'An unexpected error occurred.' }]);
}

function sendError(
  module: VendorModule,
  catalogue: ErrorCatalogue,
  error: VendorError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const entry = catalogue.get(error.key);
  const rendered = module.renderError(entry, error.details, request);
  for (const [name, value] of Object.entries({ ...rendered.headers, ...error.headers })) reply.header(name, value);
  const contentType = rendered.contentType ?? 'application/json; charset=utf-8';
  const payload = typeof rendered.body === 'string' ? rendered.body : JSON.stringify(rendered.body);
  return reply.code(entry.status).type(contentType).send(payload);
}
