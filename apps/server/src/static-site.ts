import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

const distDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** The built SPA, with unknown paths falling back to index.html for client-side routes. */
export function staticSite(): (req: IncomingMessage, res: ServerResponse) => void {
  if (!existsSync(distDir)) {
    return (_req, res) => {
      res
        .writeHead(503, { 'Content-Type': 'text/plain' })
        .end('The dashboard is not built: run `pnpm --filter @contox/web build`.');
    };
  }
  const serve = sirv(distDir, { single: true, etag: true, gzip: false });
  return (req, res) => {
    serve(req, res, () => {
      res.writeHead(404).end();
    });
  };
}
