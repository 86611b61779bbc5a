import { describe, expect, it } from 'vitest';
import {
  autoRechargeStatus,
  defaultCatalog,
  insufficientCredits,
  rechargePausedRefusal,
  refusedCount,
  requireRechargeAllowed,
  type UsageEventResult,
  usageRefusal,
} from '../src/index';

const { free, personal } = defaultCatalog.plans;
const on = { enabled: true, threshold: 500_000, packId: 'credits_1m', spendingLimit: 5000 } as const;

describe('auto-recharge status', () => {
  it('is active while off, or on with nothing in its way', () => {
    expect(autoRechargeStatus({ enabled: false, plan: free, failure: 'declined.' })).toEqual({
      status: 'active',
      pausedReason: null,
    });
    expect(autoRechargeStatus({ enabled: true, plan: personal, failure: null })).toEqual({
      status: 'active',
      pausedReason: null,
    });
  });

  it('is paused by a failed charge, saying why and how it resumes, and by a plan without credits', () => {
    const failed = autoRechargeStatus({ enabled: true, plan: personal, failure: 'Your card was declined. ' });
    expect(failed).toEqual({
      status: 'paused',
      pausedReason: expect.stringMatching(
        /^The last auto-recharge failed: Your card was declined\. It resumes once another card/,
      ),
    });
    expect(autoRechargeStatus({ enabled: true, plan: free, failure: null })).toEqual({
      status: 'paused',
      pausedReason: expect.stringMatching(/free plan has no credits/),
    });
  });

  it('turns a refusal for want of credits into one that says the recharge is paused', () => {
    const refusal = rechargePausedRefusal(insufficientCredits(10, 5), 'The last auto-recharge failed: declined.');
    expect(refusal.code).toBe('INSUFFICIENT_CREDITS');
    expect(refusal.message).toMatch(
      /^Insufficient credits: .*\. Auto-recharge is paused: The last auto-recharge failed/,
    );
    expect(refusal.details).toMatchObject({ requested: 10, available: 5, autoRecharge: 'paused' });
  });
});

describe('auto-recharge on the free plan', () => {
  it('may be saved switched off, not on', () => {
    expect(requireRechargeAllowed({ ...on, enabled: false }, free)).toEqual({ ...on, enabled: false });
    expect(requireRechargeAllowed(on, personal)).toEqual(on);
    expect(() => requireRechargeAllowed(on, free)).toThrow(/cannot be enabled on the free plan/);
  });
});

describe('refused usage calls', () => {
  const refused: UsageEventResult = { id: 'a', status: 'refused', used: 10, limit: 10, error: 'Plan limit reached' };
  const accepted: UsageEventResult = { id: 'b', status: 'accepted', used: 1, limit: 10 };
  const duplicate: UsageEventResult = { id: 'c', status: 'duplicate' };

  it('refuses the call only when every event was refused, with the results for the answer', () => {
    expect(usageRefusal([accepted, refused])).toBeNull();
    expect(usageRefusal([duplicate, refused])).toBeNull();
    expect(usageRefusal([])).toBeNull();
    const all = usageRefusal([refused, { ...refused, id: 'd' }]);
    expect(all?.code).toBe('PLAN_LIMIT_REACHED');
    expect(all?.message).toMatch(/^All 2 events were refused \(Plan limit reached, …\); nothing was recorded$/);
    expect(all?.details).toEqual({ answer: { results: [refused, { ...refused, id: 'd' }], refused: 2 } });
    expect(usageRefusal([refused])?.message).toBe('Plan limit reached; nothing was recorded');
  });

  it('counts the refused events', () => {
    expect(refusedCount([accepted, refused, duplicate, refused])).toBe(2);
  });
});
