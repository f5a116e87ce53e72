#!/usr/bin/env bash
# make demo: the platform on SQLite with a demo year of the zone's stations and outlets.
#   1. builds the dashboard (npm ci, esbuild),
#   2. writes the hourly history of the devices of data/demo/devices.csv (the Zhengzhou
#      national air stations, one station per sub-district office, enterprises' flue-gas and
#      wastewater outlets) from 1 January of last year up to the current hour, in bulk and
#      straight into the database through the ingest pipeline (`simulate --history`); a
#      second run only adds the hours since the first,
#   3. starts `envwatch serve` with HJ 212 intake and the HTTP API/dashboard, the outlets'
#      limits (data/demo/limits.csv) and the scan that turns exceedances and suspects (four
#      outlets are given faults) into alerts and cases,
#   4. creates one account per role and a few cases and ledger reports through the API
#      (scripts/demo-seed.sh; passwords in DEMO_DIR/accounts.txt),
#   5. keeps the same devices online in real time (minute data as the clock passes, the hour
#      at each hour's end) until Ctrl-C.
# DEMO_DIR (default demo/) keeps the database between runs; HTTP_PORT and HJ212_PORT can be
# set; DEMO_FROM (YYYY-MM-DD) moves the start of the history.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
ew="$root/$build/envwatch"
dir=${DEMO_DIR:-$root/demo}
http=${HTTP_PORT:-8080}
hj=${HJ212_PORT:-8005}
from=${DEMO_FROM:-$(($(date -u +%Y) - 1))-01-01}
t0=$(date +%s)
mkdir -p "$dir"
"$root/scripts/deps.sh" test
"$root/scripts/web-build.sh"
cp "$root/data/demo/devices.csv" "$dir/devices.csv"
# Four outlets misbehave now and then (simulate --fault), so the pollution-source screens have
# something to catch: 中原精密铸造's SO2 reads zero, 经开热力's flue gas is diluted with air,
# 瑞丰新材料's SO2 freezes, 豫康生物医药's data do not arrive for six hours. (`--fault silent`,
# an outlet gone quiet, is left out: the demo's devices are all online, as its data-quality
# screen promises; tests/it/web_source.mjs shows one.)
faults=(--fault zero:EWGAS00000000000000ZZ001 --fault dilution:EWGAS00000000000000RL001
  --fault constant:EWGAS00000000000000RF001 --fault gap:EWWAT00000000000000YK001)
echo "demo: hourly history from $from to now…"
"$ew" simulate --devices-file "$dir/devices.csv" --history --db "$dir/envwatch.db" --from "$from" \
  "${faults[@]}"
# The outlets' limits (data/demo/limits.csv); the scan judges the whole history at start, so
# the year's exceedances are alerts with their cases.
days=$((($(date -u +%s) - $(date -u -d "$from" +%s)) / 86400 + 1))
"$ew" serve --db "$dir/envwatch.db" --hj212 127.0.0.1:$hj --http 127.0.0.1:$http \
  --static "$root/web/dist" --devices "$dir/devices.csv" --limits "$root/data/demo/limits.csv" \
  --scan-first-days "$days" --log-level error &
server=$!
live=""
trap '[ -n "$live" ] && kill $live 2>/dev/null; kill -TERM $server 2>/dev/null; wait $server 2>/dev/null' EXIT INT TERM
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$http/api/v1/health" >/dev/null && break; sleep 0.1; done
# Live from the start of the current hour: the history ends where this begins.
"$ew" simulate --devices-file "$dir/devices.csv" --realtime --duration 31536000 \
  "${faults[@]}" 127.0.0.1:$hj >/dev/null &
live=$!
"$root/scripts/demo-seed.sh" "$ew" "$dir/envwatch.db" "http://127.0.0.1:$http" "$dir/accounts.txt"
"$ew" stats --db "$dir/envwatch.db"
echo
echo "envwatch is running (ready in $(($(date +%s) - t0)) s):  http://127.0.0.1:$http/"
echo "   API: http://127.0.0.1:$http/api/v1/health"
echo "live devices send HJ 212 to 127.0.0.1:$hj; Ctrl-C stops everything."
wait $server
