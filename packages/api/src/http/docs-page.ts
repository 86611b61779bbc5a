import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { OpenAPIObject } from 'trpc-to-openapi';
import { openApiDocument } from './openapi-document';
import { sendError, sendJson } from './respond';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * The reference's standalone bundle: the page needs no CDN and works offline. From the installed package in the
 * workspace (a development dependency: the package drags a front-end toolchain of ~250 MB along), else from the
 * copy the production bundle keeps beside its main.js (scripts/build-production.sh). A deployment without
 * either still serves the API (the page then links to the document).
 */
function findScalar(): { file: string; version: string } | null {
  try {
    const dir = join(dirname(createRequire(import.meta.url).resolve('@scalar/api-reference')), 'browser');
    const { version } = JSON.parse(readFileSync(join(dir, '..', '..', 'package.json'), 'utf8')) as { version: string };
    return { file: join(dir, 'standalone.js'), version };
  } catch {
    return bundledScalar();
  }
}

function bundledScalar(): { file: string; version: string } | null {
  const dir = fileURLToPath(new URL('./scalar/', import.meta.url));
  if (!existsSync(join(dir, 'standalone.js'))) return null;
  const { version } = JSON.parse(readFileSync(join(dir, 'version.json'), 'utf8')) as { version: string };
  return { file: join(dir, 'standalone.js'), version };
}

const scalar = findScalar();
/** Versioned, so browsers may keep it for a year. */
export const SCALAR_SCRIPT_PATH = `/api/docs/scalar-${scalar?.version ?? 'missing'}.js`;

/** Scalar's settings: nothing fetched from elsewhere (fonts, telemetry, its AI agent), curl as the first sample. */
const SCALAR_CONFIGURATION = {
  url: '/api/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: 'never',
  hideClientButton: true,
  documentDownloadType: 'json',
  defaultHttpClient: { targetKey: 'shell', clientKey: 'curl' },
};

/** The reference page: Scalar's contents, examples and curl lines, read from `/api/openapi.json`. */
export function renderDocsPage(doc: OpenAPIObject): string {
  const title = escapeHtml(doc.info.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body>
<noscript><h1>${title}</h1><p>This reference needs JavaScript. The document itself: <a href="/api/openapi.json">/api/openapi.json</a>.</p></noscript>
${
  scalar
    ? `<script id="api-reference" data-configuration="${escapeHtml(JSON.stringify(SCALAR_CONFIGURATION))}"></script>
<script src="${SCALAR_SCRIPT_PATH}"></script>`
    : `<h1>${title}</h1><p>The reference page is not installed here. The document: <a href="/api/openapi.json">/api/openapi.json</a>.</p>`
}
</body>
</html>
`;
}

function allowGet(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  res.setHeader('Allow', 'GET, HEAD');
  sendError(res, 405, `Method ${req.method} not allowed on ${req.url?.split('?')[0]} (allowed: GET, HEAD)`);
  return false;
}

/** Built on first use (the service's URL, APP_URL or the listen address, may be known only once it listens). */
function once<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: make() };
    return value.v;
  };
}

/** `/api/openapi.json`, `/api/docs` and the reference's script; `baseUrl` names this service in `servers`. */
export function docsRoutes(baseUrl: () => string) {
  const doc = once(() => openApiDocument(baseUrl()));
  const page = once(() => renderDocsPage(doc()));
  const script = once(() => {
    const raw = scalar ? readFileSync(scalar.file) : Buffer.from('');
    return { raw, gzip: gzipSync(raw, { level: 9 }) };
  });
  return {
    openApi(req: IncomingMessage, res: ServerResponse) {
      if (allowGet(req, res)) sendJson(res, 200, doc());
    },
    docsPage(req: IncomingMessage, res: ServerResponse) {
      if (allowGet(req, res)) res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page());
    },
    script(req: IncomingMessage, res: ServerResponse) {
      if (!allowGet(req, res)) return;
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      const { raw, gzip: packed } = script();
      res.writeHead(200, {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': 'public, max-age=31536000, immutable',
        Vary: 'Accept-Encoding',
        ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
        'Content-Length': gzip ? packed.length : raw.length,
      });
      res.end(req.method === 'HEAD' ? undefined : gzip ? packed : raw);
    },
  };
}
