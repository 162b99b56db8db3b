/**
 * The benchmark cases: each is one documented sample from mocks/, sent as its manifest replays it. Method, path,
 * media type and body schema are read from the spec and the manifest, never typed here.
 */
import { fillPath } from '../src/contract/cases.ts';
import {
  findOperation,
  type Located,
  listSamples,
  loadSpec,
  localPrefix,
  type OpenApiDocument,
  requestSchemaPointer,
} from '../src/spec/index.ts';

export interface BenchCase {
  readonly id: string;
  readonly title: string;
  /** The sample, relative to mocks/. */
  readonly sample: string;
}

export const benchCases: readonly BenchCase[] = [
  { id: 'odyssee-task-put', title: 'Odyssee Task PUT (JSON, Basic)', sample: 'odyssee/updateTask/seed.request.json' },
  {
    id: 'odyssee-activity-log-xml',
    title: 'Odyssee TaskActivityLog Save (XML, Basic)',
    sample: 'odyssee/saveTaskActivityLog/seed-xml.request.xml',
  },
  {
    id: 'ivvy-add-task',
    title: 'iVvy addOrUpdateTask, add (signed)',
    sample: 'ivvy/addOrUpdateTask/seed-add.request.json',
  },
  {
    id: 'r7-task-update',
    title: 'R7-Office task update (token)',
    sample: 'r7-office/updateTask/corrected.request.json',
  },
];

/** The case the sandbox/ceiling targets are set on. */
export const HEADLINE_CASE = 'odyssee-task-put';

export interface PreparedCase extends BenchCase {
  readonly vendor: string;
  readonly operation: string;
  readonly method: string;
  /** The vendor's own path and query, without a local prefix: `/api/Task(f7d8…)`. */
  readonly path: string;
  /** The operation's path template (`/api/Task({id})`). */
  readonly template: string;
  /** The local prefix the sandbox and the mock serve the vendor under (`/odyssee`). */
  readonly prefix: string;
  readonly mediaType: string;
  /** The sample's exact bytes. */
  readonly body: Buffer;
  /** JSON pointer of the request body schema in the bundled spec. */
  readonly schemaPointer: string;
  readonly doc: OpenApiDocument;
}

export async function prepareCases(selected: readonly BenchCase[]): Promise<PreparedCase[]> {
  const samples = listSamples();
  return Promise.all(
    selected.map(async (c) => {
      const sample = samples.find((s) => s.id === c.sample);
      if (!sample) throw new Error(`${c.id}: no sample mocks/${c.sample}`);
      const { manifest } = sample;
      const doc = await loadSpec(sample.vendor);
      const located: Located | undefined = findOperation(doc, manifest.operation);
      if (!located) throw new Error(`${c.id}: no operation ${manifest.operation} in the ${sample.vendor} spec`);
      const schemaPointer =
        requestSchemaPointer(doc, located, manifest.mediaType) ??
        requestSchemaPointer(doc, { entry: located.entry }, manifest.mediaType);
      if (!schemaPointer) throw new Error(`${c.id}: no ${manifest.mediaType} request body in the spec`);
      const query = new URLSearchParams(manifest.replay?.query ?? {}).toString();
      const path = fillPath(located.entry.path, manifest.replay?.path) + (query ? `?${query}` : '');
      return {
        ...c,
        vendor: sample.vendor,
        operation: manifest.operation,
        method: located.entry.method.toUpperCase(),
        path,
        template: located.entry.path,
        prefix: localPrefix(doc),
        mediaType: manifest.mediaType,
        body: sample.bytes,
        schemaPointer,
        doc,
      };
    }),
  );
}

/** The request headers every server gets for a case, before authorisation. */
export function baseHeaders(c: PreparedCase): Record<string, string> {
  return { 'content-type': c.mediaType, accept: /xml/.test(c.mediaType) ? c.mediaType : 'application/json' };
}

export function selectCases(ids: readonly string[] | undefined): BenchCase[] {
  if (!ids || ids.length === 0) return [...benchCases];
  return ids.map((id) => {
    const found = benchCases.find((c) => c.id === id);
    if (!found) throw new Error(`unknown case ${id}; known: ${benchCases.map((c) => c.id).join(', ')}`);
    return found;
  });
}
