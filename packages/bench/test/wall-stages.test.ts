import assert from 'node:assert/strict';
import test from 'node:test';
import { histogramTotals, wallStagesTable } from '../src/wall-stages';

const exposition = (scale: number) =>
  [
    '# HELP contox_http_request_duration_seconds x',
    `contox_http_request_duration_seconds_bucket{le="0.01",route="/a",method="POST"} ${10 * scale}`,
    `contox_http_request_duration_seconds_sum{route="/a",method="POST"} ${0.1 * scale}`,
    `contox_http_request_duration_seconds_count{route="/a",method="POST"} ${10 * scale}`,
    `contox_http_request_duration_seconds_sum{route="/b",method="GET"} ${0.1 * scale}`,
    `contox_http_request_duration_seconds_count{route="/b",method="GET"} ${10 * scale}`,
    `contox_rate_limit_wait_seconds_sum ${0.02 * scale}`,
    `contox_rate_limit_wait_seconds_count ${20 * scale}`,
    `contox_spend_queue_wait_seconds_sum ${0.04 * scale}`,
    `contox_spend_queue_wait_seconds_count ${20 * scale}`,
    `contox_spend_batch_duration_seconds_sum{outcome="committed"} ${0.06 * scale}`,
    `contox_spend_batch_duration_seconds_count{outcome="committed"} ${20 * scale}`,
  ].join('\n');

test('a histogram adds up over its labelled series, and another name with the same prefix does not count', () => {
  assert.deepEqual(histogramTotals(exposition(1), 'contox_http_request_duration_seconds'), { sum: 0.2, count: 20 });
  assert.deepEqual(histogramTotals(exposition(1), 'contox_http_request'), { sum: 0, count: 0 });
});

test('each stage is the mean over the window between two readings, and the rest is what the stages leave', () => {
  const table = wallStagesTable(exposition(1), exposition(3));
  // Window: 40 requests over 0.4 s (10 ms each); 40 rate-limit waits over 0.04 s (1 ms); queue 2 ms; batch 3 ms.
  assert.match(table, /rate-limit count .* \| 1\.00 \|/);
  assert.match(table, /queue for the next batch \| 2\.00 \|/);
  assert.match(table, /in the database .* \| 3\.00 \|/);
  assert.match(table, /the rest: .* \| 4\.00 \|/);
  assert.match(table, /\*\*whole request.*\*\* \| 10\.00 \|/);
});
