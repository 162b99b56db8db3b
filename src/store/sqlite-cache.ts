/**
 * The SQLite store's read cache: the JSON text each read resolved to (a record, a tenant's list of a kind, a
 * list's records by a field's value), so a repeated read parses a fresh object without a query. The store keeps it
 * right: it records its own writes here and clears it on anything else (see sqlite.ts).
 */

/** Entries each map holds at most (the oldest goes first), so the cache cannot outgrow the data. */
const CACHED = 5000;

const recordKey = (tenant: string, kind: string, id: string) => `${tenant}\0${kind}\0${id}`;
const listKey = (tenant: string, kind: string) => `${tenant}\0${kind}`;

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}

export class ReadCache {
  /** (tenant, kind, id) → the body that read resolved to, `null` when there was none. */
  readonly #records = new Map<string, string | null>();
  /** (tenant, kind) → the list's JSON array text. */
  readonly #lists = new Map<string, string>();
  /**
   * (tenant, kind) → field → value → the body of the list's first record with that value: `find` by an ERP key
   * parses one record, not the list. Built from the list on the first `find` of a field, dropped with the list.
   */
  readonly #indexes = new Map<string, Map<string, Map<unknown, string>>>();

  /** The body of (tenant, kind, id), `load`ed on a miss. */
  body(tenant: string, kind: string, id: string, load: () => string | null): string | null {
    const key = recordKey(tenant, kind, id);
    let body = this.#records.get(key);
    if (body === undefined) {
      body = load();
      remember(this.#records, key, body);
    }
    return body;
  }

  /** The tenant's list of a kind as a JSON array, its bodies `load`ed on a miss. */
  list(tenant: string, kind: string, load: () => string[]): string {
    const key = listKey(tenant, kind);
    let text = this.#lists.get(key);
    if (text === undefined) {
      text = `[${load().join(',')}]`;
      remember(this.#lists, key, text);
    }
    return text;
  }

  /** The body of the list's first record whose `field` is `value` (a primitive), the list `load`ed on a miss. */
  found(tenant: string, kind: string, field: string, value: unknown, load: () => string[]): string | undefined {
    const key = listKey(tenant, kind);
    let fields = this.#indexes.get(key);
    if (fields === undefined) {
      fields = new Map();
      remember(this.#indexes, key, fields);
    }
    let index = fields.get(field);
    if (index === undefined) {
      index = new Map();
      for (const body of load()) {
        const at = (JSON.parse(body) as Record<string, unknown>)[field];
        // The first in list order wins, as a search of the list finds it.
        if ((typeof at !== 'object' || at === null) && !index.has(at)) index.set(at, body);
      }
      fields.set(field, index);
    }
    return index.get(value);
  }

  /** A tenant's own write: its record as written, its kind's list and indexes to be read again. */
  wrote(tenant: string, kind: string, id: string, body: string): void {
    remember(this.#records, recordKey(tenant, kind, id), body);
    this.#lists.delete(listKey(tenant, kind));
    this.#indexes.delete(listKey(tenant, kind));
  }

  clear(): void {
    this.#records.clear();
    this.#lists.clear();
    this.#indexes.clear();
  }
}
