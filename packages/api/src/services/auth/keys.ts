import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'contox_sk_';

export type Scope = 'read' | 'billing' | 'usage';
export const ALL_SCOPES: Scope[] = ['read', 'billing', 'usage'];

export function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function generateSecret(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

/** What may be shown of a key after creation: enough to recognise it, never enough to use it. */
export function displayPrefix(apiKey: string): string {
  return `${apiKey.slice(0, API_KEY_PREFIX.length + 6)}…`;
}
