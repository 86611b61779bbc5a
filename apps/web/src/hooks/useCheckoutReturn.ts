import { useEffect, useRef, useState } from 'react';
import { type CheckoutIntent, forgetCheckout, recallCheckout } from '../lib/checkout-return';
import { clearParam } from '../lib/router';

export type CheckoutReturn =
  | { state: 'none' }
  | { state: 'waiting'; intent: CheckoutIntent | null }
  | { state: 'done'; intent: CheckoutIntent | null }
  | { state: 'slow' }
  | { state: 'cancelled' };

interface SubscriptionLike {
  plan: string;
  seats: number;
  interval: 'month' | 'year' | null;
  status: string;
}

const POLL_FOR_MS = 30_000;

/**
 * After `?checkout=success` the plan may not have changed yet (the webhook is on its way). Reports
 * whether to keep polling, and settles once the subscription matches what was bought or time is up.
 */
export function useCheckoutReturn(param: string | null, subscription: SubscriptionLike | undefined): CheckoutReturn {
  const [result, setResult] = useState<CheckoutReturn>(() => {
    if (param === 'success') return { state: 'waiting', intent: recallCheckout() };
    if (param === 'cancelled' || param === 'cancel') return { state: 'cancelled' };
    return { state: 'none' };
  });
  const started = useRef(Date.now());

  useEffect(() => {
    if (result.state === 'cancelled') {
      forgetCheckout();
      clearParam('checkout');
    }
  }, [result.state]);

  useEffect(() => {
    if (result.state !== 'waiting' || !subscription) return;
    const intent = result.intent;
    const arrived = intent
      ? subscription.plan === intent.planId &&
        subscription.seats === intent.seats &&
        subscription.interval === intent.interval
      : // Without a remembered target (storage was unavailable), a paid subscription is the best sign there is.
        subscription.status !== 'none';
    if (arrived) {
      forgetCheckout();
      clearParam('checkout');
      setResult({ state: 'done', intent });
    }
  }, [result, subscription]);

  useEffect(() => {
    if (result.state !== 'waiting') return;
    const timer = setTimeout(
      () => {
        clearParam('checkout');
        setResult((r) => (r.state === 'waiting' ? { state: 'slow' } : r));
      },
      POLL_FOR_MS - (Date.now() - started.current),
    );
    return () => clearTimeout(timer);
  }, [result.state]);

  return result;
}
