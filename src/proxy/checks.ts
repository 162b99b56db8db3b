/**
 * Where the checks run: in a worker thread of their own (the proxy's default), so the event loop that forwards the
 * traffic never waits for one; or inline (the examples tool, tests that want no thread). Either way the same
 * functions (inspect.ts) over the same pipeline (checker.ts).
 */
import { Worker } from 'node:worker_threads';
import type { VendorDefinition } from '../server/vendor-module.ts';
import type { OpenApiDocument } from '../spec/index.ts';
import { RequestChecker } from './checker.ts';
import type { Violation } from './exchange.ts';
import { type AnswerSeen, inspectAnswer, inspectRequest, type RequestFindings, type SeenRequest } from './inspect.ts';
import { type ProxyVendor, proxyVendor } from './vendors.ts';

/** Both directions of one exchange, checked in one go (the answer against the operation the request names). */
export interface ExchangeFindings {
  request: RequestFindings;
  answer: Violation[];
}

export interface Checks {
  request(vendor: string, request: SeenRequest): Promise<RequestFindings>;
  answer(vendor: string, operation: string, answer: AnswerSeen): Promise<Violation[]>;
  /** The request, then the answer when there is one to check: one round trip to a worker instead of two. */
  exchange(vendor: string, request: SeenRequest, answer: AnswerSeen | undefined): Promise<ExchangeFindings>;
  close(): Promise<void>;
}

/** The checks on the calling thread. */
export class InlineChecks implements Checks {
  readonly #checker: RequestChecker;
  readonly #vendors: Map<string, ProxyVendor>;

  private constructor(checker: RequestChecker, vendors: Map<string, ProxyVendor>) {
    this.#checker = checker;
    this.#vendors = vendors;
  }

  static async create(
    definitions: readonly VendorDefinition[],
    docs: ReadonlyMap<string, OpenApiDocument>,
  ): Promise<InlineChecks> {
    const checker = await RequestChecker.create(definitions, docs);
    const vendors = new Map(
      definitions.flatMap((d) => {
        const doc = docs.get(d.name);
        return doc ? [[d.name, proxyVendor(d, doc, 'http://unused.invalid/')] as const] : [];
      }),
    );
    return new InlineChecks(checker, vendors);
  }

  #vendor(name: string): ProxyVendor {
    const vendor = this.#vendors.get(name);
    if (!vendor) throw new Error(`no vendor ${name}`);
    return vendor;
  }

  request(vendor: string, request: SeenRequest): Promise<RequestFindings> {
    return inspectRequest(this.#vendor(vendor), this.#checker, request);
  }

  async answer(vendor: string, operation: string, answer: AnswerSeen): Promise<Violation[]> {
    return inspectAnswer(this.#vendor(vendor), operation, answer);
  }

  async exchange(vendor: string, request: SeenRequest, answer: AnswerSeen | undefined): Promise<ExchangeFindings> {
    const found = await this.request(vendor, request);
    const operation = found.operation;
    return { request: found, answer: answer && operation ? await this.answer(vendor, operation, answer) : [] };
  }

  close(): Promise<void> {
    return this.#checker.close();
  }
}

/** What the worker is asked. */
type JobBody =
  | { kind: 'request'; vendor: string; request: SeenRequest }
  | { kind: 'answer'; vendor: string; operation: string; answer: AnswerSeen }
  | { kind: 'exchange'; vendor: string; request: SeenRequest; answer?: AnswerSeen };
export type Job = { id: number } & JobBody;
type Reply = { id: number; result?: unknown; error?: string };

/** The most checks waiting at once; past it a check is not made (and the exchange says so), memory stays bounded. */
const MAX_WAITING = 10_000;

/**
 * The checks in a worker thread. The registry crosses as the URL of the module that exports it (functions do not
 * cross threads): `registry` names the export (src/vendors/index.ts's `registry`).
 */
export class WorkerChecks implements Checks {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  readonly #ready: Promise<void>;
  #next = 0;

  constructor(registry: { module: URL; export: string }) {
    this.#worker = new Worker(new URL('./check-worker.ts', import.meta.url), {
      workerData: { module: registry.module.href, export: registry.export },
    });
    this.#worker.unref();
    this.#ready = new Promise((resolve, reject) => {
      this.#worker.once('message', (m: { ready?: boolean; error?: string }) =>
        m.ready ? resolve() : reject(new Error(m.error ?? 'the check worker did not start')),
      );
      this.#worker.once('error', reject);
    });
    this.#ready
      .then(() => {
        this.#worker.on('message', (reply: Reply) => {
          const waiting = this.#waiting.get(reply.id);
          this.#waiting.delete(reply.id);
          if (reply.error !== undefined) waiting?.reject(new Error(reply.error));
          else waiting?.resolve(reply.result);
        });
      })
      .catch(() => {});
    this.#worker.on('error', (error) => {
      for (const w of this.#waiting.values()) w.reject(error);
      this.#waiting.clear();
    });
  }

  /** Resolves once the worker has its pipeline built (the specs loaded, the validators compiled). */
  ready(): Promise<void> {
    return this.#ready;
  }

  async #ask<T>(job: JobBody): Promise<T> {
    await this.#ready;
    if (this.#waiting.size >= MAX_WAITING) throw new Error(`${MAX_WAITING} checks already waiting: not checked`);
    const id = ++this.#next;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.#worker.postMessage({ ...job, id });
    });
  }

  request(vendor: string, request: SeenRequest): Promise<RequestFindings> {
    return this.#ask({ kind: 'request', vendor, request });
  }

  answer(vendor: string, operation: string, answer: AnswerSeen): Promise<Violation[]> {
    return this.#ask({ kind: 'answer', vendor, operation, answer });
  }

  exchange(vendor: string, request: SeenRequest, answer: AnswerSeen | undefined): Promise<ExchangeFindings> {
    return this.#ask({ kind: 'exchange', vendor, request, ...(answer ? { answer } : {}) });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
