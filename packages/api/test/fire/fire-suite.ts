import type { TestDatabaseKind } from '@contox/db/testing';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { settled } from '../billing-helpers';
import { type Harness, startHarness } from '../harness';
import { findInvariantViolations } from './invariants';

/**
 * One harness per file, and after every test (passed or failed) the webhooks it caused are drained and the
 * whole database is checked against the billing invariants: a test cannot pass while leaving money wrong.
 */
export function useFireHarness(kind: TestDatabaseKind): () => Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(() => h?.close());
  afterEach(async () => {
    if (!h) return;
    await settled(h);
    expect(await findInvariantViolations(h.db.db)).toEqual([]);
  });
  return () => {
    if (!h) throw new Error('the harness is not started yet');
    return h;
  };
}
