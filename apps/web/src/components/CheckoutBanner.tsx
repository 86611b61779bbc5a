import type { CheckoutReturn } from '../hooks/useCheckoutReturn';

/** What happened at Stripe, told in the page the payer returns to. */
export function CheckoutBanner({ result, planName }: { result: CheckoutReturn; planName?: string }) {
  switch (result.state) {
    case 'waiting':
      return (
        <div className="notice notice--info" role="status" data-testid="checkout-banner">
          <span className="spinner spinner--small" aria-hidden="true" /> Payment received. Updating your plan…
        </div>
      );
    case 'done':
      return (
        <div className="notice notice--success" role="status" data-testid="checkout-banner">
          Thank you! You are now on the {planName ?? 'new'} plan
          {result.intent ? ` with ${result.intent.seats} seat${result.intent.seats === 1 ? '' : 's'}` : ''}.
        </div>
      );
    case 'slow':
      return (
        <div className="notice notice--warn" role="status" data-testid="checkout-banner">
          Your payment went through, but the plan has not updated yet. It usually does within a minute; this page
          refreshes when you come back to it.
        </div>
      );
    case 'cancelled':
      return (
        <div className="notice notice--info" role="status" data-testid="checkout-banner">
          Checkout was cancelled. Nothing was charged and your plan is unchanged.
        </div>
      );
    default:
      return null;
  }
}
