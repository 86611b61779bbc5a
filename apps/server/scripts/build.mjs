// The production bundle: src/main.ts and the workspace packages it imports (@contox/*, TypeScript) compiled into
// one ES module, dist/main.js, run with plain `node` (and dist/sync-prices.js and dist/billing.js likewise). Every npm dependency stays an import, found at run time
// in the node_modules that `pnpm deploy --prod` lays out (scripts/build-production.sh).
import { build } from 'esbuild';

const workspace = /^@contox\//;

await build({
  // The server, and the operator's commands: the catalogue's prices on a real Stripe account, and `billing`.
  entryPoints: {
    main: 'src/main.ts',
    'sync-prices': 'src/commands/sync-prices.ts',
    billing: 'src/commands/billing.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  sourcemap: true,
  // The built dashboard is copied beside the bundle (dist/public) instead of being found in apps/web.
  define: { CONTOX_BUNDLE: 'true' },
  plugins: [
    {
      name: 'npm-dependencies-external',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (workspace.test(args.path) ? undefined : { external: true }));
      },
    },
  ],
  logLevel: 'warning',
});
