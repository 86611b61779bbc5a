import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { errorInfo } from '../lib/errors';
import { formatNumber } from '../lib/format';
import { useToast } from '../lib/toast-context';
import { useTRPC } from '../trpc';

// The server's bound (MAX_RECHARGE_THRESHOLD); checked here too so the field says what is wrong before a call.
const MAX_THRESHOLD = 1_000_000_000_000;

/** Whole tokens, digits with optional thousands separators; null when the text is not one. */
function parseTokens(text: string): number | null {
  const digits = text.replace(/[\s,._]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  const n = Number(digits);
  return Number.isSafeInteger(n) && n <= MAX_THRESHOLD ? n : null;
}

/**
 * The low-credit alert: the host app gets a `credits.low` webhook once credits plus the allowance left fall
 * below the threshold. The owner or an admin sets it; the server enforces the same rule.
 */
export function LowCreditAlertPanel({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const ids = { field: useId(), hint: useId() };
  const credits = useQuery(trpc.credits.get.queryOptions({ limit: 1 }));
  const current = credits.data?.alerts.threshold ?? null;
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.credits.setAlerts.mutationOptions({
      onSuccess: ({ threshold }) => {
        toast.show('success', threshold === null ? 'Low-credit alert is off.' : 'Low-credit alert saved.');
        setText(null);
        return queryClient.invalidateQueries({ queryKey: trpc.credits.pathKey() });
      },
      onError: (err) => setError(errorInfo(err).message),
    }),
  );
  const value = text ?? (current === null ? '' : String(current));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const threshold = parseTokens(value);
    if (threshold === null) {
      setError(`Enter a whole number of tokens from 0 to ${formatNumber(MAX_THRESHOLD)}.`);
      return;
    }
    setError(null);
    save.mutate({ threshold });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="low-credit-alert">
      <p className="field__hint" id={ids.hint}>
        {current === null
          ? 'Off: no alert is sent.'
          : `On: an alert is sent when credits plus the allowance left fall below ${formatNumber(current)} tokens.`}
      </p>
      <div className="field">
        <label htmlFor={ids.field} className="field__label">
          Alert below (tokens)
        </label>
        <input
          id={ids.field}
          className="input"
          inputMode="numeric"
          value={value}
          disabled={!canManage}
          aria-describedby={ids.hint}
          aria-invalid={error !== null}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
        />
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={!canManage || save.isPending}>
          Save alert
        </button>
        {current !== null && (
          <button
            type="button"
            className="btn"
            disabled={!canManage || save.isPending}
            onClick={() => save.mutate({ threshold: null })}
          >
            Turn off
          </button>
        )}
      </div>
    </form>
  );
}
