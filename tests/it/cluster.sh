#!/usr/bin/env bash
# Scale-out on loopback: three nats-server processes with JetStream (stream HJ212, three
# replicas), PostgreSQL, two ingest nodes (serve --queue) and two writers (serve --consume).
# Two simulators with 250 devices each (500 in all) load one node each; during the load one NATS server, one ingest node and one
# writer are killed with SIGKILL and started again. Afterwards every packet a device saw
# acknowledged is stored exactly once, with its observations, and nothing more was stored
# than was sent. Needs ENVWATCH_TEST_PG (tests/run.sh sets it) and nats-server.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

if [ -z "${ENVWATCH_TEST_PG:-}" ] || ! command -v nats-server >/dev/null; then
  not_ok "ENVWATCH_TEST_PG names a PostgreSQL cluster and nats-server is installed"
  exit 0
fi
name=ew_it_cluster_$$
psql -q -v ON_ERROR_STOP=1 "$ENVWATCH_TEST_PG/postgres" -c "CREATE DATABASE $name" >/dev/null
db=$ENVWATCH_TEST_PG/$name
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  wait 2>/dev/null
  psql -q "$ENVWATCH_TEST_PG/postgres" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1
  [ -n "${KEEP_TMP:-}" ] && echo "# kept $TEST_TMP" || rm -rf "$TEST_TMP"
}
trap cleanup EXIT
q() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$db" -c "$1"; }

# Three NATS servers routed to each other; each keeps its JetStream files in its own dir.
declare -a np cp mp
for i in 1 2 3; do np[i]=$(free_port); cp[i]=$(free_port); mp[i]=$(free_port); done
urls="nats://127.0.0.1:${np[1]},nats://127.0.0.1:${np[2]},nats://127.0.0.1:${np[3]}"
declare -a nats_pid
start_nats() {
  local i=$1 routes="" j
  for j in 1 2 3; do [ "$j" = "$i" ] || routes+="${routes:+,}nats://127.0.0.1:${cp[j]}"; done
  nats-server -js -sd "$TEST_TMP/js$i" -n "n$i" -a 127.0.0.1 -p "${np[i]}" -m "${mp[i]}" \
    --cluster_name ew --cluster "nats://127.0.0.1:${cp[i]}" --routes "$routes" \
    >>"$TEST_TMP/nats$i.log" 2>&1 &
  nats_pid[i]=$!
  pids+=("$!")
}
js_ready() { # all three report JetStream up and know the meta leader
  local i
  for i in 1 2 3; do
    curl -fs "http://127.0.0.1:${mp[i]}/healthz?js-enabled-only=true" | grep -q '"ok"' || return 1
    curl -fs "http://127.0.0.1:${mp[i]}/jsz" | jq -e '(.meta_cluster.leader // "") != ""' >/dev/null || return 1
  done
}
for i in 1 2 3; do start_nats "$i"; done
for _ in $(seq 100); do js_ready && break; sleep 0.2; done
check "three JetStream servers are up" js_ready

devices=$TEST_TMP/devices.csv
"$ENVWATCH" simulate --devices 500 --kind mixed --print-devices >"$devices"
declare -a w_pid
start_writer() {
  "$ENVWATCH" serve --db "$db" --consume "$urls" --devices "$devices" --queue-ack-wait 3 \
    --batch 2048 2>>"$TEST_TMP/w$1.log" &
  w_pid[$1]=$!
  pids+=("$!")
}
declare -a n_pid n_port
start_node() {
  "$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:${n_port[$1]}" --queue "$urls" \
    2>>"$TEST_TMP/n$1.log" &
  n_pid[$1]=$!
  pids+=("$!")
}
# The first writer makes the stream and its consumer and loads the devices; then the rest.
start_writer 1
for _ in $(seq 300); do grep -q queue.writer_started "$TEST_TMP/w1.log" && break; sleep 0.1; done
check "the first writer runs" grep -q queue.writer_started "$TEST_TMP/w1.log" ||
  sed 's/^/# w1.log: /' "$TEST_TMP/w1.log"
start_writer 2
n_port[1]=$(free_port)
n_port[2]=$(free_port)
start_node 1
start_node 2
check "both ingest nodes listen" bash -c "$(declare -f wait_port); wait_port ${n_port[1]} && wait_port ${n_port[2]}" ||
  sed 's/^/# node log: /' "$TEST_TMP/n1.log" "$TEST_TMP/n2.log" # what they said, for the record
