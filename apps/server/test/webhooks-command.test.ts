import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandLine, compiledCommandLine } from './command-line';

/** `pnpm billing …`, compiled once for this file (./command-line: the same source, ~3x less CPU a call). */
let commandLine: CommandLine;
beforeAll(async () => {
  commandLine = await compiledCommandLine();
});
afterAll(() => commandLine?.close());
const billing = (env: Record<string, string>, ...args: string[]) => commandLine.billing(env, ...args);

describe.runIf(testDatabaseKinds().includes('postgres'))('pnpm billing webhooks …', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    env = { DATABASE_URL: db.url! };
  });
  afterAll(() => db?.close());

  const json = async <T>(...args: string[]): Promise<T> => {
    const ran = await billing(env, ...args, '--json');
    expect(ran.code, ran.stderr).toBe(0);
    return JSON.parse(ran.stdout) as T;
  };

  it('creates, lists and deletes endpoints, shows the event log and redelivers', async () => {
    const refused = await billing(env, 'webhooks', 'create', '--url', 'ftp://example.com/hooks');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/http:\/\/ or https:\/\//);

    const url = 'https://app.example.com/hooks/contox';
    const created = await json<{ id: string; secret: string }>(
      'webhooks',
      'create',
      '--url',
      url,
      '--events',
      'account.created,credits.low',
    );
    expect(created).toMatchObject({ url, events: ['account.created', 'credits.low'], secret: expect.any(String) });
    expect(await json('webhooks', 'list')).toEqual({
      endpoints: [{ id: created.id, url, events: ['account.created', 'credits.low'], createdAt: expect.any(String) }],
    });

    const { account } = await json<{ account: { id: string } }>(
      'accounts',
      'create',
      '--name',
      'Hooked',
      '--owner-email',
      'owner@hooked.test',
    );
    const { events } = await json<{ events: { id: string; type: string; deliveries: { status: string }[] }[] }>(
      'webhooks',
      'events',
      '--account',
      account.id,
    );
    expect(events).toMatchObject([
      { type: 'account.created', deliveries: [{ endpointId: created.id, status: 'pending' }] },
    ]);
    const text = await billing(env, 'webhooks', 'events', '--account', account.id, '--type', 'account.created');
    expect(text.stdout).toContain(`${events[0]!.id}  account.created  ${account.id} #1`);
    expect(text.stdout).toContain(`→ ${created.id}  pending, 0 attempt(s)`);

    expect(await json('webhooks', 'redeliver', '--id', events[0]!.id)).toEqual({
      id: events[0]!.id,
      redelivering: true,
    });
    expect(await json('webhooks', 'delete', '--id', created.id)).toEqual({ id: created.id, deleted: true });
    expect(await json('webhooks', 'list')).toEqual({ endpoints: [] });
    const again = await billing(env, 'webhooks', 'delete', '--id', created.id);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/No webhook endpoint/);
  });
});
