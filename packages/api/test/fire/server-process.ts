// A relative import: @contox/server depends on this package, so it cannot be a dependency of its tests.
import { type SpawnedServer, spawnServer } from '../../../../apps/server/src/spawn-server';

export type ServerProcess = SpawnedServer;

/** The real entry point in its own process, quiet and without a practical rate limit for load. */
export const startServerProcess = (env: Record<string, string>): Promise<ServerProcess> =>
  spawnServer({ LOG_LEVEL: 'error', RATE_LIMIT_PER_MINUTE: '1000000', ...env });

export const stopServerProcess = (s: ServerProcess): Promise<void> => s.stop();
