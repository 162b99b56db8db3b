/**
 * The vendors' rate limits, read from each spec's root `x-rate-limit` (specs/README.md, "Rate limits"), counted by
 * @fastify/rate-limit: a fixed window per key, the key made of what the vendor counts by (the caller's IP address,
 * its account). The counts live in the sandbox's store (`counterStore`), so every instance on one PostgreSQL
 * database counts the same requests. `--no-rate-limit` turns every limit off; `--rate-limits ivvy=100/60` changes a
 * vendor's rate.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { OpenApiDocument, RateLimitObject } from '../spec/index.ts';
import type { Counters } from '../store/store.ts';
import { VendorError } from './errors.ts';

/**
 * @fastify/rate-limit's `store` option over the store's counters, in place of its default LocalStore (one count
 * per process): a fixed window that starts at its first request, as LocalStore's (without its continueExceeding
 * and exponentialBackoff, which no limit here uses). One store serves every limit: each key names its vendor.
 */
export function counterStore(counters: Counters): FastifyRateLimitStoreCtor {
  return class CounterStore implements FastifyRateLimitStore {
    incr(key: string, callback: Parameters<FastifyRateLimitStore['incr']>[1], timeWindow: number): void {
      counters.hit(`rate-limit\0${key}`, timeWindow).then(
        ({ count, ttlMs }) => callback(null, { current: count, ttl: ttlMs }),
        (error: Error) => callback(error),
      );
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  };
}

/** Counts one request of `account`; throws the vendor's rate-limit error when the window's quota is spent. */
export type RateCheck = (request: FastifyRequest, account: string) => Promise<void>;

export interface Rate {
  max: number;
  windowSeconds: number;
}

/** `ivvy=100/60,r7-office=500/10` → the rate per vendor; a malformed entry is a configuration error. */
export function parseRates(text: string): Map<string, Rate> {
  const rates = new Map<string, Rate>();
  for (const entry of text.split(',').map((e) => e.trim())) {
    if (entry === '') continue;
    const match = /^([\w-]+)=(\d+)\/(\d+)$/.exec(entry);
    if (!match?.[1] || Number(match[2]) < 1 || Number(match[3]) < 1) {
      throw new Error(`RATE_LIMITS: "${entry}" is not <vendor>=<requests>/<seconds> with both numbers from 1`);
    }
    rates.set(match[1], { max: Number(match[2]), windowSeconds: Number(match[3]) });
  }
  return rates;
}

/** The vendor's limit as the spec states it, with the configured rate when one is given; undefined when off. */
export function effectiveLimit(
  vendor: string,
  doc: OpenApiDocument,
  config: Readonly<Config>,
): (RateLimitObject & Rate) | undefined {
  const declared = doc['x-rate-limit'];
  if (!declared || !config.rateLimit) return undefined;
  return { ...declared, ...parseRates(config.rateLimits).get(vendor) };
}

/**
 * The rate check of one vendor, or undefined when it has none or limits are off. Requests are counted after the
 * caller is known (the account is part of the key); the answer is the vendor's `error` with `Retry-After`.
 */
export function rateCheck(
  app: FastifyInstance,
  vendor: string,
  doc: OpenApiDocument,
  config: Readonly<Config>,
): RateCheck | undefined {
  const limit = effectiveLimit(vendor, doc, config);
  if (!limit) return undefined;
  const accounts = new WeakMap<FastifyRequest, string>();
  const count = app.createRateLimit({
    max: limit.max,
    timeWindow: limit.windowSeconds * 1000,
    keyGenerator: (request: FastifyRequest) =>
      [vendor, ...limit.per.map((part) => (part === 'ip' ? request.ip : (accounts.get(request) ?? '')))].join('|'),
  });
  return async (request, account) => {
    accounts.set(request, account);
    const result = await count(request);
    if (!result.isAllowed && result.isExceeded) {
      const seconds = Math.max(1, result.ttlInSeconds);
      throw new VendorError(
        limit.error,
        [{ message: `more than ${limit.max} requests in ${limit.windowSeconds} s; retry in ${seconds} s` }],
        { 'Retry-After': String(seconds) },
      );
    }
  };
}
