export type Interval = 'month' | 'year';

interface Props {
  value: Interval;
  onChange(value: Interval): void;
}

/** Radio buttons styled as a segmented control: arrow keys and screen readers work as with any radio group. */
export function IntervalToggle({ value, onChange }: Props) {
  return (
    <fieldset className="segmented">
      <legend className="sr-only">Billing interval</legend>
      {(['month', 'year'] as const).map((v) => (
        <label key={v} className={`segmented__option ${value === v ? 'segmented__option--on' : ''}`}>
          <input
            type="radio"
            name="billing-interval"
            value={v}
            checked={value === v}
            onChange={() => onChange(v)}
            className="sr-only"
          />
          {v === 'month' ? 'Monthly' : 'Yearly'}
          {v === 'year' && <span className="segmented__note">2 months free</span>}
        </label>
      ))}
    </fieldset>
  );
}
