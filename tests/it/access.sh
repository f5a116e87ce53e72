# Access control over real HTTP: `envwatch serve --http` with an air station and outlets of
# two enterprises, accounts of every role (created with `envwatch user add`), and the case
# loop, attachments and the ledger exercised through the API as docs/api.md describes them.
# The clock is pinned at 2026-03-10T12:30:00+08:00.
. "$(dirname "$0")/lib.sh"
export ENVWATCH_NOW=2026-03-10T12:30:00
db="$TEST_TMP/access.db"
port=$(free_port)
base="http://127.0.0.1:$port/api/v1"
cat >"$TEST_TMP/devices.csv" <<'EOF'
mn,pw,kind,name,town,lon,lat,enterprise
ACCAIR000000000000000001,123456,air,Station one,Town A,113.70,34.60,
ACCGAS000000000000000002,123456,gas_outlet,Alpha stack,Town A,113.71,34.60,Alpha Chem
ACCWAT000000000000000003,123456,water_outlet,Beta outfall,Town B,113.72,34.60,Beta Paper
EOF
"$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:$(free_port)" --http "127.0.0.1:$port" \
  --devices "$TEST_TMP/devices.csv" 2>"$TEST_TMP/serve.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
for _ in $(seq 100); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done
check "server answers" curl -sf -o /dev/null "$base/health"

pw='correct-horse-9'
adduser() { printf '%s\n' "$pw" | "$ENVWATCH" user add "$1" --db "$db" --role "$2" ${3:+--org "$3"} >/dev/null; }
adduser admin admin; adduser bureau bureau; adduser usthj unit sthj; adduser ujs unit jianshe
adduser ealpha enterprise "Alpha Chem"; adduser ebeta enterprise "Beta Paper"; adduser aud auditor
login() {
  curl -s -X POST "$base/login" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"password\":\"$pw\"}" | jq -r .token
}
T_admin=$(login admin); T_bureau=$(login bureau); T_sthj=$(login usthj); T_js=$(login ujs)
T_alpha=$(login ealpha); T_beta=$(login ebeta); T_aud=$(login aud)
check "every account logs in with a token" test "${#T_admin}${#T_bureau}${#T_sthj}${#T_js}${#T_alpha}${#T_beta}${#T_aud}" = 43434343434343
check "the admin lists the 7 accounts; a unit may not (403)" \
  test "$(curl -s -H "Authorization: Bearer $T_admin" "$base/users" | jq '.data | length')$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $T_js" "$base/users")" = 7403
# api TOKEN METHOD PATH [curl args...]: the body; code TOKEN METHOD PATH [args...]: the status.
api() { local t=$1 m=$2 p=$3; shift 3; curl -s -X "$m" -H "Authorization: Bearer $t" "$base/$p" "$@"; }
code() { local t=$1 m=$2 p=$3; shift 3; curl -s -o /dev/null -w '%{http_code}' -X "$m" -H "Authorization: Bearer $t" "$base/$p" "$@"; }
json() { printf '%s' "$1"; }
J=(-H 'Content-Type: application/json')

# ---- accounts through the API ----------------------------------------------------------------
check "creating an account that exists is 409, and the old password still works" \
  test "$(code "$T_admin" POST users "${J[@]}" -d '{"name":"ujs","role":"unit","org":"sthj","password":"another-pass-1"}')$(login ujs | wc -c)" = 40944
check "a bureau account must name a unit of the plan (422)" \
  test "$(code "$T_admin" POST users "${J[@]}" -d '{"name":"b2","role":"bureau","org":"nowhere","password":"bureau-pass-1"}')" = 422
check "the admin creates an account (201) that can log in" \
  test "$(code "$T_admin" POST users "${J[@]}" -d "{\"name\":\"utmp\",\"role\":\"unit\",\"org\":\"jianshe\",\"password\":\"$pw\"}")$(login utmp | wc -c)" = 20144
T_tmp=$(login utmp)
check "disabling it (200) ends its session at once (401) and refuses its login" \
  test "$(code "$T_admin" POST users/utmp "${J[@]}" -d '{"disabled":true}')$(code "$T_tmp" GET worklist)$(login utmp)" = 200401null
