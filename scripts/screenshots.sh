#!/usr/bin/env bash
# Refresh the README's screenshots: run the demo's browser test (tests/it/web_demo.mjs,
# which photographs every screen it checks into test-artifacts/) and copy the ones the
# README shows into docs/screenshots/.
#   scripts/screenshots.sh   (after make; needs chromium and playwright-core: scripts/deps.sh test)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ENVWATCH="$root/build/envwatch" ENVWATCH_ROOT="$root" node --test --test-reporter=dot tests/it/web_demo.mjs
mkdir -p docs/screenshots
for s in overview-bureau water monthly; do
  cp "test-artifacts/demo-$s.png" "docs/screenshots/$s.png"
done
echo "docs/screenshots: $(ls docs/screenshots | tr '\n' ' ')"
