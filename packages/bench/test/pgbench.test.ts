import assert from 'node:assert/strict';
import test from 'node:test';
import { assertPgbenchSucceeded, runPgbench } from '../src/pgbench-baseline';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

test('a clean pgbench run reports its transactions and no failure', async () => {
  const r = await runPgbench(url, { sql: 'SELECT 1;\n', clients: 2, seconds: 1 });
  assert.ok(r.requests > 0 && r.throughput > 0);
  assert.equal(r.failed, 0);
  assert.equal(r.aborted, 0);
  assertPgbenchSucceeded('clean', r);
});

test('clients that abort on an error are counted and refuse the run', async () => {
  const r = await runPgbench(url, { sql: 'SELECT 1/0;\n', clients: 2, seconds: 1 });
  assert.equal(r.aborted, 2);
  assert.throws(() => assertPgbenchSucceeded('aborting', r), /aborting: 0 failed transactions and 2 aborted clients/);
});

test('failed transactions (pgbench exits 0 on them) are counted and refuse the run', async () => {
  const fail = "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = 'serialization_failure'; END $$;\n";
  const r = await runPgbench(url, { sql: fail, clients: 2, seconds: 1 });
  assert.ok(r.failed > 0);
  assert.equal(r.requests, 0);
  assert.throws(() => assertPgbenchSucceeded('failing', r), new RegExp(`failing: ${r.failed} failed transactions`));
});
