#!/bin/sh
# Installs what the two README commands need on a fresh machine: the workspace's dependencies, with the pnpm
# version package.json pins (scripts/pnpm.sh: the one on the PATH when it is that version, else a copy in
# .tools/; a global pnpm is never installed or replaced, and corepack fails its signature check on our machines).
set -e
cd "$(dirname "$0")/.."
sh scripts/pnpm.sh install --frozen-lockfile --prefer-offline
