/**
 * What orders the calls on one synchronous SQLite connection behind the store's asynchronous interface: a lock
 * (one transaction at a time), the group commit's batch, and a synchronous call's outcome as a promise.
 */

/** A synchronous operation's outcome as a settled promise (a throw becomes a rejection). */
export function settled<T>(op: () => T): Promise<T> {
  try {
    return Promise.resolve(op());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Transactions committed together: each is acknowledged when `committed` settles (after their one COMMIT). */
export interface Batch {
  committed: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

export function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const committed = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // Every transaction of the batch awaits it; a batch whose transactions all failed has nobody to.
  committed.catch(() => undefined);
  return { committed, resolve, reject };
}

/** A first-come, first-served lock: one holder at a time, the others queued. */
export class Lock {
  #held = false;
  readonly #waiting: (() => void)[] = [];

  get free(): boolean {
    return !this.#held;
  }

  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    if (this.#held) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#held = true;
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#held = false;
    }
  }
}
