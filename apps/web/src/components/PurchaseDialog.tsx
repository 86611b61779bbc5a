import { formatCard, formatCompact, formatDate, formatEuro, formatNumber } from '../lib/format';
import type { Outputs } from '../trpc';
import { ConfirmDialog } from './ConfirmDialog';
import type { Pack } from './PackCard';

type Summary = Outputs['credits']['summary'];

interface Props {
  /** The pack being bought; null keeps the dialog closed. */
  pack: Pack | null;
  summary: Summary | undefined;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
  onAddCard(): void;
}

/**
 * Nothing is charged on one click: the dialog states the pack, the price and the card it goes on, and how
 * much of the auto-recharge limit is left, so the person confirms exactly what will happen.
 */
export function PurchaseDialog({ pack, summary, busy, onConfirm, onCancel, onAddCard }: Props) {
  const card = summary?.card ?? null;
  const noCard = summary !== undefined && !summary.hasPaymentMethod;
  return (
    <ConfirmDialog
      open={pack !== null}
      title={pack ? `Buy ${formatCompact(pack.tokens)} tokens?` : 'Buy credits?'}
      confirmLabel={noCard ? 'Add a payment method' : pack ? `Pay ${formatEuro(pack.price)}` : 'Pay'}
      cancelLabel="Cancel"
      busy={busy}
      onConfirm={noCard ? onAddCard : onConfirm}
      onCancel={onCancel}
    >
      {pack && (
        <dl className="facts" data-testid="purchase-facts">
          <dt>Pack</dt>
          <dd>{formatNumber(pack.tokens)} tokens</dd>
          <dt>Price</dt>
          <dd>{formatEuro(pack.price)}, charged now. Prices include VAT where it applies.</dd>
          <dt>Card</dt>
          <dd>{card ? formatCard(card) : noCard ? 'No card on file' : 'The card saved with Stripe'}</dd>
          {summary && <SpendingLimitFact summary={summary} />}
        </dl>
      )}
      {noCard && <p>Add a card in the billing portal first; nothing is charged until you confirm here.</p>}
      {pack && !noCard && <p className="muted">Credits never expire. The charge cannot be undone here.</p>}
    </ConfirmDialog>
  );
}

/** The limit only caps automatic recharges: said so, so nobody thinks this purchase is blocked or counted. */
function SpendingLimitFact({ summary }: { summary: Summary }) {
  const { autoRecharge, autoRechargeSpent, period } = summary;
  const left = Math.max(0, autoRecharge.spendingLimit - autoRechargeSpent);
  return (
    <>
      <dt>Spending limit left this period</dt>
      <dd>
        {autoRecharge.enabled
          ? `${formatEuro(left)} of ${formatEuro(autoRecharge.spendingLimit)} for auto-recharge; it resets on ${formatDate(period.end)}. Purchases you confirm yourself do not count toward it.`
          : 'Auto-recharge is off, so no limit applies. Purchases you confirm yourself are never capped by it.'}
      </dd>
    </>
  );
}
