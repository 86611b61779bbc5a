#!/bin/sh
# Runs the pnpm version package.json pins, without touching the machine's own: a pnpm already on the PATH at
# that version is used as it is; otherwise a project-local copy in .tools/ (installed by npm on first use,
# never globally). Its folder is put first on the PATH, so the tools pnpm starts (turbo runs each package's
# script with `pnpm`) find the same one.   sh scripts/pnpm.sh <pnpm arguments>
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
want=$(node -p "require('$root/package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null)" != "$want" ]; then
  tools="$root/.tools/pnpm-$want"
  if [ "$("$tools/node_modules/.bin/pnpm" --version 2>/dev/null)" != "$want" ]; then
    echo "pnpm $want is not on the PATH: installing it in $tools (your own pnpm, if any, is left as it is)" >&2
    npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error "pnpm@$want" >&2
  fi
  PATH="$tools/node_modules/.bin:$PATH"
  export PATH
fi
exec pnpm "$@"
