#!/usr/bin/env bash
# The intake on PostgreSQL, as devices use it: HJ 212 over TCP into `serve --db postgresql://…`,
# kill -9 in the middle of a load and SIGTERM under load, then every acknowledged packet is
# stored exactly once with its observations; stats and check read the same database; what
# the backend does not hold yet is refused by name. Needs ENVWATCH_TEST_PG (tests/run.sh
# starts a cluster and sets it).
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

if [ -z "${ENVWATCH_TEST_PG:-}" ]; then
  not_ok "ENVWATCH_TEST_PG names a PostgreSQL cluster (scripts/pg-cluster.sh start DIR)"
  exit 0
fi
name=ew_it_intake_$$
psql -q -v ON_ERROR_STOP=1 "$ENVWATCH_TEST_PG/postgres" -c "CREATE DATABASE $name" >/dev/null
trap 'psql -q "$ENVWATCH_TEST_PG/postgres" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1; rm -rf "$TEST_TMP"' EXIT
db=$ENVWATCH_TEST_PG/$name
q() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$db" -c "$1"; }

devices=$TEST_TMP/devices.csv
"$ENVWATCH" simulate --devices 30 --kind mixed --print-devices >"$devices"

# What needs the rest of the store is refused at start, naming the backend.
port=$(free_port)
"$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:$port" --http "127.0.0.1:$(free_port)" \
  >"$TEST_TMP/out" 2>"$TEST_TMP/err"
rc=$?
check "serve --http on PostgreSQL is refused (exit 3) with the reason" \
  bash -c "[ $rc -eq 3 ] && grep -q 'postgresql store holds the intake only' '$TEST_TMP/err'"

port=$(free_port)
"$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:$port" --devices "$devices" 2>"$TEST_TMP/s1.log" &
srv=$!
check "server listens on PostgreSQL" wait_port "$port"
check "the schema was created and the intake runs alone" \
  grep -q 'event=serve.intake_only backend=postgresql' "$TEST_TMP/s1.log"

"$ENVWATCH" simulate --devices 30 --rate 0 --window 8 --duration 6 --retransmit 0.02 \
  --split 0.02 --malformed 0.01 --seed 21 --acked-log "$TEST_TMP/acked.txt" --json \
  "127.0.0.1:$port" >"$TEST_TMP/sim.json" 2>&1 &
sim=$!
sleep 3
kill -9 "$srv"
wait "$srv" 2>/dev/null
st=$?
wait "$sim"
echo "# $(tail -1 "$TEST_TMP/sim.json")"
check "server killed by SIGKILL in the middle of the load" test "$st" -eq 137
n=$(sort -u "$TEST_TMP/acked.txt" | wc -l)
echo "# acknowledged keys before the kill: $n"
check "packets were acknowledged before the kill" test "$n" -gt 100

# check_acked_pg LOG LABEL: every acknowledged (MN, DataTime, piece) has one idempotency key
# whose packet is archived as stored, with observations at that time; nothing twice.
check_acked_pg() {
  local log=$1 label=$2 n res
  n=$(sort -u "$log" | wc -l)
  res=$(pg_acked_counts "$db" "$log")
  echo "# $label: acked,keys-found,without-observations: $res"
  check "$label: every acknowledged packet is stored once, with observations" test "$res" = "$n,$n,0"
}
check_acked_pg "$TEST_TMP/acked.txt" "after SIGKILL"

# Restart on the same database: migrations are a no-op, intake works again.
port=$(free_port)
"$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:$port" --devices "$devices" 2>"$TEST_TMP/s2.log" &
srv=$!
wait_port "$port"
"$ENVWATCH" simulate --devices 30 --rate 0 --window 8 --duration 4 --malformed 0 --seed 22 \
  --start 1600000000 --acked-log "$TEST_TMP/acked2.txt" --json "127.0.0.1:$port" \
  >"$TEST_TMP/sim2.json" 2>&1 &
sim=$!
sleep 2
kill -TERM "$srv"
wait "$srv"
check "SIGTERM under load: exit 0" test $? -eq 0
wait "$sim"
echo "# $(tail -1 "$TEST_TMP/sim2.json")"
check "SIGTERM under load: packets were acknowledged" test "$(sort -u "$TEST_TMP/acked2.txt" | wc -l)" -gt 100
check_acked_pg "$TEST_TMP/acked2.txt" "after SIGTERM"

check "no observation stored twice" test "$(q "SELECT count(*) FROM (SELECT 1 FROM observation
  GROUP BY site_id, param, period, ts_utc HAVING count(*) > 1) d")" = 0
# 2020-09 (the second load's clock) and the first load's months each have their partition.
check "observations and packets are in monthly partitions" \
  test "$(q "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhparent
    WHERE c.relname = 'observation'")" -ge 2

"$ENVWATCH" stats --db "$db" --json >"$TEST_TMP/stats.json"
want=$(q "SELECT json_build_object('packets', count(*), 'rejected',
  count(*) FILTER (WHERE outcome = 'rejected'), 'observations',
  (SELECT count(*) FROM observation))::text FROM packet")
check "stats --db postgresql:// counts what the database holds" \
  test "$(jq -c '{packets, rejected: .packets_rejected, observations}' "$TEST_TMP/stats.json")" = "$(echo "$want" | jq -c .)"
check "the malformed packets were archived as rejected (bad_crc)" \
  test "$(q "SELECT count(*) > 0 FROM packet WHERE outcome = 'rejected' AND reason = 'bad_crc'")" = t

"$ENVWATCH" check --db "$db" >"$TEST_TMP/check.out" 2>&1
check "check --db postgresql:// finds the database sound" \
  bash -c "[ $? -eq 0 ] && grep -q 'sound (full check)' '$TEST_TMP/check.out'"
check "history refuses UPDATE" bash -c "! psql -X -q '$db' -c \"UPDATE packet SET peer = 'x'\" 2>'$TEST_TMP/upd.err' && grep -q append-only '$TEST_TMP/upd.err'"
"$ENVWATCH" backup --db "$db" --to "$TEST_TMP/b.db" >/dev/null 2>"$TEST_TMP/err"
check "backup of a PostgreSQL database points to pg_dump, leaves nothing" \
  bash -c "grep -q pg_dump '$TEST_TMP/err' && [ ! -e '$TEST_TMP/b.db' ]"
