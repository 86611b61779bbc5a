import { invalidInput } from './errors';

/** Money and tokens are integers; anything else reaching the domain is a caller bug or a hostile request. */
export const isNonNegativeInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export function requireNonNegativeInteger(value: number, name: string): number {
  if (!isNonNegativeInteger(value)) throw invalidInput(`${name} must be a non-negative integer, got ${String(value)}`);
  return value;
}

export function requirePositiveInteger(value: number, name: string): number {
  if (!isNonNegativeInteger(value) || value === 0) {
    throw invalidInput(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
