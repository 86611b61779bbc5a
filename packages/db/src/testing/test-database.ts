import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type DatabaseHandle, openDatabase, pgliteOf } from '../client';
import { migrateDatabase } from '../migrate';

export type TestDatabaseKind = 'embedded' | 'postgres';

/** Which databases the suite runs against: both unless TEST_DATABASES narrows it. */
export function testDatabaseKinds(): TestDatabaseKind[] {
  const wanted = (process.env.TEST_DATABASES ?? 'embedded,postgres').split(',').map((s) => s.trim());
  return (['embedded', 'postgres'] as const).filter((k) => wanted.includes(k));
}

export const testServerUrl = () =>
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let template: Promise<Blob> | null = null;

// PGlite takes seconds to boot and migrate; a migrated dump loads in well under one.
function embeddedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const handle = await openDatabase({});
    await migrateDatabase(handle);
    const dump = await pgliteOf(handle)!.dumpDataDir('none');
    await handle.close();
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
