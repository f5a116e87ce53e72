#!/usr/bin/env bash
# The scale-out path on one machine: three nats-server processes (JetStream, stream HJ212
# with three replicas), PostgreSQL, ingest nodes (serve --queue) and two writers
# (serve --consume), all on loopback and on the same 2 cores. The replay client
# (bench_hj212_replay, frames encoded before the clock starts) loads 1 node, then 2 nodes at
# once; each run prints acknowledged packets/s (a 9014 leaves once JetStream acknowledged the
# batch on a majority of replicas), reply latency and each process's CPU; then how long the
# writers took to store everything in PostgreSQL. About 90 s.
#   ENVWATCH=build/envwatch bench/queue.sh     (REPLAY_SECONDS=8, CONNS=100 in all)
set -uo pipefail
: "${ENVWATCH:?set ENVWATCH to the envwatch binary}"
root=$(cd "$(dirname "$0")/.." && pwd)
replay=${REPLAY:-$(dirname "$ENVWATCH")/bench/bench_hj212_replay}
secs=${REPLAY_SECONDS:-8}
conns=${CONNS:-100}
[ -x "$replay" ] || { echo "queue: $replay not built"; exit 1; }
command -v nats-server >/dev/null || { echo "queue: nats-server not installed"; exit 1; }
tmp=$(mktemp -d)
chmod 755 "$tmp"
. "$(dirname "$0")/lib.sh"
pids=()
base=$("$root/scripts/pg-cluster.sh" start "$tmp/pg") || { echo "queue: no PostgreSQL cluster"; exit 1; }
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; "$root/scripts/pg-cluster.sh" stop "$tmp/pg"; rm -rf "$tmp"' EXIT
"$root/scripts/pg-cluster.sh" createdb "$base" q
db=$base/q
pick() { local p; for _ in $(seq 50); do p=$((20000 + RANDOM % 12000)); port_free "$p" && { echo "$p"; return; }; done; }
declare -a np cp mp
for i in 1 2 3; do np[i]=$(pick); cp[i]=$(pick); mp[i]=$(pick); done
urls="nats://127.0.0.1:${np[1]},nats://127.0.0.1:${np[2]},nats://127.0.0.1:${np[3]}"
for i in 1 2 3; do
  routes=""
  for j in 1 2 3; do [ "$j" = "$i" ] || routes+="${routes:+,}nats://127.0.0.1:${cp[j]}"; done
  nats-server -js -sd "$tmp/js$i" -n "n$i" -a 127.0.0.1 -p "${np[i]}" -m "${mp[i]}" \
    --cluster_name ew --cluster "nats://127.0.0.1:${cp[i]}" --routes "$routes" >"$tmp/nats$i.log" 2>&1 &
  pids+=("$!")
done
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:${mp[1]}/jsz" | jq -e '(.meta_cluster.leader // "") != ""' >/dev/null 2>&1 && break
  sleep 0.2
done
"$ENVWATCH" simulate --devices "$conns" --kind mixed --print-devices >"$tmp/dev.csv"
# cpu PID...: CPU seconds (user + system) of the processes.
cpu() { local t; t=$(getconf CLK_TCK); for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null; done | awk -v t="$t" '{ s += $14 + $15 } END { printf "%.2f", s / t }'; }
for w in 1 2; do
  "$ENVWATCH" serve --db "$db" --consume "$urls" --devices "$tmp/dev.csv" --log-level warn 2>"$tmp/w$w.log" &
  wpid[w]=$!
  pids+=("$!")
  sleep 1
done
nats_pids=("${pids[@]:0:3}")
for nodes in 1 2; do
  npids=()
  ports=()
  for k in $(seq "$nodes"); do
    port=$(pick)
    "$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:$port" --queue "$urls" --max-per-peer 0 \
      --log-level warn 2>"$tmp/n$k.log" &
    npids+=("$!")
    pids+=("$!")
    ports+=("$port")
  done
  for p in "${ports[@]}"; do wait_port "$p"; done
  c0=$(cpu "${nats_pids[@]}")
  w0=$(cpu "${wpid[1]}" "${wpid[2]}")
  echo "$nodes ingest node(s), $conns connections in all, window 16, ${secs} s:"
  for k in $(seq "$nodes"); do
    "$replay" --devices "$tmp/dev.csv" --conns $((conns / nodes)) --window 16 --duration "$secs" \
      --server-pid "${npids[k - 1]}" "127.0.0.1:${ports[k - 1]}" >"$tmp/r$k.out" 2>&1 &
    rp[k]=$!
  done
  for k in $(seq "$nodes"); do wait "${rp[k]}"; sed 's/^/  node '"$k"': /' "$tmp/r$k.out"; done
  echo "  the three NATS servers: $(echo "$(cpu "${nats_pids[@]}") - $c0" | bc) s CPU, the two writers: $(echo "$(cpu "${wpid[1]}" "${wpid[2]}") - $w0" | bc) s CPU over the run"
  for p in "${npids[@]}"; do kill -TERM "$p"; wait "$p"; done
done
# The writers store what the stream holds; time until it is empty.
t0=$(date +%s.%N)
for _ in $(seq 600); do
  pending=$(curl -fs "http://127.0.0.1:${mp[1]}/jsz?streams=true" | jq '[.account_details[]?.stream_detail[]? | select(.name == "HJ212") | .state.messages] | add // 0')
  [ "$pending" = 0 ] && break
  sleep 0.5
done
t1=$(date +%s.%N)
stored=$("$ENVWATCH" stats --db "$db" --json | jq -c '{packets_stored, packets_duplicate, observations}')
# The replays of the second run send the same devices' packets as the first (a device that
# reconnects to another node): the stream drops a resend within its window by the key, the
# writers archive a later one as a duplicate.
echo "writers: the stream was empty $(echo "$t1 - $t0" | bc | cut -c1-5) s after the last load (pending now: $pending); PostgreSQL holds $stored"
echo "PostgreSQL: $(cpu "$(head -1 "$tmp/pg/data/postmaster.pid")" $(pgrep -P "$(head -1 "$tmp/pg/data/postmaster.pid")")) s CPU (postmaster and live children)"
