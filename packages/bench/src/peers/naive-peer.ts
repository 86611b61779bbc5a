import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import postgres from 'postgres';
import { readBody, reply } from './http';

/**
 * The naive REST peer: the same request and answer as our spend, on the same stack (node:http, postgres.js
 * with the API's pool size of 10), written the way most billing layers do it: one transaction per spend that
 * locks the balance row, inserts the ledger row and updates the balance. API keys are checked against an
 * in-memory map of their hashes, so the peer pays no auth query: the comparison is about the spend itself.
 */
const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} });
const accountOfHash = new Map(
  Object.entries(JSON.parse(readFileSync(process.env.PEER_KEYS_FILE!, 'utf8')) as Record<string, number>),
);

class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parseSpend(text: string): { amount: number; description: string; idempotencyKey: string } {
  const body = JSON.parse(text) as Record<string, unknown>;
  const { amount, description, idempotencyKey } = body;
  if (!Number.isSafeInteger(amount) || (amount as number) <= 0) throw new Refused(400, 'amount');
  if (typeof description !== 'string' || typeof idempotencyKey !== 'string') throw new Refused(400, 'strings');
  return { amount: amount as number, description, idempotencyKey };
}

async function spend(account: number, input: ReturnType<typeof parseSpend>) {
  return sql.begin(async (tx) => {
    const [row] = await tx`select balance from balances where id = ${account} for update`;
    if (!row || Number(row.balance) < input.amount) throw new Refused(402, 'insufficient credits');
    const [entry] = await tx`insert into ledger (account_id, amount, ref)
      values (${account}, ${-input.amount}, ${input.idempotencyKey}) returning id`;
    const [after] = await tx`update balances set balance = balance - ${input.amount}
      where id = ${account} returning balance`;
    return {
      transactionId: String(entry!.id),
      balance: Number(after!.balance),
      fromAllowance: 0,
      fromCredits: input.amount,
    };
  });
}

const server = createServer(async (req, res) => {
  try {
    if (req.method !== 'POST' || req.url !== '/api/billing/credits/spend') throw new Refused(404, 'not found');
    const key = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const account = accountOfHash.get(createHash('sha256').update(key).digest('hex'));
    if (account === undefined) throw new Refused(401, 'unknown key');
    reply(res, 200, await spend(account, parseSpend(await readBody(req))));
  } catch (err) {
    if (err instanceof Refused) reply(res, err.status, { error: err.message });
    else reply(res, 500, { error: String(err) });
  }
});
// As the real server (apps/server): idle keep-alive connections are not closed under the load generator.
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.once('SIGTERM', () => server.close(() => void sql.end().then(() => process.exit(0))));
