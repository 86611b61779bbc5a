import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

/** Set (to true) by the production build (scripts/build.mjs): the dashboard then lies beside the bundle. */
declare const CONTOX_BUNDLE: boolean | undefined;

const distDir = fileURLToPath(
  new URL(typeof CONTOX_BUNDLE !== 'undefined' ? './public' : '../../web/dist', import.meta.url),
);

/**
 * The built SPA, with unknown paths falling back to index.html for client-side routes. The build writes a
 * brotli and a gzip copy of every text asset beside it (apps/web/vite.config.ts): the smallest one the client
 * accepts is sent, with `Vary: Accept-Encoding`, and nothing is compressed per request.
 */
export function staticSite(): (req: IncomingMessage, res: ServerResponse) => void {
  if (!existsSync(distDir)) {
    return (_req, res) => {
      res
        .writeHead(503, { 'Content-Type': 'text/plain' })
        .end('The dashboard is not built: run `pnpm --filter @contox/web build`.');
    };
  }
  const serve = sirv(distDir, { single: true, etag: true, brotli: true, gzip: true });
  return (req, res) => {
    serve(req, res, () => {
      res.writeHead(404).end();
    });
  };
}
