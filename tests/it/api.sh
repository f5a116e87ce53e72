# The HTTP API over real HTTP: `envwatch serve --http` on a temporary database filled with
# tests/tools/http_fixture.sql, the clock pinned at 2026-03-10T12:30:00+08:00. Expected
# figures are worked out by hand from HJ 633 Table 1 (see tests/unit/net_http_api.c).
# With $ENVWATCH_HTTP_ONLY set, that program (tests/tools/http_only.c) serves instead.
. "$(dirname "$0")/lib.sh"
root=${ENVWATCH_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
# The dashboard build the server serves (npm ci + esbuild; quick when up to date).
check "dashboard builds (scripts/web-build.sh)" bash -c "bash '$root/scripts/web-build.sh' >&2"
db="$TEST_TMP/api.db"
port=$(free_port)
base="http://127.0.0.1:$port/api/v1"
export ENVWATCH_NOW=2026-03-10T12:30:00
if [ -n "${ENVWATCH_HTTP_ONLY:-}" ]; then
  "$ENVWATCH_HTTP_ONLY" --init "$db" && sqlite3 "$db" < "$root/tests/tools/http_fixture.sql"
  "$ENVWATCH_HTTP_ONLY" "$db" "127.0.0.1:$port" "$root/web/dist" >/dev/null 2>&1 &
else
  "$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:$(free_port)" --http "127.0.0.1:$port" \
    --static "$root/web/dist" 2>"$TEST_TMP/serve.log" &
fi
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
for _ in $(seq 100); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done
check "health answers 200 without login" curl -sf -o /dev/null "$base/health"
# serve created and migrated the database; the rows go in beside it (WAL).
[ -z "${ENVWATCH_HTTP_ONLY:-}" ] && sqlite3 "$db" < "$root/tests/tools/http_fixture.sql"

get() { curl -s "$base/$1"; }
check "sites?kind=air lists the 2 air stations" \
  test "$(get 'sites?kind=air' | jq '.data | length')" = 2
check "every target has id, name, unit, target, comparator, value, projected, on_track, status" \
  test "$(get targets | jq '[.data[] | has("id","name","unit","target","comparator","value","projected","on_track","status") | not] | any')" = false
check "the plan's 26 targets are listed" test "$(get targets | jq '.page.total')" = 26
check "PM2.5 year-to-date 60 µg/m³ is on track for 40" \
  test "$(get targets | jq -c '.data[] | select(.id=="pm25_annual_mean") | [.value, .on_track]')" = "[60,true]"
check "...but projected at 60 it is at risk, and a target without data has no data" \
  test "$(get targets | jq -c '[(.data[] | select(.id=="pm25_annual_mean") | .status), ([.data[] | select(.value == null) | .status] | unique)]')" = '["at_risk",["no_data"]]'
if [ -z "${ENVWATCH_HTTP_ONLY:-}" ]; then
  check "envwatch targets --json on the same database: the API's rows and envelope, identical" \
    test "$("$ENVWATCH" targets --db "$db" --json | jq -cS '[.data, .year, .as_of, .rules, .days_by_edition]')" \
    = "$(get targets | jq -cS '[.data, .year, .as_of, .rules, .days_by_edition]')"
  check "envwatch targets --rules 2012 --json: as targets?rules=2012, judged under 2012" \
    test "$("$ENVWATCH" targets --db "$db" --rules 2012 --json | jq -cS '[.data, .rules, .days_by_edition]')" \
    = "$(get 'targets?rules=2012' | jq -cS '[.data, .rules, .days_by_edition]')"
  check "the days judged under 2012 with --rules 2012: every assessed day" \
    test "$("$ENVWATCH" targets --db "$db" --rules 2012 --json | jq -c '[.rules, .days_by_edition[1]]')" = '["2012",0]'
  check "envwatch targets in words: PM2.5 at risk (有风险) as on the dashboard, no data as 暂无数据" \
    sh -c '"$1" targets --db "$2" | grep -q "^细颗粒物.*当前 60	预计 60	有风险$" && "$1" targets --db "$2" | grep -q "暂无数据$"' _ "$ENVWATCH" "$db"
fi
# Zone PM2.5 60: HJ 633—2012 → 50 + 50·25/40 = 81.25 → 82; HJ 633—2026 (60 at IAQI 100) → 100.
check "daily AQI 82 on 2026-02-28 (2012 rules), 100 on 2026-03-01 (2026 rules)" \
  test "$(get 'aqi/daily?from=2026-02-28&to=2026-03-01' | jq -c '[.data[] | [.aqi, .edition]]')" = '[[82,"2012"],[100,"2026"]]'
check "rules=2012 overrides the edition of the day" \
  test "$(get 'aqi/daily?from=2026-03-01&to=2026-03-01&rules=2012' | jq -c '[.data[0].aqi, .data[0].edition, .rules]')" = '[82,"2012","2012"]'
check "meta: the case states with their transitions, from case.c" \
  test "$(get meta | jq -c '[.case_states[] | select(.code == "reported" or .code == "rectified") | [.code, ([.transitions[].to] | sort)]]')" = '[["reported",["accepted","rejected"]],["rectified",["closed","rectifying"]]]'
check "meta: AQI bands 0-50 … 301-500 and the password limits" \
  test "$(get meta | jq -c '[.aqi_bands[0].aqi_lo, .aqi_bands[0].aqi_hi, .aqi_bands[5].aqi_hi, .limits.password_min, .limits.password_max]')" = '[0,50,500,8,256]'
check "aqi/now names the edition used" test "$(get aqi/now | jq -r '.zone.edition')" = 2026
check "times carry the +08:00 offset" test "$(get 'sites/1/latest' | jq -r '.data[0].time')" = "2026-03-10T11:00:00+08:00"
# 2026-01-01T00:00 .. 2026-03-10T11:00: 68 days × 24 + 12 hours = 1644 hourly values.
check "a long hourly series pages with next_offset" \
  test "$(get 'sites/1/series?param=a34004&from=2026-01-01&limit=1000' | jq -c '[(.data|length), .page.total, .page.next_offset]')" = "[1000,1644,1000]"
# Operations data need an account with data.read (docs/api.md, "Access").
printf 'api-test-password\n' | "$ENVWATCH" user add apiadmin --db "$db" --role admin >/dev/null
tok=$(curl -s -X POST "$base/login" -H 'Content-Type: application/json' \
  -d '{"name":"apiadmin","password":"api-test-password"}' | jq -r .token)
check "completeness needs a login (401), answers with one" \
  test "$(curl -s -o /dev/null -w '%{http_code}' "$base/completeness")$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$base/completeness")" = 401200
