import fc from 'fast-check';
import type { Budget } from './budget';
import { rarely } from './hostile';
import type { FuzzRequest } from './requests';
import { describeCase, problemOf, send } from './verdict';

/** Something fuzzed in turn: a REST operation, a procedure, the webhook, the paths nobody serves. */
export interface Subject {
  name: string;
  requests: fc.Arbitrary<FuzzRequest>;
}

interface Tally {
  /** Statuses answered, per target. */
  statuses: Map<string, Map<number, number>>;
}

interface Campaign {
  baseUrl: string;
  subjects: Subject[];
  /** Requests to anything, sent now and then beside a subject's own. */
  companions: fc.Arbitrary<FuzzRequest>;
  budget: Budget;
  /** Secrets and how reports name them. */
  labels: Map<string, string>;
}

/**
 * One to three requests to the subject, sent at the same time, now and then beside one to anything else:
 * concurrent hostile calls share the service's batches and caches, and a failure that needs two of them
 * shrinks to those two.
 */
function casesFor(subject: Subject, companions: fc.Arbitrary<FuzzRequest>): fc.Arbitrary<FuzzRequest[]> {
  return fc
    .tuple(fc.array(subject.requests, { minLength: 1, maxLength: 3 }), rarely(companions, 3))
    .map(([own, other]) => (other ? [...own, other] : own));
}

const count = <K>(counts: Map<K, number>, key: K, n = 1) => counts.set(key, (counts.get(key) ?? 0) + n);

/** Sends each case's requests at once; throws (so fast-check shrinks) on the first broken answer. */
function judge(c: Campaign, tally: Tally) {
  return async (requests: FuzzRequest[]) => {
    const answers = await Promise.all(requests.map((r) => send(c.baseUrl, r)));
    requests.forEach((req, i) => {
      const answer = answers[i]!;
      const statuses = tally.statuses.get(req.target) ?? new Map<number, number>();
      tally.statuses.set(req.target, count(statuses, answer.status));
      const problem = problemOf(req, answer);
      if (problem) throw new Error(`${req.target}: ${problem}\n${describeCase(req, answer, c.labels)}`);
    });
  };
}

/** fast-check's own report would print inputs of 100,000 characters whole: the shrunk case as judge put it. */
function reporter(budget: Budget) {
  return (details: fc.RunDetails<[FuzzRequest[]]>): void => {
    if (!details.failed) return;
    const cause =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `${cause}\n(replay: FUZZ_SEED=${budget.seed}; this property: seed ${details.seed}, ` +
        `path ${details.counterexamplePath}, shrunk ${details.numShrinks} times)`,
    );
  };
}

export const emptyTally = (): Tally => ({ statuses: new Map() });

/**
 * Every subject in turn, `casesPerSubject` cases each, round after round until the budget is spent (a long
 * run stops at the first subject after its deadline). Counts go into `tally`, so that a run that fails still
 * tells what it sent. Each subject's property has a seed of its own derived from the run's.
 */
export async function runCampaign(c: Campaign, tally: Tally): Promise<void> {
  const started = Date.now();
  const check = judge(c, tally);
  for (let round = 0; round < c.budget.rounds; round++) {
    for (const [i, subject] of c.subjects.entries()) {
      if (c.budget.deadlineMs !== null && Date.now() - started > c.budget.deadlineMs) return;
      await fc.assert(fc.asyncProperty(casesFor(subject, c.companions), check), {
        seed: c.budget.seed + round * 1_000 + i,
        numRuns: c.budget.casesPerSubject,
        reporter: reporter(c.budget),
      });
    }
  }
}

/** One line per run, and in a long run the statuses of every target. */
export function summary(kind: string, tally: Tally, innocentSpends: number, verbose: boolean): string {
  const byClass = new Map<string, number>();
  for (const statuses of tally.statuses.values()) {
    for (const [status, n] of statuses) count(byClass, `${Math.floor(status / 100)}xx`, n);
  }
  const total = [...byClass.values()].reduce((a, b) => a + b, 0);
  const classes = [...byClass].sort().map(([k, n]) => `${k} ${n}`);
  const lines = [
    `fuzz on ${kind}: ${total} hostile requests (${classes.join(', ')}), ${innocentSpends} innocent spends`,
  ];
  if (!verbose) return lines.join('\n');
  for (const [target, statuses] of [...tally.statuses].sort()) {
    const row = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    lines.push(`  ${target}: ${row.join(' ')}`);
  }
  return lines.join('\n');
}