check "the stream has three replicas" \
  bash -c "curl -fs 'http://127.0.0.1:${mp[1]}/jsz?streams=true&config=true' | jq -e '[.account_details[].stream_detail[] | select(.name == \"HJ212\") | .config.num_replicas] == [3]' >/dev/null"

# Two loads, one per node, of 250 devices each (devices 0-249 and 250-499), on disjoint
# DataTimes; retransmissions, split packets, bad CRCs.
for k in 1 2; do
  "$ENVWATCH" simulate --devices 250 --first $(((k - 1) * 250)) --rate 5 --window 2 --duration 6 --retransmit 0.02 \
    --split 0.02 --malformed 0.01 --seed "3$k" --start $((1700000000 + k * 10000000)) \
    --acked-log "$TEST_TMP/acked$k.txt" --json "127.0.0.1:${n_port[k]}" \
    >"$TEST_TMP/sim$k.json" 2>&1 &
  sim[k]=$!
done
sleep 2
kill -9 "${nats_pid[2]}" "${w_pid[1]}"
sleep 1
kill -9 "${n_pid[1]}"
wait "${n_pid[1]}" 2>/dev/null
check "ingest node 1 died by SIGKILL" test $? -eq 137
sleep 1
start_nats 2
start_writer 1
start_node 1
wait "${sim[1]}" "${sim[2]}"
for k in 1 2; do echo "# load $k: $(tail -1 "$TEST_TMP/sim$k.json")"; done
check "node 1 restarted" wait_port "${n_port[1]}"
# One more short load through the restarted node.
"$ENVWATCH" simulate --devices 10 --rate 5 --duration 2 --malformed 0 --seed 39 \
  --start 1740000000 --acked-log "$TEST_TMP/acked3.txt" --json "127.0.0.1:${n_port[1]}" \
  >"$TEST_TMP/sim3.json" 2>&1
check "the restarted node takes and acknowledges packets" \
  test "$(tail -1 "$TEST_TMP/sim3.json" | jq '.acked > 0 and .unanswered == 0')" = true

cat "$TEST_TMP"/acked*.txt | sort -u >"$TEST_TMP/acked_all.txt"
n=$(wc -l <"$TEST_TMP/acked_all.txt")
echo "# acknowledged keys: $n"
check "packets were acknowledged" test "$n" -gt 2000
# The two loads are disjoint halves of the registry (--first), so every device took part.
check "the two loads acknowledged packets of 500 different devices" \
  test "$(cat "$TEST_TMP/acked1.txt" "$TEST_TMP/acked2.txt" | cut -d' ' -f1 | sort -u | wc -l)" -eq 500

# The writers drain the stream: wait until every acknowledged key is stored (messages of the
# killed writer come back after the ack wait), 60 s at most.
res=""
for _ in $(seq 120); do
  res=$(pg_acked_counts "$db" "$TEST_TMP/acked_all.txt")
  [ "$res" = "$n,$n,0" ] && break
  sleep 0.5
done
echo "# acked,keys-found,without-observations: $res"
check "every acknowledged packet is stored, with observations, after kills of a NATS server, a node and a writer" \
  test "$res" = "$n,$n,0"
check "no idempotency key and no observation stored twice" \
  test "$(q "SELECT (SELECT count(*) FROM (SELECT 1 FROM packet_key GROUP BY mn, cn, data_time_utc, pno HAVING count(*) > 1) a)
    + (SELECT count(*) FROM (SELECT 1 FROM observation GROUP BY site_id, param, period, ts_utc HAVING count(*) > 1) b)")" = 0
sent=$(cat "$TEST_TMP"/sim*.json | grep '^{' | jq -s 'map(.sent + .split_pieces) | add')
stored=$(q "SELECT count(*) FROM packet_key")
echo "# packets sent (pieces counted): $sent, keys stored: $stored"
check "nothing is stored that was not sent" test "$stored" -le "$sent"
check "the CRC failures reached the archive as rejected" \
  test "$(q "SELECT count(*) > 0 FROM packet WHERE outcome = 'rejected' AND reason = 'bad_crc'")" = t
"$ENVWATCH" check --db "$db" >"$TEST_TMP/check.out" 2>&1
check "the database is sound" grep -q 'sound (full check)' "$TEST_TMP/check.out"
for k in 1 2; do kill -TERM "${w_pid[k]}" "${n_pid[k]}" 2>/dev/null; done
for k in 1 2; do wait "${w_pid[k]}"; done
check "writers stop cleanly on SIGTERM" grep -q queue.writer_stopped "$TEST_TMP/w2.log"