check "CSV export of a table" bash -c "curl -s -H 'Authorization: Bearer $tok' '$base/completeness?format=csv' | head -1 | grep -q 'site_id,mn,name'"
check "XLSX export of a table: an Excel workbook (a zip with its sheet) named after the table" \
  bash -c "curl -s -D '$TEST_TMP/xh' -o '$TEST_TMP/t.xlsx' '$base/targets?format=xlsx' && grep -qi '^content-type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' '$TEST_TMP/xh' && grep -qi 'filename=\"targets.xlsx\"' '$TEST_TMP/xh' && test \"\$(head -c 2 '$TEST_TMP/t.xlsx')\" = PK && grep -qa 'xl/worksheets/sheet1.xml' '$TEST_TMP/t.xlsx'"
check "format=xls is refused (400) and names the formats" \
  bash -c "curl -s '$base/targets?format=xls' | grep -q 'json, csv or xlsx'"
check "the public sees the air stations only, not the outlet" \
  test "$(get sites | jq -c '[.data[].kind] | unique')$(curl -s -o /dev/null -w '%{http_code}' "$base/sites/3")" = '["air"]404'
check "an admin sees all 3 sites" \
  test "$(curl -s -H "Authorization: Bearer $tok" "$base/sites" | jq '.data | length')" = 3
check "POST on a GET-only route: 405 with Allow" \
  bash -c "curl -s -D - -o /dev/null -X POST '$base/health' | grep -qi '^allow: GET, HEAD'"
check "unknown route: JSON 404 with a message" \
  test "$(curl -s -o /dev/null -w '%{http_code}' "$base/nope")$(get nope | jq -r '.error.code')" = 404not_found
# One assessment shape: the API's document and `envwatch assess --json` have the same members.
{ echo "site,time,parameter,value"
  for h in $(seq -w 0 23); do
    for p in "SO2 10" "NO2 30" "PM10 40" "CO 0.8" "O3 60" "PM2.5 35"; do
      set -- $p; echo "S1,2026-02-01T$h:00,$1,$2"
    done
  done; } >"$TEST_TMP/one.csv"
shape='[(.period|keys), (.rules|keys), (.pollutants[0]|keys), (.days|keys), (.targets|keys), keys - ["stations","input","scope"]]'
check "GET /assessment and envwatch assess --json have one shape" \
  test "$(get 'assessment?from=2026-02-01&to=2026-02-01' | jq -c ".data | $shape")" = \
  "$("$ENVWATCH" assess --from 2026-02-01 --to 2026-02-01 --json "$TEST_TMP/one.csv" 2>/dev/null | jq -c "$shape")"
check "bad rules: 400" test "$(curl -s -o /dev/null -w '%{http_code}' "$base/assessment?rules=1999")" = 400
check "served OpenAPI document is docs/openapi.json" \
  test "$(get openapi.json | jq -cS .paths | md5sum)" = "$(jq -cS .paths "$root/docs/openapi.json" | md5sum)"
check "dashboard index is served as HTML" \
  bash -c "curl -sI 'http://127.0.0.1:$port/' | grep -qi 'content-type: text/html'"
