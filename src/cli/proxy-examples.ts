#!/usr/bin/env node
/**
 * `npm run proxy:examples -- <har> [--vendor …] [--out <dir>] [--dry-run]`: recorded exchanges as candidate named
 * examples under mocks/ (src/proxy/examples.ts).
 */
import { resolve } from 'node:path';
import { list } from '../contract/cli-options.ts';
import { RequestChecker } from '../proxy/checker.ts';
import { examplesFromHar } from '../proxy/examples.ts';
import { proxyVendor } from '../proxy/vendors.ts';
import { loadAllSpecs, localPrefix, mocksDir, type OpenApiDocument } from '../spec/index.ts';
import { registry } from '../vendors/index.ts';
import { type Command, type Flags, type FlagValues, runCommand, UsageError } from './command.ts';

const command = {
  name: 'npm run proxy:examples --',
  summary: 'Turns recorded exchanges (npm run proxy -- --record <dir>) into candidate named examples for the mock.',
  positionals: '<file.har> [<file.har> …]',
  flags: {
    vendor: {
      type: 'string',
      multiple: true,
      value: 'name',
      description: 'only these vendors (repeatable or a comma list; by name or prefix: odyssee, ivvy, r7)',
    },
    out: { type: 'string', value: 'dir', description: 'where the mocks/ layout is written (default mocks/)' },
    'dry-run': { type: 'boolean', description: 'say what would be written, write nothing' },
  },
  notes: [
    'Each successful exchange whose request and answer both conform to the spec becomes <case>.request and',
    '<case>.response files with manifests (source.recorded); the spec entries that would serve them are printed.',
  ],
} as const satisfies Command<Flags>;

async function main(values: FlagValues<typeof command.flags>, positionals: string[]): Promise<number> {
  const docs = await loadAllSpecs();
  const wanted = list(values.vendor);
  const modules = registry.filter((m) => {
    const doc = docs.get(m.name);
    return doc && (wanted.length === 0 || wanted.some((w) => w === m.name || `/${w}` === localPrefix(doc)));
  });
  if (wanted.length && modules.length === 0) {
    throw new UsageError(`unknown vendor ${wanted.join(', ')}`);
  }
  // Where the traffic went does not matter here: entries are placed by `_vendor` or by their path.
  const vendors = modules.map((m) => proxyVendor(m, docs.get(m.name) as OpenApiDocument, 'http://recorded.invalid/'));
  const out = values.out ? resolve(values.out) : mocksDir;
  const checker = await RequestChecker.create(modules, docs);
  let written = 0;
  for (const file of positionals) {
    const found = await examplesFromHar(resolve(file), vendors, checker, { out, write: !values['dry-run'] });
    const { candidates, skipped } = found;
    process.stdout.write(`${file}: ${candidates.length} candidate examples, ${skipped.length} exchanges skipped\n`);
    for (const c of candidates) {
      process.stdout.write(`  ${c.vendor} ${c.example}\n${c.files.map((f) => `    ${f}\n`).join('')}`);
      written++;
    }
    for (const s of skipped) process.stdout.write(`  skipped entry ${s.entry}: ${s.why}\n`);
    if (candidates.length) {
      process.stdout.write(
        '\nTo serve them, add these examples to the specs (then npm run lint and npm test check them):\n\n',
      );
      for (const c of candidates) process.stdout.write(`${c.specEntries.join('\n\n')}\n\n`);
    }
  }
  await checker.close();
  return written > 0 || values['dry-run'] ? 0 : 1;
}

await runCommand('proxy:examples', command, main);
process.exit();
