#!/usr/bin/env bash
# HTTP API latency under load (wrk): the overview's two requests and a year of hourly
# values, against `envwatch serve --http` ($ENVWATCH; or $ENVWATCH_HTTP_ONLY, the API alone)
# on a temporary database: tests/tools/http_fixture.sql plus the year 2025 of hourly values
# for every pollutant of both air stations. Aim: p99 < 20 ms at 1,000 requests/s.
#   ENVWATCH=build/envwatch bench/http.sh [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-${BENCH_SECONDS:-10}}
command -v wrk >/dev/null || { echo "http bench: wrk not installed (scripts/deps.sh test)"; exit 1; }
tmp=$(mktemp -d)
db="$tmp/bench.db"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
export ENVWATCH_NOW=2026-03-10T12:30:00
load() {
  sqlite3 "$db" < "$root/tests/tools/http_fixture.sql"
  # 2025-01-01T00:00+08:00 = 1735660800; 8760 hours; a daily and a weekly cycle.
  sqlite3 "$db" "WITH RECURSIVE h(t) AS (SELECT 1735660800 UNION ALL SELECT t + 3600 FROM h
    WHERE t < 1735660800 + 8759 * 3600), v(site, param, base) AS (VALUES
    (1,'a34004',45),(1,'a34002',80),(1,'a21026',8),(1,'a21004',35),(1,'a21005',0.7),(1,'a05024',90),
    (2,'a34004',40),(2,'a34002',70),(2,'a21026',7),(2,'a21004',30),(2,'a21005',0.6),(2,'a05024',95))
    INSERT INTO observation(site_id, param, period, ts_utc, value, min, max, cou, flag, packet_id)
    SELECT site, param, 'hour', t, round(base * (1 + 0.4 * ((t / 3600) % 24) / 24.0
      + 0.3 * ((t / 86400) % 7) / 7.0), 1), NULL, NULL, NULL, 'N', 1 FROM h, v;"
}
if [ -n "${ENVWATCH_HTTP_ONLY:-}" ]; then
  "$ENVWATCH_HTTP_ONLY" --init "$db"; load
  "$ENVWATCH_HTTP_ONLY" "$db" "127.0.0.1:$port" >/dev/null 2>&1 &
else
  hj=$(free_port)
  "${ENVWATCH:?set ENVWATCH}" serve --db "$db" --hj212 "127.0.0.1:$hj" --http "127.0.0.1:$port" \
    --log-level warn >/dev/null 2>&1 &
fi
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/health" && break; sleep 0.1; done
[ -z "${ENVWATCH_HTTP_ONLY:-}" ] && load
base="http://127.0.0.1:$port/api/v1"
rc=0
# Cold: each request computed from the database (a new query string each time defeats the
# one-minute response cache); 20 sequential requests, median and worst.
# Warm: wrk, 2 threads, 8 connections, closed loop; the dashboard's steady state.
for path in "aqi/now" "targets" "sites/1/series?param=a34004&from=2025-01-01&to=2026-01-01&limit=10000"; do
  sep='?'; case "$path" in *\?*) sep='&' ;; esac
  cold=$(for i in $(seq 20); do curl -s -o /dev/null -w '%{time_total}\n' "$base/$path${sep}cold=$i"; done |
    sort -n | awk '{v[NR]=$1} END {printf "cold p50 %.1fms max %.1fms", v[int((NR+1)/2)]*1000, v[NR]*1000}')
  n=$(curl -s -o /dev/null -w "%{size_download}" "$base/$path")
  out=$(wrk -t 2 -c 8 -d "${secs}s" --latency "$base/$path")
  rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(printf '%s\n' "$out" | awk '$1 == "50%" {print $2}')
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
  printf 'GET /api/v1/%s  (%s bytes)  %s;  warm %s req/s p50 %s p99 %s\n' "$path" "$n" "$cold" "$rps" "$p50" "$p99"
done
[ -n "${ENVWATCH_HTTP_ONLY:-}" ] && exit $rc

# Signed-in requests: every one looks its session up (office store, under the office lock),
# and the office routes read cases and the ledger. 200 cases of one unit's, made through the
# API, one page of 20 listed.
printf 'bench-password\n' | "$ENVWATCH" user add bench --db "$db" --role bureau --org sthj >/dev/null
tok=$(curl -s -X POST "$base/login" -H 'Content-Type: application/json' \
  -d '{"name":"bench","password":"bench-password"}' | jq -r .token)
auth=(-H "Authorization: Bearer $tok")
for i in $(seq 200); do
  curl -s -o /dev/null -X POST "$base/cases" "${auth[@]}" -H 'Content-Type: application/json' \
    -d "{\"source\":\"inspection\",\"category\":\"dust\",\"location\":\"site $i\",\"description\":\"bench\"}"
done
for path in "session" "cases?limit=20" "cases/summary" "cases/100" "ledger"; do
  n=$(curl -s -o /dev/null -w "%{size_download}" "${auth[@]}" "$base/$path")
  out=$(wrk -t 2 -c 8 -d "${secs}s" --latency -H "Authorization: Bearer $tok" "$base/$path")
  rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(printf '%s\n' "$out" | awk '$1 == "50%" {print $2}')
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
  printf 'GET /api/v1/%s signed in  (%s bytes)  warm %s req/s p50 %s p99 %s\n' "$path" "$n" "$rps" "$p50" "$p99"
done
exit $rc
