#!/usr/bin/env bash
# Backups, restores and the soundness check: an online backup taken while the server ingests
# at full speed is sound and holds exactly what the live database held at its point; a
# restore reproduces it; tampering (a dropped append-only trigger, lost observations, a
# broken case log) and a corrupted page are found by `envwatch check`, and serve refuses a
# corrupted file.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
E=${ENVWATCH_ASAN:-$ENVWATCH}
[ -x "$E" ] || E=$ENVWATCH

q() { sqlite3 -batch -noheader "$@"; }

db=$TEST_TMP/live.db
devices=$TEST_TMP/devices.csv
"$ENVWATCH" simulate --devices 30 --kind mixed --print-devices >"$devices"
port=$(free_port)
"$E" serve --db "$db" --hj212 "127.0.0.1:$port" --devices "$devices" 2>"$TEST_TMP/serve.log" &
srv=$!
check "server listens" wait_port "$port"
"$ENVWATCH" simulate --devices 30 --rate 0 --window 8 --duration 4 --seed 5 \
  "127.0.0.1:$port" >/dev/null 2>&1 &
sim=$!
sleep 1.5
"$E" backup --db "$db" --to "$TEST_TMP/b1.db" --json >"$TEST_TMP/b1.json" 2>"$TEST_TMP/b1.err"
check "backup under load exits 0" test $? -eq 0
last=$(jq .last_packet "$TEST_TMP/b1.json")
echo "# backup: $(cat "$TEST_TMP/b1.json")"
check "the backup holds packets (taken mid-load)" test "${last:-0}" -gt 100
check "no .part file is left beside the backup" test ! -e "$TEST_TMP/b1.db.part"
wait "$sim"
kill -TERM "$srv"
wait "$srv"
check "serve exits 0 after the load" test $? -eq 0
check "the live database grew after the backup's point" \
  test "$(q "$db" 'SELECT max(id) FROM packet')" -gt "$last"

"$E" check --db "$TEST_TMP/b1.db" >"$TEST_TMP/c1.txt" 2>&1
check "the backup is sound (envwatch check)" test $? -eq 0
check "checking a backup leaves it as it is (no WAL beside it)" test ! -e "$TEST_TMP/b1.db-wal"
# The backup equals the live database up to its point: packets (raw bytes), keys and
# observations of those packets.
same() {
  test "$(q "$db" "$1" | md5sum)" = "$(q "$TEST_TMP/b1.db" "$1" | md5sum)"
}
check "packets up to the backup's point are the same, byte for byte" \
  same "SELECT id, hex(raw), outcome FROM packet WHERE id <= $last ORDER BY id"
check "their observations are the same" \
  same "SELECT site_id, param, period, ts_utc, value, flag FROM observation WHERE packet_id <= $last ORDER BY 1, 2, 3, 4"
check "their idempotency keys are the same" \
  same "SELECT count(*) FROM packet_key WHERE packet_id <= $last"

"$E" restore --from "$TEST_TMP/b1.db" --db "$TEST_TMP/r1.db" --json >"$TEST_TMP/r1.json" 2>&1
check "restore into a new file exits 0" test $? -eq 0
check "the restored database is sound" "$E" check --db "$TEST_TMP/r1.db"
check "the restored database counts what the backup counts" \
  test "$("$E" stats --db "$TEST_TMP/r1.db" --json)" = "$("$E" stats --db "$TEST_TMP/b1.db" --json)"
"$E" restore --from "$TEST_TMP/b1.db" --db "$TEST_TMP/r1.db" >/dev/null 2>&1
check "restore over an existing database without --replace: usage error 2" test $? -eq 2
"$E" backup --db "$db" --to "$TEST_TMP/b1.db" >/dev/null 2>&1
check "backup onto an existing file: usage error 2" test $? -eq 2
"$E" restore --from "$TEST_TMP/none.db" --db "$TEST_TMP/r9.db" >/dev/null 2>&1
check "restore from a missing file: exit 3" test $? -eq 3

