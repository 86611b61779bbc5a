import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * A brotli (.br) and a gzip (.gz) copy beside every text asset of the build, at the highest levels: the server
 * sends the one the browser accepts (apps/server/src/static-site.ts) and compresses nothing per request.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'contox-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const file of readdirSync(outDir, { recursive: true }).map(String)) {
        if (!/\.(js|mjs|css|html|svg|json|txt|map)$/.test(file)) continue;
        const body = readFileSync(join(outDir, file));
        if (body.length < 1024) continue;
        const brotli = {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
        };
        writeFileSync(join(outDir, `${file}.br`), brotliCompressSync(body, brotli));
        writeFileSync(join(outDir, `${file}.gz`), gzipSync(body, { level: 9 }));
      }
    },
  };
}

const api = `http://127.0.0.1:${process.env.PORT ?? 3000}`;

// The billing server allows this origin for Stripe's redirects when it runs on this machine
// (packages/api/src/services/subscriptions/redirect-url.ts): the port is pinned so the two agree.
const DEV_PORT = 5173;

/** `pnpm dev` says where the dashboard is and how to sign in to it, beside the server's own banner. */
function printDevUrl(): Plugin {
  return {
    name: 'contox-dev-url',
    apply: 'serve',
    configureServer(server) {
      server.httpServer?.once('listening', () => {
        const url = `http://localhost:${DEV_PORT}`;
        server.config.logger.info(
          [
            '',
            `  Dashboard (live reload): ${url}/billing/plan`,
            `  Sign in: the server's sign-in link with ${url} in place of its origin, or paste the demo API key`,
            `  API calls go to ${api}; checkout and the billing portal come back to ${url}`,
            '',
          ].join('\n'),
        );
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress(), printDevUrl()],
  server: { port: DEV_PORT, strictPort: true, proxy: { '/trpc': api, '/api': api, '/auth': api } },
});
