import { type FormEvent, useId, useRef, useState } from 'react';
import {
  type AutoRechargeDraft,
  type AutoRechargeErrors,
  type AutoRechargeField,
  type AutoRechargeSettings,
  type PackPrice,
  toDraft,
  validateAutoRecharge,
} from '../lib/auto-recharge';
import { errorInfo } from '../lib/errors';
import { formatDateTime, formatEuro, formatNumber, parseEuroToCents } from '../lib/format';
import { RechargePreview } from './RechargePreview';

export interface AutoRechargeFormProps {
  settings: AutoRechargeSettings;
  packs: readonly PackPrice[];
  /** Euro cents already charged by auto-recharge this period. */
  spent: number;
  lastFailure: { at: string; message: string } | null;
  hasPaymentMethod: boolean;
  /** The card recharges go on, named in the preview of what saving will do. */
  card?: { brand: string; last4: string } | null;
  /** Exclusive end of the billing period, when the spending limit starts again. */
  periodEnd?: string;
  canManage: boolean;
  ownerNoticeId?: string;
  onSave(settings: AutoRechargeSettings): Promise<unknown>;
  onAddPaymentMethod?(): void;
}

const FIELDS: AutoRechargeField[] = ['threshold', 'packId', 'spendingLimit'];

export function AutoRechargeForm(props: AutoRechargeFormProps) {
  const {
    settings,
    packs,
    spent,
    lastFailure,
    hasPaymentMethod,
    card = null,
    periodEnd,
    canManage,
    ownerNoticeId,
    onSave,
    onAddPaymentMethod,
  } = props;
  const [draft, setDraft] = useState<AutoRechargeDraft>(() => toDraft(settings));
  const [errors, setErrors] = useState<AutoRechargeErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const ids = { threshold: useId(), packId: useId(), spendingLimit: useId(), enabled: useId() };
  const inputs = useRef<Partial<Record<AutoRechargeField, HTMLInputElement | HTMLSelectElement | null>>>({});

  const update = <K extends AutoRechargeField>(field: K, value: AutoRechargeDraft[K]) => {
    const next = { ...draft, [field]: value };
    setDraft(next);
    setSaved(false);
    setFormError(null);
    // Before the first attempt errors would nag while typing; after it they clear as soon as fixed.
    if (submitted) {
      const result = validateAutoRecharge(next, packs);
      setErrors(result.ok ? {} : result.errors);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setFormError(null);
    const result = validateAutoRecharge(draft, packs);
    if (!result.ok) {
      setErrors(result.errors);
      const first = FIELDS.find((f) => result.errors[f]);
      if (first) inputs.current[first]?.focus();
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      await onSave(result.settings);
      setSaved(true);
    } catch (err) {
      const info = errorInfo(err);
      const field = info.details?.field;
      // The server names the offending field for INVALID_SETTINGS; show it where the value was typed.
      if (typeof field === 'string' && (FIELDS as string[]).includes(field)) {
        setErrors({ [field]: info.message });
        inputs.current[field as AutoRechargeField]?.focus();
      } else {
        setFormError(info.message);
      }
    } finally {
      setSaving(false);
    }
  };

  const limitCents = parseEuroToCents(draft.spendingLimit) ?? settings.spendingLimit;
  const spentShare = limitCents > 0 ? Math.min(100, (spent / limitCents) * 100) : 0;
  const describe = (field: AutoRechargeField, hint?: string) =>
    [hint, errors[field] ? `${ids[field]}-error` : null].filter(Boolean).join(' ') || undefined;
  const invalid = (field: AutoRechargeField) => (errors[field] ? true : undefined);
  const errorText = (field: AutoRechargeField) =>
    errors[field] && (
      <p className="field__error" id={`${ids[field]}-error`}>
        {errors[field]}
      </p>
    );

  return (
    <form className="auto-recharge" onSubmit={submit} noValidate aria-label="Auto-recharge settings">
      <fieldset
        disabled={!canManage || saving}
        aria-describedby={canManage ? undefined : ownerNoticeId}
        className="fieldset"
      >
        <legend className="sr-only">Auto-recharge</legend>
        <div className="switch-row">
          <input
            id={ids.enabled}
            type="checkbox"
            className="checkbox"
            checked={draft.enabled}
            onChange={(e) => update('enabled', e.target.checked)}
          />
          <label htmlFor={ids.enabled}>
            <strong>Recharge automatically</strong>
            <span className="muted"> — buy the pack below whenever the balance falls under the threshold</span>
          </label>
        </div>

        <div className="form-grid">
          <div className="field">
            <label htmlFor={ids.threshold} className="field__label">
              When the balance falls below (tokens)
            </label>
            <input
              ref={(el) => {
                inputs.current.threshold = el;
              }}
              id={ids.threshold}
              className="input"
              inputMode="numeric"
              value={draft.threshold}
              onChange={(e) => update('threshold', e.target.value)}
              aria-invalid={invalid('threshold')}
              aria-describedby={describe('threshold', `${ids.threshold}-hint`)}
            />
            <p className="field__hint" id={`${ids.threshold}-hint`}>
              {(() => {
                const n = Number(draft.threshold.replace(/[,\s_]/g, ''));
                return Number.isFinite(n) && draft.threshold.trim() !== ''
                  ? `${formatNumber(n)} tokens`
                  : 'A whole number, 0 or more';
              })()}
            </p>
            {errorText('threshold')}
          </div>

          <div className="field">
            <label htmlFor={ids.packId} className="field__label">
              Pack to buy
            </label>
            <select
              ref={(el) => {
                inputs.current.packId = el;
              }}
              id={ids.packId}
              className="input"
              value={draft.packId}
              onChange={(e) => update('packId', e.target.value)}
              aria-invalid={invalid('packId')}
              aria-describedby={describe('packId')}
            >
              {packs.map((p) => (
                <option key={p.id} value={p.id}>
                  {formatNumber(p.tokens)} tokens — {formatEuro(p.price)}
                </option>
              ))}
            </select>
            {errorText('packId')}
          </div>

          <div className="field">
            <label htmlFor={ids.spendingLimit} className="field__label">
              Spending limit per billing period (€)
            </label>
            <input
              ref={(el) => {
                inputs.current.spendingLimit = el;
              }}
              id={ids.spendingLimit}
              className="input"
              inputMode="decimal"
              value={draft.spendingLimit}
              onChange={(e) => update('spendingLimit', e.target.value)}
              aria-invalid={invalid('spendingLimit')}
              aria-describedby={describe('spendingLimit', `${ids.spendingLimit}-spent`)}
            />
            <div className="spent" id={`${ids.spendingLimit}-spent`}>
              <div className="spent__bar" aria-hidden="true">
                <div className="spent__fill" style={{ width: `${spentShare}%` }} />
              </div>
              <span>
                {formatEuro(spent)} of {formatEuro(limitCents)} spent this period
              </span>
            </div>
            {errorText('spendingLimit')}
          </div>
        </div>

        {periodEnd && <RechargePreview draft={draft} packs={packs} spent={spent} card={card} periodEnd={periodEnd} />}

        {draft.enabled && !hasPaymentMethod && (
          <div className="notice notice--warn">
            No card is on file, so auto-recharge cannot charge yet.{' '}
            {onAddPaymentMethod && (
              <button type="button" className="link-button" onClick={onAddPaymentMethod}>
                Add a payment method
              </button>
            )}
          </div>
        )}

        {lastFailure && (
          <div className="notice notice--error" data-testid="last-recharge-failure">
            <strong>Last automatic recharge failed</strong> on {formatDateTime(lastFailure.at)}: {lastFailure.message}
          </div>
        )}

        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}

        <div className="form-actions">
          <button type="submit" className="btn btn--primary">
            {saving ? 'Saving…' : 'Save auto-recharge'}
          </button>
          <span role="status" className="form-saved">
            {saved ? 'Saved.' : ''}
          </span>
        </div>
      </fieldset>
    </form>
  );
}
