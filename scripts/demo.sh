#!/usr/bin/env bash
# make demo: the platform on SQLite with simulated stations and outlets.
#   1. builds the dashboard (npm ci, esbuild),
#   2. registers 12 simulated devices (air stations, flue-gas and wastewater outlets),
#   3. starts `envwatch serve` with HJ 212 intake and the HTTP API/dashboard,
#   4. creates one account per role and a few cases and ledger reports through the API
#      (scripts/demo-seed.sh; passwords in DEMO_DIR/accounts.txt),
#   5. back-fills recent history as fast as the server acknowledges it, then keeps a live
#      simulator running until Ctrl-C.
# DEMO_DIR (default demo/) keeps the database between runs; HTTP_PORT and HJ212_PORT can be set.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
ew="$root/$build/envwatch"
dir=${DEMO_DIR:-$root/demo}
http=${HTTP_PORT:-8080}
hj=${HJ212_PORT:-8005}
mkdir -p "$dir"
"$root/scripts/deps.sh" test
"$root/scripts/web-build.sh"
"$ew" simulate --devices 12 --kind mixed --print-devices >"$dir/devices.csv"
"$ew" serve --db "$dir/envwatch.db" --hj212 127.0.0.1:$hj --http 127.0.0.1:$http \
  --static "$root/web/dist" --devices "$dir/devices.csv" --log-level error &
server=$!
trap 'kill $live 2>/dev/null; kill -TERM $server 2>/dev/null; wait $server 2>/dev/null' EXIT INT TERM
live=""
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$http/api/v1/health" >/dev/null && break; sleep 0.1; done
"$root/scripts/demo-seed.sh" "$ew" "$dir/envwatch.db" "http://127.0.0.1:$http" "$dir/accounts.txt"
echo "demo: back-filling history (30 s of simulated devices at full speed)…"
"$ew" simulate --devices 12 --kind mixed --rate 0 --duration 30 --json 127.0.0.1:$hj | tail -1
"$ew" stats --db "$dir/envwatch.db"
echo
echo "envwatch is running:  http://127.0.0.1:$http/   (API: http://127.0.0.1:$http/api/v1/health)"
echo "live devices send HJ 212 to 127.0.0.1:$hj; Ctrl-C stops everything."
"$ew" simulate --devices 12 --kind mixed --rate 0.2 --duration 86400 127.0.0.1:$hj >/dev/null &
live=$!
wait $server
