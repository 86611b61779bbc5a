import { DomainError } from '@contox/core';
import type { BillingDeps } from '../../deps';

const originOf = (url: string): string | null => (URL.canParse(url) ? new URL(url).origin : null);

/** The dashboard's Vite dev server (`pnpm dev`; apps/web/vite.config.ts pins its port). */
export const VITE_DEV_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A server whose own URL is on this machine is a developer's: the Vite origin is allowed without configuring
 * ALLOWED_REDIRECT_ORIGINS, so checkout from `pnpm dev` just works. A deployment has a real APP_URL.
 */
function devOrigins(appUrl: string): string[] {
  return URL.canParse(appUrl) && LOOPBACK.has(new URL(appUrl).hostname) ? VITE_DEV_ORIGINS : [];
}

/**
 * Stripe sends the payer to these URLs after handling their card, so only our own origins are accepted:
 * an absolute http(s) URL without credentials on the app's origin or an allowed one. Relative and
 * protocol-relative (`//host`) forms are refused rather than resolved, and the normalised form is what
 * goes to Stripe, so what was checked is what is used.
 */
export function allowedRedirect(
  config: BillingDeps['config'],
  field: string,
  value: string | undefined,
  fallback: string,
): string {
  if (value === undefined) return fallback;
  const url = URL.canParse(value) ? new URL(value) : null;
  const allowed = new Set(
    [config.appUrl, ...config.ALLOWED_REDIRECT_ORIGINS, ...devOrigins(config.appUrl)].map(originOf),
  );
  const ok =
    url !== null &&
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === '' &&
    allowed.has(url.origin);
  if (!ok) {
    throw new DomainError(
      'INVALID_INPUT',
      `${field}: must be an absolute URL on this app's origin (${originOf(config.appUrl)})`,
      {
        field,
      },
    );
  }
  return url.href;
}
