import { burst } from './burst';
import { ABSORBED } from './faults';
import type { AccountModel } from './model';
import {
  cardStep,
  configureStep,
  purchase,
  purchaseOutage,
  spendAmount,
  spendAs,
  spendReplay,
  usage,
} from './steps-money';
import { cancel, changePlan, resume, subscribe } from './steps-subscription';
import { redeliver, rollover, webhookFault } from './steps-time';
import { fresh, now, type StepResult, type World } from './world';

/** Mostly an account where the step does something, sometimes any account (where it must be refused). */
function mostly(w: World, useful: (a: AccountModel) => boolean, any: AccountModel): AccountModel {
  const candidates = w.accounts.filter(useful);
  return candidates.length > 0 && w.random.chance(0.8) ? w.random.pick(candidates) : any;
}

async function withAccount(a: AccountModel, run: (a: AccountModel) => Promise<string>): Promise<StepResult> {
  return { account: a, line: await run(a) };
}

export type StepName =
  | 'spend'
  | 'spend-replay'
  | 'burst'
  | 'purchase'
  | 'purchase-outage'
  | 'configure'
  | 'card'
  | 'usage'
  | 'webhook-fault'
  | 'redeliver'
  | 'rollover'
  | 'subscribe'
  | 'change-plan'
  | 'cancel'
  | 'resume'
  | 'restart';

/** How likely each random step is; the tour (tour.ts) adds the ones every run must contain. */
export function weights(restarts: boolean): [StepName, number][] {
  return [
    ['spend', 28],
    ['spend-replay', 4],
    ['burst', 5],
    ['purchase', 6],
    ['purchase-outage', 1],
    ['configure', 7],
    ['card', 3],
    ['usage', 14],
    ['webhook-fault', 5],
    ['redeliver', 2],
    ['rollover', 3],
    ['subscribe', 2],
    ['change-plan', 3],
    ['cancel', 2],
    ['resume', 2],
    ...(restarts ? ([['restart', 1]] as [StepName, number][]) : []),
  ];
}

/** Runs one random step of the given kind against the service and the model, on an account it picks. */
export async function runStep(w: World, step: StepName): Promise<StepResult> {
  const r = w.random;
  const a: AccountModel = r.pick(w.accounts);
  const on = async (line: Promise<string> | string): Promise<StepResult> => ({ account: a, line: await line });
  switch (step) {
    case 'spend':
      // Now and then the recharges this spend makes meet Stripe faults that the client's retries absorb.
      return on(spendAs(w, a, fresh(w, 'spend'), spendAmount(w), r.chance(0.08) ? r.int(1, ABSORBED) : 0));
    case 'spend-replay':
      return on(spendReplay(w, a));
    case 'burst':
      return on(burst(w, a));
    case 'purchase':
      return on(purchase(w, a));
    case 'purchase-outage':
      return on(purchaseOutage(w, a, r.pick(['500', '429', 'timeout'] as const)));
    case 'configure':
      return on(configureStep(w, a));
    case 'card':
      return on(cardStep(w, a));
    case 'usage':
      return on(usage(w, a));
    case 'webhook-fault':
      return on(webhookFault(w));
    case 'redeliver':
      return on(redeliver(w));
    case 'rollover':
      return on(rollover(w));
    case 'subscribe':
      return subscribe(w);
    case 'change-plan':
      return changePlan(w, r.chance(0.3));
    case 'cancel':
      return withAccount(
        mostly(w, (x) => x.live(now(w)) !== null, a),
        (b) => cancel(w, b),
      );
    case 'resume':
      return withAccount(
        mostly(w, (x) => x.live(now(w))?.cancelAt != null, a),
        (b) => resume(w, b),
      );
    case 'restart':
      await w.service.restart();
      return on('service restarted');
  }
}
