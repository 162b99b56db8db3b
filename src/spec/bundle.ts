/**
 * Bundling a spec with Redocly: every file `$ref` inlined (samples from mocks/ included), internal
 * `#/components/...` refs kept, so recursive schemas (a job's `_parent_job`) stay finite. `npm run generate` does it
 * once and writes the result to src/generated/ (generated.ts reads it back); at run time only a spec without a
 * current bundle is bundled here: a vendor whose spec lives elsewhere, or one edited since the last generate.
 * Redocly is imported on first use, so a process that never bundles never loads it.
 */
import { relative } from 'node:path';
import { redoclyConfigPath, repoRoot } from './paths.ts';
import type { OpenApiDocument } from './types.ts';

export interface Bundled {
  doc: OpenApiDocument;
  /** Every file the bundle was read from (the root, each `$ref`ed file, each inlined sample), repository-relative. */
  files: string[];
}

export async function bundleSpec(name: string, root: string): Promise<Bundled> {
  const { bundle, loadConfig } = await import('@redocly/openapi-core');
  const config = await loadConfig({ configPath: redoclyConfigPath });
  const result = await bundle({ ref: root, config });
  const errors = result.problems.filter(
    (p) => p.message.includes("Can't resolve $ref") || p.ruleId === 'no-unresolved-refs',
  );
  if (errors.length > 0) {
    throw new Error(`${name}: ${errors.map((p) => p.message).join('; ')}`);
  }
  const files = [...(result.fileDependencies ?? [])].map((f) => relative(repoRoot, f)).sort();
  return { doc: result.bundle.parsed as OpenApiDocument, files };
}
