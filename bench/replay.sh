#!/usr/bin/env bash
# Durable HJ 212 intake with the replay client (bench_hj212_replay): frames are encoded
# before the clock starts and sent from memory, so what costs CPU is the server. For 100
# and 1,000 connections: acknowledged packets/s (a 9014 leaves only after its batch's
# COMMIT), reply latency p50/p99, the CPU of the client and of the server over the same
# interval, and the server's RSS. About 30 s.
#   ENVWATCH=build/envwatch bench/replay.sh      (REPLAY_SECONDS=8 per run by default)
set -uo pipefail
: "${ENVWATCH:?set ENVWATCH to the envwatch binary}"
replay=${REPLAY:-$(dirname "$ENVWATCH")/bench/bench_hj212_replay}
secs=${REPLAY_SECONDS:-8}
[ -x "$replay" ] || { echo "replay: $replay not built"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

. "$(dirname "$0")/lib.sh"

# run CONNS WINDOW: a fresh database and server, one replay run, the rows stored checked.
run() {
  local conns=$1 window=$2 port rc
  if [ "$(ulimit -n)" -lt $((conns + 100)) ]; then
    echo "replay $conns conns: skipped (ulimit -n $(ulimit -n))"
    return 0
  fi
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 20000))
    port_free "$port" && break
  done
  rm -f "$tmp"/r.db*
  "$ENVWATCH" simulate --devices "$conns" --kind mixed --print-devices >"$tmp/dev.csv"
  "$ENVWATCH" serve --db "$tmp/r.db" --hj212 "127.0.0.1:$port" --devices "$tmp/dev.csv" \
    --max-per-peer 0 --log-level warn 2>"$tmp/serve.log" &
  local srv=$!
  wait_port "$port" || { echo "serve did not start"; cat "$tmp/serve.log"; return 1; }
  "$replay" --devices "$tmp/dev.csv" --conns "$conns" --window "$window" --duration "$secs" \
    --server-pid "$srv" "127.0.0.1:$port"
  rc=$?
  kill -TERM "$srv"
  wait "$srv"
  echo "  stored: $("$ENVWATCH" stats --db "$tmp/r.db" --json | jq -c '{packets_stored, packets_duplicate, packets_rejected}')"
  return $rc
}

rc=0
run 100 16 || rc=1
run 1000 4 || rc=1
exit $rc
