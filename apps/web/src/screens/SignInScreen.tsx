import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { signInWithApiKey } from '../lib/auth';
import { clearParam } from '../lib/router';

interface Props {
  /** The server sends people back with ?signin=expired when a one-time link was already used. */
  linkExpired: boolean;
  onSignedIn(): void;
}

export function SignInScreen({ linkExpired, onSignedIn }: Props) {
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const errorId = useId();
  const hintId = useId();

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const key = apiKey.trim();
    if (!key) {
      setError('Enter your API key.');
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const result = await signInWithApiKey(key);
    setBusy(false);
    if (result.ok) {
      clearParam('signin');
      onSignedIn();
    } else {
      setError(result.message);
      inputRef.current?.select();
    }
  };

  return (
    <main className="signin">
      <form className="signin__card" onSubmit={submit} noValidate aria-labelledby="signin-title">
        <div className="signin__brand">
          <span className="logo" aria-hidden="true">
            ◆
          </span>{' '}
          Contox
        </div>
        <h1 id="signin-title">Sign in to Billing</h1>
        {linkExpired && (
          <p className="notice notice--warn" role="status">
            That sign-in link has expired or was already used. Sign in with your API key, or start the server again for
            a fresh link.
          </p>
        )}
        <label htmlFor={inputId} className="field__label">
          API key
        </label>
        <input
          ref={inputRef}
          id={inputId}
          className="input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="contox_sk_…"
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${hintId}${error ? ` ${errorId}` : ''}`}
        />
        <p className="field__hint" id={hintId}>
          The start command prints a one-click sign-in link and a demo API key.
        </p>
        {error && (
          <p className="form-error" id={errorId} role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
