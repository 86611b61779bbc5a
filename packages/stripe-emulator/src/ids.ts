import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** Stripe-style id: `<prefix>_<24 base62 chars>`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomToken(24)}`;
}

export function newSecret(ownerId: string): string {
  return `${ownerId}_secret_${randomToken(24)}`;
}

export function randomUpper(length: number): string {
  return randomToken(length * 2)
    .replace(/[^A-Z]/g, '')
    .padEnd(length, 'X')
    .slice(0, length);
}
