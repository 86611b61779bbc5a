import { formatDate, formatEuro, formatPeriod } from '../lib/format';
import type { Outputs } from '../trpc';
import { StatusBadge } from './StatusBadge';

type Subscription = Outputs['subscription']['get'];
type Plan = Outputs['plans']['list']['plans'][number];

interface Props {
  subscription: Subscription;
  plan: Plan | undefined;
  canManage: boolean;
  ownerNoticeId?: string;
  portalPending: boolean;
  resumePending: boolean;
  onPortal(): void;
  onCancel(): void;
  onResume(): void;
}

export function SubscriptionSummary(props: Props) {
  const {
    subscription: s,
    plan,
    canManage,
    ownerNoticeId,
    portalPending,
    resumePending,
    onPortal,
    onCancel,
    onResume,
  } = props;
  const paid = s.status !== 'none';
  const cancelling = s.cancelAtPeriodEnd || s.cancelAt !== null;
  const unitPrice = s.interval && plan ? plan.prices[s.interval] : null;
  const describedBy = canManage ? undefined : ownerNoticeId;
  const endDate = s.cancelAt ?? s.currentPeriodEnd;

  return (
    <div className="subscription">
      <div className="subscription__main">
        <div className="subscription__plan">
          <span className="subscription__name" data-testid="current-plan">
            {plan?.name ?? s.plan}
          </span>
          <StatusBadge status={s.status} cancelling={cancelling} />
        </div>
        <dl className="facts">
          <div>
            <dt>Seats</dt>
            <dd data-testid="current-seats">{s.seats}</dd>
          </div>
          <div>
            <dt>Billing</dt>
            <dd>
              {s.interval === 'year' ? 'Yearly' : s.interval === 'month' ? 'Monthly' : '—'}
              {unitPrice !== null && (
                <span className="muted">
                  {' '}
                  · {formatEuro(unitPrice * s.seats)} / {s.interval}
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>Current period</dt>
            <dd>
              {s.currentPeriodStart && s.currentPeriodEnd
                ? formatPeriod(s.currentPeriodStart, s.currentPeriodEnd)
                : '—'}
            </dd>
          </div>
          <div>
            <dt>{cancelling ? 'Ends on' : 'Renews on'}</dt>
            <dd>{paid && endDate ? formatDate(endDate) : '—'}</dd>
          </div>
        </dl>
      </div>

      {cancelling && endDate && (
        <div className="notice notice--warn" data-testid="pending-cancellation">
          <div>
            <strong>Cancellation scheduled.</strong> Your {plan?.name ?? s.plan} plan stays active until{' '}
            <strong>{formatDate(endDate)}</strong>, then the account moves to the Free plan.
          </div>
          <button
            type="button"
            className="btn btn--primary btn--small"
            onClick={onResume}
            disabled={!canManage || resumePending}
            aria-describedby={describedBy}
          >
            {resumePending ? 'Resuming…' : 'Resume subscription'}
          </button>
        </div>
      )}

      {(s.pastDue || s.status === 'unpaid') && (
        <p className="notice notice--error" role="alert">
          The last payment failed: this period's allowance comes once the invoice is paid.{' '}
          {s.payUrl ? <a href={s.payUrl}>Pay the invoice</a> : 'Update your payment method to keep the plan.'}
        </p>
      )}

      <div className="subscription__actions">
        <button
          type="button"
          className="btn btn--ghost"
          onClick={onPortal}
          disabled={!canManage || portalPending}
          aria-describedby={describedBy}
        >
          {portalPending ? 'Opening…' : 'Manage payment methods & invoices'}
        </button>
        {paid && !cancelling && (
          <button
            type="button"
            className="btn btn--danger-ghost"
            onClick={onCancel}
            disabled={!canManage}
            aria-describedby={describedBy}
          >
            Cancel subscription
          </button>
        )}
      </div>
    </div>
  );
}
