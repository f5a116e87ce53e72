#!/usr/bin/env bash
# Soak: the HJ 212 intake and the HTTP API together at a steady load for a bounded time,
# sampling the server every STEP seconds: RSS, open files, threads, packets stored, and the
# latency of a few API reads. At the end: RSS after warm-up (the first quarter) must stay
# within 10 % + 8 MiB of its first post-warm-up sample, and open files must not grow.
#   ENVWATCH=build/envwatch bench/soak.sh [SECONDS (default 600)] [STEP (default 30)]
# Exit 1 if RSS or open files grow.
set -uo pipefail
: "${ENVWATCH:?set ENVWATCH to the envwatch binary}"
secs=${1:-600}
step=${2:-30}
tmp=$(mktemp -d)
trap 'kill "$sim" "$srv" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
port=$(free_port)
hport=$(free_port)
"$ENVWATCH" simulate --devices 200 --kind mixed --print-devices >"$tmp/dev.csv"
"$ENVWATCH" serve --db "$tmp/db" --hj212 "127.0.0.1:$port" --http "127.0.0.1:$hport" \
  --devices "$tmp/dev.csv" --escalate-every 60 2>"$tmp/serve.log" &
srv=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$hport/api/v1/health" >/dev/null && break; sleep 0.1; done
# Steady load: 200 devices at 2 packets/s each (400 packets/s), well below the ceiling, so
# what grows is the server's state, not a queue.
"$ENVWATCH" simulate --devices 200 --rate 2 --window 4 --duration "$((secs + 5))" \
  "127.0.0.1:$port" >"$tmp/sim.txt" 2>&1 &
sim=$!
base="http://127.0.0.1:$hport/api/v1"
# Latency of a read in ms, or its status when it did not answer 200.
lat() { curl -s -o /dev/null -w '%{http_code} %{time_total}' "$base/$1" |
  awk '{ if ($1 == 200) printf "%.1f", $2 * 1000; else printf "http%s", $1 }'; }
printf '%6s %9s %6s %7s %9s %9s %9s %9s\n' t_s rss_kib fds threads packets health_ms now_ms daily_ms
rss0=""; fd0=""; worst_rss=0; worst_fd=0; fail=0
t0=$(date +%s)
while :; do
  now=$(( $(date +%s) - t0 ))
  [ "$now" -gt "$secs" ] && break
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$srv/status" 2>/dev/null) || break
  fds=$(ls "/proc/$srv/fd" 2>/dev/null | wc -l)
  thr=$(awk '/^Threads/ {print $2}' "/proc/$srv/status")
  pk=$("$ENVWATCH" stats --db "$tmp/db" --json 2>/dev/null | jq .packets_stored)
  printf '%6d %9d %6d %7d %9s %9s %9s %9s\n' "$now" "$rss" "$fds" "$thr" "${pk:--}" \
    "$(lat health)" "$(lat aqi/now)" "$(lat 'aqi/daily')"
  if [ "$now" -ge $((secs / 4)) ]; then
    if [ -z "$rss0" ]; then rss0=$rss; fd0=$fds; fi
    [ "$rss" -gt "$worst_rss" ] && worst_rss=$rss
    [ "$fds" -gt "$worst_fd" ] && worst_fd=$fds
  fi
  sleep "$step"
done
kill -0 "$srv" 2>/dev/null || { echo "server died"; tail -20 "$tmp/serve.log"; exit 1; }
if [ -n "$rss0" ]; then
  limit=$((rss0 + rss0 / 10 + 8192))
  echo "after warm-up: RSS $rss0 KiB at first, at most $worst_rss KiB (limit $limit); open files $fd0 → at most $worst_fd"
  [ "$worst_rss" -le "$limit" ] || { echo "RSS grows after warm-up"; fail=1; }
  [ "$worst_fd" -le $((fd0 + 4)) ] || { echo "open files grow"; fail=1; }
fi
exit $fail
