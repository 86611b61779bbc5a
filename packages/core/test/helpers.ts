import { expect } from 'vitest';
import { type DomainError, type DomainErrorCode, isDomainError } from '../src/index';

/** Runs `fn`, asserts it throws a DomainError with `code`, and returns the error for further checks. */
export function catchDomainError(fn: () => unknown, code: DomainErrorCode): DomainError {
  try {
    fn();
  } catch (error) {
    if (!isDomainError(error)) throw error;
    expect(error.code).toBe(code);
    return error;
  }
  throw new Error(`expected a DomainError ${code}, nothing was thrown`);
}

export const utc = (iso: string): Date => new Date(iso);
