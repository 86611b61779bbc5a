import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { type DatabaseHandle, openDatabase, pgliteOf } from '../client';
import { migrateDatabase, migrationsFolder } from '../migrate';

export type TestDatabaseKind = 'embedded' | 'postgres';

/** Which databases the suite runs against: both unless TEST_DATABASES narrows it. */
export function testDatabaseKinds(): TestDatabaseKind[] {
  const wanted = (process.env.TEST_DATABASES ?? 'embedded,postgres').split(',').map((s) => s.trim());
  return (['embedded', 'postgres'] as const).filter((k) => wanted.includes(k));
}

export const testServerUrl = () => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let template: Promise<Blob> | null = null;

/** Names the dump after the migrations it holds, so a schema change never loads a stale one. */
function templatePath(): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    if (f.endsWith('.sql') || f.endsWith('.json')) hash.update(f).update(readFileSync(join(migrationsFolder, f)));
  }
  return join(tmpdir(), `contox-pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
}

// PGlite takes seconds to boot and migrate; a migrated dump loads in well under one. The dump is shared
// on disk by every test process of the run (written under a temporary name, then renamed into place).
function embeddedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const path = templatePath();
    if (existsSync(path)) return new Blob([readFileSync(path)]);
    const handle = await openDatabase({});
    await migrateDatabase(handle);
    const dump = await pgliteOf(handle)!.dumpDataDir('none');
    await handle.close();
    const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, path);
    return dump;
  })();
  return template;
}

export interface TestDatabase extends DatabaseHandle {
  /** For a real server: the URL of this test's own database (other processes may connect). */
  url: string | null;
}

export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === 'embedded') {
    const handle = await openDatabase({ loadDataDir: await embeddedTemplate() });
    return { ...handle, url: null };
  }
  const adminUrl = testServerUrl();
  const name = `contox_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (err) {
    await admin.end();
    throw new Error(
      `The test Postgres at ${adminUrl} is unreachable or refused to create a database (${String(err)}). ` +
        'Start it, or set TEST_DATABASES=embedded to run on the embedded database only.',
    );
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolSize: 5 });
  await migrateDatabase(handle);
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