check "enabling it with a new password: the new one logs in, the old one no longer" \
  test "$(code "$T_admin" POST users/utmp "${J[@]}" -d '{"disabled":false,"password":"a-new-password"}')$(login utmp)$(curl -s -X POST "$base/login" "${J[@]}" -d '{"name":"utmp","password":"a-new-password"}' | jq -r '.user.name')" = 200nullutmp
check "an update keeps what the body does not name (org jianshe)" \
  test "$(api "$T_admin" GET users | jq -r '.data[] | select(.name=="utmp") | .org')" = jianshe
check "an administrator may not disable or demote themself (422)" \
  test "$(code "$T_admin" POST users/admin "${J[@]}" -d '{"disabled":true}')$(code "$T_admin" POST users/admin "${J[@]}" -d '{"role":"bureau"}')" = 422422
check "a unit may not change accounts (403); an unknown account is 404" \
  test "$(code "$T_js" POST users/utmp "${J[@]}" -d '{"disabled":true}')$(code "$T_admin" POST users/nobody "${J[@]}" -d '{}')" = 403404
check "the audit log records the creation and the changes" \
  test "$(api "$T_admin" GET 'audit?limit=1000' | jq '[.data[] | select(.object=="utmp") | .action] | sort | join(",")' -r)" = "user.add,user.update,user.update"

# ---- monitoring data: enterprises see their own outlets only; the public none -------------
sid() { api "$T_admin" GET sites | jq -r ".data[] | select(.mn==\"$1\") | .id"; }
air=$(sid ACCAIR000000000000000001); alpha=$(sid ACCGAS000000000000000002); beta=$(sid ACCWAT000000000000000003)
check "admin sees the 3 sites" test -n "$air" -a -n "$alpha" -a -n "$beta"
check "anonymous /sites lists only the air station" test "$(curl -s "$base/sites" | jq -c '[.data[].id]')" = "[$air]"
check "anonymous cannot read an outlet (404) but reads the air station (200)" \
  test "$(curl -s -o /dev/null -w '%{http_code}' "$base/sites/$alpha/latest")$(curl -s -o /dev/null -w '%{http_code}' "$base/sites/$air/latest")" = 404200
for p in metrics completeness devices/offline cases ledger ledger/warnings worklist; do
  check "anonymous GET /$p is 401 login_required" \
    test "$(curl -s -o /dev/null -w '%{http_code}' "$base/$p")$(curl -s "$base/$p" | jq -r .error.code)" = 401login_required
done
check "enterprise Alpha sees its own outlet: site, latest, series 200" \
  test "$(code "$T_alpha" GET "sites/$alpha")$(code "$T_alpha" GET "sites/$alpha/latest")$(code "$T_alpha" GET "sites/$alpha/series?param=a34013")" = 200200200
check "enterprise Alpha cannot see Beta's outlet: site, latest, series 404" \
  test "$(code "$T_alpha" GET "sites/$beta")$(code "$T_alpha" GET "sites/$beta/latest")$(code "$T_alpha" GET "sites/$beta/series?param=w01018")" = 404404404
check "enterprise Alpha's /sites: the air station and its own outlet" \
  test "$(api "$T_alpha" GET sites | jq -c '[.data[].id]')" = "[$air,$alpha]"
check "enterprise Alpha may not read metrics (403)" test "$(code "$T_alpha" GET metrics)" = 403
check "a unit reads every site (data.read)" test "$(api "$T_js" GET sites | jq '.data | length')" = 3

# ---- CSRF and Origin -----------------------------------------------------------------------
jar="$TEST_TMP/jar"
csrf=$(curl -s -c "$jar" -X POST "$base/login" "${J[@]}" -d "{\"name\":\"bureau\",\"password\":\"$pw\"}" | jq -r .csrf)
check "login sets an HttpOnly SameSite=Strict cookie" \
  bash -c "curl -s -D - -o /dev/null -X POST '$base/login' -H 'Content-Type: application/json' -d '{\"name\":\"bureau\",\"password\":\"$pw\"}' | grep -i '^set-cookie: ew_session=' | grep -i httponly | grep -qi 'samesite=strict'"
