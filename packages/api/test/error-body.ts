import { expect } from 'vitest';
import { ERROR_CODES, errorCodes } from '../src/error-codes';

/** Matches any documented error `code` of this HTTP status (for tests that judge many different refusals at once). */
export function codeAt(status: number) {
  const codes = errorCodes.filter((c) => ERROR_CODES[c].status === status);
  return expect.stringMatching(new RegExp(`^(${codes.join('|') || '(none)'})$`));
}
