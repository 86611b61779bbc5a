import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  announceForgetting,
  type BillingDeps,
  type Config,
  createLogger,
  forgettingAnnounced,
  loadCatalog,
  operatorCaller,
  operatorRefusal,
  parseConfig,
} from '@contox/api';
import type Stripe from 'stripe';
import { DataDirInUseError, lockDataDir } from '../data-dir-lock';
import { openMigratedDatabase } from '../open-database';
import { COMMANDS, type Options, UsageError, usage } from './billing-commands';

/** No operator command talks to Stripe: a call that would is a bug, and says so. */
const noStripe = new Proxy({} as Stripe, {
  get() {
    throw new Error('The billing command line does not talk to Stripe');
  },
});

function parse(argv: string[]) {
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  };
  for (const command of Object.values(COMMANDS)) {
    for (const option of command.options) options[option.replace('?', '')] = { type: 'string' };
  }
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  return { values: values as Record<string, string | boolean | undefined>, name: positionals.join(' ') };
}

/**
 * The embedded database belongs to one process at a time: the folder is locked as the server locks it, and a
 * running server is named in the refusal.
 */
function lockEmbedded(config: Config): (() => void) | null {
  if (config.DATABASE_URL) return null;
  const dir = resolve(config.DATA_DIR);
  mkdirSync(dir, { recursive: true });
  try {
    const lock = lockDataDir(dir);
    return () => lock.release();
  } catch (err) {
    if (!(err instanceof DataDirInUseError)) throw err;
    throw new Error(
      `${err.message}\nThe command line opens the embedded database itself, which only one process may do. ` +
        'Stop the server and run the command again, or call the running server’s operator API ' +
        '(/api/admin/*, with BILLING_ADMIN_TOKEN set); with DATABASE_URL both can run at once.',
    );
  }
}

async function run(name: string, options: Options, json: boolean): Promise<void> {
  const command = COMMANDS[name];
  if (!command) throw new UsageError(name ? `Unknown command "${name}"` : 'Name a command');
  const config = parseConfig(process.env);
  const release = lockEmbedded(config);
  const { handle } = await openMigratedDatabase(config).catch((err: unknown) => {
    release?.();
    throw err;
  });
  try {
    const deps: BillingDeps = {
      database: handle,
      catalog: loadCatalog(config),
      stripe: noStripe,
      config: {
        ALLOWED_REDIRECT_ORIGINS: [],
        RATE_LIMIT_PER_MINUTE: config.RATE_LIMIT_PER_MINUTE,
        STRIPE_WEBHOOK_SECRET: undefined,
        METRICS_TOKEN: undefined,
        TRUST_PROXY: [],
        appUrl: config.APP_URL ?? `http://localhost:${config.PORT}`,
      },
      now: () => new Date(),
      log: createLogger('silent'),
    };
    // A key revoked or a member removed here stops working on every running server at once, not when their
    // caches expire: they hear it over NOTIFY, sent before this process exits.
    announceForgetting(handle, createLogger('warn'));
    const result = await command.run(operatorCaller(deps), options);
    await forgettingAnnounced(handle.db);
    const out = json ? JSON.stringify(result, null, 2) : command.text(result as never).join('\n');
    process.stdout.write(`${out}\n`);
  } finally {
    await handle.close();
    release?.();
  }
}

/** A refusal as the operator API words it, with its code; any other failure with its own cause. */
function failureOf(err: unknown): string {
  const refusal = operatorRefusal(err);
  if (refusal) return `${refusal.error} (${refusal.code})`;
  const cause = (err as { cause?: unknown }).cause ?? err;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Operator command line (`pnpm billing <command>`): the operator API's procedures, called in-process on
 * DATABASE_URL or the embedded database. Exit 0 done, 1 refused or failed (the reason on stderr), 2 bad usage.
 */
async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage()}\n`);
    return 2;
  }
  if (parsed.values.help || !parsed.name) {
    process.stdout.write(`${usage()}\n`);
    return parsed.values.help ? 0 : 2;
  }
  try {
    const { json, help: _, ...options } = parsed.values;
    await run(parsed.name, options as Options, json === true);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${usage()}\n`);
      return 2;
    }
    process.stderr.write(`${failureOf(err)}\n`);
    return 1;
  }
}

main().then((code) => process.exit(code));
