# Helpers for integration tests written in bash; source it, then call ok/not_ok/check.
# Each result is a TAP line that tests/run.sh counts.
: "${ENVWATCH:?set by tests/run.sh}"
_tap_n=0
ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
not_ok() { _tap_n=$((_tap_n + 1)); echo "not ok $_tap_n - $*"; }
# check DESCRIPTION CMD...: ok if CMD succeeds.
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# cli_jqcheck "SUBCOMMAND..." DESCRIPTION JQ_EXPR ARGS...: runs `envwatch SUBCOMMAND... ARGS
# --json` with the release binary and, when ENVWATCH_ASAN names one, the ASan binary; ok
# when every run succeeds and JQ_EXPR is true on its output.
cli_jqcheck() {
  local sub=$1 d=$2 expr=$3; shift 3
  local b out bins=("$ENVWATCH")
  [ -x "${ENVWATCH_ASAN:-}" ] && bins+=("$ENVWATCH_ASAN")
  for b in "${bins[@]}"; do
    # shellcheck disable=SC2086 # SUBCOMMAND is words on purpose
    if ! out=$("$b" $sub "$@" --json) || ! printf '%s' "$out" | jq -e "$expr" >/dev/null; then
      not_ok "$d ($(basename "$(dirname "$b")"))"
      printf '# got: %s\n' "$out"
      return
    fi
  done
  ok "$d"
}
# cli_usage_fails "SUBCOMMAND..." DESCRIPTION PATTERN ARGS...: exit 2, nothing on stdout,
# PATTERN on stderr.
cli_usage_fails() {
  local sub=$1 d=$2 pat=$3; shift 3
  # shellcheck disable=SC2086
  "$ENVWATCH" $sub "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
  local rc=$?
  if [ "$rc" -eq 2 ] && [ ! -s "$TEST_TMP/out" ] && grep -q -- "$pat" "$TEST_TMP/err"; then
    ok "$d"
  else
    not_ok "$d (rc=$rc, stderr: $(cat "$TEST_TMP/err"))"
  fi
}
# A private temporary directory removed at exit.
TEST_TMP=$(mktemp -d)
trap 'rm -rf "$TEST_TMP"' EXIT
# A free TCP port on loopback, below Linux's ephemeral range (32768-60999) so that no
# client connection of the test itself can hold it when a server binds it.
free_port() { local p; for _ in $(seq 50); do p=$((20000 + RANDOM % 12000)); ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && { echo "$p"; return; }; done; return 1; }
# Wait until something listens on loopback port $1 (10 s at most); 0 when it does.
wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
# check_acked_stored DB ACKED_LOG LABEL (serve_crash.sh, fulldisk.sh): every acknowledged (MN, DataTime, piece) has exactly one
# idempotency key, whose packet is archived as stored, and observations at that time.
check_acked_stored() {
  local db=$1 log=$2 label=$3 n res dups
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
# pg_acked_counts DB ACKED_LOG (pg_intake.sh, cluster.sh): for the acknowledged
# 'MN DataTime PNO' lines of ACKED_LOG, prints "acked,keys,without": how many distinct ones,
# how many have an idempotency key naming a packet archived as stored, how many have no
# minute observation of their site at their time; on the PostgreSQL database DB.
pg_acked_counts() {
  local db=$1 log=$2
  sort -u "$log" | tr ' ' ',' >"$TEST_TMP/acked.csv"
  psql -X -A -t -q -v ON_ERROR_STOP=1 "$db" <<SQL
CREATE TEMP TABLE acked(mn text, dt bigint, pno int);
\copy acked FROM '$TEST_TMP/acked.csv' WITH (FORMAT csv)
SELECT (SELECT count(*) FROM acked) || ',' ||
       (SELECT count(*) FROM acked a JOIN packet_key k ON k.mn = a.mn AND k.cn = '2051'
          AND k.data_time_utc = a.dt AND k.pno = a.pno
          JOIN packet p ON p.id = k.packet_id AND p.outcome = 'stored') || ',' ||
       (SELECT count(*) FROM acked a WHERE NOT EXISTS (
          SELECT 1 FROM observation o JOIN site s ON s.id = o.site_id
          WHERE s.mn = a.mn AND o.period = 'min' AND o.ts_utc = a.dt));
SQL
}
# serve_http DB [ARG...]: start `envwatch serve` on DB (with ARGs) with HTTP on a free
# loopback port and HJ 212 on another, stopped at exit; sets base (the API's URL), hj (the
# HJ 212 port) and serve_pid, logs to $TEST_TMP/serve.log; waits until /health answers.
serve_http() {
  local port
  port=$(free_port)
  hj=$(free_port)
  base="http://127.0.0.1:$port/api/v1"
  "$ENVWATCH" serve --db "$1" --hj212 "127.0.0.1:$hj" --http "127.0.0.1:$port" "${@:2}" \
    2>"$TEST_TMP/serve.log" &
  serve_pid=$!
  trap 'kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
  for _ in $(seq 100); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done
}
# hj212_acks FILE: send the frames of FILE to the server's HJ 212 port ($hj) on one
# connection and print how many 9014 replies came back within 3 s.
hj212_acks() {
  exec 3<>"/dev/tcp/127.0.0.1/$hj"
  cat "$1" >&3
  # cat writes each reply as it reads it, so what came before the timeout is kept.
  timeout 3 cat <&3 | grep -ao 'CN=9014' | wc -l
  exec 3<&-
}
# admin_token DB NAME: add admin NAME to DB and print a Bearer token from $base/login.
admin_token() {
  printf '%s-test-password\n' "$2" | "$ENVWATCH" user add "$2" --db "$1" --role admin >/dev/null
  curl -s -X POST "$base/login" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$2\",\"password\":\"$2-test-password\"}" | jq -r .token
}
# sqlite3 as the tests use it beside a running server, which writes to the same file: wait
# for its lock (up to 5 s) rather than fail the statement with "database is locked".
sqlite3() { command sqlite3 -cmd '.timeout 5000' "$@"; }
