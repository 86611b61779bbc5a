import type { PlanId } from '@contox/core';
import { defaultCatalog } from '@contox/core';
import { queryRows } from '@contox/db';
import type { TestDatabaseKind } from '@contox/db/testing';
import { sql } from 'drizzle-orm';
import { assertInvariants } from '../../api/test/fire/invariants';
import { AccountModel } from './model';
import { Random } from './random';
import { SoakService } from './service';
import { checkAccount, runStep, type StepName, type World } from './steps';

export interface SoakOptions {
  kind: TestDatabaseKind;
  seed: number;
  seconds: number;
  /** Steps run at the least, however slow the machine: the time limit alone could leave a schedule too short. */
  minSteps?: number;
  /** The long run also restarts the service now and then. */
  restarts: boolean;
  log?: (line: string) => void;
}

export interface SoakReport {
  kind: TestDatabaseKind;
  seed: number;
  steps: number;
  seconds: number;
  byStep: Partial<Record<StepName, number>>;
  /** What the schedule made the service write: proof that each rule was exercised, not just reachable. */
  written: Record<string, number>;
}

const PLANS: [PlanId, number][] = [
  ['personal', 1000],
  ['personal', 5000],
  ['team', 5000],
  ['free', 5000],
];

function weights(restarts: boolean): [StepName, number][] {
  return [
    ['spend', 30],
    ['spend-replay', 5],
    ['burst', 4],
    ['purchase', 6],
    ['configure', 8],
    ['card', 3],
    ['usage', 15],
    ['webhook-fault', 5],
    ['redeliver', 3],
    ['rollover', 3],
    ...(restarts ? ([['restart', 1]] as [StepName, number][]) : []),
  ];
}

/**
 * A random schedule of billing operations, faults and clock moves, run one step at a time against the
 * service and a model of what each account should hold. After every step the touched account is compared
 * with the model and the whole database is checked against the invariants. Everything random comes from
 * the seed, so `SOAK_SEED=<seed>` replays a failure step for step.
 */
export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const log = opts.log ?? (() => {});
  const service = await SoakService.start(opts.kind);
  const random = new Random(opts.seed);
  const world: World = { service, accounts: [], random, serial: 0 };
  const history: string[] = [];
  const byStep: SoakReport['byStep'] = {};
  const started = Date.now();
  let steps = 0;
  let written: Record<string, number> = {};
  try {
    for (const [i, [plan, spendingLimit]] of PLANS.entries()) {
      const model = new AccountModel(await service.account(plan, i), defaultCatalog.plans[plan]);
      model.recharge = { ...model.recharge, spendingLimit };
      await service.setCard(model.account.customerId, 'pm_card_visa');
      world.accounts.push(model);
    }
    const table = weights(opts.restarts);
    while (Date.now() - started < opts.seconds * 1000 || steps < (opts.minSteps ?? 0)) {
      const step = random.weighted(table);
      const account = random.pick(world.accounts);
      steps += 1;
      const line = `#${steps} ${step} on ${account.plan.id} ${account.account.accountId}: `;
      try {
        history.push(line + (await runStep(world, step, account)));
        await checkAccount(world, account);
        await assertInvariants(service.db.db);
        if (steps % 25 === 0) {
          await service.emulator.control.waitForWebhooks(15_000);
          for (const a of world.accounts) await checkAccount(world, a);
        }
      } catch (err) {
        const recent = history.slice(-15).join('\n  ');
        throw new Error(
          `Soak failed on ${opts.kind} at step ${steps} (${step}), seed ${opts.seed}. ` +
            `Replay: SOAK_SEED=${opts.seed} SOAK_DB=${opts.kind} pnpm --filter @contox/soak soak\n` +
            `  ${recent}\n  ${line}\n${err instanceof Error ? err.message : String(err)}`,
        );
      }
      byStep[step] = (byStep[step] ?? 0) + 1;
      if (steps % 100 === 0)
        log(`${opts.kind} seed ${opts.seed}: ${steps} steps, ${Math.round((Date.now() - started) / 1000)} s`);
    }
    await service.emulator.control.waitForWebhooks(15_000);
    for (const a of world.accounts) await checkAccount(world, a);
    await assertInvariants(service.db.db);
    written = await writtenCounts(service);
  } finally {
    await service.close();
  }
  return { kind: opts.kind, seed: opts.seed, steps, seconds: (Date.now() - started) / 1000, byStep, written };
}

async function writtenCounts(service: SoakService): Promise<Record<string, number>> {
  const rows = await queryRows<{ what: string; n: string | number }>(
    service.db.db,
    sql`select type::text as what, count(*) as n from credit_transactions group by type
        union all select 'payment ' || kind || ' ' || status, count(*) from credit_payments group by kind, status
        union all select 'usage events', count(*) from usage_events
        union all select 'stripe events applied', count(*) from stripe_events`,
  );
  return Object.fromEntries(rows.map((r) => [r.what, Number(r.n)]));
}
