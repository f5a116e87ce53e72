#!/usr/bin/env bash
# Crash test: kill -9 the server in the middle of a load, restart it, and show that every
# packet that was acknowledged (9014 received by the simulator) is stored exactly once.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

db=$TEST_TMP/crash.db
devices=$TEST_TMP/devices.csv
"$ENVWATCH" simulate --devices 50 --kind mixed --print-devices >"$devices"
port=$(free_port)
"$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:$port" --devices "$devices" 2>"$TEST_TMP/s1.log" &
srv=$!
check "server listens" wait_port "$port"

# As fast as the server answers, 8 packets in flight per device, with retransmissions and
# split uploads; kill -9 the server 2 s into a 6 s run.
"$ENVWATCH" simulate --devices 50 --rate 0 --window 8 --duration 6 --retransmit 0.02 \
  --split 0.02 --malformed 0 --seed 11 --acked-log "$TEST_TMP/acked.txt" --json \
  "127.0.0.1:$port" >"$TEST_TMP/sim.json" 2>&1 &
sim=$!
sleep 2
kill -9 "$srv"
wait "$srv" 2>/dev/null
st=$?
wait "$sim"
echo "# $(tail -1 "$TEST_TMP/sim.json")"
check "server killed by SIGKILL in the middle of the load" test "$st" -eq 137

n=$(sort -u "$TEST_TMP/acked.txt" | wc -l)
echo "# acknowledged keys: $n"
check "packets were acknowledged before the kill" test "$n" -gt 100

# Restart on the same file: WAL recovery, migrations re-run (no-op), intake works again.
port=$(free_port)
"$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:$port" --devices "$devices" 2>"$TEST_TMP/s2.log" &
srv=$!
check "server restarts on the crashed database" wait_port "$port" ||
  sed 's/^/# s2.log: /' "$TEST_TMP/s2.log" # what the server said, for the record
after=$("$ENVWATCH" simulate --devices 5 --rate 5 --duration 1 --malformed 0 --start 1700000000 \
  --json "127.0.0.1:$port" | tail -1)
check "intake works after restart" test "$(echo "$after" | jq '.acked > 0 and .unanswered == 0')" = true
kill -TERM "$srv"
wait "$srv"
check "clean shutdown after restart" test $? -eq 0

# verify ACKED_LOG LABEL: every acknowledged (MN, DataTime, piece) has exactly one
# idempotency key, whose packet is archived as stored, and observations at that time.
verify() {
  local log=$1 label=$2 n res dups
  sort -u "$log" | tr ' ' ',' >"$TEST_TMP/acked.csv"
  n=$(wc -l <"$TEST_TMP/acked.csv")
  rm -f "$TEST_TMP/scratch.db"
  res=$(sqlite3 "$TEST_TMP/scratch.db" <<EOF
CREATE TABLE acked(mn TEXT, dt INTEGER, pno INTEGER);
.mode csv
.import $TEST_TMP/acked.csv acked
ATTACH '$db' AS ew;
SELECT (SELECT count(*) FROM acked),
       (SELECT count(*) FROM acked a JOIN ew.packet_key k
          ON k.mn = a.mn AND k.cn = '2051' AND k.data_time_utc = a.dt AND k.pno = a.pno
          JOIN ew.packet p ON p.id = k.packet_id AND p.outcome = 'stored'),
       (SELECT count(*) FROM acked a WHERE NOT EXISTS (
          SELECT 1 FROM ew.observation o JOIN ew.site s ON s.id = o.site_id
          WHERE s.mn = a.mn AND o.period = 'min' AND o.ts_utc = a.dt));
EOF
)
  echo "# $label: acked,keys-found,without-observations: $res"
  check "$label: every acknowledged packet is stored once, with observations" \
    test "$res" = "$n,$n,0"
  dups=$(sqlite3 "$db" "SELECT count(*) FROM (SELECT site_id, param, ts_utc FROM observation
    WHERE period = 'min' GROUP BY site_id, param, ts_utc HAVING count(*) > 1)")
  check "$label: no observation stored twice" test "$dups" = 0
}

verify "$TEST_TMP/acked.txt" "after SIGKILL"

# Graceful stop under load: SIGTERM stores and answers what was received and exits 0;
# again every acknowledged packet is stored.
port=$(free_port)
"$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:$port" --devices "$devices" 2>"$TEST_TMP/s3.log" &
srv=$!
wait_port "$port"
"$ENVWATCH" simulate --devices 50 --rate 0 --window 8 --duration 5 --malformed 0 --seed 12 \
  --start 1600000000 --acked-log "$TEST_TMP/acked2.txt" --json "127.0.0.1:$port" \
  >"$TEST_TMP/sim2.json" 2>&1 &
sim=$!
sleep 2
kill -TERM "$srv"
wait "$srv"
check "SIGTERM under load: exit 0" test $? -eq 0
wait "$sim"
echo "# $(tail -1 "$TEST_TMP/sim2.json")"
check "SIGTERM under load: packets were acknowledged" test "$(wc -l <"$TEST_TMP/acked2.txt")" -gt 100
verify "$TEST_TMP/acked2.txt" "after SIGTERM"
