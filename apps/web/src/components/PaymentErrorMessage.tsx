import type { ErrorInfo } from '../lib/errors';
import { NavLink } from './NavLink';

interface Props {
  error: ErrorInfo;
  onOpenPortal(): void;
  portalPending: boolean;
  /** Opens the pack's checkout page, where the bank can ask the payer to confirm (3-D Secure). */
  onCheckout?(): void;
  checkoutPending?: boolean;
}

/** Says why money could not move and offers the one action that fixes it. */
export function PaymentErrorMessage({ error, onOpenPortal, portalPending, onCheckout, checkoutPending }: Props) {
  switch (error.domainCode) {
    case 'AUTHENTICATION_REQUIRED':
      if (!onCheckout) break;
      return (
        <div className="outcome outcome--error" role="alert">
          <p>
            <strong>Your bank wants you to confirm this payment.</strong> Nothing was charged. Pay on Stripe's secure
            page, where your bank can ask you to approve it.
          </p>
          <button type="button" className="btn btn--small btn--primary" onClick={onCheckout} disabled={checkoutPending}>
            Pay on the secure checkout page
          </button>
        </div>
      );
    case 'NO_PAYMENT_METHOD':
      return (
        <div className="outcome outcome--error" role="alert">
          <p>No card on file. Add a payment method, then buy again.</p>
          <button type="button" className="btn btn--small btn--primary" onClick={onOpenPortal} disabled={portalPending}>
            Add a payment method
          </button>
        </div>
      );
    case 'CARD_DECLINED':
    case 'PAYMENT_FAILED':
      return (
        <div className="outcome outcome--error" role="alert">
          <p>
            <strong>Payment declined:</strong> {error.message}
          </p>
          <button type="button" className="btn btn--small btn--ghost" onClick={onOpenPortal} disabled={portalPending}>
            Update payment method
          </button>
        </div>
      );
    case 'CREDITS_NOT_ALLOWED':
      return (
        <div className="outcome outcome--error" role="alert">
          <p>
            The Free plan cannot buy credits. <NavLink to="/billing/plan">Upgrade to a paid plan</NavLink> to buy
            credits and use auto-recharge.
          </p>
        </div>
      );
  }
  return (
    <div className="outcome outcome--error" role="alert">
      <p>{error.message}</p>
    </div>
  );
}
