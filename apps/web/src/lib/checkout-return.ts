const KEY = 'contox.billing.checkout';

export interface CheckoutIntent {
  planId: string;
  seats: number;
  interval: 'month' | 'year';
  at: number;
}

/**
 * Remembered across the trip to Stripe, so that on return the page knows what to wait for:
 * the webhook that changes the plan can land a moment after the browser comes back.
 */
export function rememberCheckout(intent: Omit<CheckoutIntent, 'at'>): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ ...intent, at: Date.now() }));
  } catch {
    // Private mode or full storage: the return still works, it just polls without a target.
  }
}

export function recallCheckout(): CheckoutIntent | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const intent = JSON.parse(raw) as CheckoutIntent;
    // An intent from an abandoned checkout an hour ago says nothing about this return.
    return Date.now() - intent.at < 60 * 60 * 1000 ? intent : null;
  } catch {
    return null;
  }
}

export function forgetCheckout(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing to clean up when storage is unavailable.
  }
}
