import { setTimeout as sleep } from 'node:timers/promises';
import { scaled } from '@contox/db/testing';
import { EmulatorControl } from '@contox/stripe-emulator';
import { expect } from 'vitest';
import type { SpawnedServer } from '../../src/spawn-server';

export const GOOD_CARD = '4242424242424242';

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** The documented REST API of a spawned server, called with its demo key. */
export async function call<T = Record<string, unknown>>(
  server: SpawnedServer,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Answer<T>> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as T, headers: res.headers };
}

/** As `call`, expecting a 2xx answer (the body is shown when it is not). */
export async function ok<T = Record<string, unknown>>(
  server: SpawnedServer,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  const answer = await call<T>(server, method, path, body);
  expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeGreaterThanOrEqual(200);
  expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
  return answer.body;
}

/** The built-in emulator's address, from the banner. */
export function emulatorUrlOf(server: SpawnedServer): string {
  const url = /Stripe emulator at (\S+)/.exec(server.output())?.[1];
  if (!url) throw new Error(`no emulator in the banner:\n${server.output()}`);
  return url;
}

export const controlOf = (server: SpawnedServer) => new EmulatorControl(emulatorUrlOf(server));

/** The checkout session id in a hosted checkout URL. */
export function sessionIdOf(checkoutUrl: string): string {
  const id = /\/c\/pay\/(cs_[^/?#]+)/.exec(checkoutUrl)?.[1];
  if (!id) throw new Error(`not a checkout URL: ${checkoutUrl}`);
  return id;
}

/** Polls `check` until it holds; false when the (scaled) budget ran out first. */
export async function eventually(check: () => Promise<boolean> | boolean, budgetMs: number): Promise<boolean> {
  for (const deadline = Date.now() + scaled(budgetMs); Date.now() < deadline; await sleep(25)) {
    if (await check()) return true;
  }
  return check();
}

/** Resolves to the exit code once the process is gone (null if a signal ended it). */
export async function exitCodeOf(server: SpawnedServer): Promise<number | null> {
  await server.exited;
  return server.child.exitCode;
}
