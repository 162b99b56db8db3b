import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { OpenApiDocument } from '../spec/index.ts';
import type { SeedData, Store } from '../store/store.ts';
import type { CatalogueEntry, ErrorDetail } from './errors.ts';
import type { RouteSpec } from './routes.ts';

/** What a handler gets: the validated request, the caller's tenant and the store. */
export interface HandlerContext {
  readonly tenant: string;
  readonly store: Store;
  readonly config: Readonly<Config>;
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

/** A rendered error: status comes from the catalogue entry; the vendor shapes body and headers. */
export interface RenderedError {
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * Generic conditions the server core meets before any handler runs, mapped to keys of the vendor's x-errors
 * catalogue: the core never names a vendor's error itself.
 */
export interface CoreErrorKeys {
  validation: string;
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

/** Everything vendor-specific about the sandbox: a folder under src/vendors/ exports one of these. */
export interface VendorModule {
  /** The spec folder name (an `apis:` entry of redocly.yaml). */
  readonly name: string;
  readonly errorKeys: CoreErrorKeys;
  renderError(
    entry: CatalogueEntry,
    details: readonly ErrorDetail[],
    request: FastifyRequest | undefined,
  ): RenderedError;
  /** Returns the caller's tenant, or throws the vendor's unauthorized error. */
  authenticate(request: FastifyRequest, config: Readonly<Config>, route: RouteSpec): string;
  readonly handlers: Readonly<Record<string, Handler>>;
  /** Sandbox data, kinds already namespaced by vendor (`odyssee.task`). */
  seed(doc: OpenApiDocument): SeedData;
  /** Serialises a success body as XML for a media type the route answers in XML (root from the schema). */
  toXml?(body: unknown, rootName: string): string;
  /**
   * What the vendor's scope needs beyond what the spec declares, registered inside the vendor's own Fastify scope
   * before its routes (a content-type parser for a body form the vendor binds its own way, a hook).
   */
  plugin?(scope: FastifyInstance, context: { doc: OpenApiDocument; config: Readonly<Config> }): void | Promise<void>;
  /**
   * The media type of the answer, among those the route's response offers, for a vendor that does not choose it by
   * `Accept` (R7-Office answers by the path's suffix and the request's Content-Type). Without it: `Accept`.
   */
  responseMediaType?(request: FastifyRequest, route: RouteSpec, offered: readonly string[]): string | undefined;
  /**
   * The vendor binds the request itself (R7-Office's ApiArgumentBuilder: route, query and body values by name, every
   * value through its text form, in the method's own order of checks): the core skips its schema checks of the path,
   * query, headers and body, and the handler gets the path parameters and the body as they came.
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
