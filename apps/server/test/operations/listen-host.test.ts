import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scaled } from '@contox/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { type SpawnedServer, spawnServer } from '../../src/spawn-server';
import { GOOD_CARD, controlOf, ok, sessionIdOf } from './helpers';

// HOST is the address the server listens on. Linux answers on all of 127.0.0.0/8, so a second loopback
// address (127.0.0.2) stands in for "another interface" without needing a network.

const dir = mkdtempSync(join(tmpdir(), 'contox-host-'));
const servers: SpawnedServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(name: string, env: Record<string, string> = {}): Promise<SpawnedServer> {
  const server = await spawnServer({ DATA_DIR: join(dir, name), ...env });
  servers.push(server);
  return server;
}

/** Whether a TCP connection to address:port is accepted. */
function answers(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, address);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const portOf = (server: SpawnedServer) => Number(new URL(server.url).port);

describe.runIf(process.platform === 'linux')('HOST', () => {
  it('defaults to 127.0.0.1: nothing else on the machine reaches the server', async () => {
    const server = await start('default');
    expect(await answers('127.0.0.1', portOf(server))).toBe(true);
    expect(await answers('127.0.0.2', portOf(server))).toBe(false);
  });

  it('0.0.0.0 listens on every interface, and the built-in emulator still reaches the webhook', async () => {
    const server = await start('any', { HOST: '0.0.0.0' });
    expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect((await fetch(`http://127.0.0.2:${portOf(server)}/healthz`)).status).toBe(200);
    const { url } = await ok<{ url: string }>(server, 'POST', '/api/billing/checkout', { planId: 'personal' });
    await controlOf(server).completeCheckout(sessionIdOf(url), GOOD_CARD);
    expect(await controlOf(server).waitForWebhooks(scaled(30_000))).toBe(true);
    expect(await ok(server, 'GET', '/api/billing/subscription')).toMatchObject({ plan: 'personal', status: 'active' });
  });

  it('one address: only it answers, the printed URL and the webhook use it', async () => {
    const server = await start('one', { HOST: '127.0.0.2' });
    expect(server.url).toBe(`http://127.0.0.2:${portOf(server)}`);
    expect(await answers('127.0.0.1', portOf(server))).toBe(false);
    const { url } = await ok<{ url: string }>(server, 'POST', '/api/billing/checkout', { planId: 'personal' });
    await controlOf(server).completeCheckout(sessionIdOf(url), GOOD_CARD);
    expect(await controlOf(server).waitForWebhooks(scaled(30_000))).toBe(true);
    expect(await ok(server, 'GET', '/api/billing/subscription')).toMatchObject({ plan: 'personal', status: 'active' });
  });

  it('a value that is no address stops the start, naming HOST', async () => {
    const outcome = await start('bad', { HOST: 'not a host' }).then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(outcome).toMatch(/^server exited with 1:/);
    expect(outcome).toMatch(/^ {2}HOST: must be an IP address or a host name/m);
  });
});
