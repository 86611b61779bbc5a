import type { ServerResponse } from 'node:http';

/**
 * The dashboard charges cards in one click: no other site may frame it, and only its own scripts run. Styles
 * allow inline attributes (the charts set them) and the docs page's one style block; everything else is 'self'.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every answer carries, the API's and the dashboard's; HSTS only when the public URL is https. */
export function securityHeaders(publicUrl: () => string): (res: ServerResponse) => void {
  return (res) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'same-origin');
    if (publicUrl().startsWith('https:')) {
      res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    }
  };
}
