import type { ReactNode } from 'react';
import { errorInfo } from '../lib/errors';

interface Props {
  /** What is loading, for the screen-reader text and the error heading. */
  what: string;
  isPending: boolean;
  error: unknown;
  onRetry?: () => void;
  /** Placeholder height while loading, so the layout does not jump. */
  minHeight?: number;
  children: ReactNode;
}

/** The loading and error states every panel needs, in one place so they look and read the same. */
export function QueryState({ what, isPending, error, onRetry, minHeight = 96, children }: Props) {
  if (error) {
    return (
      <div className="state state--error" role="alert">
        <p className="state__title">Could not load {what}</p>
        <p className="state__text">{errorInfo(error).message}</p>
        {onRetry && (
          <button type="button" className="btn btn--ghost btn--small" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    );
  }
  if (isPending) {
    return (
      <div className="state state--loading" style={{ minHeight }} aria-busy="true">
        <span className="spinner" aria-hidden="true" />
        <span>Loading {what}…</span>
      </div>
    );
  }
  return <>{children}</>;
}
