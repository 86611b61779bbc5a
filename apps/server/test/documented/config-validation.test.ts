import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer } from '../../src/spawn-server';

// README, Configuration: "Read once at start and validated (packages/api/src/config.ts); a bad value stops the
// start with the variable's name." Each case runs the real entry point (src/main.ts) in a process of its own.

const dir = mkdtempSync(join(tmpdir(), 'contox-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Should a bad value be accepted, the server must not touch the repository's .data folder.
const base = { DATA_DIR: join(dir, 'data') };

/** What a start with `env` came to: the exit code and output, or the running server's banner (then stopped). */
async function start(env: Record<string, string>): Promise<{ started: boolean; output: string }> {
  try {
    const server = await spawnServer({ ...base, ...env });
    const output = server.output();
    await server.stop();
    return { started: true, output };
  } catch (err) {
    return { started: false, output: err instanceof Error ? err.message : String(err) };
  }
}

function expectRefused(outcome: { started: boolean; output: string }, variable: string) {
  expect(outcome.started, `started despite a bad ${variable}:\n${outcome.output}`).toBe(false);
  // Stopped by the validation (exit 1), not by a timeout or a crash later on.
  expect(outcome.output).toMatch(/^server exited with 1:/);
  expect(outcome.output).toContain('Invalid configuration');
  expect(outcome.output).toMatch(new RegExp(`^  ${variable}: `, 'm'));
  expect(outcome.output).not.toMatch(/Dashboard:/);
}

describe('a bad configuration value stops the start, naming the variable', () => {
  // Each start costs a process; one start with many bad values checks that each of them is named.
  const badValues: Record<string, string>[] = [
    {
      PORT: 'abc',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'verbose',
      DATABASE_URL: 'mysql://user@127.0.0.1/billing',
      APP_URL: 'not a url',
      STRIPE_SECRET_KEY: 'pk_test_123',
      BILLING_BOOTSTRAP_API_KEY: 'contox_sk_short',
      STRIPE_EMULATOR_PORT: '65536',
    },
    { PORT: '70000', RATE_LIMIT_PER_MINUTE: 'ten', BILLING_ADMIN_TOKEN: 'shorter-than-32-characters' },
  ];

  it.each(badValues.map((env) => [Object.keys(env).join(', '), env] as const))(
    '%s: each named, no other',
    async (_, env) => {
      const outcome = await start(env);
      for (const variable of Object.keys(env)) expectRefused(outcome, variable);
      const named = [...outcome.output.matchAll(/^ {2}([A-Z_]+): /gm)].map((m) => m[1]);
      expect(named.sort()).toEqual(Object.keys(env).sort());
    },
  );

  it('one bad value alone is enough to stop it', async () => {
    expectRefused(await start({ RATE_LIMIT_PER_MINUTE: '-3' }), 'RATE_LIMIT_PER_MINUTE');
  });
});

describe('a BILLING_CATALOG_FILE that cannot be used stops the start', () => {
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const cases: [string, () => string, RegExp][] = [
    ['malformed JSON', () => file('malformed.json', '{ "plans": '), /JSON/],
    ['a negative price', () => file('negative.json', '{"plans":{"team":{"prices":{"month":-5}}}}'), /prices\.month/],
    ['a missing file', () => join(dir, 'missing.json'), /missing\.json/],
  ];

  it.each(cases)('%s', async (_, path, reason) => {
    const outcome = await start({ BILLING_CATALOG_FILE: path() });
    expect(outcome.started, `started with a bad catalogue:\n${outcome.output}`).toBe(false);
    expect(outcome.output).toMatch(/^server exited with 1:/);
    expect(outcome.output).toMatch(reason);
    expect(outcome.output).not.toMatch(/Dashboard:/);
  });
});