inspection='{"source":"inspection","category":"dust","location":"Site 7","description":"uncovered spoil heap"}'
r=$(curl -s -b "$jar" -w '\n%{http_code}' -X POST "$base/cases" "${J[@]}" -d "$inspection")
check "cookie POST without X-CSRF-Token: 403 csrf" test "$(echo "$r" | tail -1)$(echo "$r" | head -1 | jq -r .error.code)" = 403csrf
check "cookie POST with X-CSRF-Token: 201" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -H "X-CSRF-Token: $csrf" -X POST "$base/cases" "${J[@]}" -d "$inspection")" = 201
check "Bearer POST without CSRF token: 201" test "$(code "$T_bureau" POST cases "${J[@]}" -d "$inspection")" = 201
report='{"category":"open_burning","location":"East road 3","description":"burning leaves","name":"Zhang","contact":"13800138000"}'
check "anonymous POST with a foreign Origin: 403" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -H 'Origin: http://evil.example' -X POST "$base/public/reports" "${J[@]}" -d "$report")" = 403

# ---- login throttling ----------------------------------------------------------------------
for i in 1 2 3 4; do curl -s -o /dev/null -X POST "$base/login" "${J[@]}" -d '{"name":"ghost","password":"wrong-password"}'; done
hdr=$(curl -s -D - -o /dev/null -X POST "$base/login" "${J[@]}" -d '{"name":"ghost","password":"wrong-password"}')
check "after 4 failures the 5th login is 429 with Retry-After" \
  bash -c "echo '$hdr' | head -1 | grep -q ' 429' && echo '$hdr' | grep -qi '^retry-after: [1-9]'"
check "a wrong password is 401 bad_credentials" \
  test "$(curl -s -X POST "$base/login" "${J[@]}" -d '{"name":"aud","password":"nope-nope-nope"}' | jq -r .error.code)" = bad_credentials

# ---- the full loop of a public report -------------------------------------------------------
tracking=$(curl -s -X POST "$base/public/reports" "${J[@]}" -d "$report" | jq -r .tracking)
check "a public report gets a tracking code" bash -c "[[ '$tracking' =~ ^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$ ]]"
A=$(api "$T_bureau" GET 'cases?source=public_report' | jq -r '.data[0].id')
act() { api "$1" POST "cases/$2/actions" "${J[@]}" -d "$3"; }
check "bureau accepts" test "$(act "$T_bureau" "$A" '{"action":"accept"}' | jq -r .data.state)" = accepted
check "bureau assigns to jianshe with a deadline" \
  test "$(act "$T_bureau" "$A" '{"action":"assign","unit":"jianshe","deadline":"2026-03-20"}' | jq -r '.data.state + " " + .data.unit')" = "assigned jianshe"
check "jianshe's detail offers sign" test "$(api "$T_js" GET "cases/$A" | jq -c .data.allowed_actions)" = '["sign","send_back"]'
check "jianshe signs" test "$(act "$T_js" "$A" '{"action":"sign"}' | jq -r .data.state)" = rectifying
printf '\x89PNG\r\n\x1a\n0000IHDR' >"$TEST_TMP/ev.png"
ev=$(api "$T_js" POST attachments -H 'Content-Type: image/png' --data-binary @"$TEST_TMP/ev.png")
evk=$(echo "$ev" | jq -r .key)
check "evidence upload: 201 with key, size 16, sha256" \
  test "$(echo "$ev" | jq -r '.size')$(echo "$ev" | jq -r .sha256)" = "16$(sha256sum "$TEST_TMP/ev.png" | cut -c1-64)"
check "jianshe submits with evidence" \
  test "$(act "$T_js" "$A" "{\"action\":\"submit\",\"evidence\":[\"$evk\"]}" | jq -r .data.state)" = rectified
check "a finding that names none is 422 (invalid), and the case stays rectified" \
  test "$(code "$T_bureau" POST "cases/$A/actions" "${J[@]}" -d '{"action":"verify","finding":"none"}')$(api "$T_bureau" GET "cases/$A" | jq -r .data.state)" = 422rectified
