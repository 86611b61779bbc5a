import type { CreditCheckoutReturn } from '../hooks/useCreditCheckout';
import { formatNumber } from '../lib/format';

/** How a pack bought on Stripe's checkout page stands, told on the page the payer returns to. */
export function CreditCheckoutBanner({ result }: { result: CreditCheckoutReturn }) {
  const banner = (tone: string, text: string) => (
    <div className={`notice notice--${tone}`} role="status" data-testid="credit-checkout-banner">
      <p>{text}</p>
    </div>
  );
  switch (result.state) {
    case 'confirming':
      return banner('info', 'Payment received. Adding your credits…');
    case 'cancelled':
      return banner('info', 'Checkout was cancelled. Nothing was charged.');
    case 'error':
      return banner('error', `Could not confirm the purchase: ${result.error.message}`);
    case 'settled': {
      const { status, purchased, balance } = result.result;
      if (status === 'paid') {
        return banner(
          'success',
          `Paid. Added ${formatNumber(purchased)} tokens. New balance: ${formatNumber(balance)}.`,
        );
      }
      if (status === 'expired') return banner('warn', 'The checkout page expired before payment. Nothing was charged.');
      return banner('info', 'Stripe has not confirmed the payment yet. The credits are added as soon as it does.');
    }
    default:
      return null;
  }
}
