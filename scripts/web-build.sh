#!/usr/bin/env bash
# Build the dashboard into web/dist from web/package-lock.json (npm ci) and web/src. Idempotent:
# skips npm ci when node_modules matches the lock file, and the build when dist is newer than
# every source (and docs/openapi.json, which the build copies in).
#   scripts/web-build.sh [--force]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
web="$root/web"
force=${1:-}
command -v npm >/dev/null || { echo "web-build: npm not found (Node 20 is required)" >&2; exit 1; }
stamp="$web/node_modules/.package-lock.json"
if [ "$force" = --force ] || [ ! -f "$stamp" ] || [ "$web/package-lock.json" -nt "$stamp" ]; then
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
fi
newest=$(find "$web/src" "$web/build.mjs" "$web/package-lock.json" "$root/docs/openapi.json" -type f -newer "$web/dist/index.html" 2>/dev/null | head -1 || true)
if [ "$force" = --force ] || [ ! -f "$web/dist/index.html" ] || [ -n "$newest" ]; then
  (cd "$web" && npm run --silent build)
fi
