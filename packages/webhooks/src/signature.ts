import { createHmac, timingSafeEqual } from 'node:crypto';

// Contox signs every webhook it sends like Stripe does: `Contox-Signature: t=<unix seconds>,v1=<hex>`, where
// the hex is the HMAC-SHA256 of `<t>.<raw body>` under the endpoint's secret. The timestamp is signed too, so
// a captured delivery cannot be replayed once it is older than the tolerance.

/** The header's name (HTTP header names are case-insensitive; Node lowercases them). */
export const SIGNATURE_HEADER = 'Contox-Signature';

/** How old a signature may be, by default, before `verifyWebhook` refuses it: five minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The hex HMAC-SHA256 of `<timestamp>.<payload>` under `secret`. */
export function computeSignature(payload: string, secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
}

/** The `Contox-Signature` header value for a body sent at `timestamp` (unix seconds). */
export function signatureHeader(payload: string, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${computeSignature(payload, secret, timestamp)}`;
}

/** The parts of a `Contox-Signature` header: its timestamp and every `v1` signature (several while rotating). */
export function parseSignatureHeader(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}

export interface VerifyOptions {
  /** Default five minutes. */
  toleranceSeconds?: number;
  /** The receiver's clock, default now. */
  now?: Date;
}

/**
 * Checks a delivery's `Contox-Signature` against the raw body (exactly the bytes received, before any JSON
 * parsing) and the endpoint's secret, and returns the parsed event. Throws WebhookSignatureError when the
 * header is missing or malformed, no signature matches, or the timestamp is outside the tolerance.
 */
export function verifyWebhook<T = unknown>(
  payload: string | Uint8Array,
  header: string | string[] | null | undefined,
  secret: string,
  opts: VerifyOptions = {},
): T {
  const body = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  const value = Array.isArray(header) ? header[0] : header;
  const parsed = value ? parseSignatureHeader(value) : null;
  if (!parsed) throw new WebhookSignatureError(`Missing or malformed ${SIGNATURE_HEADER} header`);
  const expected = Buffer.from(computeSignature(body, secret, parsed.timestamp), 'hex');
  const matches = parsed.signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
  if (!matches) throw new WebhookSignatureError('No signature matches the body and the secret');
  const tolerance = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - parsed.timestamp) > tolerance) {
    throw new WebhookSignatureError(`The signature's timestamp is more than ${tolerance} s away from now`);
  }
  return JSON.parse(body) as T;
}
