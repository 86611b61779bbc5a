import type { ReactNode } from 'react';
import { formatCompact, formatEuro, formatNumber, pricePerMillion } from '../lib/format';

export interface Pack {
  id: string;
  tokens: number;
  price: number;
}

interface Props {
  pack: Pack;
  /** Cheapest price per million among the packs, to point out savings. */
  bestPerMillion: number;
  basePerMillion: number;
  onBuy(): void;
  buying: boolean;
  disabled: boolean;
  /** Id of the text explaining why buying is disabled. */
  describedBy?: string;
  outcome?: ReactNode;
}

export function PackCard({
  pack,
  bestPerMillion,
  basePerMillion,
  onBuy,
  buying,
  disabled,
  describedBy,
  outcome,
}: Props) {
  const perMillion = pricePerMillion(pack.price, pack.tokens);
  const saving = basePerMillion > 0 ? Math.round((1 - perMillion / basePerMillion) * 100) : 0;
  const titleId = `pack-${pack.id}-title`;
  return (
    <article className="pack" aria-labelledby={titleId} data-testid={`pack-${pack.id}`}>
      {perMillion === bestPerMillion && saving > 0 && <span className="pack__badge">Best value</span>}
      <h3 className="pack__tokens" id={titleId}>
        {formatCompact(pack.tokens)} <span className="pack__unit">tokens</span>
      </h3>
      <p className="pack__exact">{formatNumber(pack.tokens)} tokens</p>
      <p className="pack__price">{formatEuro(pack.price)}</p>
      <p className="pack__per-million">
        {formatEuro(perMillion)} per million tokens
        {/* Always present, so the Buy buttons line up across the cards. */}
        <span className="pack__saving">{saving > 0 ? `Save ${saving}%` : '\u00a0'}</span>
      </p>
      <button
        type="button"
        className="btn btn--primary btn--block"
        onClick={onBuy}
        disabled={disabled || buying}
        aria-describedby={describedBy}
        aria-label={`Buy ${formatNumber(pack.tokens)} tokens for ${formatEuro(pack.price)}`}
      >
        {buying ? 'Buying…' : 'Buy'}
      </button>
      {outcome}
    </article>
  );
}
