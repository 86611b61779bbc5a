#!/bin/sh
# The production bundle, exactly as the Dockerfile builds it (apps/server/test/production-bundle.test.ts runs
# the result as the image does): the dashboard built and precompressed, the server and its workspace packages
# compiled to plain JavaScript (apps/server/scripts/build.mjs), and only the npm packages it imports at run
# time, production dependencies only, laid out flat by `pnpm deploy --prod`. Run with `node dist/main.js`
# from the output folder; nothing else of the repository is needed.
#   sh scripts/build-production.sh <output folder>   (after `pnpm install`)
set -e
out=${1:?usage: scripts/build-production.sh <output folder>}
mkdir -p "$out" && out=$(cd "$out" && pwd)
cd "$(dirname "$0")/.."
pnpm --filter @contox/server build
rm -rf "$out"
pnpm --filter @contox/server deploy --prod --prefer-offline --config.node-linker=hoisted "$out" >/dev/null
rm -f "$out/pnpm-lock.yaml" "$out/pnpm-workspace.yaml"
# Straight into the bundle's folder: apps/web/dist may be serving a test meanwhile.
pnpm --filter @contox/web exec vite build --outDir "$out/dist/public" --emptyOutDir >/dev/null
# The API reference's standalone script, beside main.js (packages/api/src/http/docs-page.ts): the package itself
# is a development dependency, so the ~250 MB of front-end tooling it depends on stays out of the bundle.
mkdir -p "$out/dist/scalar"
node --input-type=module -e "
import { createRequire } from 'node:module';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
const dir = join(dirname(createRequire('$PWD/packages/api/package.json').resolve('@scalar/api-reference')), 'browser');
copyFileSync(join(dir, 'standalone.js'), '$out/dist/scalar/standalone.js');
const { version } = JSON.parse(readFileSync(join(dir, '..', '..', 'package.json'), 'utf8'));
writeFileSync('$out/dist/scalar/version.json', JSON.stringify({ version }));
"
# drizzle's migrator reads them at start, beside the bundle's folder (packages/db/src/migrate.ts: ../migrations).
cp -R packages/db/migrations "$out/migrations"
