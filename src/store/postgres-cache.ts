/**
 * The PostgreSQL engine's read cache, correct across instances. What an instance read of a tenant's records is
 * kept with the tenant's version (a counter every committed write of the tenant's rows raises, in the same
 * transaction) and the store's generation (raised by a reset). A transaction reads both in its first round trip,
 * right after taking the tenant's lock, so it knows whether what this instance kept is still what the database
 * holds: when another instance wrote in between, the versions differ and the kept reads are dropped.
 *
 * Only transactions use it (they read the versions for free with their BEGIN, and hold the tenant's lock, so
 * nothing changes under them). A transaction's own writes stay in the transaction until COMMIT returns; only then
 * do they enter the cache, under the version the commit gave.
 */

/** What this instance knows of one tenant's records, as of (version, generation). */
export interface Known {
  readonly tenant: string;
  version: string;
  readonly generation: string;
  /** `kind\0id` (id as stored) → the body the read resolved to, null when there was none. */
  readonly records: Map<string, string | null>;
  /** kind → every record of the kind the tenant sees, by id (as stored), in list order. */
  readonly lists: Map<string, Map<string, string>>;
  /** Entries held: records, and each list's rows. */
  size: number;
}

export const recordKey = (kind: string, id: string) => `${kind}\0${id}`;

/** Entries (records, and rows of lists) kept at most; the least recently used tenant goes first. */
const LIMIT = 5000;

export class ReadCache {
  readonly #tenants = new Map<string, Known>();
  #size = 0;

  /** The tenant's reads as of (version, generation): the ones kept when they are of that, else none. */
  at(tenant: string, version: string, generation: string): Known {
    const kept = this.#tenants.get(tenant);
    if (kept) {
      this.#tenants.delete(tenant);
      if (kept.version === version && kept.generation === generation) {
        this.#tenants.set(tenant, kept);
        return kept;
      }
      this.#size -= kept.size;
    }
    const fresh: Known = { tenant, version, generation, records: new Map(), lists: new Map(), size: 0 };
    this.#tenants.set(tenant, fresh);
    return fresh;
  }

  /** A record's body as kept (null: known to be absent), or undefined when it is not known. */
  record(known: Known, kind: string, id: string): string | null | undefined {
    const body = known.records.get(recordKey(kind, id));
    if (body !== undefined) return body;
    const list = known.lists.get(kind);
    return list ? (list.get(id) ?? null) : undefined;
  }

  rememberRecord(known: Known, kind: string, id: string, body: string | null): void {
    if (this.#tenants.get(known.tenant) !== known) return;
    known.records.set(recordKey(kind, id), body);
    this.#grow(known, 1);
  }

  rememberList(known: Known, kind: string, rows: Map<string, string>): void {
    if (this.#tenants.get(known.tenant) !== known || rows.size > LIMIT / 4) return;
    this.#grow(known, rows.size - (known.lists.get(kind)?.size ?? 0));
    known.lists.set(kind, rows);
  }

  /**
   * A transaction of the tenant that read `known` committed these writes and raised the tenant's version to
   * `version`: the kept reads move to the new version with the writes in (records and lists alike). The transaction
   * held the tenant's lock throughout, so nothing else changed.
   */
  committed(known: Known, version: string, writes: readonly { kind: string; id: string; body: string }[]): void {
    if (this.#tenants.get(known.tenant) !== known) return;
    let change = 0;
    for (const w of writes) {
      const key = recordKey(w.kind, w.id);
      if (!known.records.has(key)) change += 1;
      known.records.set(key, w.body);
    }
    for (const kind of new Set(writes.map((w) => w.kind))) {
      const list = known.lists.get(kind);
      if (!list) continue;
      const updated = withWrites(
        list,
        writes.filter((w) => w.kind === kind),
      );
      change += updated.size - list.size;
      known.lists.set(kind, updated);
    }
    known.version = version;
    this.#grow(known, change);
  }

  /** Forgets a tenant's reads (a transaction that wrote them may not have committed). */
  forget(tenant: string): void {
    const kept = this.#tenants.get(tenant);
    if (!kept) return;
    this.#tenants.delete(tenant);
    this.#size -= kept.size;
  }

  #grow(known: Known, by: number): void {
    known.size += by;
    this.#size += by;
    while (this.#size > LIMIT && this.#tenants.size > 1) {
      const [oldest, kept] = this.#tenants.entries().next().value as [string, Known];
      this.#tenants.delete(oldest);
      this.#size -= kept.size;
    }
  }
}

/** The byte order of UTF-8 text: the order of COLLATE "C" (and of SQLite), the lists' order. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** A list (id → body, in id order) with these writes of its kind in: replaced in place, or added in order. */
export function withWrites(
  rows: ReadonlyMap<string, string>,
  writes: readonly { id: string; body: string }[],
): Map<string, string> {
  const out = new Map(rows);
  let added = false;
  for (const w of writes) {
    if (!out.has(w.id)) added = true;
    out.set(w.id, w.body);
  }
  return added ? new Map([...out].sort(([a], [b]) => byteOrder(a, b))) : out;
}
