#!/usr/bin/env bash
# Crash test: kill -9 the server in the middle of a load, restart it, and show that every
# packet that was acknowledged (9014 received by the simulator) is stored exactly once.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"


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


check_acked_stored "$db" "$TEST_TMP/acked.txt" "after SIGKILL"

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
check_acked_stored "$db" "$TEST_TMP/acked2.txt" "after SIGTERM"
