/**
 * What a vendor is to the shared code: a folder under src/vendors/ exports one `VendorDefinition`, and the registry
 * (src/vendors/index.ts) lists them. The request pipeline (app.ts, checks.ts, security.ts, reply.ts), the sandbox,
 * the mock and the contract suite read a vendor only through this interface; none of them imports a vendor.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config, VendorSetting } from '../config.ts';
import type { ContractCase } from '../contract/cases.ts';
import type { ClientAuth } from '../contract/client-auth.ts';
import type { OpenApiDocument, Sample } from '../spec/index.ts';
import type { SeedData, Store } from '../store/store.ts';
import type { CatalogueEntry, ErrorDetail } from './errors.ts';
import type { RouteSpec } from './routes.ts';

/** What a handler gets: the checked request, the caller's tenant, the store and the spec the pipeline loaded. */
export interface HandlerContext {
  readonly tenant: string;
  readonly store: Store;
  readonly config: Readonly<Config>;
  /** The vendor's spec as the pipeline loaded it: a handler reads its schemas and extensions here, never loads it. */
  readonly doc: OpenApiDocument;
  readonly route: RouteSpec;
  readonly params: Record<string, unknown>;
  readonly query: Record<string, unknown>;
  readonly headers: Record<string, unknown>;
  readonly body: unknown;
  /** The action of a query-discriminated operation (iVvy), when there is one. */
  readonly action?: string;
  readonly request: FastifyRequest;
}

export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: HandlerContext) => HandlerResult | Promise<HandlerResult>;

/** What a vendor's error rendering may read besides the error: the request, the operation it reached, the spec. */
export interface ErrorContext {
  /** Undefined for an error met outside a request (none yet; kept for the proxy's replays). */
  readonly request?: FastifyRequest;
  /** The operation the request was routed to; undefined for an unknown route. */
  readonly route?: RouteSpec;
  readonly doc: OpenApiDocument;
}

