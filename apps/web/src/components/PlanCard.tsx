import { useId, useState } from 'react';
import { formatBytes, formatCompact, formatEuro, formatNumber } from '../lib/format';
import { seatError, seatRangeText } from '../lib/seats';
import type { Outputs } from '../trpc';
import type { Interval } from './IntervalToggle';

type Plan = Outputs['plans']['list']['plans'][number];

export interface CurrentSubscription {
  plan: string;
  seats: number;
  interval: Interval | null;
  /** Index of the current plan in the catalogue, which is ordered from smallest to largest. */
  rank: number;
}

interface Props {
  plan: Plan;
  rank: number;
  interval: Interval;
  current: CurrentSubscription;
  canManage: boolean;
  ownerNoticeId?: string;
  busy: boolean;
  onChoose(seats: number): void;
}

const unlimitedOr = (value: number | null, fmt: (n: number) => string) => (value === null ? 'Unlimited' : fmt(value));

export function PlanCard({ plan, rank, interval, current, canManage, ownerNoticeId, busy, onChoose }: Props) {
  const isCurrent = current.plan === plan.id;
  const initialSeats = isCurrent ? current.seats : plan.minSeats;
  const [seatsText, setSeatsText] = useState(String(Math.max(initialSeats, plan.minSeats)));
  const seatsId = useId();
  const titleId = useId();
  const price = plan.prices[interval];
  const paid = price !== null;
  const fixedSeats = plan.maxSeats !== null && plan.minSeats === plan.maxSeats;
  const error = paid && !fixedSeats ? seatError(seatsText, plan) : null;
  const seats = fixedSeats ? plan.minSeats : Number(seatsText);

  const sameAsCurrent = isCurrent && (!paid || (seats === current.seats && interval === current.interval));
  // Short visible labels fit the narrow cards; the accessible name adds the plan, since every card has one.
  let action: string;
  let fullAction: string;
  if (sameAsCurrent) [action, fullAction] = ['Current plan', `${plan.name} is your current plan`];
  else if (isCurrent && seats !== current.seats)
    [action, fullAction] = ['Change seats', `Change ${plan.name} to ${seats} seats`];
  else if (isCurrent) {
    action = interval === 'year' ? 'Switch to yearly' : 'Switch to monthly';
    fullAction = `${action} billing`;
  } else if (current.plan === 'free') [action, fullAction] = ['Subscribe', `Subscribe to ${plan.name}`];
  else if (rank > current.rank) [action, fullAction] = ['Upgrade', `Upgrade to ${plan.name}`];
  else [action, fullAction] = ['Downgrade', `Downgrade to ${plan.name}`];

  const total = paid && !error ? price * seats : null;

  return (
    <article
      className={`plan ${isCurrent ? 'plan--current' : ''}`}
      aria-labelledby={titleId}
      data-testid={`plan-${plan.id}`}
    >
      {isCurrent && <span className="plan__badge">Your plan</span>}
      <h3 className="plan__name" id={titleId}>
        {plan.name}
      </h3>
      <p className="plan__price">
        {paid ? (
          <>
            <span className="plan__amount">{formatEuro(price, { whole: true })}</span>
            <span className="plan__per"> per seat / {interval === 'month' ? 'month' : 'year'}</span>
          </>
        ) : (
          <span className="plan__amount">Free</span>
        )}
      </p>
      <ul className="plan__features">
        <li>
          <strong>{unlimitedOr(plan.tokenAllowance, formatCompact)}</strong> AI tokens / month
        </li>
        <li>
          <strong>{unlimitedOr(plan.limits.sessions, formatNumber)}</strong> sessions
        </li>
        <li>
          <strong>{unlimitedOr(plan.limits.events, formatNumber)}</strong> events
        </li>
        <li>
          <strong>{unlimitedOr(plan.limits.enrichments, formatNumber)}</strong> enrichments
        </li>
        <li>
          <strong>{unlimitedOr(plan.limits.storage, formatBytes)}</strong> storage
        </li>
        <li className={plan.creditsAllowed ? '' : 'plan__no'}>
          {plan.creditsAllowed ? 'Credits & auto-recharge' : 'No credit purchases'}
        </li>
        <li className="muted">{seatRangeText(plan)}</li>
      </ul>

      {paid && (
        <div className="plan__buy">
          {!fixedSeats && (
            <div className="field field--inline">
              <label htmlFor={seatsId} className="field__label">
                Seats
              </label>
              <input
                id={seatsId}
                className="input input--seats"
                type="number"
                inputMode="numeric"
                min={plan.minSeats}
                max={plan.maxSeats ?? undefined}
                step={1}
                value={seatsText}
                onChange={(e) => setSeatsText(e.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${seatsId}-error` : undefined}
                disabled={!canManage}
              />
            </div>
          )}
          {error ? (
            <p className="field__error" id={`${seatsId}-error`}>
              {error}
            </p>
          ) : (
            <p className="plan__total">
              {total !== null && `${formatEuro(total)} / ${interval === 'month' ? 'month' : 'year'}`}
            </p>
          )}
          <button
            type="button"
            className={`btn btn--block ${sameAsCurrent ? 'btn--ghost' : 'btn--primary'}`}
            disabled={!canManage || sameAsCurrent || error !== null || busy}
            aria-describedby={canManage ? undefined : ownerNoticeId}
            onClick={() => onChoose(seats)}
            aria-label={busy ? undefined : fullAction}
          >
            {busy ? 'Opening checkout…' : action}
          </button>
        </div>
      )}
      {!paid && (
        <p className="plan__total muted">
          {isCurrent
            ? 'You are on the free plan.'
            : 'Cancel your subscription to return to Free at the end of the period.'}
        </p>
      )}
    </article>
  );
}
