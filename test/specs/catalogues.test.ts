/**
 * The error catalogue (`x-errors`) and the rule lists (`x-rules`) of each spec hold together, and the code raises
 * nothing the catalogue does not document.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRules, loadSpec, type OpenApiDocument, repoRoot, vendors } from '../../src/spec/index.ts';
import { vendorModules } from '../../src/vendors/index.ts';

/** Every named example value anywhere in a document, by example name. */
function allExamples(doc: OpenApiDocument): { name: string; value: unknown; ext: Record<string, unknown> }[] {
  const found: { name: string; value: unknown; ext: Record<string, unknown> }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'examples' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [name, ex] of Object.entries(value as Record<string, Record<string, unknown>>)) {
          if (ex && typeof ex === 'object' && 'value' in ex) found.push({ name, value: ex.value, ext: ex });
        }
      }
      walk(value);
    }
  };
  walk(doc);
  return found;
}

/** The literal error keys a vendor's code raises: `new VendorError('key'` in src/vendors/<vendor>/. */
function raisedKeys(vendor: string): string[] {
  const dir = join(repoRoot, 'src', 'vendors', vendor);
  const keys = new Set<string>();
  for (const file of readdirSync(dir, { recursive: true }) as string[]) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/new VendorError\(\s*'([^']+)'/g)) if (m[1]) keys.add(m[1]);
  }
  return [...keys];
}

describe.each(vendors.map((v) => [v.name] as const))('%s', (name) => {
  it('has an x-errors catalogue whose every entry has a status and a message', async () => {
    const doc = await loadSpec(name);
    const errors = Object.entries(doc['x-errors'] ?? {});
    expect(errors.length).toBeGreaterThan(0);
    for (const [key, entry] of errors) {
      expect(entry.status, key).toBeGreaterThanOrEqual(400);
      expect(entry.status, key).toBeLessThan(600);
      expect(typeof entry.message, key).toBe('string');
    }
  });

  it('documents every catalogue entry as a response example carrying its code', async () => {
    const doc = await loadSpec(name);
    const examples = allExamples(doc);
    const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    for (const [key, entry] of Object.entries(doc['x-errors'] ?? {})) {
      // The codes an error body carries: numbers (errorCode, specificCode, hresult) and Odyssee's `code`.
      const codes = Object.entries(entry)
        .filter(([k, v]) => k !== 'status' && (typeof v === 'number' || k === 'code'))
        .map(([, v]) => String(v));
      const documented = examples.some(
        (ex) =>
          (ex.name === key ||
            ex.name.startsWith(`${key}-`) ||
            ex.ext['x-error'] === key ||
            ex.name.endsWith(`-${key}`) ||
            codes.some((c) => ex.name.endsWith(`-${c}`))) &&
          codes.every((c) => text(ex.value).includes(c)),
      );
      expect(documented, `x-errors ${key} (${codes.join(', ')}) has no example showing it`).toBe(true);
    }
  });

  it('names only catalogue errors in its rules, and gives each rule an id, an enforcer and a description', async () => {
    const doc = await loadSpec(name);
    const rules = listRules(doc);
    expect(rules.length).toBeGreaterThan(0);
    for (const { rule } of rules) {
      expect(rule.id, JSON.stringify(rule)).toMatch(new RegExp(`^${name}\\.[a-z0-9-]+\\.[a-z0-9-]+$`));
      expect(['schema', 'server']).toContain(rule.enforcedBy);
      expect(rule.description?.length, rule.id).toBeGreaterThan(10);
      if (rule.error) expect(Object.keys(doc['x-errors'] ?? {}), rule.id).toContain(rule.error);
    }
  });

  it('raises, in code, only errors its catalogue documents', async () => {
    const doc = await loadSpec(name);
    const catalogue = Object.keys(doc['x-errors'] ?? {});
    const module = vendorModules.find((m) => m.name === name);
    const used = [...raisedKeys(name), ...Object.values(module?.errorKeys ?? {})];
    for (const key of used) expect(catalogue, `${name} raises ${key}`).toContain(key);
  });
});
