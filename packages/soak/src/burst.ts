import { defaultCatalog } from '@contox/core';
import { expectMatch, Mismatch } from './check';
import type { AccountModel } from './model';
import { spendBody } from './steps-money';
import { fresh, now, type World } from './world';

type Answer = { status: number; body: Record<string, unknown> };

/** Concurrent spends of one amount on one account; with auto-recharge on when `amount` is not given too. */
export async function burst(w: World, a: AccountModel, amount = w.random.int(1, 300_000)): Promise<string> {
  const keys = Array.from({ length: w.random.int(5, 20) }, () => fresh(w, 'burst'));
  if (a.rechargeActive(now(w))) w.counts.add('bursts with auto-recharge on');
  if (a.rechargeCanPay(now(w))) return racingBurst(w, a, keys, amount);
  const answers = await spendAll(w, a, keys, amount);
  // Nothing a race could change is left: no recharge can be paid, so which spends win is up to the race,
  // how many is not, and the model's one-by-one answers count them (a failing card pauses once either way).
  let expectedWins = 0;
  for (const key of keys) if (a.spend(key, amount, now(w)).expected.status === 200) expectedWins += 1;
  const wins = answers.filter((x) => x.status === 200).length;
  expectMatch(`burst of ${keys.length} × ${amount}: spends that went through`, wins, expectedWins);
  // The model credited the first keys; the service picked its own winners. Same amounts, so re-key the model.
  for (const k of keys) a.spends.delete(k);
  record(a, keys, answers, amount);
  return `burst ${keys.length} × ${amount} → ${wins} spent`;
}

async function spendAll(w: World, a: AccountModel, keys: string[], amount: number): Promise<Answer[]> {
  const answers = await Promise.all(
    keys.map((key) => w.service.call('POST', '/api/billing/credits/spend', a.account.key, spendBody(amount, key))),
  );
  const odd = answers.filter((x) => x.status !== 200 && x.status !== 402).map((x) => x.status);
  expectMatch(`burst of ${keys.length} × ${amount}: statuses other than 200 and 402`, odd, []);
  for (const x of answers.filter((y) => y.status === 200)) {
    expectMatch('a spend of the burst, split', Number(x.body.fromAllowance) + Number(x.body.fromCredits), amount);
  }
  return answers;
}

function record(a: AccountModel, keys: string[], answers: Answer[], amount: number): void {
  keys.forEach((k, i) => {
    if (answers[i]!.status === 200) a.spends.set(k, { amount, transactionId: String(answers[i]!.body.transactionId) });
  });
}

/**
 * A burst while auto-recharges can be paid: how many land, and so how many spends win, depends on when
 * each recharge meets the others. What cannot depend on it is checked: every spend that fitted before any
 * recharge went through, the allowance was used first and in full, each recharge Stripe charged was the
 * configured pack within the spending limit, and the balance is the old one plus the recharges minus the
 * credits the winners took. The model then takes the outcome and the account is compared as usual.
 */
async function racingBurst(w: World, a: AccountModel, keys: string[], amount: number): Promise<string> {
  const t = now(w);
  const pack = defaultCatalog.packs[a.recharge.packId];
  const before = new Set((await chargesOf(w, a)).map((pi) => pi.id));
  const allowance = a.allowanceLeft(t);
  const spentBefore = a.rechargeSpent.get(a.period(t)) ?? 0;
  const answers = await spendAll(w, a, keys, amount);
  const wins = answers.filter((x) => x.status === 200);
  const recharges = (await chargesOf(w, a)).filter((pi) => !before.has(pi.id));
  for (const pi of recharges) {
    expectMatch(
      'a recharge charged during the burst',
      { status: pi.status, amount: pi.amount },
      {
        status: 'succeeded',
        amount: pack.price,
      },
    );
  }
  const fittedWithout = Math.min(keys.length, Math.floor((Math.min(allowance, 1e15) + a.balance) / amount));
  if (wins.length < fittedWithout) {
    throw new Mismatch(`burst of ${keys.length} × ${amount}: ${wins.length} won, ${fittedWithout} fitted before any`);
  }
  const fromAllowance = wins.reduce((s, x) => s + Number(x.body.fromAllowance), 0);
  expectMatch('burst: tokens taken from the allowance', fromAllowance, Math.min(allowance, wins.length * amount));
  if (spentBefore + recharges.length * pack.price > a.recharge.spendingLimit) {
    throw new Mismatch(`burst: ${recharges.length} recharges of ${pack.price} went past the spending limit`);
  }
  a.took(t, fromAllowance, wins.length * amount - fromAllowance);
  a.credited(t, recharges.length);
  record(a, keys, answers, amount);
  w.counts.add('bursts racing auto-recharges');
  return `burst ${keys.length} × ${amount} racing auto-recharge → ${wins.length} spent, ${recharges.length} recharged`;
}

/** The credit charges Stripe holds for the account's customer (subscription invoices have no payment id). */
async function chargesOf(w: World, a: AccountModel) {
  const list = await w.service.admin.paymentIntents.list({ customer: a.account.customerId, limit: 100 });
  return list.data.filter((pi) => pi.metadata?.creditPaymentId !== undefined);
}
