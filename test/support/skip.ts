/**
 * A skipped test says why where it is skipped: vitest's default reporter shows a passing file's skipped tests only as
 * a count, so the reason is printed when the file is collected, under the file's name in the run's output.
 */

/** Prints `skipped: <what>: <why>` when `skip` holds; returns `skip`, to read inside `it.skipIf(…)`. */
export function skipWhy(skip: boolean, what: string, why: string): boolean {
  if (skip) console.warn(`skipped: ${what}: ${why}`);
  return skip;
}

/** The name of a test that is always skipped, `skipped, <why>`, its reason printed: `it.skip(skipped('…'), …)`. */
export function skipped(why: string): string {
  console.warn(`skipped: ${why}`);
  return `skipped, ${why}`;
}
