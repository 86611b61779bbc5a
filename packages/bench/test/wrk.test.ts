import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'node:test';
import { readBody } from '../src/peers/http';
import { assertAllSucceeded, runWrk, writeWrkScript } from '../src/wrk';

/** A real server in this process; `answer` decides each request's fate by its rank. */
async function withServer(
  answer: (rank: number, res: ServerResponse, req: IncomingMessage) => void,
  body: (url: string, seen: { keys: string[]; auth: Set<string> }) => Promise<void>,
) {
  const seen = { keys: [] as string[], auth: new Set<string>() };
  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    seen.keys.push((JSON.parse(text) as { idempotencyKey: string }).idempotencyKey);
    seen.auth.add(req.headers.authorization ?? '');
    answer(seen.keys.length, res, req);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const script = writeWrkScript({
  method: 'POST',
  path: '/spend',
  keys: ['key_a', 'key_b'],
  bodyTemplate: JSON.stringify({ amount: 1, idempotencyKey: '@@' }),
});
const CONNECTIONS = 4;

test('every request carries its own idempotency key and one of the given API keys', async () => {
  await withServer(
    (_, res) => res.writeHead(200).end('{}'),
    async (url, seen) => {
      const r = await runWrk(url, { script, connections: CONNECTIONS, seconds: 1 });
      assertAllSucceeded('clean', r);
      assert.ok(r.ok > 0 && r.ok === r.requests);
      assert.equal(new Set(seen.keys).size, seen.keys.length);
      assert.deepEqual([...seen.auth].sort(), ['Bearer key_a', 'Bearer key_b']);
    },
  );
});

test('throughput counts 2xx answers only, and a run with any other answer is refused with the count', async () => {
  await withServer(
    (rank, res) => res.writeHead(rank % 5 === 0 ? 503 : 200).end('{}'),
    async (url, seen) => {
      const r = await runWrk(url, { script, connections: CONNECTIONS, seconds: 1 });
      // wrk may stop before reading the last answer of each connection; it never invents one.
      const sent503 = Math.floor(seen.keys.length / 5);
      assert.ok(r.non2xx <= sent503 && r.non2xx >= sent503 - CONNECTIONS, `${r.non2xx} of ${sent503}`);
      assert.equal(r.ok + r.non2xx, r.requests);
      assert.equal(r.throughput, r.ok / r.seconds);
      assert.throws(() => assertAllSucceeded('flaky', r), new RegExp(`flaky: ${r.non2xx} non-2xx answers`));
    },
  );
});

test('requests the server never answers are errors that refuse the run', async () => {
  await withServer(
    (rank, res, req) => (rank % 7 === 0 ? req.socket.destroy() : res.writeHead(200).end('{}')),
    async (url) => {
      const r = await runWrk(url, { script, connections: CONNECTIONS, seconds: 1 });
      assert.ok(r.socketErrors > 0);
      assert.equal(r.non2xx, 0);
      assert.throws(() => assertAllSucceeded('cut', r), new RegExp(`and ${r.socketErrors} requests without an answer`));
    },
  );
});
