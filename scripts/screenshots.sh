#!/usr/bin/env bash
# Refresh the README's screenshots: run the demo's and the source screens' browser tests
# (tests/it/web_demo.mjs, web_source.mjs, which photograph every screen they check into
# test-artifacts/) and copy the ones the README shows into docs/screenshots/.
#   scripts/screenshots.sh   (after make; needs chromium and playwright-core: scripts/deps.sh test)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ENVWATCH="$root/build/envwatch" ENVWATCH_ROOT="$root" node --test --test-reporter=dot tests/it/web_demo.mjs tests/it/web_source.mjs
mkdir -p docs/screenshots
for s in overview-bureau water monthly annual; do
  cp "test-artifacts/demo-$s.png" "docs/screenshots/$s.png"
done
cp test-artifacts/source-enterprise-home.png docs/screenshots/enterprise.png
cp test-artifacts/source-bureau-alert.png docs/screenshots/alert.png
echo "docs/screenshots: $(ls docs/screenshots | tr '\n' ' ')"
