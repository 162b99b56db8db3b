import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { redoclyConfigPath, repoRoot } from './paths.ts';

/** A vendor is an `apis:` entry of redocly.yaml: its name there is its folder under specs/ and mocks/. */
export interface Vendor {
  readonly name: string;
  /** Absolute path of the spec's root document. */
  readonly root: string;
}

interface RedoclyConfig {
  apis: Record<string, { root: string }>;
  plugins?: string[];
}

const config = parse(readFileSync(redoclyConfigPath, 'utf8')) as RedoclyConfig;

export const vendors: readonly Vendor[] = Object.freeze(
  Object.entries(config.apis).map(([name, api]) => Object.freeze({ name, root: join(repoRoot, api.root) })),
);

/** What every bundle is also made from besides the spec's own files: redocly.yaml and its plugins (repo-relative). */
export const bundlerFiles: readonly string[] = Object.freeze([
  relative(repoRoot, redoclyConfigPath),
  ...(config.plugins ?? []).map((p) => relative(repoRoot, join(repoRoot, p))),
]);
export type VendorName = string;

export function vendor(name: VendorName): Vendor {
  const found = vendors.find((v) => v.name === name);
  if (!found) throw new Error(`unknown vendor ${name}; known: ${vendors.map((v) => v.name).join(', ')}`);
  return found;
}
