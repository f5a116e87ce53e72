#!/usr/bin/env bash
# The durable intake on SQLite and on PostgreSQL side by side, with the replay client
# (bench_hj212_replay: frames encoded before the clock starts): acknowledged packets/s (a
# 9014 leaves only after its batch's COMMIT), reply latency p50/p99, client and envwatch CPU,
# and for PostgreSQL the CPU of its server processes over the same interval. A throwaway
# cluster (scripts/pg-cluster.sh) on loopback, fsync on, removed afterwards. About 40 s.
#   ENVWATCH=build/envwatch bench/replay_pg.sh   (REPLAY_SECONDS=8 per run, CONNS=100)
set -uo pipefail
: "${ENVWATCH:?set ENVWATCH to the envwatch binary}"
root=$(cd "$(dirname "$0")/.." && pwd)
replay=${REPLAY:-$(dirname "$ENVWATCH")/bench/bench_hj212_replay}
secs=${REPLAY_SECONDS:-8}
conns=${CONNS:-100}
[ -x "$replay" ] || { echo "replay_pg: $replay not built"; exit 1; }
tmp=$(mktemp -d)
chmod 755 "$tmp"
. "$(dirname "$0")/lib.sh"
base=$("$root/scripts/pg-cluster.sh" start "$tmp/pg") || { echo "replay_pg: no PostgreSQL cluster"; exit 1; }
trap '"$root/scripts/pg-cluster.sh" stop "$tmp/pg"; rm -rf "$tmp"' EXIT
pm=$(head -1 "$tmp/pg/data/postmaster.pid")

# CPU seconds (user + system) of the cluster: the postmaster and its children.
pg_cpu() {
  local tck
  tck=$(getconf CLK_TCK)
  { cat "/proc/$pm/stat"; for c in $(pgrep -P "$pm"); do cat "/proc/$c/stat" 2>/dev/null; done; } |
    awk -v t="$tck" '{ s += $14 + $15 } END { printf "%.2f", s / t }'
}

"$ENVWATCH" simulate --devices "$conns" --kind mixed --print-devices >"$tmp/dev.csv"
rc=0
for be in sqlite postgresql; do
  if [ "$be" = sqlite ]; then
    db=$tmp/r.db
  else
    "$root/scripts/pg-cluster.sh" createdb "$base" replay
    db=$base/replay
  fi
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 12000))
    port_free "$port" && break
  done
  "$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:$port" --devices "$tmp/dev.csv" \
    --max-per-peer 0 --log-level warn 2>"$tmp/serve.log" &
  srv=$!
  wait_port "$port" || { echo "serve did not start"; cat "$tmp/serve.log"; rc=1; continue; }
  echo "$be:"
  c0=$(pg_cpu)
  "$replay" --devices "$tmp/dev.csv" --conns "$conns" --window 16 --duration "$secs" \
    --server-pid "$srv" "127.0.0.1:$port" | sed 's/^/  /' || rc=1
  c1=$(pg_cpu)
  [ "$be" = postgresql ] && echo "  PostgreSQL server processes: $(echo "$c1 - $c0" | bc) s CPU over the run"
  kill -TERM "$srv"
  wait "$srv"
  echo "  stored: $("$ENVWATCH" stats --db "$db" --json | jq -c '{packets_stored, packets_duplicate, packets_rejected, observations}')"
done
exit $rc
