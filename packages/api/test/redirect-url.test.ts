import { describe, expect, it } from 'vitest';
import { allowedRedirect } from '../src/services/subscriptions/redirect-url';

const config = (appUrl: string, origins: string[] = []) => ({
  appUrl,
  ALLOWED_REDIRECT_ORIGINS: origins,
  RATE_LIMIT_PER_MINUTE: 200,
  STRIPE_WEBHOOK_SECRET: undefined,
  METRICS_TOKEN: undefined,
  TRUST_PROXY: [],
  BILLING_ADMIN_TOKEN: undefined,
});

const check = (appUrl: string, url: string, origins?: string[]) =>
  allowedRedirect(config(appUrl, origins), 'successUrl', url, 'unused');

// `pnpm dev` serves the dashboard from Vite on :5173 while the server listens on :3000.
describe('redirect URLs for checkout and the portal', () => {
  it('allows the Vite dev origin when the server itself runs on this machine', () => {
    expect(check('http://127.0.0.1:3000', 'http://localhost:5173/billing/plan?checkout=success')).toBe(
      'http://localhost:5173/billing/plan?checkout=success',
    );
    expect(check('http://localhost:3000', 'http://127.0.0.1:5173/billing/plan')).toBe(
      'http://127.0.0.1:5173/billing/plan',
    );
  });

  it('refuses the Vite origin on a deployed server unless it is configured', () => {
    expect(() => check('https://billing.contox.dev', 'http://localhost:5173/billing/plan')).toThrow(
      /on this app's origin/,
    );
    expect(check('https://billing.contox.dev', 'http://localhost:5173/x', ['http://localhost:5173'])).toBe(
      'http://localhost:5173/x',
    );
  });

  it('still refuses other local ports and foreign origins in development', () => {
    expect(() => check('http://127.0.0.1:3000', 'http://localhost:8080/')).toThrow(/on this app's origin/);
    expect(() => check('http://127.0.0.1:3000', 'https://evil.example/')).toThrow(/on this app's origin/);
  });
});