# Tampering, each on its own copy.
cp "$TEST_TMP/b1.db" "$TEST_TMP/t1.db"
q "$TEST_TMP/t1.db" 'DROP TRIGGER audit_no_delete;'
"$E" check --db "$TEST_TMP/t1.db" >"$TEST_TMP/t1.txt" 2>&1
check "a dropped append-only trigger is found (exit 1, named)" \
  bash -c "[ $? -eq 1 ] && grep -q 'audit_no_delete' '$TEST_TMP/t1.txt'"
cp "$TEST_TMP/b1.db" "$TEST_TMP/t2.db"
pid=$(q "$TEST_TMP/t2.db" "SELECT packet_id FROM observation LIMIT 1")
q "$TEST_TMP/t2.db" "DELETE FROM observation WHERE packet_id = $pid;"
"$E" check --db "$TEST_TMP/t2.db" >"$TEST_TMP/t2.txt" 2>&1
check "a stored packet whose observations are gone is found" \
  bash -c "[ $? -eq 1 ] && grep -q 'packet $pid ' '$TEST_TMP/t2.txt'"
cp "$TEST_TMP/b1.db" "$TEST_TMP/t3.db"
# Case 900: two events, but the case says three (a lost event); case 901: its log ends in
# "reported" but the case says closed.
q "$TEST_TMP/t3.db" "INSERT INTO case_file(id, tracking, source, category, state, location,
  description, created_utc, created_by, updated_utc)
  VALUES (900, 'T900', 'public', 'other', 'assigned', 'x', 'y', 0, 'test', 0),
         (901, 'T901', 'public', 'other', 'closed', 'x', 'y', 0, 'test', 0);
  INSERT INTO case_event(case_id, seq, at_utc, action, from_state, to_state, actor, role)
  VALUES (900, 1, 0, 'report', 'new', 'reported', 'test', 'public'),
         (900, 2, 0, 'assign', 'reported', 'assigned', 'test', 'bureau'),
         (901, 1, 0, 'report', 'new', 'reported', 'test', 'public');
  UPDATE case_file SET n_events = 3 WHERE id = 900;"
"$E" check --db "$TEST_TMP/t3.db" --json >"$TEST_TMP/t3.json" 2>&1
check "a case whose log lacks an event is found" \
  test "$(jq -c '[.found[] | select(.what == "case_events") | .detail | test("^case 900:")] | any' "$TEST_TMP/t3.json")" = true
check "a case whose state is not where its log leads is found" \
  test "$(jq -c '[.found[] | select(.what == "case_events") | .detail | test("^case 901 is closed")] | any' "$TEST_TMP/t3.json")" = true
"$E" restore --from "$TEST_TMP/t1.db" --db "$TEST_TMP/r2.db" >"$TEST_TMP/r2.txt" 2>&1
check "restore refuses a backup with problems (exit 1, said why)" \
  bash -c "[ $? -eq 1 ] && grep -q 'not a sound backup' '$TEST_TMP/r2.txt' && [ ! -e '$TEST_TMP/r2.db' ]"

# A corrupted page: bytes overwritten in the middle of the file.
cp "$TEST_TMP/b1.db" "$TEST_TMP/bad.db"
pages=$(( $(stat -c %s "$TEST_TMP/bad.db") / 4096 ))
dd if=/dev/urandom of="$TEST_TMP/bad.db" bs=4096 seek=$((pages / 2)) count=2 conv=notrunc 2>/dev/null
"$E" check --db "$TEST_TMP/bad.db" >"$TEST_TMP/bad.txt" 2>&1
st=$?
check "a corrupted page is found and listed (check exits 1)" \
  bash -c "[ $st -eq 1 ] && grep -q '^integrity' '$TEST_TMP/bad.txt'"
timeout 20 "$E" serve --db "$TEST_TMP/bad.db" --hj212 "127.0.0.1:$(free_port)" >/dev/null 2>"$TEST_TMP/bad.log"
st=$?
check "serve refuses a corrupted database with a clear message (exit 3)" \
  bash -c "[ $st -eq 3 ] && grep -qE 'damaged|malformed' '$TEST_TMP/bad.log'"
check "the server's log holds no sanitizer report" \
  bash -c "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' '$TEST_TMP/serve.log' '$TEST_TMP/bad.log'"
