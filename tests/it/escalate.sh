# Supervision on a timer: `envwatch serve --escalate-every` raises 督办 when a case's
# rectification deadline has passed and 挂牌督办 seven days later, with nobody reading the API
# (the events must come from the timer, so after the case is set up the test only reads the
# database with sqlite3). The clock is moved by restarting the server with ENVWATCH_NOW.
. "$(dirname "$0")/lib.sh"
db="$TEST_TMP/esc.db"
pw='correct-horse-9'

# start NOW EVERY: a server on $db with the clock pinned at NOW (Beijing time).
start() {
  port=$(free_port)
  base="http://127.0.0.1:$port/api/v1"
  ENVWATCH_NOW=$1 "$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:$(free_port)" \
    --http "127.0.0.1:$port" --escalate-every "$2" 2>>"$TEST_TMP/serve.log" &
  pid=$!
  for _ in $(seq 100); do curl -sf "$base/health" >/dev/null && return; sleep 0.1; done
}
stop() { kill -TERM "$pid" 2>/dev/null; wait "$pid"; }
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT

# escalations LEVEL: how many escalate events of that level the case has.
escalations() {
  sqlite3 "$db" "SELECT count(*) FROM case_event WHERE action = 'escalate' AND level = $1"
}
supervision() { sqlite3 "$db" "SELECT supervision FROM case_file"; }
# wait_for CMD EXPECTED: poll up to 5 s.
wait_for() { for _ in $(seq 50); do [[ $($1) == "$2" ]] && return 0; sleep 0.1; done; return 1; }

# Day 0 (2026-03-10): the bureau assigns a case to 区建设局, due 2026-03-12.
start 2026-03-10T09:00:00 0
printf '%s\n' "$pw" | "$ENVWATCH" user add bureau --db "$db" --role bureau --org sthj >/dev/null
tok=$(curl -s -X POST "$base/login" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bureau\",\"password\":\"$pw\"}" | jq -r .token)
call() { curl -s -X POST "$base/$1" -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -d "$2"; }
id=$(call cases '{"source":"inspection","category":"dust","location":"经开区第九大街工地","description":"裸土未覆盖"}' | jq -r '.data.id // .id')
call "cases/$id/actions" '{"action":"accept"}' >/dev/null
state=$(call "cases/$id/actions" '{"action":"assign","unit":"jianshe","deadline":"2026-03-12"}' | jq -r .data.state)
check "the case is assigned to 区建设局" test "$state" = assigned
stop

# Before the deadline's day ends nothing happens.
start 2026-03-12T23:00:00 1
sleep 2.5
check "no supervision before the deadline has passed" test "$(escalations 1)$(supervision)" = 00
stop

# Reading never writes: with the timer off, lists, summary, detail and worklist read the day
# after the deadline leave the case as stored.
start 2026-03-13T10:00:00 0
tok=$(curl -s -X POST "$base/login" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bureau\",\"password\":\"$pw\"}" | jq -r .token)
get() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$base/$1"; }
check "the bureau reads its cases, summary, the case and its worklist" \
  test "$(get cases)$(get cases/summary)$(get "cases/$id")$(get worklist)" = 200200200200
check "reading escalated nothing (no event, level 0)" test "$(escalations 1)$(supervision)" = 00
check "the list shows the case overdue at the stored level" \
  test "$(curl -s -H "Authorization: Bearer $tok" "$base/cases" | jq -c '[.data[0].overdue, .data[0].supervision]')" = '[true,0]'
stop

# The day after the deadline: 督办, once, however many times the timer runs.
start 2026-03-13T10:00:00 1
check "the timer raises 督办 after the deadline" wait_for supervision 1
sleep 2.5
check "督办 is recorded once, by the system" \
  test "$(escalations 1)$(sqlite3 "$db" "SELECT actor FROM case_event WHERE action = 'escalate'")" = 1system
stop

# Seven days later still overdue: 挂牌督办.
start 2026-03-21T10:00:00 1
check "the timer raises 挂牌督办 seven days after 督办" wait_for supervision 2
sleep 1.5
check "挂牌督办 is recorded once" test "$(escalations 2)$(escalations 1)" = 11
check "the log says what the timer raised" grep -q 'case.escalated' "$TEST_TMP/serve.log"
stop
check "serve exits 0 on SIGTERM with the timer running" test $? -eq 0
