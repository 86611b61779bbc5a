import { customAlphabet } from 'nanoid';

const base62 = customAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 20);

/** Stripe-style ids (`txn_…`): a type prefix and 20 random base62 characters, each equally likely. */
export function newId(prefix: string): string {
  return `${prefix}_${base62()}`;
}