/** A rendered error: status comes from the catalogue entry; the vendor shapes body and headers. */
export interface RenderedError {
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * Generic conditions the pipeline meets, mapped to keys of the vendor's x-errors catalogue: the shared code never
 * names a vendor's error itself.
 */
export interface CoreErrorKeys {
  validation: string;
  /** A required parameter is missing; without it, `validation`. */
  missingParameter?: string;
  malformed: string;
  unauthorized: string;
  unsupportedMediaType: string;
  payloadTooLarge: string;
  notAcceptable: string;
  routeNotFound: string;
  notImplemented: string;
  internal: string;
  unknownAction?: string;
  /** A method the path does not have: this error with `Allow`. Without it, such a request is an unknown route. */
  methodNotAllowed?: string;
}

/** What a request has become as the checks run: each check reads what the earlier ones found. */
export interface RequestState {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  /** The body as parsed; the body check replaces it by the validated value. */
  body: unknown;
  /** The action of a query-discriminated operation, once the action check has found it. */
  action?: string;
  /** The caller, once the credentials check has found it ('' on an operation without security). */
  account?: string;
  /** The media type of the answer, once the accept check has chosen it. */
  mediaType?: string;
}

/** What a check sees. */
export interface CheckContext {
  readonly request: FastifyRequest;
  readonly route: RouteSpec;
  readonly definition: VendorDefinition;
  readonly doc: OpenApiDocument;
  readonly config: Readonly<Config>;
  readonly state: RequestState;
}

/**
 * The pipeline's own checks (src/server/checks.ts): `credentials` (the security schemes), `rate` (the vendor's rate
 * limit), `parameters` (path, query and header parameters against their schemas), `action` (a query-discriminated
 * operation's action), `media-type` (the body's Content-Type is one the operation reads), `body` (the body against
 * its schema), `accept` (an answer the client accepts).
 */
export type CheckName = 'credentials' | 'rate' | 'parameters' | 'action' | 'media-type' | 'body' | 'accept';

/** What a check knows of the stage it runs for. */
export interface CheckStage {
  /** The sandbox keeps data; the mock keeps none, so a check that needs stored data is the handler's there. */
  readonly stateful: boolean;
}

/**
 * A step of a vendor's order of checks: one of the pipeline's, or the vendor's own (throws the vendor's error). A
 * vendor's own check may look at the stage: a stateless mock honours the checks it can, assuming stored data exists.
 */
export type Check = CheckName | ((ctx: CheckContext, stage: CheckStage) => void | Promise<void>);

/** The pipeline's order when a vendor documents none: who calls first, then what is asked, then how to answer. */
export const defaultChecks: readonly Check[] = [
  'credentials',
  'rate',
  'parameters',
  'action',
  'media-type',
  'body',
  'accept',
];

/**
 * Verifies the credential of one security scheme of the spec: the account it names; undefined when the request
 * carries none of that scheme; or throws the vendor's error for one it carries that is wrong. The pipeline tries the
 * operation's security requirements in the spec's order: the first whose schemes all name an account wins.
 */
export type SecurityHandler = (
  request: FastifyRequest,
  ctx: { config: Readonly<Config>; route: RouteSpec; doc: OpenApiDocument },
) => string | undefined;

/** Everything vendor-specific: a folder under src/vendors/ exports one of these. */
export interface VendorDefinition {
  /** The spec folder name (an `apis:` entry of redocly.yaml). */
  readonly name: string;
  /** The spec's root document, when it is not the `apis:` entry of redocly.yaml named after the vendor. */
  readonly spec?: string;
  /**
   * The vendor's credentials of the sandbox's account, each by the key its client reads (`user`, `apiKey`…): its
   * environment variable, default and meaning. The sandbox accepts them; the contract suite sends them by default.
   */
  readonly settings: Readonly<Record<string, VendorSetting>>;
  /** How a partner's code authorises a request (the contract suite, the proxy's replays). */
  readonly client: ClientAuth;
  /** The vendor's stateful flows for the contract suite (write, read back, partners kept apart…). */
  flows?(doc: OpenApiDocument, samples: readonly Sample[]): ContractCase[];
  readonly errorKeys: CoreErrorKeys;
  renderError(entry: CatalogueEntry, details: readonly ErrorDetail[], context: ErrorContext): RenderedError;
  /** Security handlers by the names of the spec's security schemes. */
  readonly security: Readonly<Record<string, SecurityHandler>>;
  /** The checks of a request in the vendor's documented order, after its body is read; default `defaultChecks`. */
  readonly checks?: readonly Check[];
  readonly handlers: Readonly<Record<string, Handler>>;
  /** Sandbox data, kinds already namespaced by vendor (`odyssee.task`). */
  seed(doc: OpenApiDocument): SeedData;
  /** Serialises a success body as XML for a media type the route answers in XML (root from the schema). */
  toXml?(body: unknown, rootName: string): string;
  /**
   * What the vendor's scope needs beyond what the spec declares, registered inside the vendor's own Fastify scope
   * before its routes (a content-type parser for a body form the vendor binds its own way, a hook that must run
   * before the body is read).
   */
  plugin?(scope: FastifyInstance, context: { doc: OpenApiDocument; config: Readonly<Config> }): void | Promise<void>;
  /**
   * The media type of the answer, among those the route's response offers, for a vendor that does not choose it by
   * `Accept` (R7-Office answers by the path's suffix and the request's Content-Type). Without it: `Accept`.
   */
  responseMediaType?(request: FastifyRequest, route: RouteSpec, offered: readonly string[]): string | undefined;
  /**
   * The vendor binds the request itself (R7-Office's ApiArgumentBuilder: route, query and body values by name, every
   * value through its text form, in the method's own order of checks): the pipeline's schema checks of the path,
   * query, headers and body do not run, and the handler gets the path parameters and the body as they came.
   */
  readonly bindsRequest?: boolean;
  /**
   * Writes a success body in the chosen media type the vendor's own way (R7-Office's JSON writer escapes `/`, its XML
   * is the JSON converted): the payload and the whole Content-Type header. Without it: `JSON.stringify`, or `toXml`.
   */
  writeBody?(
    body: unknown,
    mediaType: string,
    xmlRoot: string,
    request: FastifyRequest,
  ): { payload: string; contentType: string };
}