check "bureau verifies: closed" test "$(act "$T_bureau" "$A" '{"action":"verify"}' | jq -r .data.state)" = closed
track=$(curl -s "$base/public/reports/$tracking")
check "tracking view shows closed with 已核查销号" \
  test "$(echo "$track" | jq -r '.state + " " + .timeline[-1].note')" = "closed 已核查销号"
check "the confirmed report waits in the bureau's worklist for a reward decision" \
  test "$(api "$T_bureau" GET worklist | jq "[.cases[] | select(.id==$A) | .reward_pending] | .[0]")" = true
check "bureau records the reward as due" \
  test "$(api "$T_bureau" POST "cases/$A/reward" "${J[@]}" -d '{"status":"due","amount_fen":20000}' | jq -r .data.status)" = due
check "the tracking view shows the reward due" test "$(curl -s "$base/public/reports/$tracking" | jq -r .reward.status)" = due
check "once decided it leaves the worklist" \
  test "$(api "$T_bureau" GET worklist | jq "[.cases[] | select(.id==$A)] | length")" = 0
check "/rewards lists it for the auditor" test "$(api "$T_aud" GET rewards | jq -r '.data[0].tracking')" = "$tracking"
check "marking it paid without an amount keeps the amount recorded" \
  test "$(api "$T_bureau" POST "cases/$A/reward" "${J[@]}" -d '{"status":"paid"}' | jq -r '.data | .status + " " + (.amount_fen | tostring)')" = "paid 20000"
paid_at=$(api "$T_bureau" GET "cases/$A" | jq -r .data.reward.paid)
check "paying again keeps the first payment date" \
  test "$(api "$T_bureau" POST "cases/$A/reward" "${J[@]}" -d '{"status":"paid","note":"receipt filed"}' | jq -r .data.paid)" = "$paid_at"

# ---- the reporter's contact ----------------------------------------------------------------
check "the public tracking view never holds the contact" bash -c "! curl -s '$base/public/reports/$tracking' | grep -q 13800138000"
check "the tracking view names no staff or unit" bash -c "! curl -s '$base/public/reports/$tracking' | grep -Eq 'bureau|jianshe|ujs'"
check "the unit's case detail never holds the contact" bash -c "! curl -s -H 'Authorization: Bearer $T_js' '$base/cases/$A' | grep -q 13800138000"
check "the auditor's case detail never holds the contact" bash -c "! curl -s -H 'Authorization: Bearer $T_aud' '$base/cases/$A' | grep -q 13800138000"
check "the bureau's case detail holds the contact" test "$(api "$T_bureau" GET "cases/$A" | jq -r .data.reporter.contact)" = 13800138000

# ---- units are kept apart ------------------------------------------------------------------
B=$(api "$T_bureau" POST cases "${J[@]}" -d "$inspection" | jq -r .id)
act "$T_bureau" "$B" '{"action":"accept"}' >/dev/null
act "$T_bureau" "$B" '{"action":"assign","unit":"sthj","deadline":"2026-03-25"}' >/dev/null
check "sthj sees its case" test "$(code "$T_sthj" GET "cases/$B")" = 200
check "jianshe cannot read sthj's case (404)" test "$(code "$T_js" GET "cases/$B")" = 404
check "a case that does not exist is 404 (not 500)" test "$(code "$T_admin" GET "cases/987654")" = 404
check "jianshe's /cases does not list sthj's case" \
  test "$(api "$T_js" GET cases | jq "[.data[] | select(.id==$B)] | length")$(api "$T_js" GET 'cases?unit=sthj' | jq '[.data[] | select(.unit!="jianshe")] | length')" = 00
