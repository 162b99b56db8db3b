/**
 * `npm run proxy:examples -- <har>`: recorded exchanges (--record, or any HAR 1.2 of this traffic) as candidate
 * named examples for the mock, in mocks/'s layout (mocks/README.md): for each exchange that succeeded and whose
 * request and answer both conformed when recorded (its `_violations`) and still conform to the spec (the request
 * body against its schema, the answer with the contract suite's check; checked again here), the request body
 * and the answer body, each with its manifest, marked `source.recorded`. The spec entries that would serve them are
 * printed; nothing is added to the specs.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { mediaTypeOf } from '../server/media-type.ts';
import type { RouteSpec } from '../server/routes.ts';
import { findOperation, mocksDir, repoRoot, requestSchemaPointer } from '../spec/index.ts';
import { parseXml } from '../xml/parse.ts';
import type { RequestChecker, Verdict } from './checker.ts';
import type { HarEntry } from './har.ts';
import { inspectAnswer } from './inspect.ts';
import type { ProxyVendor } from './vendors.ts';

export interface Candidate {
  vendor: string;
  operation: string;
  example: string;
  /** Files written (or that would be), relative to the repository when inside it. */
  files: string[];
  /** The spec entries that would serve it, as YAML to paste. */
  specEntries: string[];
}

export interface Skipped {
  entry: number;
  why: string;
}

const formatOf = (mediaType: string): 'json' | 'xml' | undefined =>
  /json/.test(mediaType) ? 'json' : /[/+]xml$/.test(mediaType) ? 'xml' : undefined;

const headerOf = (headers: { name: string; value: string }[], name: string) =>
  headers.find((h) => h.name.toLowerCase() === name)?.value;

/**
 * The vendor, the route and the path under our prefix of a recorded URL: by `_vendor`, else whichever vendor's
 * router takes it (the pipeline routes before any check, so a recording's redacted credentials do not matter).
 */
