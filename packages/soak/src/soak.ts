import type { PlanId } from '@contox/core';
import type { TestDatabaseKind } from '@contox/db/testing';
import { checkAccount } from './check-account';
import { Counts } from './counts';
import { Random } from './random';
import { checkCounts, checkInvariants, checkUsageHistory, writtenCounts } from './run-checks';
import { SoakService } from './service';
import { runStep, type StepName, weights } from './steps';
import { TOUR } from './tour';
import { newAccount, now, type StepResult, webhooksIdle, type World } from './world';

export interface SoakOptions {
  kind: TestDatabaseKind;
  seed: number;
  /** Whole rounds to run; without it, rounds keep starting until `seconds` have passed (at least one). */
  rounds?: number;
  seconds?: number;
  /** The long run also restarts the service now and then. */
  restarts: boolean;
  /** The command that replays this run, printed with a failure. */
  replay: string;
  log?: (line: string) => void;
}

export interface SoakReport {
  kind: TestDatabaseKind;
  seed: number;
  steps: number;
  seconds: number;
  byStep: Record<string, number>;
  /** What happened, by the model's account (and checked against what the service wrote). */
  counts: Record<string, number>;
  /** What the service wrote, by table. */
  written: Record<string, number>;
}

/** Steps per round; every round holds the whole tour, so any run of whole rounds contains it. */
export const ROUND_STEPS = 60;

const START_ACCOUNTS: [PlanId, number][] = [
  ['personal', 1000],
  ['personal', 5000],
  ['team', 5000],
  ['enterprise', 5000],
  ['free', 5000],
  ['free', 5000],
];

/** Seeded distinct positions of the tour's stops within a round, in order. */
function tourPositions(random: Random): Set<number> {
  const slots = Array.from({ length: ROUND_STEPS }, (_, i) => i);
  for (let i = slots.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  return new Set(slots.slice(0, TOUR.length));
}

/**
 * A random schedule of billing operations, subscription changes, faults and clock moves, run one step at a
 * time against the service and a model of what each account should hold, with the tour's stops placed among
 * them. After every step the touched account is compared with the model (and now and then the whole database
 * with the invariants); at the end every account again, every usage period, and the counts against what the
 * service wrote. Everything random comes from the seed, so `SOAK_SEED=<seed>` replays a failure step for step.
 */
export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const log = opts.log ?? (() => {});
  log(`soak on ${opts.kind}: seed ${opts.seed} (replay: ${opts.replay})`);
  const service = await SoakService.start(opts.kind);
  const run = new Run(opts, {
    service,
    accounts: [],
    random: new Random(opts.seed),
    counts: new Counts(),
    serial: 0,
  });
  let written: Record<string, number>;
  try {
    for (const [plan, limit] of START_ACCOUNTS) await newAccount(run.w, plan, limit);
    for (let round = 0; run.more(round); round++) {
      await run.round();
      log(`${opts.kind} seed ${opts.seed}: round ${round + 1}, ${run.steps} steps, ${run.elapsed().toFixed(0)} s`);
    }
    await run.guard('final checks', () => finalChecks(run.w));
    written = await writtenCounts(run.w);
  } finally {
    await service.close();
  }
  const counts = run.w.counts.toJSON();
  log(`soak on ${opts.kind}: seed ${opts.seed} held for ${run.steps} steps: ${JSON.stringify(counts)}`);
  const { kind, seed } = opts;
  return { kind, seed, steps: run.steps, seconds: run.elapsed(), byStep: run.byStep, counts, written };
}

/** One run's schedule and what it has done so far, for the failure report. */
class Run {
  steps = 0;
  readonly byStep: Record<string, number> = {};
  private readonly history: string[] = [];
  private readonly table: [StepName, number][];
  private readonly started = Date.now();

  constructor(
    private readonly opts: SoakOptions,
    readonly w: World,
  ) {
    this.table = weights(opts.restarts);
  }

  elapsed(): number {
    return (Date.now() - this.started) / 1000;
  }

  more(round: number): boolean {
    if (this.opts.rounds !== undefined) return round < this.opts.rounds;
    return round === 0 || this.elapsed() < (this.opts.seconds ?? 0);
  }

  /** One round: random steps with every stop of the tour at its seeded position. */
  async round(): Promise<void> {
    const stops = tourPositions(this.w.random);
    let next = 0;
    for (let i = 0; i < ROUND_STEPS; i++) {
      const stop = stops.has(i) ? TOUR[next++] : undefined;
      const name = stop ? `tour: ${stop[0]}` : this.w.random.weighted<StepName>(this.table);
      this.steps += 1;
      await this.guard(name, async () => {
        const done = await (stop ? stop[1](this.w) : runStep(this.w, name as StepName));
        this.history.push(`#${this.steps} ${name} on ${describe(this.w, done)}: ${done.line}`);
        await afterStep(this.w, done, this.steps);
      });
      const kind = stop ? 'tour' : name;
      this.byStep[kind] = (this.byStep[kind] ?? 0) + 1;
    }
  }

  /** Runs `work`; a failure comes back with the seed, the replay command and the steps before it. */
  async guard(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      const { kind, seed, replay } = this.opts;
      throw new Error(
        `Soak failed on ${kind} at step ${this.steps} (${what}), seed ${seed}. Replay: ${replay}\n  ` +
          `${this.history.slice(-15).join('\n  ')}\n  #${this.steps} ${what}: …\n` +
          `${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}

/** Once the webhooks have settled: every account, the invariants, the counts and every usage period. */
async function finalChecks(w: World): Promise<void> {
  await webhooksIdle(w);
  for (const a of w.accounts) await checkAccount(w, a);
  await checkInvariants(w);
  await checkCounts(w);
  await checkUsageHistory(w);
}

const describe = (w: World, done: StepResult) => `${done.account.plan(now(w)).id} ${done.account.account.accountId}`;

/**
 * The touched account against the model after every step; the invariants, which read the whole database,
 * every fifth step (a broken ledger stays broken, so it is still caught, a few steps later at most); every
 * account, once the webhooks have settled, every 25 steps.
 */
async function afterStep(w: World, done: StepResult, steps: number): Promise<void> {
  await checkAccount(w, done.account);
  if (steps % 5 === 0) await checkInvariants(w);
  if (steps % 25 === 0) {
    await webhooksIdle(w);
    for (const a of w.accounts) await checkAccount(w, a);
  }
}
