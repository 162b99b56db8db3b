/**
 * BruteForceLoginManager (web/core/ASC.Web.Core/BruteForceLoginManager.cs) with LoginSettings' defaults
 * (AttemptCount 5, CheckPeriod 60 s, BlockTime 60 s): every sign-in attempt of a login from an address is counted
 * (a successful one is taken back), the sixth within 60 seconds blocks that login and address for 60 seconds.
 *
 * The attempts are kept in the store's counters (the vendor keeps them in its shared cache): every instance of the
 * sandbox on one PostgreSQL database counts the same attempts, and each change is atomic.
 */
import type { Counters } from '../../store/store.ts';

const ATTEMPTS = 5;
const CHECK_PERIOD_MS = 60_000;
const BLOCK_MS = 60_000;

/** What is kept per login and address: the recent attempts' times, and the end of a block. */
interface History {
  attempts: number[];
  blockedUntil?: number;
}

export class BruteForceLimiter {
  readonly #counters: Counters;

  constructor(counters: Counters) {
    this.#counters = counters;
  }

  #key(login: string, ip: string): string {
    return `r7-office brute-force\0${login}${ip}`;
  }

  /** Increment: false when the login and address are blocked (or this attempt blocks them). */
  increment(login: string, ip: string): Promise<boolean> {
    return this.#counters.update<History, boolean>(this.#key(login, ip), (saved, now) => {
      if (saved?.blockedUntil !== undefined && saved.blockedUntil > now) {
        return { state: saved, expiresAt: saved.blockedUntil, result: false };
      }
      const attempts = (saved?.attempts ?? []).filter((t) => t > now - CHECK_PERIOD_MS);
      attempts.push(now);
      if (attempts.length > ATTEMPTS) {
        return { state: { attempts: [], blockedUntil: now + BLOCK_MS }, expiresAt: now + BLOCK_MS, result: false };
      }
      return { state: { attempts }, expiresAt: now + CHECK_PERIOD_MS, result: true };
    });
  }

  /** Decrement: a successful sign-in takes its attempt back. */
  decrement(login: string, ip: string): Promise<void> {
    return this.#counters.update<History, void>(this.#key(login, ip), (saved, now) => {
      const attempts = saved?.attempts ?? [];
      attempts.pop();
      const blockedUntil = saved?.blockedUntil;
      return {
        state: blockedUntil === undefined ? { attempts } : { attempts, blockedUntil },
        expiresAt: Math.max(now + CHECK_PERIOD_MS, blockedUntil ?? 0),
        result: undefined,
      };
    });
  }
}
