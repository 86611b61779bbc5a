import { defaultCatalog, type Metric, PACK_IDS, type PackId } from '@contox/core';
import type { Card, SoakService } from './service';
import { expectMatch } from './check';
import type { AccountModel } from './model';
import type { Random } from './random';

export interface World {
  service: SoakService;
  accounts: AccountModel[];
  random: Random;
  /** Fresh ids for keys and events, so a schedule never collides with itself by accident. */
  serial: number;
}

export type StepName =
  | 'spend'
  | 'spend-replay'
  | 'burst'
  | 'purchase'
  | 'configure'
  | 'card'
  | 'usage'
  | 'webhook-fault'
  | 'redeliver'
  | 'rollover'
  | 'restart';

const fresh = (w: World, prefix: string) => `${prefix}-${w.random.seed}-${w.serial++}`;
const now = (w: World) => w.service.clock.now;

function spendAmount(w: World): number {
  // Large enough, against the allowances and packs, that balances keep crossing the recharge thresholds.
  return w.random.weighted([
    [w.random.int(1, 5_000), 2],
    [w.random.int(10_000, 400_000), 3],
    [w.random.int(500_000, 3_000_000), 4],
    [w.random.int(3_000_000, 8_000_000), 1],
  ] as const);
}

async function spendAs(w: World, a: AccountModel, key: string, amount: number): Promise<string> {
  const expected = a.spend(key, amount, now(w));
  const res = await w.service.call('POST', '/api/billing/credits/spend', a.account.key, {
    amount,
    description: 'Enrichment - soak',
    idempotencyKey: key,
  });
  expectMatch(
    `spend ${amount} (${key})`,
    { status: res.status, ...(expected.body ? { body: res.body } : {}) },
    expected,
  );
  const recorded = a.spends.get(key);
  if (res.status === 200 && recorded && recorded.transactionId === null)
    recorded.transactionId = String(res.body.transactionId);
  return `spend ${amount} → ${res.status}`;
}

