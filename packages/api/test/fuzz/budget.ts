import { scaled, type TestDatabaseKind } from '@contox/db/testing';

/** How much fuzzing one run does on one database, and from which seed. */
export interface Budget {
  seed: number;
  /** Cases per subject in one round (each case is 1 to 4 requests sent at once). */
  casesPerSubject: number;
  /** Rounds over every subject: a long run keeps going round until its time is up. */
  rounds: number;
  /** Wall-clock limit of the fuzzing, after which no new round starts; null: none. */
  deadlineMs: number | null;
  /** The vitest timeout of the test. */
  timeoutMs: number;
  /** A long run prints the statuses of every target: how far its inputs got. */
  verbose: boolean;
}

function nonNegativeInteger(name: string): number | null {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

// The committed run replays the same cases every time (a red run can be replayed as is); long runs explore.
const DEFAULT_SEED = 20_260_115;
/**
 * Cases per subject in `npm test`. Postgres answers about five times faster than embedded PGlite (one
 * connection, which the innocent account's spends share), so most of the bounded run's cases go to it:
 * enough that a class of input failing one request in 25, as NUL bytes in usage event ids did, is met.
 */
const DEFAULT_CASES: Record<TestDatabaseKind, number> = { postgres: 24, embedded: 4 };
/** Startup, the innocent account's checks and the webhooks' drain, beside the fuzzing itself. */
const OVERHEAD_MS = 90_000;
/** A generous bound on one case of a busy machine, for the timeout of a run bounded by cases. */
const CASE_MS = 1_000;

/** The run's seed: `FUZZ_SEED`, else fixed for the bounded run and drawn for a long one (and then printed). */
export function fuzzSeed(): number {
  const long = nonNegativeInteger('FUZZ_SECONDS') !== null || nonNegativeInteger('FUZZ_RUNS') !== null;
  return nonNegativeInteger('FUZZ_SEED') ?? (long ? Math.floor(Math.random() * 2 ** 31) : DEFAULT_SEED);
}

/**
 * `FUZZ_SECONDS=n`: rounds until n seconds have passed on each database; `FUZZ_RUNS=n`: n cases per subject
 * (per round, with FUZZ_SECONDS); neither: the bounded run of `npm test`.
 */
export function fuzzBudget(kind: TestDatabaseKind, seed: number, subjects: number): Budget {
  const seconds = nonNegativeInteger('FUZZ_SECONDS');
  const runs = nonNegativeInteger('FUZZ_RUNS');
  const casesPerSubject = runs ?? DEFAULT_CASES[kind];
  const verbose = seconds !== null || runs !== null;
  if (seconds !== null) {
    const timeoutMs = seconds * 1000 + scaled(OVERHEAD_MS + subjects * casesPerSubject * CASE_MS);
    return { seed, casesPerSubject, rounds: Number.MAX_SAFE_INTEGER, deadlineMs: seconds * 1000, timeoutMs, verbose };
  }
  const timeoutMs = scaled(OVERHEAD_MS + subjects * casesPerSubject * CASE_MS);
  return { seed, casesPerSubject, rounds: 1, deadlineMs: null, timeoutMs, verbose };
}
