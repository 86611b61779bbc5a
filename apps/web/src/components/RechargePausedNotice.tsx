interface Props {
  reason: string | null;
  canManage: boolean;
  portalPending: boolean;
  onUpdateCard(): void;
}

/** Auto-recharge stopped charging: why, and the action that lets it run again. */
export function RechargePausedNotice({ reason, canManage, portalPending, onUpdateCard }: Props) {
  return (
    <div className="notice notice--warn" role="status" data-testid="recharge-paused">
      <p>
        <strong>Auto-recharge is paused.</strong> {reason ?? 'The last automatic charge did not go through.'}
      </p>
      {canManage && (
        <button type="button" className="btn btn--primary btn--small" onClick={onUpdateCard} disabled={portalPending}>
          Update card
        </button>
      )}
    </div>
  );
}
