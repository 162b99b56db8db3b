/**
 * Property-based fuzzing of every operation of every vendor (each iVvy action on its own), authorised as a partner
 * so the requests reach the parsers, validators and handlers:
 *
 * - arbitrary requests: JSON (with `__proto__`/`constructor` keys and the operation's own field names), XML and
 *   near-XML, raw bytes and text, under any Content-Type and Accept, with arbitrary path parameters and query strings;
 * - every field of every valid body (the accepted samples, in JSON and written as XML) mutated one at a time;
 * - random deep mutations: one field anywhere replaced by an arbitrary value;
 * - arbitrary and tampered credential headers (Authorization, iVvy's signing headers, the R7 cookie);
 * - every method a path does not have.
 *
 * Every answer must be a documented status (2xx or 4xx; 5xx only the documented 501 not-implemented) in the
 * vendor's shape, without a stack trace or an internal path; afterwards the sandbox still answers, no prototype is
 * polluted and no stored record kept a pollution attempt. Bounded by `bounds.fuzzRuns` and `bounds.fuzzBudgetMs`.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toXml } from '../../src/xml/build.ts';
import { type RunningSandbox, startSandbox } from '../support/sandbox.ts';
import {
  acceptArbitrary,
  bodyArbitrary,
  jsonArbitrary,
  pathValueArbitrary,
  queryArbitrary,
} from './support/arbitraries.ts';
import { answerProblems, describeExchange } from './support/checks.ts';
import { type Answer, authorisation, encode, exchange, mergeHeaders, withQuery } from './support/client.ts';
import {
  pollutedRecords,
  pollutionSince,
  pool,
  prototypeSnapshot,
  stillAnswers,
  tempFolder,
} from './support/harness.ts';
import { fieldAt, fieldPaths, mutations, removed, withField } from './support/mutations.ts';
import { bounds, long, report, seed, timeoutFor } from './support/settings.ts';
import { allTargets, type Json, type JsonObject, type Target } from './support/targets.ts';

const targets = await allTargets();
const folder = tempFolder('fuzz');
const dataFile = join(folder.dir, 'sandbox.sqlite');
const prototypesBefore = prototypeSnapshot();
let sandbox: RunningSandbox;

beforeAll(async () => {
  // Rate limits off: the load is what this file is about, not the vendors' 429/503 (test/sandbox/rate-limit.test.ts).
  sandbox = await startSandbox({ dataFile, rateLimit: false });
});
afterAll(async () => {
  await sandbox?.close();
  folder.remove();
});

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** `false`: send the headers as they are, without the client's credentials. */
  authorise?: boolean;
}

/** Sends a request for `target` and returns what is wrong with the answer (with the request, to replay it). */
async function problemsOf(target: Target, request: Sent): Promise<string[]> {
  let answer: Answer | undefined;
  try {
    answer = await exchange(target.vendor, sandbox.base[target.vendor] as string, request);
  } catch (error) {
    return [`no answer: ${(error as Error).message}\n  ${describeExchange(request, undefined)}`];
  }
  const problems = await answerProblems(target.vendor, target.operation, answer);
  return problems.length === 0 ? [] : [`${problems.join('; ')}\n  ${describeExchange(request, answer)}`];
}

const fcParameters = (budgetMs: number) => ({
  numRuns: bounds.fuzzRuns,
  ...(seed !== undefined ? { seed } : {}),
  plugins: [fc.interruptAfterTimeLimit(budgetMs)],
});

/** A JSON body as sent, or an XML one written from the same tree under the schema's root element. */
function serialise(value: JsonObject, xml?: { root: string }): string {
  return xml ? toXml(value, xml.root, { alphabetical: false, dataContract: false }) : JSON.stringify(value);
}

/**
 * The valid bases of a target: each JSON one and each XML one (every media type) in the long form; in the small
 * form the JSON ones and one XML one (the first XML sample, else the first JSON base written as XML).
 */
function bases(target: Target): { mediaType: string; value: JsonObject; root?: string }[] {
  const json = target.json.map((value) => ({ mediaType: 'application/json', value }));
  const seen = new Set<string>();
  const xml = target.xml
    .filter((x) => {
      const key = `${x.mediaType}|${x.root}|${JSON.stringify(x.value)}`;
      return !seen.has(key) && seen.add(key);
    })
    .slice(0, long ? undefined : 1)
    .map((x) => ({ mediaType: x.mediaType, value: x.value, root: x.root }));
  return [...json, ...xml];
}

