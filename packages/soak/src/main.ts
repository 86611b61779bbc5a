import { testDatabaseKinds } from '@contox/db/testing';
import { soakSeed } from './random';
import { runSoak } from './soak';

/**
 * The long soak (`pnpm --filter @contox/soak soak`): rounds of steps for SOAK_SECONDS per database kind
 * (default 300), with service restarts. SOAK_SEED replays one schedule (SOAK_ROUNDS fixes how many rounds,
 * for a replay that must not depend on the machine's speed); SOAK_DB=embedded|postgres picks one database.
 */
async function main(): Promise<void> {
  const seconds = Number(process.env.SOAK_SECONDS ?? 300);
  const rounds = process.env.SOAK_ROUNDS ? Number(process.env.SOAK_ROUNDS) : undefined;
  const kinds = process.env.SOAK_DB ? [process.env.SOAK_DB as 'embedded' | 'postgres'] : testDatabaseKinds();
  const seed = soakSeed();
  const write = (line: string) => process.stdout.write(`${line}\n`);
  write(`soak: seed ${seed}, ${rounds === undefined ? `${seconds} s` : `${rounds} rounds`} on ${kinds.join(' and ')}`);
  for (const kind of kinds) {
    const replay = `SOAK_SEED=${seed} SOAK_DB=${kind}${rounds === undefined ? '' : ` SOAK_ROUNDS=${rounds}`} pnpm --filter @contox/soak soak`;
    const report = await runSoak({
      kind,
      seed,
      seconds,
      ...(rounds === undefined ? {} : { rounds }),
      restarts: true,
      replay,
      log: write,
    });
    write(`soak: ${JSON.stringify(report)}`);
  }
  write(`soak: seed ${seed} passed`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
