#!/bin/sh
# Installs what the two README commands need on a fresh machine: pnpm at the pinned
# version (corepack fails its signature check on our machines) and the workspace deps.
set -e
cd "$(dirname "$0")/.."
want=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null)" != "$want" ]; then
  echo "setup: installing pnpm@$want"
  npm install -g "pnpm@$want" >/dev/null
fi
pnpm install --frozen-lockfile --prefer-offline
