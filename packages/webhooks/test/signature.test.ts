import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSignatureHeader, signatureHeader, verifyWebhook, WebhookSignatureError } from '../src/signature';

const SECRET = 'whsec_test_secret';
const body = JSON.stringify({ id: 'evt_1', type: 'credits.low', data: { balance: 10 } });
const at = (seconds: number) => new Date(seconds * 1000);
const T = 1_800_000_000;

describe('Contox-Signature', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256 of "t.body"> under the secret', () => {
    const hex = createHmac('sha256', SECRET).update(`${T}.${body}`).digest('hex');
    expect(signatureHeader(body, SECRET, T)).toBe(`t=${T},v1=${hex}`);
  });

  it('verifies and parses a body signed with the secret, within five minutes either way', () => {
    const header = signatureHeader(body, SECRET, T);
    expect(verifyWebhook(body, header, SECRET, { now: at(T) })).toEqual(JSON.parse(body));
    expect(verifyWebhook(Buffer.from(body), header, SECRET, { now: at(T + 300) })).toEqual(JSON.parse(body));
    expect(verifyWebhook(body, [header], SECRET, { now: at(T - 300) })).toEqual(JSON.parse(body));
  });

  it('refuses a signature older or newer than the tolerance', () => {
    const header = signatureHeader(body, SECRET, T);
    expect(() => verifyWebhook(body, header, SECRET, { now: at(T + 301) })).toThrow(WebhookSignatureError);
    expect(() => verifyWebhook(body, header, SECRET, { now: at(T - 301) })).toThrow(/300 s/);
    expect(verifyWebhook(body, header, SECRET, { now: at(T + 3600), toleranceSeconds: 3600 })).toBeTruthy();
  });

  it('refuses another secret, a changed body, a changed timestamp, a missing or malformed header', () => {
    const header = signatureHeader(body, SECRET, T);
    const now = { now: at(T) };
    expect(() => verifyWebhook(body, header, 'whsec_other', now)).toThrow(/No signature matches/);
    expect(() => verifyWebhook(`${body} `, header, SECRET, now)).toThrow(/No signature matches/);
    expect(() => verifyWebhook(body, header.replace(`t=${T}`, `t=${T + 1}`), SECRET, now)).toThrow(/No signature/);
    for (const bad of [undefined, null, '', 't=abc,v1=00', `t=${T}`, `v1=${'a'.repeat(64)}`, []]) {
      expect(() => verifyWebhook(body, bad, SECRET, now)).toThrow(/Missing or malformed/);
    }
  });

  it('accepts any one matching v1 among several (secret rotation)', () => {
    const good = signatureHeader(body, SECRET, T);
    const other = signatureHeader(body, 'whsec_old', T).split(',')[1];
    expect(verifyWebhook(body, `${good},${other}`, SECRET, { now: at(T) })).toBeTruthy();
    expect(verifyWebhook(body, `t=${T},${other},${good.split(',')[1]}`, SECRET, { now: at(T) })).toBeTruthy();
  });

  it('round-trips any body and secret, and a flipped body character never verifies', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.nat(), (text, secret, i) => {
        const payload = JSON.stringify({ text });
        const header = signatureHeader(payload, secret, T);
        expect(parseSignatureHeader(header)?.timestamp).toBe(T);
        expect(verifyWebhook(payload, header, secret, { now: at(T) })).toEqual({ text });
        const k = i % payload.length;
        const flipped = payload.slice(0, k) + String.fromCharCode(payload.charCodeAt(k) ^ 1) + payload.slice(k + 1);
        expect(() => verifyWebhook(flipped, header, secret, { now: at(T) })).toThrow(WebhookSignatureError);
      }),
    );
  });
});
