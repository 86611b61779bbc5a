import { formatBytes, formatNumber, levelOf, percentOf } from '../lib/format';

export interface MeterProps {
  label: string;
  used: number;
  /** null means the plan sets no limit. */
  limit: number | null;
  unit?: 'count' | 'bytes';
  /** Small print under the numbers, e.g. what the metric counts. */
  hint?: string;
}

/** One usage meter: a labelled progress bar that turns amber at 80 % and red at 100 %. */
export function Meter({ label, used, limit, unit = 'count', hint }: MeterProps) {
  const fmt = unit === 'bytes' ? formatBytes : formatNumber;
  const id = `meter-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

  if (limit === null) {
    return (
      <div className="meter meter--unlimited" data-testid={id}>
        <div className="meter__head">
          <span className="meter__label" id={`${id}-label`}>
            {label}
          </span>
          <span className="meter__figures">
            {fmt(used)} <span className="meter__of">used · Unlimited</span>
          </span>
        </div>
        <div className="meter__track meter__track--unlimited" aria-hidden="true" />
        {hint && <p className="meter__hint">{hint}</p>}
      </div>
    );
  }

  const percent = percentOf(used, limit);
  const level = levelOf(percent);
  const text = `${fmt(used)} of ${fmt(limit)} (${percent}%)`;
  return (
    <div className={`meter meter--${level}`} data-testid={id} data-level={level}>
      <div className="meter__head">
        <span className="meter__label" id={`${id}-label`}>
          {label}
        </span>
        <span className="meter__figures">
          {fmt(used)} <span className="meter__of">/ {fmt(limit)}</span>
          <span className="meter__percent">{percent}%</span>
        </span>
      </div>
      <div
        className="meter__track"
        role="progressbar"
        aria-labelledby={`${id}-label`}
        aria-valuemin={0}
        aria-valuemax={limit}
        // Past the limit the bar is full; the exact figure is in the value text.
        aria-valuenow={Math.min(Math.max(used, 0), limit)}
        aria-valuetext={text}
      >
        <div className="meter__fill" style={{ width: `${Math.min(percent, 100)}%` }} />
      </div>
      {level !== 'ok' && (
        <p className="meter__warning">{level === 'over' ? 'Limit reached' : 'Approaching the limit'}</p>
      )}
      {hint && <p className="meter__hint">{hint}</p>}
    </div>
  );
}
