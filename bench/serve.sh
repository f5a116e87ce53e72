#!/usr/bin/env bash
# End-to-end HJ 212 ingest benchmark: `envwatch serve` on a fresh SQLite file and the
# simulator over loopback TCP. Every packet counted is acknowledged (9014), and a 9014 is
# sent only after its batch's COMMIT (WAL, synchronous=FULL) returned, so acked/s is the
# durable rate. Prints, for 100 and 10,000 connections: acked packets/s, reply latency
# p50/p99 and the server's peak RSS; and the latency at a fixed 5,000 packets/s. About 55 s.
#   ENVWATCH=build/envwatch bench/serve.sh
set -uo pipefail
: "${ENVWATCH:?set ENVWATCH to the envwatch binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

. "$(dirname "$0")/lib.sh"

# run CONNS WINDOW SECONDS [RATE]: RATE 0 (default) = closed loop, as fast as the server
# answers with WINDOW packets in flight per connection (throughput; latency is then mostly
# queueing, by Little's law); RATE > 0 = open loop at RATE packets/s per connection
# (latency at a given load).
run() {
  local conns=$1 window=$2 secs=$3 rate=${4:-0} port
  if [ "$(ulimit -n)" -lt $((conns + 100)) ]; then
    echo "serve $conns conns: skipped (ulimit -n $(ulimit -n))"
    return 0
  fi
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 20000))
    port_free "$port" && break
  done
  rm -f "$tmp"/b.db*
  "$ENVWATCH" simulate --devices "$conns" --kind mixed --print-devices >"$tmp/dev.csv"
  "$ENVWATCH" serve --db "$tmp/b.db" --hj212 "127.0.0.1:$port" --devices "$tmp/dev.csv" \
    --max-per-peer 0 --log-level warn 2>"$tmp/serve.log" &
  local srv=$!
  wait_port "$port" || { echo "serve did not start"; cat "$tmp/serve.log"; return 1; }
  local rss0
  rss0=$(awk '/VmRSS/ {print $2}' "/proc/$srv/status")
  local out
  out=$("$ENVWATCH" simulate --devices "$conns" --rate "$rate" --window "$window" \
    --duration "$secs" --retransmit 0 --split 0 --malformed 0 --json "127.0.0.1:$port" |
    tail -1)
  local hwm
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$srv/status")
  kill -TERM "$srv"
  wait "$srv"
  local stored
  stored=$("$ENVWATCH" stats --db "$tmp/b.db" --json | jq .packets_stored)
  echo "$out" | jq -r --arg c "$conns" --arg h "$hwm" --arg r0 "$rss0" --arg st "$stored" \
    --arg rate "$rate" \
    '"serve \($c) conns (rate \(if $rate == "0" then "max" else $rate + "/s each" end)): \(.acked_per_s | floor) packets/s acked (durable), " +
     "reply p50 \(.latency_ms.p50) ms p99 \(.latency_ms.p99) ms, " +
     "server RSS \(($r0|tonumber)/1024|floor) MB idle -> \(($h|tonumber)/1024|floor) MB peak, " +
     "acked \(.acked) stored \($st) unanswered \(.unanswered) connect failures \(.connect_failures)"'
}

run 100 16 15
run 100 4 10 50
run 10000 2 20
