/**
 * The registry: every vendor this repository serves, each a folder under src/vendors/ exporting one definition
 * (src/server/vendor-module.ts) and named after its spec folder under specs/. The commands pass it to the sandbox,
 * the mock and the contract suite; the shared code imports no vendor. Adding a vendor: its folder, its spec, a line
 * here.
 */
import type { VendorDefinition } from '../server/vendor-module.ts';
import { ivvy } from './ivvy/index.ts';
import { odyssee } from './odyssee/index.ts';
import { r7Office } from './r7-office/index.ts';

export const registry: readonly VendorDefinition[] = [odyssee, ivvy, r7Office];

/** A vendor of the registry by its name; an unknown name is a programming error. */
export function definitionOf(name: string): VendorDefinition {
  const found = registry.find((d) => d.name === name);
  if (!found) throw new Error(`no vendor ${name} in the registry; known: ${registry.map((d) => d.name).join(', ')}`);
  return found;
}
