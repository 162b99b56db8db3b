/**
 * The documented samples: every payload of every vendor page is in mocks/ byte for byte, every file there is what
 * its manifest says, the spec references it as the named example, and its schema describes every key of it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  deref,
  findOperation,
  listSamples,
  loadAllSpecs,
  mediaExamples,
  type OpenApiDocument,
  repoRoot,
  requestMedia,
  requestSchemaPointer,
  resolvePointer,
  response,
  responseSchemaPointer,
  type Sample,
  SpecValidator,
  successStatuses,
  undescribedKeys,
} from '../../src/spec/index.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { extractSeedSamples } from '../support/seed-samples.ts';
import { skipWhy } from '../support/skip.ts';

const sourcesDir = join(repoRoot, 'specs', 'sources');
const sharedSeedsDir = process.env.SEEDS_DIR ?? join(repoRoot, '..', 'shared', 'seeds');
const pages = readdirSync(sourcesDir).filter((f) => f.endsWith('.txt'));
const samples = listSamples();

let specs: Map<string, OpenApiDocument>;
beforeAll(async () => {
  specs = await loadAllSpecs();
});

function spec(sample: Sample): OpenApiDocument {
  const doc = specs.get(sample.vendor);
  if (!doc) throw new Error(`no spec for vendor folder mocks/${sample.vendor}`);
  return doc;
}

const validatorCache = new Map<string, SpecValidator>();
/** JSON samples are validated as they are; XML ones parsed, with leaf types coerced by the schema. */
function validators(sample: Sample): SpecValidator {
  const key = `${sample.vendor}:${sample.format}`;
  let v = validatorCache.get(key);
  if (!v) {
    v = new SpecValidator(sample.vendor, spec(sample), { coerceTypes: sample.format === 'xml' });
    validatorCache.set(key, v);
  }
  return v;
}

function located(sample: Sample) {
  const found = findOperation(spec(sample), sample.manifest.operation);
  if (!found) throw new Error(`${sample.id}: the spec has no operation or action ${sample.manifest.operation}`);
  return found;
}

function parsed(sample: Sample): unknown {
  const text = sample.bytes.toString('utf8');
  return sample.format === 'json' ? JSON.parse(text) : parseXml(text).value;
}

function schemaPointer(sample: Sample): string {
  const doc = spec(sample);
  const found = located(sample);
  const { side, mediaType } = sample.manifest;
  const pointer =
    side === 'request'
      ? requestSchemaPointer(doc, found, mediaType)
      : successStatuses(found)
          .map((status) => responseSchemaPointer(doc, found, status, mediaType))
          .find(Boolean);
  if (!pointer) throw new Error(`${sample.id}: no ${side} schema for ${mediaType}`);
  return pointer;
}

describe('vendor pages', () => {
  // Outside this workplace there is no ../shared/seeds; the copies in specs/sources are then the only source.
  const noSharedSeeds = skipWhy(
    !existsSync(sharedSeedsDir),
    'specs/sources keeps every shared vendor page unchanged',
    `no ${sharedSeedsDir} here (set SEEDS_DIR to the shared seeds); the copies in specs/sources are the only source`,
  );
  it.skipIf(noSharedSeeds)('specs/sources keeps every shared vendor page unchanged', () => {
    for (const page of readdirSync(sharedSeedsDir).filter((f) => f.endsWith('.txt'))) {
      expect(readFileSync(join(sourcesDir, page)).equals(readFileSync(join(sharedSeedsDir, page))), page).toBe(true);
    }
  });

  it('has five pages with twelve samples in all', () => {
    const count = pages.reduce(
      (n, page) => n + extractSeedSamples(readFileSync(join(sourcesDir, page), 'utf8')).length,
      0,
    );
    expect(pages).toHaveLength(5);
    expect(count).toBe(12);
  });
});

describe.each(pages)('page %s', (page) => {
  const text = readFileSync(join(sourcesDir, page), 'utf8');
  it.each(extractSeedSamples(text).map((s) => [`${s.kind} at offset ${s.offset}`, s] as const))(
    'its %s is kept byte for byte in mocks/',
    (_name, seedSample) => {
      const kept = samples.filter((s) => s.manifest.source.seed === page && s.manifest.source.verbatim);
      const match = kept.find((s) => s.bytes.equals(Buffer.from(seedSample.text, 'utf8')));
      expect(
        match,
        `no file in mocks/ holds the ${seedSample.kind} sample at offset ${seedSample.offset} of ${page}`,
      ).toBeDefined();
    },
  );
});

