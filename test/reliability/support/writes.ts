/**
 * The writes and reads the concurrency, crash and soak tests make, one per vendor: each write carries a distinct
 * value (a subject, a title, a name) so that the state found afterwards can be traced to the write that made it.
 * Bodies start from the valid bases of ./targets.ts (the documented samples), so nothing here repeats a schema.
 */
import { type Answer, exchange } from './client.ts';
import { allTargets, type JsonObject } from './targets.ts';

const all = await allTargets();
const base = (vendor: string, operation: string, index = 0): JsonObject => {
  const found = all.find((t) => t.vendor === vendor && t.operation === operation)?.json[index];
  if (!found) throw new Error(`no valid ${vendor} ${operation} body`);
  return found;
};

/** Tasks of the sandbox data each vendor module seeds (src/vendors/<vendor>/sandbox-data.*). */
export const tasks = {
  odyssee: [
    'f7d828f8-7316-428f-9ae8-f04ecefda91e',
    'ec77bdfe-882b-4254-84a2-979f5c2b20a9',
    'b5c1d2e3-f405-4617-a829-3b4c5d6e7f80',
  ],
  r7: [1234, 1235, 1236, 1237],
  ivvy: [3267, 3268, 3269],
} as const;

export interface Written<T = Record<string, unknown>> {
  answer: Answer;
  /** The parsed JSON answer when the status is 2xx. */
  body?: T;
}

const parsed = <T = Record<string, unknown>>(answer: Answer): Written<T> => ({
  answer,
  ...(answer.status >= 200 && answer.status < 300 ? { body: JSON.parse(answer.body) as T } : {}),
});

const json = { 'content-type': 'application/json', accept: 'application/json' };

/** Odyssee: PUT /api/Task(id) with the documented sample, its subject set (≤ 150 characters). */
export async function odysseeUpdate(
  origin: Record<string, string>,
  id: string,
  subject: string,
  user?: string,
  extra: Record<string, unknown> = {},
) {
  const body = { ...base('odyssee', 'updateTask'), ...extra, id, subject };
  return parsed(
    await exchange('odyssee', origin.odyssee as string, {
      method: 'PUT',
      path: `/api/Task(${id})`,
      headers: json,
      body: JSON.stringify(body),
      ...(user ? { credentials: { user } } : {}),
    }),
  );
}

export async function odysseeRead(origin: Record<string, string>, id: string, user?: string) {
  return parsed(
    await exchange('odyssee', origin.odyssee as string, {
      method: 'GET',
      path: `/api/Task(${id})`,
      headers: { accept: 'application/json' },
      ...(user ? { credentials: { user } } : {}),
    }),
  );
}

/** Odyssee: POST /api/TaskActivityLog/Save without an id: the sandbox adds a log with a new one. */
export async function odysseeAddLog(origin: Record<string, string>, subject: string) {
  const { id: _id, ...rest } = base('odyssee', 'saveTaskActivityLog');
  return parsed<{ id: string; subject: string }>(
    await exchange('odyssee', origin.odyssee as string, {
      method: 'POST',
      path: '/api/TaskActivityLog/Save',
      headers: json,
      body: JSON.stringify({ ...rest, subject }),
    }),
  );
}

/** R7-Office: PUT task/{id} with a valid body, its title set. */
export async function r7Update(
  origin: Record<string, string>,
  id: number,
  title: string,
  extra: Record<string, unknown> = {},
) {
  const body = { ...base('r7-office', 'updateTask'), ...extra, title };
  return parsed(
    await exchange('r7-office', origin['r7-office'] as string, {
      method: 'PUT',
      path: `/api/2.0/crm/task/${id}`,
      headers: json,
      body: JSON.stringify(body),
    }),
  );
}

export async function r7Read(origin: Record<string, string>, id: number) {
  return parsed(
    await exchange('r7-office', origin['r7-office'] as string, {
      method: 'GET',
      path: `/api/2.0/crm/task/${id}`,
      headers: { accept: 'application/json' },
    }),
  );
}

type IvvyTask = { id: number; name: string };

/** iVvy: addOrUpdateTask without an id (the documented add sample), its name set; as partner `apiKey`. */
export async function ivvyAdd(origin: Record<string, string>, apiKey: string, name: string) {
  return parsed<{ success: boolean; id: number }>(
    await exchange('ivvy', origin.ivvy as string, {
      method: 'POST',
      path: '/api/1.0/crm?action=addOrUpdateTask',
      headers: json,
      body: JSON.stringify({ ...base('ivvy', 'addOrUpdateTask', 0), name }),
      credentials: { apiKey },
    }),
  );
}

/** iVvy: addOrUpdateTask of an existing task (the documented update sample), its name set. */
export async function ivvyUpdate(origin: Record<string, string>, apiKey: string, id: number, name: string) {
  return parsed<{ success: boolean; id: number }>(
    await exchange('ivvy', origin.ivvy as string, {
      method: 'POST',
      path: '/api/1.0/crm?action=addOrUpdateTask',
      headers: json,
      body: JSON.stringify({ ...base('ivvy', 'addOrUpdateTask', 1), id, name }),
      credentials: { apiKey },
    }),
  );
}

/** iVvy: addOrUpdateTask with exactly these fields (an update of some fields of a task). */
export async function ivvyUpdateFields(
  origin: Record<string, string>,
  apiKey: string,
  fields: Record<string, unknown>,
) {
  return parsed<{ success: boolean; id: number }>(
    await exchange('ivvy', origin.ivvy as string, {
      method: 'POST',
      path: '/api/1.0/crm?action=addOrUpdateTask',
      headers: json,
      body: JSON.stringify(fields),
      credentials: { apiKey },
    }),
  );
}

/** Every task partner `apiKey` sees, page by page (at most `maxPages` pages of 100). */
export async function ivvyList(origin: Record<string, string>, apiKey: string, maxPages = 200): Promise<IvvyTask[]> {
  const found: IvvyTask[] = [];
  for (let page = 0; page < maxPages; page++) {
    const { answer, body } = parsed<{ meta: { totalResults: number }; results: IvvyTask[] }>(
      await exchange('ivvy', origin.ivvy as string, {
        method: 'POST',
        path: '/api/1.0/crm?action=getTaskList',
        headers: json,
        body: JSON.stringify({ start: page * 100, perPage: 100 }),
        credentials: { apiKey },
      }),
    );
    if (!body) throw new Error(`getTaskList: ${answer.status} ${answer.body}`);
    found.push(...body.results);
    if (found.length >= body.meta.totalResults || body.results.length === 0) break;
  }
  return found;
}
