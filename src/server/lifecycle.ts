/**
 * What a load balancer and a process manager need from a sandbox instance: a readiness check that asks the store,
 * and a graceful stop on SIGTERM or SIGINT (readiness fails at once, requests keep being served for the drain
 * time, then in-flight requests finish, the store closes and the process exits 0). The mock stops the same way,
 * without a drain (it has no readiness check for a load balancer to watch).
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/store.ts';

/** Servers that are stopping: a sandbox's readiness check fails, whatever the store says. */
const stopping = new WeakSet<object>();

/** What a graceful stop closes: a Fastify app (the sandbox), or the running mock. */
export interface Stoppable {
  /** Resolves once no connection is open and everything the server holds (the store) is closed. */
  close(): Promise<unknown>;
}

/**
 * `GET /_sandbox/ready`: 200 `{ ready: true }` when the store answers (PostgreSQL: a query within 3 s), 503
 * `{ ready: false, reason }` when it does not or the instance is stopping. `GET /_sandbox/health` stays the
 * liveness check: the process answers.
 */
export function registerReadiness(app: FastifyInstance, store: Store): void {
  app.get('/_sandbox/ready', async (_request, reply) => {
    if (stopping.has(app)) return reply.code(503).send({ ready: false, reason: 'the instance is stopping' });
    try {
      await store.check();
    } catch (error) {
      return reply.code(503).send({ ready: false, reason: `the store does not answer: ${(error as Error).message}` });
    }
    return { ready: true, engine: store.engine };
  });
}

export interface StopOptions {
  /** Milliseconds to keep serving with readiness failing, so a load balancer stops sending requests first. */
  drainMs: number;
  /** Milliseconds the whole stop may take before the process exits anyway, with status 1. */
  timeoutMs: number;
  log: (line: string) => void;
}

/**
 * Stops a server gracefully on SIGTERM or SIGINT: readiness 503, the drain time, then `server.close()` (no new
 * connections; requests in flight finish; the sandbox's store closes in the app's onClose hook), then exit 0. A
 * second signal, or the timeout, exits at once with status 1.
 */
export function stopOnSignals(server: Stoppable, options: StopOptions): void {
  let started = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (started) {
      options.log(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    started = true;
    stopping.add(server);
    const timer = setTimeout(() => {
      options.log(`not stopped within ${options.timeoutMs / 1000} s: exiting anyway`);
      process.exit(1);
    }, options.timeoutMs);
    timer.unref();
    options.log(
      `${signal}: stopping${options.drainMs > 0 ? ` after ${options.drainMs / 1000} s of draining` : ''}; requests in flight finish`,
    );
    if (options.drainMs > 0) await new Promise((resolve) => setTimeout(resolve, options.drainMs));
    try {
      await server.close();
    } catch (error) {
      options.log(`stopping failed: ${(error as Error).message}`);
      process.exit(1);
    }
    options.log('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(signal));
}
