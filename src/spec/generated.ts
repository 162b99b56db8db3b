/**
 * What `npm run generate` built from a spec, read back at run time instead of being built again: the bundled spec
 * (src/generated/<vendor>.openapi.json) and its request and response validators as Ajv standalone code
 * (src/generated/<vendor>.validators.cjs for requests, <vendor>.response-validators.cjs), all used only while they
 * are current.
 *
 * Current means: src/generated/manifest.json lists every file the bundle was made from (the spec's files, the
 * samples it inlines, mocks/<vendor>'s manifests, redocly.yaml and its plugins) with one SHA-256 over their bytes,
 * and the SHA-256 of the bundle and of the validators it wrote; at start-up the listed files are hashed again (a few
 * milliseconds for every vendor), and the bundle's and validators' hashes checked. Content, not modification times:
 * a `git checkout` of src/generated/ alone, a stash, a copy that keeps or resets mtimes cannot pass a stale bundle
 * off as current. A spec edited and not regenerated is bundled with Redocly at start-up (slower, still right) and
 * its validators compiled by Ajv, as before; `npm run check:generated` fails until `npm run generate` is run.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { mocksDir, repoRoot } from './paths.ts';
import type { OpenApiDocument } from './types.ts';

export const generatedDir = join(repoRoot, 'src', 'generated');
export const manifestFile = join(generatedDir, 'manifest.json');
export const bundleFile = (vendor: string) => join(generatedDir, `${vendor}.openapi.json`);
const validatorsFileName = (vendor: string, part: ValidatorsPart) =>
  `${vendor}.${part === 'requests' ? '' : 'response-'}validators.cjs`;
export const validatorsFile = (vendor: string, part: ValidatorsPart) =>
  join(generatedDir, validatorsFileName(vendor, part));

/** One vendor's entry of src/generated/manifest.json. */
export interface ManifestEntry {
  /** The files the bundle and the checks of its examples were made from, repository-relative, sorted. */
  inputs: string[];
  /** SHA-256 over the inputs (`hashFiles`). */
  inputsSha256: string;
  /** SHA-256 of src/generated/<vendor>.openapi.json. */
  bundleSha256: string;
  /** SHA-256 of each part of its validators (src/generated/<vendor>.validators.cjs, ….response-validators.cjs). */
  validatorsSha256: Record<ValidatorsPart, string>;
}

export type Manifest = Record<string, ManifestEntry>;

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** One SHA-256 over files' names and bytes (`root`-relative names); undefined when one of them is gone. */
export function hashFiles(files: readonly string[], root = repoRoot): string | undefined {
  const hash = createHash('sha256');
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(root, file));
    } catch {
      return undefined;
    }
    hash.update(`${file}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

/** Every file under mocks/<vendor> (payloads and their manifests), repository-relative. */
export function sampleFiles(vendor: string): string[] {
  const dir = join(mocksDir, vendor);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(repoRoot, join(e.parentPath, e.name)));
}

/** Where the generated files are and what their inputs' names are relative to (a test points them elsewhere). */
export interface GeneratedPlace {
  root: string;
  dir: string;
}

const here: GeneratedPlace = { root: repoRoot, dir: generatedDir };
const manifests = new Map<string, Manifest>();

function readManifest(place: GeneratedPlace): Manifest {
  let found = manifests.get(place.dir);
  if (!found) {
    try {
      found = JSON.parse(readFileSync(join(place.dir, 'manifest.json'), 'utf8')) as Manifest;
    } catch {
      found = {};
    }
    manifests.set(place.dir, found);
  }
  return found;
}

/** Documents read from a current bundle, with what the generator wrote beside them. */
const generated = new WeakMap<object, { vendor: string; entry: ManifestEntry; dir: string }>();

/** The vendor's bundle from src/generated/, when it is current; undefined otherwise (the caller bundles). */
export function readGeneratedBundle(name: string, place: GeneratedPlace = here): OpenApiDocument | undefined {
  const entry = readManifest(place)[name];
  if (!entry || hashFiles(entry.inputs, place.root) !== entry.inputsSha256) return undefined;
  let text: string;
  try {
    text = readFileSync(join(place.dir, `${name}.openapi.json`), 'utf8');
  } catch {
    return undefined;
  }
  if (sha256(text) !== entry.bundleSha256) return undefined;
  const doc = JSON.parse(text) as OpenApiDocument;
  generated.set(doc, { vendor: name, entry, dir: place.dir });
  return doc;
}

/** The vendor whose current generated bundle `doc` is (the very object read), if it is one. */
export function generatedVendorOf(doc: object): string | undefined {
  return generated.get(doc)?.vendor;
}

/** A part of the validators `npm run generate` writes (validator-plan.ts), each its own file. */
export type ValidatorsPart = 'requests' | 'responses';

/** A generated validators module: `strict` and `coercing` validators by JSON pointer or inline schema key. */
export interface ValidatorsModule {
  bundleSha256: string;
  strict: Record<string, unknown>;
  coercing: Record<string, unknown>;
  /** In the requests part: the keys the responses part holds. */
  responses?: { strict: string[]; coercing: string[] };
}

const require = createRequire(import.meta.url);
const loaded = new Map<
  string,
  { module: ValidatorsModule; elsewhere: { strict: Set<string>; coercing: Set<string> } } | undefined
>();

/**
 * A part of the precompiled validators of a document read from a current bundle, loaded on first use; undefined for
 * any other document (an edited spec, a copy, a test's broken spec), or when the file on disk is not the one the
 * manifest names.
 */
export function generatedValidators(doc: object, part: ValidatorsPart = 'requests'): ValidatorsModule | undefined {
  return load(doc, part)?.module;
}

function load(doc: object, part: ValidatorsPart) {
  const found = generated.get(doc);
  if (!found) return undefined;
  const file = join(found.dir, validatorsFileName(found.vendor, part));
  if (!loaded.has(file)) {
    let module: ValidatorsModule | undefined;
    try {
      const current = sha256(readFileSync(file)) === found.entry.validatorsSha256[part];
      module = current ? (require(file) as ValidatorsModule) : undefined;
    } catch {
      module = undefined;
    }
    const paired = module?.bundleSha256 === found.entry.bundleSha256 ? module : undefined;
    const elsewhere = {
      strict: new Set(paired?.responses?.strict ?? []),
      coercing: new Set(paired?.responses?.coercing ?? []),
    };
    loaded.set(file, paired ? { module: paired, elsewhere } : undefined);
  }
  return loaded.get(file);
}

/**
 * The precompiled validator of a document read from a current bundle for a key (a JSON pointer or an inline
 * schema's key), strict or coercing: from the requests part, or the responses part, loaded only then.
 */
export function precompiledValidator(doc: object, coerceTypes: boolean, key: string): unknown {
  const requests = load(doc, 'requests');
  if (!requests) return undefined;
  const mode = coerceTypes ? 'coercing' : 'strict';
  const own = requests.module[mode][key];
  if (own !== undefined || !requests.elsewhere[mode].has(key)) return own;
  return load(doc, 'responses')?.module[mode][key];
}