# The summary agrees with the list it summarises (bureau: every case; jianshe: its own).
for T in "$T_bureau" "$T_js"; do
  want=$(api "$T" GET 'cases?limit=100000' | jq -c '.data | {by_state: (group_by(.state) | map({(.[0].state): length}) | add // {}),
    overdue: map(select(.overdue)) | length,
    duban: map(select(.supervision == 1 and .state != "closed" and .state != "rejected")) | length,
    listed: map(select(.supervision == 2 and .state != "closed" and .state != "rejected")) | length}')
  got=$(api "$T" GET cases/summary | jq -c '{by_state: (.by_state | with_entries(select(.value > 0))), overdue, duban, listed}')
  check "/cases/summary counts what /cases lists ($(jq -r '.by_state | keys | join(",")' <<<"$got"))" \
    test "$(jq -S -c . <<<"$got")" = "$(jq -S -c . <<<"$want")"
done
all=$(api "$T_bureau" GET cases | jq '.data | length')
check "/cases pages in the query: limit 1 offset 1 gives the second newest, the total and the next offset" \
  test "$(api "$T_bureau" GET 'cases?limit=1&offset=1' | jq -c '[(.data | length), .data[0].id, .page.total, .page.next_offset]')" = "[1,$(api "$T_bureau" GET cases | jq '.data[1].id'),$all,$([ "$all" -gt 2 ] && echo 2 || echo null)]"
check "jianshe cannot sign sthj's case (404)" test "$(code "$T_js" POST "cases/$B/actions" "${J[@]}" -d '{"action":"sign"}')" = 404
check "jianshe cannot submit on sthj's case (404)" \
  test "$(code "$T_js" POST "cases/$B/actions" "${J[@]}" -d "{\"action\":\"submit\",\"evidence\":[\"$evk\"]}")" = 404
check "sthj cannot GET jianshe's evidence (404); jianshe and the bureau can (200)" \
  test "$(code "$T_sthj" GET "attachments/$evk")$(code "$T_js" GET "attachments/$evk")$(code "$T_bureau" GET "attachments/$evk")" = 404200200
check "an enterprise cannot list cases (403)" test "$(code "$T_alpha" GET cases)" = 403

# ---- refused transitions change nothing ------------------------------------------------------
n0=$(api "$T_bureau" GET "cases/$B" | jq '.data.events | length')
check "verify on an assigned case: 409 invalid_transition" \
  test "$(code "$T_bureau" POST "cases/$B/actions" "${J[@]}" -d '{"action":"verify"}')" = 409
check "sthj may not extend its own deadline (403 forbidden)" \
  test "$(api "$T_sthj" POST "cases/$B/actions" "${J[@]}" -d '{"action":"extend","reason":"rain","deadline":"2026-04-30"}' | jq -r .error.code)" = forbidden
check "extend without a reason: 422" \
  test "$(code "$T_bureau" POST "cases/$B/actions" "${J[@]}" -d '{"action":"extend","deadline":"2026-04-30"}')" = 422
check "the auditor may not act (403)" test "$(code "$T_aud" POST "cases/$B/actions" "${J[@]}" -d '{"action":"escalate","reason":"x"}')" = 403
check "nothing was recorded by the refused calls" test "$(api "$T_bureau" GET "cases/$B" | jq '.data.events | length')" = "$n0"

# ---- attachments ---------------------------------------------------------------------------
check "a JPEG declared but PNG bytes: 415" \
  test "$(code "$T_js" POST attachments -H 'Content-Type: image/jpeg' --data-binary @"$TEST_TMP/ev.png")" = 415
head -c $((8 * 1024 * 1024 + 1)) /dev/zero >"$TEST_TMP/big.pdf"
check "more than 8 MiB: 413" \
  test "$(code "$T_js" POST attachments -H 'Content-Type: application/pdf' --data-binary @"$TEST_TMP/big.pdf")" = 413
check "the server still answers after the refused upload" curl -sf -o /dev/null "$base/health"

# ---- the ledger ----------------------------------------------------------------------------
r=$(api "$T_js" POST ledger/tasks/T08/reports "${J[@]}" -d '{"progress":40,"note":"pipes laid in 2 villages"}')
check "jianshe reports 40 % on T08, a task it is responsible for (200)" test "$(echo "$r" | jq -r .data.progress)" = 40
check "the history shows the change with its actor" \
  test "$(api "$T_aud" GET 'ledger/history?object_id=T08' | jq -r '.data[0] | .actor + " " + .field + " " + .old_value + " " + .new_value')" = "ujs progress 0 40"
