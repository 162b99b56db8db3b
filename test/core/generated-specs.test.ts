/**
 * What `npm run generate` builds is what the sandbox and the mock would otherwise build at start-up: the bundles
 * are read back only while their inputs are unchanged, and the precompiled validators answer exactly as the ones
 * AJV compiles from the spec (same verdict, same errors, same coerced values), for every validator of the plan.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleSpec } from '../../src/spec/bundle.ts';
import {
  generatedValidators,
  generatedVendorOf,
  hashFiles,
  readGeneratedBundle,
  sha256,
} from '../../src/spec/generated.ts';
import { loadSpec, type OpenApiDocument, SpecValidator, vendors } from '../../src/spec/index.ts';
import { validatorPlan } from '../../src/spec/validator-plan.ts';

const tmp = mkdtempSync(join(tmpdir(), 'generated-specs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Adds to `found` every value under an `example` or `value` key in `node` (and `node` itself when under one). */
function collectExamples(node: unknown, found: unknown[], key?: string): void {
  if (Array.isArray(node)) {
    for (const item of node) collectExamples(item, found);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  if (key === 'example' || key === 'value') found.push(node);
  for (const [k, v] of Object.entries(node)) {
    if (k === 'example' || k === 'value') found.push(v);
    collectExamples(v, found, k);
  }
}

/** Every example value in a document (under `example` or `value`), with a few plain values. */
function exampleValues(doc: OpenApiDocument): unknown[] {
  const found: unknown[] = [null, 0, 'x', true, [], {}];
  collectExamples(doc, found);
  return found;
}

/** A few objects each breaking `value`: its first property of the wrong type, then gone; its second malformed. */
function brokenValues(value: unknown): unknown[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const broken: unknown[] = [];
  const [first, second] = Object.keys(value);
  if (first !== undefined) {
    broken.push({ ...value, [first]: { wrong: ['type'] } });
    const { [first]: _gone, ...rest } = value as Record<string, unknown>;
    broken.push(rest);
  }
  if (second !== undefined) broken.push({ ...value, [second]: 'not-a-number-or-date', extra: 1 });
  return broken;
}

/** Every example value in a document, and a few values each breaks: what the validators are compared on. */
function inputs(doc: OpenApiDocument): unknown[] {
  const found = exampleValues(doc);
  return [...found, ...found.flatMap(brokenValues)];
}

type Validate = ReturnType<SpecValidator['at']>;

/** Each validator of the plan's part, precompiled (from `doc`) and compiled by AJV (from `fresh`), with where it is. */
function validatorPairs(
  name: string,
  doc: OpenApiDocument,
  fresh: OpenApiDocument,
  { strict, coercing, coercingInline }: ReturnType<typeof validatorPlan>['requests'],
  coerceTypes: boolean,
): (readonly [Validate, Validate, string])[] {
  const precompiled = new SpecValidator(name, doc, { coerceTypes });
  const compiled = new SpecValidator(name, fresh, { coerceTypes });
  return [
    ...(coerceTypes ? coercing : strict).map((p) => [precompiled.at(p), compiled.at(p), p] as const),
    ...(coerceTypes ? coercingInline : []).map(
      (s) => [precompiled.compile(s), compiled.compile(s), JSON.stringify(s)] as const,
    ),
  ];
}

/** Every pair gives every value the same verdict, errors and coerced value; returns how many were compared. */
function expectSameVerdicts(
  table: unknown[],
  pairs: (readonly [Validate, Validate, string])[],
  values: unknown[],
): number {
  let compared = 0;
  for (const [pre, fromAjv, where] of pairs) {
    // The precompiled one is the generated module's own function, not a fallback.
    expect(table, where).toContain(pre);
    for (const value of values) {
      const a = structuredClone(value);
      const b = structuredClone(value);
      const verdict = pre(a);
      expect(fromAjv(b), where).toBe(verdict);
      expect(pre.errors ?? null, where).toEqual(fromAjv.errors ?? null);
      expect(a, where).toEqual(b);
      compared++;
    }
  }
  return compared;
}

describe.each(vendors.map((v) => [v.name]))('%s', (name) => {
  it('is loaded from its current generated bundle, equal to the spec bundled now', async () => {
    const doc = await loadSpec(name);
    expect(generatedVendorOf(doc), 'run `npm run generate`').toBe(name);
    const now = await bundleSpec(name, vendors.find((v) => v.name === name)?.root as string);
    expect(isDeepStrictEqual(doc, now.doc)).toBe(true);
  });

  it('has precompiled validators that answer as AJV compiling the spec answers', async () => {
    const doc = await loadSpec(name);
    const plan = validatorPlan(doc);
    const fresh = structuredClone(doc);
    expect(generatedValidators(fresh)).toBeUndefined();
    const values = inputs(doc);
    let compared = 0;
    for (const part of ['requests', 'responses'] as const) {
      const module = generatedValidators(doc, part);
      expect(module, part).toBeDefined();
      for (const coerceTypes of [false, true]) {
        const table = coerceTypes ? module?.coercing : module?.strict;
        const pairs = validatorPairs(name, doc, fresh, plan[part], coerceTypes);
        compared += expectSameVerdicts(Object.values(table ?? {}), pairs, values);
      }
    }
    expect(compared).toBeGreaterThan(100);
  }, 120_000);
});

describe('a generated bundle is used only while it is current', () => {
  const bundle = `${JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} }, null, 2)}\n`;
  const inputFiles = ['specs/v/openapi.yaml', 'mocks/v/sample.json'];

  it.each([
    ['nothing changed', () => {}, true],
    ['a spec file changed', (w: Write) => w('specs/v/openapi.yaml', 'openapi: 3.1.1\n'), false],
    ['an inlined sample changed', (w: Write) => w('mocks/v/sample.json', '{"a":2}'), false],
    ['an input is gone', (_w: Write, root: string) => rmSync(join(root, 'mocks/v/sample.json')), false],
    ['the bundle was edited', (w: Write) => w('generated/v.openapi.json', `${bundle} `), false],
    ['the manifest names no such vendor', (w: Write) => w('generated/manifest.json', '{}'), false],
  ] as const)('%s: current %s', (what, change, current) => {
    // A folder per case: a manifest is read once per folder.
    const root = join(tmp, what.replaceAll(' ', '-'));
    const write: Write = (file, text) => {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    };
    write('specs/v/openapi.yaml', 'openapi: 3.1.0\n');
    write('mocks/v/sample.json', '{"a":1}');
    write('generated/v.openapi.json', bundle);
    const entry = {
      inputs: inputFiles,
      inputsSha256: hashFiles(inputFiles, root) as string,
      bundleSha256: sha256(bundle),
      validatorsSha256: { requests: sha256(''), responses: sha256('') },
    };
    write('generated/manifest.json', JSON.stringify({ v: entry }));
    change(write, root);
    const doc = readGeneratedBundle('v', { root, dir: join(root, 'generated') });
    expect(doc !== undefined).toBe(current);
    // Its validators module is not there: they are compiled at run time instead, never taken from elsewhere.
    if (doc) expect(generatedValidators(doc)).toBeUndefined();
  });
});

type Write = (file: string, text: string) => void;
