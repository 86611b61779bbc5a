const LABELS: Record<string, { text: string; tone: string }> = {
  none: { text: 'Free', tone: 'neutral' },
  active: { text: 'Active', tone: 'good' },
  trialing: { text: 'Trial', tone: 'good' },
  past_due: { text: 'Payment overdue', tone: 'bad' },
  unpaid: { text: 'Unpaid', tone: 'bad' },
  incomplete: { text: 'Awaiting payment', tone: 'warn' },
  incomplete_expired: { text: 'Payment expired', tone: 'bad' },
  canceled: { text: 'Cancelled', tone: 'neutral' },
  paused: { text: 'Paused', tone: 'warn' },
};

export function StatusBadge({ status, cancelling }: { status: string; cancelling: boolean }) {
  const label = cancelling
    ? { text: 'Cancels at period end', tone: 'warn' }
    : (LABELS[status] ?? { text: status, tone: 'neutral' });
  return (
    <span className={`badge badge--${label.tone}`} data-testid="subscription-status">
      {label.text}
    </span>
  );
}
