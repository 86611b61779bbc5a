import { DomainError } from '@contox/core';
import type { BillingDeps } from '../../deps';

const originOf = (url: string): string | null => (URL.canParse(url) ? new URL(url).origin : null);

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
  const allowed = new Set([config.appUrl, ...config.ALLOWED_REDIRECT_ORIGINS].map(originOf));
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