check "jianshe may not report on T03, which it does not carry (403)" \
  test "$(code "$T_js" POST ledger/tasks/T03/reports "${J[@]}" -d '{"progress":10,"note":"x"}')" = 403
check "a report that changes nothing is refused (422)" \
  test "$(code "$T_js" POST ledger/tasks/T08/reports "${J[@]}" -d '{"progress":40,"note":"same"}')" = 422
check "the auditor reads /ledger (200)" test "$(api "$T_aud" GET ledger | jq '.actions | length')" -ge 1
check "the auditor may not report (403)" test "$(code "$T_aud" POST ledger/tasks/T08/reports "${J[@]}" -d '{"progress":50,"note":"x"}')" = 403
check "/ledger shows T08 at 40 %" \
  test "$(api "$T_bureau" GET ledger | jq '[.actions[].tasks[] | select(.id=="T08")][0].progress')" = 40
check "/scores lists the rules with their texts" \
  test "$(api "$T_aud" GET scores | jq '[.rules[] | select((.text | length) > 0)] | length')" -ge 1
check "/scores ranks units that carry tasks" test "$(api "$T_aud" GET scores | jq '.data | length')" -ge 2
# jianshe closed case A on time: its hit names the case (kind and id for those who may open it).
hit='.data[] | select(.unit=="jianshe") | .hits[] | select(.rule=="case_closed_on_time")'
check "jianshe's on-time closure scores as a case hit with the case id" \
  test "$(api "$T_js" GET "scores?to=2026-03-11" | jq -r "$hit | .object_kind + \" \" + .object + \" \" + (.case_id | tostring)")" = "case $tracking $A"
check "sthj's staff see the hit but not the id of a case they may not open" \
  test "$(api "$T_sthj" GET "scores?to=2026-03-11" | jq -r "$hit | .case_id")" = null
check "/scores?format=csv has one row per rule application" \
  grep -q "^jianshe,.*,case_closed_on_time,.*,case,$tracking,1" <(api "$T_aud" GET 'scores?to=2026-03-11&format=csv' | tr -d '\r"')

# ---- public report rate limit (last: it uses up the address's quota) -------------------------
codes=""
for i in 2 3 4 5 6; do codes="$codes$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/public/reports" "${J[@]}" -d "$report")"; done
check "reports 2-5 of the hour are accepted, the 6th is 429" test "$codes" = 201201201201429
# Expired sessions go at the next login; a hash made with weaker limits is upgraded.
sqlite3 "$db" "UPDATE session SET expires_utc = 1 WHERE user_id = (SELECT id FROM app_user WHERE name = 'ebeta')"
weak=$(printf '%s' "$pw" | argon2 somesaltsomesalt -id -t 1 -m 12 -p 1 -e)
sqlite3 "$db" "UPDATE app_user SET pw_hash = '$weak' WHERE name = 'ealpha'"
check "a login with a hash of weaker limits succeeds" test "$(login ealpha | wc -c)" -eq 44
check "... and stores the hash again with the current limits" \
  grep -q '^\$argon2id\$v=19\$m=65536,t=2,p=1\$' <(sqlite3 "$db" "SELECT pw_hash FROM app_user WHERE name = 'ealpha'")
check "the login swept the expired session" \
  test "$(sqlite3 "$db" "SELECT count(*) FROM session WHERE expires_utc = 1")" = 0
check "logout ends the session" \
  test "$(code "$T_aud" POST logout)$(code "$T_aud" GET ledger)" = 204401

# The server stops cleanly, and (when the binary is the ASan+UBSan build) reported nothing.
kill -TERM "$pid"
wait "$pid"
check "serve exits 0 on SIGTERM after all of the above" test $? -eq 0
check "the server's log holds no sanitizer report" \
  bash -c "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' '$TEST_TMP/serve.log'"
# Every handler returned the status it answered with (the dispatcher logs http.handler
# and answers 500 when one does not).
check "every handler answered what it returned (no http.handler in the log)" \
  bash -c "! grep -q 'http.handler' '$TEST_TMP/serve.log'"
