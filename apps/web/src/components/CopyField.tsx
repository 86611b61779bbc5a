import { useId, useState } from 'react';

/** A secret or link shown once, selectable, with a Copy button that says when it worked. */
export function CopyField({ label, value, hint }: { label: string; value: string; hint: string }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // Without clipboard access (an insecure origin) the text stays selected for Ctrl-C.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
    }
  };
  return (
    <div className="field copy-field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <div className="copy-field__row">
        <input id={id} className="input input--mono" value={value} readOnly onFocus={(e) => e.target.select()} />
        <button type="button" className="btn btn--ghost btn--small" onClick={copy}>
          Copy
        </button>
      </div>
      <p className="field__hint" role="status">
        {copied ? 'Copied.' : hint}
      </p>
    </div>
  );
}
