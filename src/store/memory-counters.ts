/**
 * Counters kept in the process: the SQLite engine's (one sandbox per file, so one process counts everything).
 * Expired entries are swept once the maps grow, so they cannot grow without bound.
 */
import type { Counters, StateChange } from './store.ts';

/** Entries kept before a sweep of the expired ones. */
const SWEEP_AT = 10_000;

export class MemoryCounters implements Counters {
  readonly #windows = new Map<string, { count: number; endsAt: number }>();
  readonly #states = new Map<string, { state: unknown; expiresAt: number }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }> {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + windowMs };
      this.#windows.set(key, window);
      if (this.#windows.size > SWEEP_AT) sweep(this.#windows, now, (w) => w.endsAt);
    }
    window.count += 1;
    return { count: window.count, ttlMs: window.endsAt - now };
  }

  async update<S, R>(key: string, change: (state: S | undefined, now: number) => StateChange<S, R>): Promise<R> {
    const now = this.#now();
    const kept = this.#states.get(key);
    const current = kept && kept.expiresAt > now ? (structuredClone(kept.state) as S) : undefined;
    const next = change(current, now);
    if (next.state === undefined || next.expiresAt <= now) this.#states.delete(key);
    else {
      this.#states.set(key, { state: structuredClone(next.state), expiresAt: next.expiresAt });
      if (this.#states.size > SWEEP_AT) sweep(this.#states, now, (s) => s.expiresAt);
    }
    return next.result;
  }
}

function sweep<V>(map: Map<string, V>, now: number, expiry: (value: V) => number): void {
  for (const [key, value] of map) if (expiry(value) <= now) map.delete(key);
}