describe.each(targets)('$vendor $operation', (target) => {
  const withBody = target.method !== 'GET';
  const xmlRoot = target.xml[0]?.root;

  it(
    'answers arbitrary requests (bodies, content types, Accept, path parameters, query strings) in its own shape',
    async () => {
      const paramNames = Object.keys(target.params);
      const request = fc.record({
        body: withBody
          ? fc.option(bodyArbitrary(target.mediaTypes, xmlRoot, target.fields), { nil: undefined })
          : fc.constant(undefined),
        accept: acceptArbitrary,
        query: queryArbitrary,
        params: fc.record(
          Object.fromEntries(
            paramNames.map((n) => [
              n,
              fc.oneof(
                { weight: 2, arbitrary: fc.constant(encode(target.params[n] as string)) },
                { weight: 2, arbitrary: pathValueArbitrary(target.params[n] as string).map(encode) },
                { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%00', '%2F', '..%2F..', '%E0%A4%A', '(', ')') },
              ),
            ]),
          ),
        ),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ body, accept, query, params }) => {
          const path = withQuery(
            target.template.replace(/\{([^}]+)\}/g, (_m, n: string) => (params as Record<string, string>)[n] ?? n),
            [...target.query, ...query],
          );
          const headers: Record<string, string> = {
            ...(body?.contentType !== undefined ? { 'content-type': body.contentType } : {}),
            ...(accept !== undefined ? { accept } : {}),
          };
          const problems = await problemsOf(target, {
            method: target.method,
            path,
            headers,
            ...(body ? { body: body.body } : {}),
          });
          if (problems.length > 0) throw new Error(problems.join('\n'));
        }),
        fcParameters(bounds.fuzzBudgetMs),
      );
    },
    timeoutFor(bounds.fuzzBudgetMs),
  );

  // Operations without a body (GETs) have nothing to mutate.
  if (withBody)
    it(
      'answers every one-field mutation of every valid body with a 2xx or a 4xx in its own shape',
      async () => {
        const cases = bases(target).flatMap((base) =>
          fieldPaths(base.value, long ? 3 : 1).flatMap((path) =>
            mutations(bounds.hugeString).map((mutation) => ({ base, path, mutation })),
          ),
        );
        const problems: string[] = [];
        const deadline = Date.now() + bounds.fuzzBudgetMs * 2;
        const done = await pool(cases, 4, deadline, async ({ base, path, mutation }) => {
          const value = withField(base.value, path, mutation.apply(fieldAt(base.value, path)));
          const found = await problemsOf(target, {
            method: target.method,
            path: target.path,
            headers: { 'content-type': base.mediaType, accept: '*/*' },
            body: serialise(value, base.root ? { root: base.root } : undefined),
          });
          problems.push(...found.map((p) => `${path.join('.')} ${mutation.name} (${base.mediaType}): ${p}`));
        });
        report(`${target.vendor} ${target.operation}: ${done} of ${cases.length} one-field mutations sent`);
        expect(problems).toEqual([]);
        expect(done).toBeGreaterThan(0);
      },
      timeoutFor(bounds.fuzzBudgetMs * 2),
    );

  if (withBody)
    it(
      'answers random deep mutations of valid bodies in its own shape',
      async () => {
        const all = bases(target);
        const mutation = fc.nat({ max: all.length - 1 }).chain((i) => {
          const base = all[i] as (typeof all)[number];
          const paths = fieldPaths(base.value, 4);
          return fc.record({
            base: fc.constant(base),
            path: paths.length > 0 ? fc.constantFrom(...paths) : fc.constant(undefined),
            value: fc.oneof(
              { weight: 4, arbitrary: jsonArbitrary(target.fields) },
              { weight: 1, arbitrary: fc.constant<Json | typeof removed>(removed) },
            ),
          });
        });
        await fc.assert(
          fc.asyncProperty(mutation, async ({ base, path, value }) => {
            const body = path ? withField(base.value, path, value) : base.value;
            const problems = await problemsOf(target, {
              method: target.method,
              path: target.path,
              headers: { 'content-type': base.mediaType },
              body: serialise(body, base.root ? { root: base.root } : undefined),
            });
            if (problems.length > 0) throw new Error(problems.join('\n'));
          }),
          fcParameters(bounds.fuzzBudgetMs),
        );
      },
      timeoutFor(bounds.fuzzBudgetMs),
    );
});

