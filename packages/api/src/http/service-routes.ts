import type { ServerResponse } from 'node:http';
import type { BillingDeps } from '../deps';
import { pingDatabase } from '../store/health';
import { sendJson } from './respond';

/** `/healthz`: answers once the database does. */
export async function serveHealth(deps: BillingDeps, res: ServerResponse): Promise<void> {
  await pingDatabase(deps.database.db);
  sendJson(res, 200, { status: 'ok', database: deps.database.kind });
}
