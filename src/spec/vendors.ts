import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
}

function readVendors(): readonly Vendor[] {
  const config = parse(readFileSync(redoclyConfigPath, 'utf8')) as RedoclyConfig;
  return Object.freeze(
    Object.entries(config.apis).map(([name, api]) => Object.freeze({ name, root: join(repoRoot, api.root) })),
  );
}

export const vendors: readonly Vendor[] = readVendors();
export type VendorName = string;

export function vendor(name: VendorName): Vendor {
  const found = vendors.find((v) => v.name === name);
  if (!found) throw new Error(`unknown vendor ${name}; known: ${vendors.map((v) => v.name).join(', ')}`);
  return found;
}