async function locate(
  vendors: readonly ProxyVendor[],
  checker: RequestChecker,
  entry: HarEntry,
): Promise<{ vendor: ProxyVendor; localPath: string; query: string; verdict: Verdict } | undefined> {
  const url = new URL(entry.request.url);
  const query = url.search.replace(/^\?/, '');
  const candidates = entry._vendor ? vendors.filter((v) => v.name === entry._vendor) : vendors;
  for (const vendor of candidates) {
    const path = url.pathname;
    // Under our prefix (recorded through --target), else the vendor's own path after whatever base its URL has.
    const tries = path.startsWith(`${vendor.prefix}/`)
      ? [path]
      : [...path.matchAll(/\//g)].map((m) => vendor.prefix + path.slice(m.index));
    for (const localPath of tries) {
      const verdict = await checker.check({
        method: entry.request.method,
        url: query ? `${localPath}?${query}` : localPath,
        headers: {},
      });
      if (verdict.route) return { vendor, localPath, query, verdict };
    }
  }
  return undefined;
}

/** What is wrong with a recorded request body against its operation's request schema (JSON, or XML coerced). */
function bodyProblems(vendor: ProxyVendor, operation: string, mediaType: string, bytes: Buffer): string[] {
  const located = findOperation(vendor.doc, operation);
  const pointer = located && requestSchemaPointer(vendor.doc, located, mediaType);
  if (!pointer) return [`${operation} documents no ${mediaType} request body`];
  try {
    const xml = formatOf(mediaType) === 'xml';
    const value = xml ? parseXml(bytes.toString('utf8')).value : JSON.parse(bytes.toString('utf8'));
    const validate = (xml ? vendor.validators.coercing : vendor.validators.strict).at(pointer);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `body${e.instancePath} ${e.message}`);
  } catch (error) {
    return [`the body does not parse: ${(error as Error).message}`];
  }
}

export async function examplesFromHar(
  harFile: string,
  vendors: readonly ProxyVendor[],
  checker: RequestChecker,
  options: { out?: string; write?: boolean } = {},
): Promise<{ candidates: Candidate[]; skipped: Skipped[] }> {
  const out = options.out ?? mocksDir;
  const har = JSON.parse(readFileSync(harFile, 'utf8')) as { log?: { entries?: HarEntry[] } };
  const entries = har.log?.entries ?? [];
  const candidates: Candidate[] = [];
  const skipped: Skipped[] = [];
  for (const [index, entry] of entries.entries()) {
    const judged = await judge(entry, vendors, checker);
    if ('why' in judged) {
      skipped.push({ entry: index, why: judged.why });
      continue;
    }
    const recorded = { har: basename(harFile), entry: index, at: entry.startedDateTime, url: entry.request.url };
    const candidate = writeCandidate(judged, entry, recorded, { out, write: options.write !== false });
    if (!candidates.some((c) => c.example === candidate.example)) candidates.push(candidate);
  }
  return { candidates, skipped };
}

/** One body of an exchange that becomes a sample. */
interface Side {
  side: 'request' | 'response';
  mediaType: string;
  bytes: Buffer;
}

/** An exchange that becomes a candidate: where it belongs and the bodies it gives. */
interface Accepted {
  vendor: ProxyVendor;
  verdict: Verdict;
  route: RouteSpec;
  /** The operation, or the iVvy action the query names. */
  operation: string;
  status: number;
  sides: Side[];
}

/** Whether an exchange becomes a candidate, and if not, why not (the first reason, in the order they are checked). */
async function judge(
  entry: HarEntry,
  vendors: readonly ProxyVendor[],
  checker: RequestChecker,
): Promise<Accepted | { why: string }> {
  const where = await locate(vendors, checker, entry);
  if (!where)
    return {
      why: `${entry.request.method} ${entry.request.url}: not an operation of ${vendors.map((v) => v.name).join(', ')}`,
    };
  const refused = recordingRefusal(entry);
  if (refused) return { why: refused };
  const { vendor, verdict } = where;
  const route = verdict.route as RouteSpec;
  const named = typeof verdict.query.action === 'string' ? verdict.query.action : undefined;
  const operation = route.actions && named && route.actions.has(named) ? named : route.operationId;
  const post = entry.request.postData;
  const request = post
    ? { mediaType: mediaTypeOf(headerOf(entry.request.headers, 'content-type')), bytes: Buffer.from(post.text, 'utf8') }
    : undefined;
  const broken = contractRefusal(entry, vendor, operation, request);
  if (broken) return { why: broken };
  const sides = samples(entry, request);
  if (sides.length === 0) return { why: 'neither body is JSON or XML (mocks/ holds JSON and XML samples)' };
  return { vendor, verdict, route, operation, status: entry.response.status, sides };
}

/** What makes a recording unfit to be a sample whatever the spec says: a failure, redacted or cut bytes, violations. */
function recordingRefusal(entry: HarEntry): string | undefined {
  const status = entry.response.status;
  if (status < 200 || status >= 300) return `status ${status}: only successful exchanges become examples`;
  if (entry._redacted?.length)
    return `its ${entry._redacted.join(' and ')} had credentials redacted: not the bytes exchanged`;
  const post = entry.request.postData;
  if (post?.comment) return `the request body was not recorded whole (${post.comment})`;
  // The request was checked whole when it was recorded (credentials included, now redacted): its findings stand.
  const broken = entry._violations ?? [];
  if (broken.length)
    return `it broke the contract when recorded: ${broken.map((v) => `${v.side} ${v.where}: ${v.what}`).join('; ')}`;
  return undefined;
}

/** What breaks the spec, checked again now: the request body against its schema, the answer as the suite checks. */
function contractRefusal(
  entry: HarEntry,
  vendor: ProxyVendor,
  operation: string,
  request: Omit<Side, 'side'> | undefined,
): string | undefined {
  const problems =
    request && formatOf(request.mediaType) ? bodyProblems(vendor, operation, request.mediaType, request.bytes) : [];
  if (problems.length) return `the request body breaks its schema: ${problems.join('; ')}`;
  const content = entry.response.content;
  if (content.encoding || content.comment || content.text === undefined)
    return 'the answer body was not recorded whole as text';
  const answerProblems = inspectAnswer(vendor, operation, {
    status: entry.response.status,
    contentType: headerOf(entry.response.headers, 'content-type') ?? content.mimeType,
    body: content.text,
  });
  if (answerProblems.length) return `the answer breaks the contract: ${answerProblems.map((v) => v.what).join('; ')}`;
  return undefined;
}

/** The bodies that become samples: the request's and the answer's, each when it is JSON or XML. */
function samples(entry: HarEntry, request: Omit<Side, 'side'> | undefined): Side[] {
  const sides: Side[] = [];
  if (request && formatOf(request.mediaType)) sides.push({ side: 'request', ...request });
  const content = entry.response.content;
  const answerMedia = mediaTypeOf(headerOf(entry.response.headers, 'content-type') ?? content.mimeType);
  if (formatOf(answerMedia))
    sides.push({ side: 'response', mediaType: answerMedia, bytes: Buffer.from(content.text ?? '', 'utf8') });
  return sides;
}

/**
 * The candidate's files in mocks/'s layout (each body and its manifest; with `write` false, only named), and the
 * spec entries that would serve them. The name is a hash of the bodies, so a recording repeated is one candidate.
 */
function writeCandidate(
  accepted: Accepted,
  entry: HarEntry,
  recorded: { har: string; entry: number; at: string; url: string },
  options: { out: string; write: boolean },
): Candidate {
  const { vendor, verdict, operation, status, sides } = accepted;
  const hash = createHash('sha256');
  for (const s of sides) hash.update(s.side).update(s.bytes);
  const name = `recorded-${hash.digest('hex').slice(0, 10)}`;
  const example = `${operation}-${name}`;
  const dir = join(options.out, vendor.name, operation);
  const candidate: Candidate = { vendor: vendor.name, operation, example, files: [], specEntries: [] };
  const params = Object.fromEntries(Object.entries(verdict.params).map(([k, v]) => [k, String(v)]));
  const queryValues = Object.fromEntries(
    Object.entries(verdict.query).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
  );
  for (const s of sides) {
    const file = join(dir, `${name}.${s.side}.${formatOf(s.mediaType)}`);
    const manifest = {
      operation,
      side: s.side,
      mediaType: s.mediaType,
      example,
      source: { recorded, verbatim: true },
      ...(s.side === 'request'
        ? { replay: { path: params, query: queryValues }, expect: { outcome: 'accepted', status } }
        : {}),
      note:
        `Recorded through the validating proxy and checked against the spec (request and answer) by npm run ` +
        `proxy:examples; a candidate until the spec names it as an example.`,
    };
    if (options.write) {
      mkdirSync(dir, { recursive: true });
      if (!existsSync(file)) writeFileSync(file, s.bytes);
      writeFileSync(file.replace(/\.(json|xml)$/, '.yaml'), stringify(manifest, { lineWidth: 118 }));
    }
    const shown = file.startsWith(repoRoot) ? relative(repoRoot, file) : file;
    candidate.files.push(shown, shown.replace(/\.(json|xml)$/, '.yaml'));
    candidate.specEntries.push(specEntry(accepted, s, name, example, entry.startedDateTime));
  }
  return candidate;
}

/** Where the spec would name a sample, as YAML to paste under that place. */
function specEntry(accepted: Accepted, s: Side, name: string, example: string, at: string): string {
  const { vendor, route, operation, status } = accepted;
  const place =
    s.side === 'request'
      ? `${route.method.toLowerCase()} ${route.specPath} requestBody content ${s.mediaType} examples`
      : `${route.method.toLowerCase()} ${route.specPath} responses ${status} content ${s.mediaType} examples`;
  const action = operation !== route.operationId ? ` (x-actions ${operation})` : '';
  return `# specs/${vendor.name}: ${place}${action}\n${example}:\n  summary: Recorded ${at}\n  externalValue: ../../../mocks/${vendor.name}/${operation}/${name}.${s.side}.${formatOf(s.mediaType)}`;
}
