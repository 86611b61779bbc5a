import { formatCard, formatDate, formatEuro, formatNumber, parseEuroToCents, parseWholeNumber } from '../lib/format';
import type { AutoRechargeDraft, PackPrice } from '../lib/auto-recharge';

interface Props {
  draft: AutoRechargeDraft;
  packs: readonly PackPrice[];
  /** Euro cents already charged by auto-recharge this period. */
  spent: number;
  card: { brand: string; last4: string } | null;
  /** Exclusive end of the billing period: when the limit starts again. */
  periodEnd: string;
}

/** What the settings as typed will charge, on which card, and how often at most: read before saving. */
export function RechargePreview({ draft, packs, spent, card, periodEnd }: Props) {
  const threshold = parseWholeNumber(draft.threshold);
  const pack = packs.find((p) => p.id === draft.packId);
  const limit = parseEuroToCents(draft.spendingLimit);
  if (!draft.enabled || threshold === null || !pack || limit === null || limit < pack.price) return null;
  const left = Math.max(0, limit - spent);
  const times = Math.floor(left / pack.price);
  const cardText = card ? formatCard(card) : 'the card on file';
  return (
    <p className="recharge-preview" data-testid="recharge-preview">
      When the balance falls below {formatNumber(threshold)} tokens, {cardText} is charged{' '}
      <strong>{formatEuro(pack.price)}</strong> for {formatNumber(pack.tokens)} tokens.{' '}
      {times > 0
        ? `${formatEuro(left)} of the ${formatEuro(limit)} limit is left, enough for ${times} more recharge${times === 1 ? '' : 's'} until ${formatDate(periodEnd)}.`
        : `The ${formatEuro(limit)} limit is used up: no more recharges until ${formatDate(periodEnd)}.`}
    </p>
  );
}