/** Runs one step of the given kind against the service and the model, and checks the answers agree. */
export async function runStep(w: World, step: StepName, a: AccountModel): Promise<string> {
  const r = w.random;
  switch (step) {
    case 'spend':
      return spendAs(w, a, fresh(w, 'spend'), spendAmount(w));
    case 'spend-replay': {
      const known = [...a.spends.keys()];
      if (known.length === 0) return 'spend-replay: nothing to replay';
      const key = r.pick(known);
      const amount = r.chance(0.8) ? a.spends.get(key)!.amount : a.spends.get(key)!.amount + 1;
      return `replay ${await spendAs(w, a, key, amount)}`;
    }
    case 'burst': {
      // Concurrent spends of one amount: which ones win is up to the race, how many is not.
      if (a.rechargeActive()) return 'burst: skipped (auto-recharge would make the count order-dependent)';
      const amount = r.int(1, 300_000);
      const keys = Array.from({ length: r.int(5, 20) }, () => fresh(w, 'burst'));
      const answers = await Promise.all(
        keys.map((key) =>
          w.service.call('POST', '/api/billing/credits/spend', a.account.key, {
            amount,
            description: 'Enrichment - soak',
            idempotencyKey: key,
          }),
        ),
      );
      let expectedWins = 0;
      for (const key of keys) if (a.spend(key, amount, now(w)).status === 200) expectedWins += 1;
      const wins = answers.filter((x) => x.status === 200).length;
      expectMatch(
        `burst of ${keys.length} × ${amount}: statuses`,
        answers.filter((x) => x.status !== 200 && x.status !== 402).length,
        0,
      );
      expectMatch(`burst of ${keys.length} × ${amount}: spends that went through`, wins, expectedWins);
      // The model credited the first keys; the service picked its own winners. Same amounts, so re-key the model.
      const modelKeys = keys.filter((k) => a.spends.has(k));
      for (const k of modelKeys) a.spends.delete(k);
      keys.forEach((k, i) => {
        if (answers[i]!.status === 200)
          a.spends.set(k, { amount, transactionId: String(answers[i]!.body.transactionId) });
      });
      return `burst ${keys.length} × ${amount} → ${wins} spent`;
    }
    case 'purchase': {
      const pack =
        defaultCatalog.packs[
          r.weighted<PackId>([
            ['credits_1m', 4],
            ['credits_2_5m', 3],
            ['credits_7m', 1],
            ['credits_15m', 1],
          ])
        ];
      const reuse = [...a.purchases.keys()];
      const key = reuse.length > 0 && r.chance(0.2) ? r.pick(reuse) : r.chance(0.5) ? fresh(w, 'buy') : null;
      const samePack = key !== null && a.purchases.has(key) && r.chance(0.8);
      const packToBuy = samePack
        ? defaultCatalog.packs[a.purchases.get(key!)!.packId as keyof typeof defaultCatalog.packs]
        : pack;
      const expected = a.purchase(packToBuy, key);
      const res = await w.service.call(
        'POST',
        '/api/billing/credits/purchase',
        a.account.key,
        { packId: packToBuy.id },
        key ? { 'idempotency-key': key } : {},
      );
      expectMatch(
        `purchase ${packToBuy.id} (key ${key})`,
        { status: res.status, ...(expected.body ? { body: res.body } : {}) },
        expected,
      );
      return `purchase ${packToBuy.id}${key ? ` key ${key}` : ''} → ${res.status}`;
    }
    case 'configure': {
      const settings = {
        enabled: r.chance(0.7),
        threshold: r.pick([500_000, 2_000_000, 6_000_000]),
        packId: r.pick(PACK_IDS.filter((id) => defaultCatalog.packs[id].price <= a.recharge.spendingLimit)),
        // Kept as it was: lowering it below what a past period charged would read as a broken limit.
        spendingLimit: a.recharge.spendingLimit,
      };
      const res = await w.service.call('PUT', '/api/billing/credits/auto-recharge', a.account.key, settings);
      expectMatch('configure auto-recharge', res.status, 200);
      a.configure(settings);
      return `configure ${JSON.stringify(settings)}`;
    }
    case 'card': {
      const card = r.weighted<Card>([
        ['pm_card_visa', 8],
        ['pm_card_chargeCustomerFail', 2],
        [null, 1],
      ]);
      await w.service.setCard(a.account.customerId, card);
      a.card = card;
      return `card ${card ?? 'none'}`;
    }
    case 'usage': {
      const known = [...a.events];
      const events = Array.from({ length: r.int(1, 6) }, () => {
        const metric = r.pick<Metric>(['sessions', 'events', 'enrichments', 'storage']);
        const id = known.length > 0 && r.chance(0.25) ? r.pick(known) : fresh(w, 'ev');
        const quantity = metric === 'storage' ? r.int(-20, 40) * 1_048_576 : r.int(1, metric === 'events' ? 400 : 6);
        return { id, metric, quantity };
      });
      const expected = events.map((e) => a.usage(e, now(w)));
      const res = await w.service.call('POST', '/api/billing/usage/events', a.account.key, { events });
      expectMatch(
        `usage ${JSON.stringify(events)}`,
        { status: res.status, body: res.body },
        { status: 200, body: { results: expected } },
      );
      return `usage ${events.length} events`;
    }
    case 'webhook-fault': {
      const n = r.int(1, 4);
      const fault = r.pick(['duplicate', 'reorder', 'drop', 'delay'] as const);
      const c = w.service.emulator.control;
      if (fault === 'duplicate') await c.duplicateNext(n);
      else if (fault === 'reorder') await c.reorderNext(n);
      else if (fault === 'drop') await c.dropNext(n);
      else await c.delayNext(n, r.int(10, 300));
      return `webhooks: ${fault} next ${n}`;
    }
    case 'redeliver': {
      const events = await w.service.stripe.events.list({ limit: 30 });
      if (events.data.length === 0) return 'redeliver: no events yet';
      const event = r.pick(events.data);
      await w.service.emulator.control.redeliver(event.id);
      return `redeliver ${event.type}`;
    }
    case 'rollover': {
      const days = r.int(1, 40);
      w.service.clock.now = new Date(now(w).getTime() + days * 86_400_000);
      return `clock +${days} days`;
    }
    case 'restart':
      await w.service.restart();
      return 'service restarted';
  }
}

/** The account as the API shows it against the model: balance, allowance, recharge spend and pause, usage. */
export async function checkAccount(w: World, a: AccountModel): Promise<void> {
  const [summary, usage] = await Promise.all([
    w.service.call('GET', '/api/billing/credits/summary', a.account.key),
    w.service.call('GET', '/api/billing/usage', a.account.key),
  ]);
  const t = now(w);
  const period = a.period(t);
  expectMatch(`summary of ${a.account.accountId}`, summary.body, {
    balance: a.balance,
    allowance: { used: a.tokensUsed.get(period) ?? 0 },
    autoRechargeSpent: a.rechargeSpent.get(period) ?? 0,
  });
  expectMatch(`recharge paused on ${a.account.accountId}`, summary.body.lastRechargeFailure !== null, a.paused);
  expectMatch(`usage of ${a.account.accountId}`, usage.body.usage, {
    sessions: { used: a.counter('sessions', t) },
    events: { used: a.counter('events', t) },
    enrichments: { used: a.counter('enrichments', t) },
    storage: { used: a.counter('storage', t) },
  });
}