describe.each(samples.map((s) => [s.id, s] as const))('sample %s', (_id, sample) => {
  const { manifest } = sample;

  it('has a complete manifest', () => {
    expect(['request', 'response']).toContain(manifest.side);
    expect(sample.id).toContain(`.${manifest.side}.`);
    expect(manifest.example).toMatch(new RegExp(`^${manifest.operation}-`));
    if (manifest.side === 'request') {
      expect(manifest.expect?.outcome).toMatch(/^(accepted|rejected)$/);
      if (manifest.expect?.outcome === 'rejected') expect(manifest.expect.rule).toBeTruthy();
    }
    // Exactly one origin: a vendor page, a corrected twin, or an exchange recorded through the proxy.
    expect([manifest.source.seed, manifest.source.twinOf, manifest.source.recorded].filter(Boolean)).toHaveLength(1);
  });

  it('is what its manifest says it comes from', () => {
    if (manifest.source.seed) {
      const page = readFileSync(join(sourcesDir, manifest.source.seed));
      expect(manifest.source.verbatim).toBe(true);
      expect(page.includes(sample.bytes), 'not an excerpt of its page').toBe(true);
    } else if (manifest.source.recorded) {
      expect(manifest.source.recorded.har, 'the HAR file it was recorded in').toMatch(/\.har$/);
    } else {
      const twin = samples.find((s) => s.id === sample.id.replace(/[^/]+$/, manifest.source.twinOf ?? ''));
      expect(twin, `twin of ${manifest.source.twinOf}`).toBeDefined();
      expect(twin?.manifest.expect?.outcome).toBe('rejected');
      expect(sample.bytes.equals(twin?.bytes ?? Buffer.alloc(0))).toBe(false);
    }
  });

  it('is the named example the spec shows, with the same content', () => {
    const doc = spec(sample);
    const found = located(sample);
    const media =
      manifest.side === 'request'
        ? requestMedia(doc, found, manifest.mediaType)
        : successStatuses(found)
            // An action's own response, then the operation's (where iVvy's named examples sit).
            .flatMap((status) => [response(doc, found, status), response(doc, { entry: found.entry }, status)])
            .map((r) => r?.response.content?.[manifest.mediaType])
            .find((m) => m?.examples?.[manifest.example]);
    const examples = mediaExamples(doc, media);
    expect(Object.keys(examples)).toContain(manifest.example);
    const shown = examples[manifest.example];
    if (sample.format === 'xml') expect(shown).toBe(sample.bytes.toString('utf8'));
    else expect(isDeepStrictEqual(shown, parsed(sample))).toBe(true);
  });

  it('has every key described by its schema', () => {
    const doc = spec(sample);
    const pointer = schemaPointer(sample);
    let value = parsed(sample);
    if (sample.format === 'xml') {
      const schema = deref<{ xml?: { name?: string } }>(doc, resolvePointer(doc, pointer) as object);
      const root = parseXml(sample.bytes.toString('utf8')).root;
      value = { [root]: value };
      // The XML root is the schema's `xml.name`; below it, elements are the schema's properties.
      const name = schema.xml?.name;
      if (name) {
        expect(root).toBe(name);
        value = (value as Record<string, unknown>)[root];
      }
    }
    expect(undescribedKeys(doc, resolvePointer(doc, pointer), value)).toEqual([]);
  });

  it('meets its schema exactly as its manifest expects', () => {
    const validate = validators(sample).at(schemaPointer(sample));
    const valid = validate(parsed(sample));
    const rule = manifest.expect?.rule;
    const schemaRule =
      rule && manifest.expect?.outcome === 'rejected'
        ? [
            ...(located(sample).entry.operation['x-rules'] ?? []),
            ...(located(sample).action?.object['x-rules'] ?? []),
          ].find((r) => r.id === rule)
        : undefined;
    if (rule && manifest.expect?.outcome === 'rejected')
      expect(schemaRule, `rule ${rule} is on the operation`).toBeDefined();
    const wantValid = !(schemaRule?.enforcedBy === 'schema');
    expect(valid, JSON.stringify(validate.errors)).toBe(wantValid);
  });
});