/** The first operation of each vendor that needs credentials (and takes a body, when one does). */
const securedTargets = [...new Set(targets.map((t) => t.vendor))].map(
  (v) =>
    targets.find((t) => t.vendor === v && t.secured && t.mediaTypes.length > 0) ??
    (targets.find((t) => t.vendor === v && t.secured) as Target),
);

/** Header values a client could send (printable ASCII and Latin-1: what HTTP/1.1 carries). */
const headerValue = fc.oneof(
  fc.stringMatching(/^[\x20-\x7e]{0,80}$/),
  fc.stringMatching(/^[\x20-\x7e\xa0-\xff]{0,40}$/),
  fc.constantFrom(
    '',
    'Basic',
    'Basic ',
    'Basic =',
    'Basic Og==',
    'Bearer',
    'Bearer sbx..',
    'IWS :',
    'IWS a:b',
    'sbx.e30.x',
  ),
);

describe.each(securedTargets)('$vendor credentials ($operation)', (target) => {
  it(
    'answers arbitrary and tampered credential headers in its own shape (a 4xx, or a 2xx while they still hold)',
    async () => {
      const body = target.json[0] === undefined ? undefined : JSON.stringify(target.json[0]);
      const headers = {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        accept: 'application/json',
      };
      const valid = await authorisation(target.vendor, sandbox.base[target.vendor] as string, {
        method: target.method,
        path: target.path,
        headers,
        ...(body !== undefined ? { body } : {}),
      });
      const names = [
        ...new Set([...Object.keys(valid).map((n) => n.toLowerCase()), 'authorization', 'cookie', 'date']),
      ];
      const tampering = fc.record({
        /** Start from the valid credentials, or from none. */
        fromValid: fc.boolean(),
        changes: fc.array(fc.tuple(fc.constantFrom(...names), fc.option(headerValue, { nil: null })), {
          minLength: 1,
          maxLength: 3,
        }),
      });
      await fc.assert(
        fc.asyncProperty(tampering, async ({ fromValid, changes }) => {
          const sent: Record<string, string> = { ...headers, ...(fromValid ? mergeHeaders(valid) : {}) };
          for (const [name, value] of changes) {
            if (value === null) delete sent[name];
            else sent[name] = value;
          }
          const problems = await problemsOf(target, {
            method: target.method,
            path: target.path,
            headers: sent,
            ...(body !== undefined ? { body } : {}),
            authorise: false,
          });
          if (problems.length > 0) throw new Error(problems.join('\n'));
        }),
        fcParameters(bounds.fuzzBudgetMs),
      );
    },
    timeoutFor(bounds.fuzzBudgetMs),
  );
});

/** `method` on a target's path: answered as the operation it names there, else as the vendor's not-found; or why not. */
async function otherMethodProblem(target: (typeof targets)[number], method: string): Promise<string | undefined> {
  const body = method === 'GET' ? undefined : JSON.stringify(target.json[0] ?? {});
  const request = {
    method,
    path: target.path,
    headers: (body === undefined ? {} : { 'content-type': 'application/json' }) as Record<string, string>,
    ...(body === undefined ? {} : { body }),
  };
  const answer = await exchange(target.vendor, sandbox.base[target.vendor] as string, request);
  // The operation this method names on this path, if any; else the vendor's not-found answer of any operation.
  const same = targets.find((t) => t.vendor === target.vendor && t.template === target.template && t.method === method);
  const candidates = same ? [same] : targets.filter((t) => t.vendor === target.vendor);
  const found = await Promise.all(candidates.map((t) => answerProblems(t.vendor, t.operation, answer)));
  if (found.some((f) => f.length === 0)) return undefined;
  return `${found[0]?.join('; ')}\n  ${describeExchange(request, answer)}`;
}

describe('methods a path does not have', () => {
  const methods = ['GET', 'PUT', 'POST', 'PATCH', 'DELETE', 'OPTIONS'];
  it.each(targets)(
    '$vendor $path: every other method is answered in the vendor’s shape, never a 5xx',
    async (target) => {
      const problems: string[] = [];
      for (const method of methods.filter((m) => m !== target.method)) {
        const problem = await otherMethodProblem(target, method);
        if (problem) problems.push(problem);
      }
      expect(problems).toEqual([]);
    },
  );
});

describe('after the fuzzing', () => {
  it('the sandbox still answers every vendor, nothing is polluted and no stored record kept a pollution attempt', async () => {
    expect(await stillAnswers(sandbox.origin, sandbox.base)).toEqual([]);
    expect(pollutionSince(prototypesBefore)).toEqual([]);
    expect(await pollutedRecords(sandbox.store)).toEqual([]);
  });
});
