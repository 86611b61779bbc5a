import { scaled, testDatabaseKinds } from '@contox/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dispatcher, startWebhookDispatcher } from '../../src/services/outbox/dispatcher';
import { type Harness, startHarness } from '../harness';
import { ADMIN_TOKEN } from '../team-helpers';
import { type Receiver, startReceiver } from './receiver';

const operator = { authorization: `Bearer ${ADMIN_TOKEN}` };

interface LoggedEvent {
  id: string;
  type: string;
  accountId: string;
  sequence: number;
  payload: { id: string; type: string; sequence: number };
  deliveries: { endpointId: string; status: string; attempts: { attempt: number; statusCode: number | null }[] }[];
}

describe.each(testDatabaseKinds())('operator API for webhooks on %s', (kind) => {
  let h: Harness;
  let r: Receiver;
  let dispatcher: Dispatcher;
  const box = { secret: '' };
  beforeAll(async () => {
    h = await startHarness(kind, { adminToken: ADMIN_TOKEN });
    r = await startReceiver({ secret: () => box.secret });
    dispatcher = startWebhookDispatcher(h.deps, { pollMs: 20, retryBaseMs: 30 });
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await r?.close();
    await h?.close();
  });

  const admin = (method: string, path: string, body?: unknown) =>
    h.fetch(path, { method, headers: operator, ...(body !== undefined ? { body } : {}) });
  const log = async (query: string) => {
    const res = await admin('GET', `/api/admin/events?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as { events: LoggedEvent[] }).events;
  };
  async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
    for (const giveUp = Date.now() + scaled(20_000); ; await new Promise((ok) => setTimeout(ok, 25))) {
      const v = await read();
      if (done(v)) return v;
      if (Date.now() > giveUp) throw new Error(`${what}: not in time, last ${JSON.stringify(v)}`);
    }
  }

  it('adds an endpoint (secret shown once), logs each event with its attempts, redelivers, deletes', async () => {
    expect((await h.fetch('/api/admin/webhook-endpoints')).status).toBe(401);
    for (const body of [
      { url: 'ftp://example.com/x', events: ['*'] },
      { url: 'https://example.com/x', events: ['credits.lots'] },
      { url: 'https://example.com/x', events: [] },
    ]) {
      const res = await admin('POST', '/api/admin/webhook-endpoints', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ error: expect.any(String), code: expect.any(String) });
    }
    const created = await admin('POST', '/api/admin/webhook-endpoints', { url: r.url, events: ['account.created'] });
    expect(created.status).toBe(201);
    const endpoint = created.body as { id: string; secret: string };
    expect(endpoint).toEqual({
      id: expect.stringMatching(/^we_/),
      url: r.url,
      events: ['account.created'],
      createdAt: expect.any(String),
      secret: expect.stringMatching(/^whsec_/),
    });
    box.secret = endpoint.secret;
    const listed = await admin('GET', '/api/admin/webhook-endpoints');
    expect(listed.body).toEqual({
      endpoints: [{ id: endpoint.id, url: r.url, events: ['account.created'], createdAt: expect.any(String) }],
    });

    const a = await h.account();
    await r.waitFor(1);
    const [event] = await until(
      'the attempt logged',
      () => log(`accountId=${a.accountId}`),
      (e) => e[0]?.deliveries[0]?.status === 'succeeded',
    );
    expect(event).toMatchObject({
      type: 'account.created',
      accountId: a.accountId,
      sequence: 1,
      payload: { id: event!.id, type: 'account.created', sequence: 1 },
      deliveries: [{ endpointId: endpoint.id, status: 'succeeded', attempts: [{ attempt: 1, statusCode: 200 }] }],
    });
    expect(await log(`accountId=${a.accountId}&type=credits.low`)).toEqual([]);
    expect((await admin('GET', '/api/admin/events?type=nonsense')).status).toBe(400);

    const again = await admin('POST', `/api/admin/events/${event!.id}/redeliver`);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    await until(
      'redelivered',
      async () => r.deliveries.get(event!.id),
      (n) => n === 2,
    );
    expect(r.processed.filter((e) => e.id === event!.id)).toHaveLength(1);
    await until(
      'the second attempt logged',
      () => log(`accountId=${a.accountId}`),
      (e) => e[0]?.deliveries[0]?.attempts.length === 2 && e[0]?.deliveries[0]?.status === 'succeeded',
    );
    expect((await admin('POST', '/api/admin/events/evt_nope/redeliver')).status).toBe(404);

    // An account the operator names carries its externalId on every event.
    const named = await admin('POST', '/api/admin/accounts', {
      name: 'Named',
      externalId: 'ws_42',
      owner: { email: 'owner@named.test' },
    });
    expect(named.status, JSON.stringify(named.body)).toBe(201);
    const namedId = (named.body as { account: { id: string } }).account.id;
    await until('the named account announced', async () => r.processed.find((e) => e.accountId === namedId), Boolean);
    expect(r.processed.find((e) => e.accountId === namedId)).toMatchObject({
      type: 'account.created',
      externalId: 'ws_42',
      sequence: 1,
      data: { id: namedId, name: 'Named', plan: 'free', externalId: 'ws_42' },
    });

    expect((await admin('DELETE', `/api/admin/webhook-endpoints/${endpoint.id}`)).body).toEqual({
      id: endpoint.id,
      deleted: true,
    });
    expect((await admin('DELETE', `/api/admin/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
    expect((await admin('GET', '/api/admin/webhook-endpoints')).body).toEqual({ endpoints: [] });
  });
});
