/**
 * A target as it travels from `npm run contract` to the vitest suite: JSON in one environment variable (vitest runs
 * the suite in worker processes, which inherit the environment), read back and checked before anything runs.
 */

import { isObject } from '../spec/json.ts';
import type { Capability } from './cases.ts';
import type { Target, TargetVendor } from './run-case.ts';

/** The environment variable that carries the target, as JSON (see {@link encodeTarget}). */
export const TARGET_ENV = 'CONTRACT_TARGET';

export const capabilities: readonly Capability[] = ['state', 'vendor-errors', 'rate-limit'];

/** The target as JSON; the capabilities set becomes a list. */
export function encodeTarget(target: Target): string {
  return JSON.stringify({ ...target, capabilities: [...target.capabilities] });
}

/** One vendor's entry of a target, checked. */
function decodeVendor(vendor: string, entry: unknown): TargetVendor {
  const where = `${TARGET_ENV}.vendors.${vendor}`;
  if (!isObject(entry) || typeof entry.baseUrl !== 'string' || !/^https?:\/\//.test(entry.baseUrl))
    throw new Error(`${where}.baseUrl must be an http(s) URL`);
  const { credentials, partner } = entry;
  if (credentials !== undefined && !(isObject(credentials) && Object.values(credentials).every(isString)))
    throw new Error(`${where}.credentials must map names to strings`);
  if (partner !== undefined && !(isString(partner) && /^[a-z0-9._-]+$/.test(partner)))
    throw new Error(`${where}.partner must be a name of a-z, 0-9, ".", "_" and "-"`);
  return {
    baseUrl: entry.baseUrl.replace(/\/+$/, ''),
    ...(credentials ? { credentials: credentials as Record<string, string> } : {}),
    ...(partner ? { partner } : {}),
  };
}

/** Reads a target from JSON, naming what is wrong with it rather than failing later inside a test. */
export function decodeTarget(json: string): Target {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new Error(`${TARGET_ENV} is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(raw)) throw new Error(`${TARGET_ENV} must be a JSON object`);
  const { name, vendors, capabilities: caps } = raw;
  if (typeof name !== 'string' || name === '') throw new Error(`${TARGET_ENV}.name must be a non-empty string`);
  if (!isObject(vendors) || Object.keys(vendors).length === 0)
    throw new Error(`${TARGET_ENV}.vendors must map at least one vendor to {baseUrl, credentials?, partner?}`);
  if (!Array.isArray(caps) || !caps.every((c) => capabilities.includes(c)))
    throw new Error(`${TARGET_ENV}.capabilities must be a list of ${capabilities.join(', ')}`);
  const out = Object.fromEntries(Object.entries(vendors).map(([v, entry]) => [v, decodeVendor(v, entry)]));
  return { name, vendors: out, capabilities: new Set(caps as Capability[]) };
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** The target of this run, from the environment. */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): Target {
  const json = env[TARGET_ENV];
  if (!json) throw new Error(`${TARGET_ENV} is not set: run the suite with \`npm run contract -- --target <url>\``);
  return decodeTarget(json);
}

/** The target without its credentials, for reports. */
export function publicTarget(target: Target): {
  name: string;
  vendors: Record<string, string>;
  capabilities: Capability[];
} {
  return {
    name: target.name,
    vendors: Object.fromEntries(Object.entries(target.vendors).map(([v, { baseUrl }]) => [v, baseUrl])),
    capabilities: [...target.capabilities],
  };
}
