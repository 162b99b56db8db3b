/**
 * BruteForceLoginManager (web/core/ASC.Web.Core/BruteForceLoginManager.cs) with LoginSettings' defaults
 * (AttemptCount 5, CheckPeriod 60 s, BlockTime 60 s): every sign-in attempt of a login from an address is counted
 * (a successful one is taken back), the sixth within 60 seconds blocks that login and address for 60 seconds.
 */
const ATTEMPTS = 5;
const CHECK_PERIOD_MS = 60_000;
const BLOCK_MS = 60_000;

interface History {
  attempts: number[];
  expires: number;
}

export class BruteForceLimiter {
  readonly #history = new Map<string, History>();
  readonly #blocked = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  #key(login: string, ip: string): string {
    return `${login}${ip}`;
  }

  /** Increment: false when the login and address are blocked (or this attempt blocks them). */
  increment(login: string, ip: string): boolean {
    const now = this.#now();
    const key = this.#key(login, ip);
    const until = this.#blocked.get(key);
    if (until !== undefined && until > now) return false;
    this.#blocked.delete(key);
    const saved = this.#history.get(key);
    const attempts = (saved && saved.expires > now ? saved.attempts : []).filter((t) => t > now - CHECK_PERIOD_MS);
    attempts.push(now);
    if (attempts.length > ATTEMPTS) {
      this.#blocked.set(key, now + BLOCK_MS);
      this.#history.delete(key);
      return false;
    }
    this.#history.set(key, { attempts, expires: now + CHECK_PERIOD_MS });
    this.#sweep(now);
    return true;
  }

  /** Decrement: a successful sign-in takes its attempt back. */
  decrement(login: string, ip: string): void {
    const now = this.#now();
    const key = this.#key(login, ip);
    const saved = this.#history.get(key);
    const attempts = saved && saved.expires > now ? saved.attempts : [];
    attempts.pop();
    this.#history.set(key, { attempts, expires: now + CHECK_PERIOD_MS });
  }

  /** Forgets expired entries, so the maps cannot grow without bound. */
  #sweep(now: number): void {
    if (this.#history.size < 10_000) return;
    for (const [key, h] of this.#history) if (h.expires <= now) this.#history.delete(key);
    for (const [key, until] of this.#blocked) if (until <= now) this.#blocked.delete(key);
  }
}
