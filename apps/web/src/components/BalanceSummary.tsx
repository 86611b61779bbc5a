import { formatCompact, formatNumber, formatPeriod } from '../lib/format';
import type { Outputs } from '../trpc';

type Summary = Outputs['credits']['summary'];

/** The two pools tokens come from, side by side, in the order they are used: allowance first, then credits. */
export function BalanceSummary({ summary }: { summary: Summary }) {
  const { allowance } = summary;
  const unlimited = allowance.limit === null;
  const left = unlimited ? null : Math.max(0, allowance.remaining ?? 0);
  const share = unlimited || !allowance.limit ? 0 : Math.min(100, ((left ?? 0) / allowance.limit) * 100);
  return (
    <div className="balances">
      <div className="stat">
        <p className="stat__label" id="plan-allowance-label">
          Plan allowance left this period
        </p>
        {unlimited ? (
          <p className="stat__value">Unlimited</p>
        ) : (
          <>
            <p className="stat__value" data-testid="allowance-left">
              {formatNumber(left ?? 0)} <span className="stat__unit">tokens</span>
            </p>
            <div
              className="mini-bar"
              role="progressbar"
              aria-labelledby="plan-allowance-label"
              aria-valuemin={0}
              aria-valuemax={allowance.limit ?? 0}
              aria-valuenow={left ?? 0}
              aria-valuetext={`${formatNumber(left ?? 0)} of ${formatNumber(allowance.limit ?? 0)} tokens left`}
            >
              <div className="mini-bar__fill" style={{ width: `${share}%` }} />
            </div>
            <p className="stat__sub">
              {formatCompact(allowance.used)} of {formatCompact(allowance.limit ?? 0)} used ·{' '}
              {formatPeriod(summary.period.start, summary.period.end)}
            </p>
          </>
        )}
      </div>
      <div className="stat stat--primary">
        <p className="stat__label">Credit balance</p>
        <p className="stat__value" data-testid="balance">
          {formatNumber(summary.balance)} <span className="stat__unit">tokens</span>
        </p>
        <p className="stat__sub">Used once the plan allowance runs out. Credits never expire.</p>
      </div>
    </div>
  );
}
