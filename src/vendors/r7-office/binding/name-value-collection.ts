/**
 * System.Collections.Specialized.NameValueCollection as the vendor's binder fills and reads it: keys compared
 * without regard to letter case, several values per key in the order they were added, a null key allowed (a query
 * segment without `=`), and `Get(name)` joining the values with commas.
 */
export class NameValueCollection {
  readonly #entries = new Map<string, { key: string | null; values: string[] }>();

  static #fold(key: string | null): string {
    return key === null ? '\0null' : key.toUpperCase();
  }

  add(key: string | null, value: string): void {
    const folded = NameValueCollection.#fold(key);
    const entry = this.#entries.get(folded);
    if (entry) entry.values.push(value);
    else this.#entries.set(folded, { key, values: [value] });
  }

  addAll(other: NameValueCollection): void {
    for (const { key, values } of other.#entries.values()) for (const value of values) this.add(key, value);
  }

  /** `collection[name]`: the values joined with `,`, or null when the key is absent. */
  get(key: string): string | null {
    const entry = this.#entries.get(NameValueCollection.#fold(key));
    return entry ? entry.values.join(',') : null;
  }

  getValues(key: string): readonly string[] | undefined {
    return this.#entries.get(NameValueCollection.#fold(key))?.values;
  }

  /** Keys in the order they were first added (for tests and diagnostics). */
  keys(): (string | null)[] {
    return [...this.#entries.values()].map((e) => e.key);
  }
}
