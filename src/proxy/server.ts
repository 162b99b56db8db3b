/**
 * The validating proxy: listens under our prefixes (`/odyssee`, `/ivvy`, `/r7`), forwards each request to its
 * vendor's upstream unchanged but for Host (and, for a vendor's own base URL, our prefix), streams the answer back
 * unchanged, and checks both directions against the spec without touching the traffic (flight.ts, inspect.ts).
 * With `strict`, a request that breaks the contract is answered in the vendor's error shape and never forwarded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VendorDefinition } from '../server/vendor-module.ts';
import type { OpenApiDocument } from '../spec/index.ts';
import { type Checks, InlineChecks } from './checks.ts';
import type { Exchange } from './exchange.ts';
import { type ExchangeDetail, Flight } from './flight.ts';
import { forward, hopByHopOf, Tap, Upstreams, withoutHeaders } from './forward.ts';
import { BUFFER_LIMIT, collect, hasBody, originForm, splitUrl } from './messages.ts';
import { type ProxyVendor, proxyVendor } from './vendors.ts';

export { ANSWER_LIMIT, type ExchangeDetail } from './flight.ts';
export { BUFFER_LIMIT } from './messages.ts';

export interface ProxyOptions {
  /** The vendor registry (the CLI passes src/vendors/index.ts): the proxy itself knows no vendor. */
  vendors: readonly VendorDefinition[];
  docs: ReadonlyMap<string, OpenApiDocument>;
  /** Base URL per vendor: `--target` + our prefix, or the vendor's own. */
  upstreams: Record<string, string>;
  /** With `--target`: paths outside our prefixes go there unchecked (`/_sandbox/health`). */
  target?: string;
  host?: string;
  port?: number;
  strict?: boolean;
  /** Upstream timeout in milliseconds (connect, first byte of the answer, between chunks). */
  timeoutMs?: number;
  /**
   * Where the checks run: the CLI gives a WorkerChecks (a thread of their own, so forwarding never waits for one);
   * without it, inline on the proxy's own thread.
   */
  checks?: Checks;
  /** Each exchange once it is over, with what the recorder needs. */
  onExchange?: (exchange: Exchange, detail: ExchangeDetail) => void;
}

export interface RunningProxy {
  server: Server;
  origin: string;
  vendors: ProxyVendor[];
  /** Requests still in flight. */
  inFlight(): number;
  /** Stops listening, lets the exchanges in flight finish (at most `graceMs`), closes the upstream pools. */
  close(graceMs?: number): Promise<void>;
}

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const vendors = options.vendors.flatMap((definition) => {
    const doc = options.docs.get(definition.name);
    const upstream = options.upstreams[definition.name];
    return doc && upstream ? [proxyVendor(definition, doc, upstream)] : [];
  });
  if (vendors.length === 0) throw new Error('no vendor to stand in front of: give each an upstream URL');
  const settings = {
    upstreams: new Upstreams(options.timeoutMs ?? 30_000),
    checks:
      options.checks ??
      (await InlineChecks.create(
        vendors.map((v) => v.definition),
        options.docs,
      )),
    strict: options.strict ?? false,
    timeoutMs: options.timeoutMs ?? 30_000,
  };
  let counter = 0;
  let inFlight = 0;

  /** Hands an exchange to the caller; a failure there (a recorder's) is the caller's, never the traffic's. */
  function report(flight: Flight): void {
    let id = 0;
    try {
      const exchange = flight.exchange();
      id = exchange.id;
      options.onExchange?.(exchange, flight.detail());
    } catch (error) {
      process.stderr.write(`proxy: reporting exchange ${id} failed: ${(error as Error).message}\n`);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = originForm(req.url ?? '/');
    const { path, query } = splitUrl(url);
    const vendor = vendors.find((v) => path === v.prefix || path.startsWith(`${v.prefix}/`));
    if (!vendor) return passThrough(req, res, url);
    const flight = new Flight(settings, vendor, ++counter, { req, res, url, path, query });
    await flight.fly();
    report(flight);
  }

  /** A path outside our prefixes: to --target unchecked; without one, a short 404 naming the prefixes. */
  async function passThrough(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
    if (!options.target) {
      const body = JSON.stringify({
        error: 'not under a vendor prefix of this proxy',
        vendors: Object.fromEntries(vendors.map((v) => [v.name, v.prefix])),
      });
      res.writeHead(404, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const target = new URL(options.target);
    const drop = hopByHopOf(req.rawHeaders);
    const headers = [...withoutHeaders(req.rawHeaders, (n) => n === 'host' || drop(n)), 'host', target.host];
    const read = hasBody(req) ? await collect(req, new Tap(0), BUFFER_LIMIT) : { body: null, aborted: false as const };
    if (read.aborted) return;
    const path = target.pathname.replace(/\/$/, '') + url;
    const request = { origin: target.origin, path, method: req.method ?? 'GET', headers, body: read.body };
    const outcome = await forward(settings.upstreams, request, { req, res }, 0);
    if (outcome.error && !outcome.answer && !res.headersSent && !res.destroyed) {
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`the proxy could not reach ${target.origin}: ${outcome.error.code ?? outcome.error.message}\n`);
    }
  }

  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    inFlight++;
    req.on('error', () => {});
    res.on('error', () => {});
    handle(req, res)
      .catch((error: Error) => {
        process.stderr.write(`proxy: ${error.stack ?? error.message}\n`);
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('the proxy failed on this request\n');
        } else res.destroy();
      })
      .finally(() => {
        inFlight--;
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    origin: `http://${host}:${address.port}`,
    vendors,
    inFlight: () => inFlight,
    async close(graceMs = 5_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + graceMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      server.closeAllConnections();
      await closed;
      await settings.upstreams.close();
      await settings.checks.close();
    },
  };
}
