import type { ServerResponse } from 'node:http';
import type { BillingDeps } from '../deps';
import { pingDatabase } from '../store/health';
import { renderDocsPage } from './docs-page';
import { openApiDocument } from './openapi-document';
import { sendJson } from './respond';

/** `/healthz`: answers once the database does. */
export async function serveHealth(deps: BillingDeps, res: ServerResponse): Promise<void> {
  await pingDatabase(deps.database.db);
  sendJson(res, 200, { status: 'ok', database: deps.database.kind });
}

/** `/api/openapi.json` and `/api/docs`, both built once from the procedures' meta. */
export function docsRoutes(baseUrl: string) {
  const doc = openApiDocument(baseUrl);
  const page = renderDocsPage(doc);
  return {
    openApi: (res: ServerResponse) => sendJson(res, 200, doc),
    docsPage: (res: ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
    },
  };
}
