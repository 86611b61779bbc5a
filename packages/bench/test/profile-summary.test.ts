import assert from 'node:assert/strict';
import test from 'node:test';
import { type CpuProfile, categoryOf, IDLE, profileTable, summarizeProfile } from '../src/profile-summary';

const frame = (url: string, functionName = 'f') => ({ functionName, url });

test('frames fall in the stage their file belongs to', () => {
  const pnpm = 'file:///w/node_modules/.pnpm';
  assert.equal(categoryOf(frame(`${pnpm}/zod@4.1.0/node_modules/zod/v4/core/parse.js`)), 'validation (zod)');
  assert.match(categoryOf(frame(`${pnpm}/@trpc+server@11/node_modules/@trpc/server/dist/x.mjs`)), /^tRPC/);
  assert.match(categoryOf(frame(`${pnpm}/postgres@3/node_modules/postgres/src/connection.js`)), /^database client/);
  assert.match(categoryOf(frame('file:///w/packages/api/src/store/ledger.ts')), /^database client/);
  assert.match(categoryOf(frame('file:///w/packages/db/src/rows.ts')), /^database client/);
  assert.equal(categoryOf(frame('file:///w/packages/api/src/services/auth/principal.ts')), 'auth and hashing');
  assert.equal(categoryOf(frame('node:internal/crypto/hash')), 'auth and hashing');
  assert.match(categoryOf(frame('file:///w/packages/api/src/services/credits/spend-queue.ts')), /^spend queue/);
  assert.match(categoryOf(frame('file:///w/packages/core/src/spend-batch.ts')), /^spend queue/);
  assert.match(categoryOf(frame('file:///w/packages/api/src/http/rest-handler.ts')), /^HTTP: our adapter/);
  assert.match(categoryOf(frame('file:///w/apps/server/src/app.ts')), /^HTTP: our adapter/);
  assert.match(categoryOf(frame('file:///w/packages/api/src/services/usage/record-usage.ts')), /^other code of ours/);
  assert.match(categoryOf(frame(`${pnpm}/pino@9/node_modules/pino/pino.js`)), /^logging/);
  assert.match(categoryOf(frame('node:_http_server')), /^HTTP and sockets/);
  assert.equal(categoryOf(frame('', 'writev')), 'native: writev');
  assert.equal(categoryOf(frame('', '(idle)')), IDLE);
});

// Nodes: 1 idle, 2 zod, 3 HTTP. Samples at 100, 200, 300, 400 µs after the start.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('', '(idle)') },
    { id: 2, callFrame: frame('file:///w/node_modules/zod/index.js') },
    { id: 3, callFrame: frame('node:_http_common') },
  ],
  samples: [2, 3, 3, 1],
  timeDeltas: [100, 100, 100, 100],
  startTime: 1_000,
};

test('only samples inside the measured window count, each with the time since the previous one', () => {
  const all = summarizeProfile(profile, 1_000, 1_400);
  assert.deepEqual(new Map(all.map((t) => [t.category, t.micros])).get('validation (zod)'), 100);
  const late = summarizeProfile(profile, 1_150, 1_400);
  assert.equal(
    late.find((t) => t.category === 'validation (zod)'),
    undefined,
  );
  assert.equal(late[0]!.micros, 200);
  assert.throws(() => summarizeProfile(profile, 5_000, 6_000), /no profile sample/);
});

test('the table divides busy time by the requests and leaves idle out', () => {
  const table = profileTable(summarizeProfile(profile, 1_000, 1_400), 10);
  assert.match(table, /\| validation \(zod\) \| 10\.0 \| 33\.3 % \|/);
  assert.match(table, /\*\*busy total\*\* \| \*\*30\.0\*\*/);
  assert.doesNotMatch(table, /idle/);
});
