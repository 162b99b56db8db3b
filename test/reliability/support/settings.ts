/**
 * How hard the reliability tests push. The small form runs in `npm test` (the whole folder in well under 90 s on two
 * cores); the long form is for nightly runs: `npm run test:reliability:long` (RELIABILITY=long). Every loop in these
 * tests is bounded twice, by a count and by a time budget from here, and stops by itself at whichever comes first.
 */
export const long = process.env.RELIABILITY === 'long';

/** A fixed fast-check seed to replay a failure (`RELIABILITY_SEED=<seed printed by the failure>`); random otherwise. */
export const seed = process.env.RELIABILITY_SEED === undefined ? undefined : Number(process.env.RELIABILITY_SEED);

const small = {
  /** fast-check runs per operation and property, and the time budget of each property. */
  fuzzRuns: 50,
  fuzzBudgetMs: 3_000,
  /** The "huge string" of the one-field mutations, in characters. */
  hugeString: 16 * 1024,
  /** Whether the costly hostile bodies (near 1 MiB, 100k levels deep) go to every operation, or one per vendor. */
  heavyEverywhere: false,
  /** Concurrent writes on one task, and per task when several tasks are written at once. */
  concurrentWrites: 200,
  concurrentPerTask: 50,
  /** Parallel iVvy adds. */
  parallelAdds: 200,
  /** Both ways of filling the disk (a file-size limit and a tiny tmpfs), or one (the tmpfs when it can be mounted). */
  everyFullDisk: false,
  /** SIGKILL cycles, and how long the write load runs before each kill (ms, a range). */
  crashCycles: 1,
  loadBeforeKillMs: [800, 1_500] as readonly [number, number],
  /** Writes per crash-test lane before it stops on its own, even if the kill never came. */
  writesPerLane: 2_000,
  /** Steady load: warm-up, then the measured part (ms), on this many connections. */
  soakWarmupMs: 2_000,
  soakMs: 6_000,
  soakConnections: 8,
};

const nightly: typeof small = {
  fuzzRuns: 400,
  fuzzBudgetMs: 60_000,
  hugeString: 900 * 1024,
  heavyEverywhere: true,
  concurrentWrites: 1_000,
  concurrentPerTask: 250,
  parallelAdds: 1_000,
  everyFullDisk: true,
  crashCycles: 5,
  loadBeforeKillMs: [300, 4_000],
  writesPerLane: 20_000,
  soakWarmupMs: 10_000,
  soakMs: 60_000,
  soakConnections: 16,
};

export const bounds: Readonly<typeof small> = Object.freeze(long ? nightly : small);

/** Figures worth reading (writes acknowledged, memory growth): printed in the long form or with RELIABILITY_VERBOSE=1. */
export function report(line: string): void {
  if (long || process.env.RELIABILITY_VERBOSE) console.info(`[reliability] ${line}`);
}

/** A per-test timeout that leaves room for a budget of `ms` plus start-up. */
export const timeoutFor = (ms: number): number => ms + 60_000;
