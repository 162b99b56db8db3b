/** The validating proxy in tests: on 127.0.0.1 at a port the OS picks, its exchanges and log lines kept. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Checks, WorkerChecks } from '../../src/proxy/checks.ts';
import { type Exchange, violationLine } from '../../src/proxy/exchange.ts';
import { type HarEntry, harEntry } from '../../src/proxy/har.ts';
import { type ProxyOptions, type RunningProxy, startProxy } from '../../src/proxy/server.ts';
import { loadAllSpecs } from '../../src/spec/index.ts';
import { registry } from '../../src/vendors/index.ts';

export interface TestProxy extends RunningProxy {
  exchanges: Exchange[];
  lines: string[];
  har: HarEntry[];
  /** Resolves once `n` exchanges are over (exchanges are reported after the answer is sent). */
  settled(n: number, timeoutMs?: number): Promise<void>;
  /** The first exchange reported from index `from` on that matches (reports come once their checks are done). */
  reported(match: (e: Exchange) => boolean, from?: number, timeoutMs?: number): Promise<Exchange>;
}

const docs = await loadAllSpecs();

/**
 * The checks in their worker thread, as `npm run proxy` runs them; one worker for every proxy of this test process:
 * its start-up (every spec loaded, every validator compiled, about a second) is most of a proxy's, and the checks
 * keep nothing between exchanges. A proxy's close leaves it running; the worker is unref'd, so it ends with the
 * process.
 */
let worker: WorkerChecks | undefined;
async function sharedChecks(): Promise<Checks> {
  worker ??= new WorkerChecks({ module: new URL('../../src/vendors/index.ts', import.meta.url), export: 'registry' });
  const checks = worker;
  await checks.ready();
  return {
    request: (vendor, request) => checks.request(vendor, request),
    answer: (vendor, operation, answer) => checks.answer(vendor, operation, answer),
    exchange: (vendor, request, answer) => checks.exchange(vendor, request, answer),
    close: async () => {},
  };
}

export async function proxyTo(
  upstreams: Record<string, string>,
  options: Partial<Omit<ProxyOptions, 'modules' | 'docs' | 'upstreams'>> = {},
): Promise<TestProxy> {
  const exchanges: Exchange[] = [];
  const lines: string[] = [];
  const har: HarEntry[] = [];
  const proxy = await startProxy({
    checks: await sharedChecks(),
    vendors: registry,
    docs,
    upstreams,
    ...options,
    onExchange(exchange, detail) {
      exchanges.push(exchange);
      lines.push(...exchange.violations.map((v) => violationLine(exchange, v)));
      const vendor = proxy.vendors.find((v) => v.name === exchange.vendor);
      if (vendor) har.push(harEntry(vendor, exchange, detail));
    },
  });
  return Object.assign(proxy, {
    exchanges,
    lines,
    har,
    async reported(match: (e: Exchange) => boolean, from = 0, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = exchanges.slice(from).find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error('no such exchange reported');
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async settled(n: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (exchanges.length < n) {
        if (Date.now() > deadline) throw new Error(`${exchanges.length} of ${n} exchanges reported`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  });
}

/** An upstream a test writes itself, on 127.0.0.1 at a port the OS picks. */
export async function upstream(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ origin: string; server: Server; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The whole body of a request. */
export async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
