import { defaultCatalog } from '@contox/core';
import type { Database } from '@contox/db';
import type { TestDatabase } from '@contox/db/testing';
import { createAccount } from '../../src/services/accounts/create-account';
import type { BillingDeps } from '../../src/deps';
import { createLogger } from '../../src/logger';
import { createEndpoint } from '../../src/services/outbox/endpoints';
import { emitEvents, type EventToEmit } from '../../src/services/outbox/emit-event';

/** What the dispatcher needs of the service's dependencies: the database, a clock and a log. */
export function dispatcherDeps(db: TestDatabase): BillingDeps {
  return {
    database: db,
    catalog: defaultCatalog,
    now: () => new Date(),
    log: createLogger('silent'),
  } as unknown as BillingDeps;
}

let n = 0;
export async function newAccount(db: Database): Promise<string> {
  n += 1;
  const { accountId } = await createAccount(db, {
    name: `Hooked ${n}`,
    ownerEmail: `hooked${n}-${Math.random()}@example.com`,
    ownerName: 'Owner',
    createdAt: new Date(),
  });
  return accountId;
}

export const addEndpoint = (db: Database, url: string, events: string[] = ['*']) =>
  createEndpoint(db, { url, events }, new Date());

/** Emits events in a transaction of their own, as a service does in the transaction of its change. */
export const emit = (db: Database, events: EventToEmit[]) => db.transaction((tx) => emitEvents(tx, events, new Date()));
