import assert from 'node:assert/strict';
import test from 'node:test';
import { percentile, spreadOf } from '../src/stats';

test('the median of an odd count is the middle run, of an even count the mean of the two middle ones', () => {
  assert.deepEqual(spreadOf([300, 100, 200]), { median: 200, min: 100, max: 300 });
  assert.deepEqual(spreadOf([4, 1, 3, 2]), { median: 2.5, min: 1, max: 4 });
});

test('one run is its own median and range; no run gives NaN, not zero', () => {
  assert.deepEqual(spreadOf([7]), { median: 7, min: 7, max: 7 });
  assert.ok(Number.isNaN(spreadOf([]).median));
});

test('percentiles take the nearest rank', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(sorted, 50), 50);
  assert.equal(percentile(sorted, 99), 99);
  assert.equal(percentile([5], 99), 5);
});
