# Heavy-pollution response, fire points and video alarms over real HTTP: `envwatch serve`
# with two listed enterprises, an orange warning declared by the bureau, production power
# written as hourly values (甲 at 85 % of its baseline, 乙 at 75 %), the background job
# opening one case for 甲's town, a warning report, fire points imported from CSV and a
# camera alarming twice in an hour. The clock is pinned at 2026-01-11T12:30:00+08:00.
. "$(dirname "$0")/lib.sh"
export ENVWATCH_NOW=2026-01-11T12:30:00
db="$TEST_TMP/em.db"
port=$(free_port)
base="http://127.0.0.1:$port/api/v1"
cat >"$TEST_TMP/devices.csv" <<'CSV'
mn,pw,kind,name,town,lon,lat,enterprise
EMAIR000000000000000001,123456,air,Station one,九龙镇,113.80,34.70,
EMAIR000000000000000002,123456,air,Station two,前程办,113.90,34.75,
EMGAS000000000000000003,123456,gas_outlet,甲 stack,九龙镇,113.81,34.70,甲水泥
EMGAS000000000000000004,123456,gas_outlet,乙 stack,前程办,113.91,34.75,乙玻璃
CSV
cat >"$TEST_TMP/list.csv" <<'CSV'
enterprise,town,grade,base_power_kw,base_emission_kgh,cut_yellow_pct,cut_orange_pct,cut_red_pct,measures_yellow,measures_orange,measures_red
甲水泥,九龙镇,B,1000,50,0,20,100,禁用国四车辆,限产20%,停产
乙玻璃,前程办,C,1000,40,50,20,100,停一半产线,限产20%,停产
CSV
"$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:$(free_port)" --http "127.0.0.1:$port" \
  --devices "$TEST_TMP/devices.csv" --escalate-every 1 2>"$TEST_TMP/serve.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
for _ in $(seq 100); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done
check "server answers" curl -sf -o /dev/null "$base/health"

pw='correct-horse-9'
adduser() { printf '%s\n' "$pw" | "$ENVWATCH" user add "$1" --db "$db" --role "$2" ${3:+--org "$3"} >/dev/null; }
adduser bureau bureau; adduser cam unit jianshe; adduser ejia enterprise "甲水泥"
login() {
  curl -s -X POST "$base/login" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"password\":\"$pw\"}" | jq -r .token
}
T_b=$(login bureau); T_cam=$(login cam); T_e=$(login ejia)
api() { local t=$1 m=$2 p=$3; shift 3; curl -s -X "$m" -H "Authorization: Bearer $t" "$base/$p" "$@"; }
code() { local t=$1 m=$2 p=$3; shift 3; curl -s -o /dev/null -w '%{http_code}' -X "$m" -H "Authorization: Bearer $t" "$base/$p" "$@"; }
J=(-H 'Content-Type: application/json')
cases() { sqlite3 "$db" "SELECT count(*) FROM case_file $1"; }

# ---- the list ---------------------------------------------------------------------------------
check "the list file loads (2 entries)" \
  test "$("$ENVWATCH" import emergency-list --db "$db" "$TEST_TMP/list.csv")" = "list entries loaded: 2"
check "the bureau reads the list; an enterprise only its own entry; a unit may not (403)" \
  test "$(api "$T_b" GET emergency-list | jq '.data | length')$(api "$T_e" GET emergency-list | jq -r '[.data[].enterprise] | join(",")')$(code "$T_cam" GET emergency-list)" = "2甲水泥403"
check "an edit by the bureau is stored and audited; a bad grade is 422; an enterprise 403" \
  test "$(code "$T_b" POST emergency-list "${J[@]}" -d '{"enterprise":"乙玻璃","town":"前程办","grade":"B","base_power_kw":1000,"base_emission_kgh":40,"cut_yellow_pct":0,"cut_orange_pct":20,"cut_red_pct":100,"measures_yellow":"禁用国四车辆","measures_orange":"限产20%","measures_red":"停产"}')$(code "$T_b" POST emergency-list "${J[@]}" -d '{"enterprise":"乙玻璃","town":"前程办","grade":"E","base_power_kw":1,"base_emission_kgh":0,"cut_yellow_pct":0,"cut_orange_pct":0,"cut_red_pct":0,"measures_yellow":"a","measures_orange":"b","measures_red":"c"}')$(code "$T_e" POST emergency-list "${J[@]}" -d '{}')$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action='emergency_list.put'")" = 2004224031

# ---- a warning and its compliance -------------------------------------------------------------
check "a unit may not declare a warning (403)" \
  test "$(code "$T_cam" POST warnings "${J[@]}" -d '{"level":"orange","start":"2026-01-11 06:00","end":"2026-01-14 06:00","notice":"x","basis":"forecast","aqi":320}')" = 403
W=$(api "$T_b" POST warnings "${J[@]}" -d '{"level":"orange","start":"2026-01-11 06:00","end":"2026-01-14 06:00","notice":"郑州市重污染天气橙色预警（Ⅱ级响应）","basis":"forecast","aqi":320}' | jq -r .id)
check "the bureau declares an orange warning on a forecast AQI of 320" test "$W" = 1
check "the warning lists with its basis" \
  test "$(api "$T_b" GET warnings | jq -r '.data[0] | "\(.level) \(.basis) \(.basis_aqi) \(.start)"')" = "orange forecast 320 2026-01-11T06:00:00+08:00"
# Six hours 06:00–11:00 Beijing (22:00–03:00 UTC): 甲 850 kW, 乙 750 kW.
h0=$(date -u -d '2026-01-10 22:00:00' +%s)
for i in 0 1 2 3 4 5; do
  sqlite3 "$db" "INSERT INTO hour_agg SELECT id,'pw001',$((h0 + i * 3600)),CASE WHEN mn LIKE '%3' THEN 850 ELSE 750 END,NULL,NULL,60,60,'N' FROM site WHERE kind='gas_outlet'"
done
# 乙's stack over the same hours: 25 m³/s = 90 000 m³/h × (SO2 100 + NOx 180 + PM 20 mg/m³)
# = 27 kg/h, within its orange allowance 40 × 0.8 = 32 kg/h.
for i in 0 1 2 3 4 5; do
  for pv in a00000:25 a21026:100 a21002:180 a34013:20; do
    sqlite3 "$db" "INSERT INTO hour_agg SELECT id,'${pv%%:*}',$((h0 + i * 3600)),${pv##*:},NULL,NULL,60,60,'N' FROM site WHERE mn LIKE '%4'"
  done
done
for _ in $(seq 50); do [ "$(cases "WHERE location='九龙镇'")" = 1 ] && break; sleep 0.2; done
check "the job opens one case for 甲's town (85 % > 80 %), none for 乙 (75 %)" \
  test "$(cases "WHERE location='九龙镇' AND source='monitoring_alert'")$(cases "WHERE location='前程办'")" = 10
sleep 2
check "later passes open no second case for the same enterprise and warning" test "$(cases "")" = 1
R=$(api "$T_b" GET "warnings/$W/report")
check "the report: 1 complied, 1 breached, 甲 850 of 800 kW allowed" \
  test "$(jq -r '"\(.summary.complied) \(.summary.breached) " + (.enterprises[] | select(.enterprise=="甲水泥") | "\(.verdict) \(.mean_kw) \(.allowed_kw)")' <<<"$R")" = "1 1 breached 850 800"
check "the report: 乙 emits 27 of 32 kg/h allowed over 6 hours; the zone's cut 32.5 % of the baseline vs 20 % required" \
  test "$(jq -r '(.enterprises[] | select(.enterprise=="乙玻璃") | "\(.verdict) \(.emission.mean_kgh) \(.emission.allowed_kgh) \(.emission.hours) \(.emission.breached)") + " \(.reduction.vs_base_pct) \(.reduction.required_pct)"' <<<"$R")" = "complied 27 32 6 false 32.5 20"
check "the report as CSV: one flat row per enterprise, the three rules side by side" \
  test "$(curl -s -H "Authorization: Bearer $T_b" "$base/warnings/$W/report?format=csv" | tr -d '\r' | sed -n '1s/^\xEF\xBB\xBF//p;/^甲水泥/p' | cut -d, -f1,5,6,12,13)" = "$(printf 'enterprise,mean_kw,allowed_kw,verdict,power_case_id\n甲水泥,850,800,breached,1')"
check "the report shows AQI during and the 3 days before (null without air data)" \
  test "$(jq -c .aqi <<<"$R")" = '{"during":null,"before_3_days":null}'
check "an unknown warning's report is 404" test "$(code "$T_b" GET warnings/99/report)" = 404
check "甲's account reads its own entry only (breached), no zone estimate; a unit may not (403)" \
  test "$(api "$T_e" GET "warnings/$W/report" | jq -c '[[.enterprises[] | .enterprise, .verdict], .reduction.vs_base_pct]')$(code "$T_cam" GET "warnings/$W/report")" = '[["甲水泥","breached"],null]403'


# ---- fire points ------------------------------------------------------------------------------
cat >"$TEST_TMP/fires.csv" <<'CSV'
time,lon,lat,confidence,source
2026-01-11 10:00:00,113.8010,34.7000,80,FY-3D
2026-01-11 11:00:00,113.8010,34.7027,75,FY-3D
2026-01-11 12:00:00,113.8010,34.7054,90,NPP
2026-01-11 12:00:00,113.9010,34.7500,60,NPP
CSV
check "three points 300 m apart in 2 h and one elsewhere: 4 stored, 2 cases" \
  test "$("$ENVWATCH" import fires --db "$db" "$TEST_TMP/fires.csv")" = "fire points stored: 4, cases opened: 2"
check "re-importing the file adds nothing" \
  test "$("$ENVWATCH" import fires --db "$db" "$TEST_TMP/fires.csv")" = "fire points stored: 0, cases opened: 0"
check "a malformed fire file is refused (exit 1)" \
  sh -c "printf 'h\nnot,a,line\n' >'$TEST_TMP/bad.csv'; '$ENVWATCH' import fires --db '$db' '$TEST_TMP/bad.csv' 2>/dev/null; test \$? = 1"
# A drone sighting 200 m from 九龙镇's fire joins its case; a point near 前程办 an hour after its
# fire joins that one; a new place opens a case. GeoJSON as a satellite feed sends it.
G='{"type":"FeatureCollection","features":[
 {"type":"Feature","geometry":{"type":"Point","coordinates":[113.8010,34.7072]},"properties":{"time":"2026-01-11 12:30:00","confidence":70,"source":"无人机"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[113.9012,34.7501]},"properties":{"time":"2026-01-11 13:00:00","confidence":65,"source":"NPP"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[113.8100,34.6400]},"properties":{"time":"2026-01-11 13:10:00","confidence":88,"source":"FY-3D"}}]}'
check "POST /events: a unit may not report fire points (403); one bad event stores none (422)" \
  test "$(code "$T_cam" POST events "${J[@]}" -d "$G")$(code "$T_b" POST events "${J[@]}" -d '{"events":[{"time":"2026-01-11 12:30:00","lon":113.8,"lat":34.7,"confidence":70,"source":"x"},{"time":"2026-01-11 12:30:00","lon":113.8,"lat":34.7,"confidence":170,"source":"x"}]}')" = 403422
check "POST /events with GeoJSON: 3 received, 3 stored, 1 case opened (two join existing fires)" \
  test "$(api "$T_b" POST events "${J[@]}" -d "$G" | jq -c .)" = '{"received":3,"stored":3,"cases_opened":1}'
check "the same feed again stores nothing" \
  test "$(api "$T_b" POST events "${J[@]}" -d "$G" | jq -r '"\(.received) \(.stored) \(.cases_opened)"')" = "3 0 0"
F=$(api "$T_b" GET "fires?from=2026-01-11&to=2026-01-12")
check "GET /fires lists the 7 points by time with their towns and cases: 九龙镇's in 2 cases, the drone's 5th" \
  test "$(jq -r '"\(.data | length) " + ([.data[] | select(.town=="九龙镇") | .case_id] | unique | length | tostring) + " " + .data[4].source' <<<"$F")" = "7 2 无人机"
A=$(api "$T_b" GET "fires/assessment?from=2026-01-01")
check "the assessment counts per town: 九龙镇 5 points in 2 cases, 前程办 2 in 1" \
  test "$(jq -r '[.data[] | "\(.town):\(.fire_points)/\(.cases)"] | join(" ")' <<<"$A")" = "九龙镇:5/2 前程办:2/1"

# ---- video alarms -----------------------------------------------------------------------------
V='{"camera":"CAM-7","time":"2026-01-11 10:05:00","kind":"smoke"}'
check "anonymous alarms are refused (401)" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/alarms/video" "${J[@]}" -d "$V")" = 401
c1=$(api "$T_cam" POST alarms/video "${J[@]}" -d "$V")
c2=$(api "$T_cam" POST alarms/video "${J[@]}" -d '{"camera":"CAM-7","time":"2026-01-11 10:40:00","kind":"fire"}')
check "the same camera twice in an hour: one case" \
  test "$(jq -r .opened <<<"$c1")$(jq -r .opened <<<"$c2")$(test "$(jq .case_id <<<"$c1")" = "$(jq .case_id <<<"$c2")" && echo same)" = truefalsesame
check "an alarm without a camera is 422" \
  test "$(code "$T_cam" POST alarms/video "${J[@]}" -d '{"time":"2026-01-11 10:40:00","kind":"fire"}')" = 422
check "cases in all: 1 breach, 3 fires, 1 camera" test "$(cases "")" = 5

# ---- public reports of the same fire --------------------------------------------------------
# A 随手拍 of burning 300 m from 九龙镇's first fire joins that fire's case; one 5 km away
# does not. Each keeps its own case and tracking code.
rep() { curl -s -X POST "$base/public/reports" "${J[@]}" -d "{\"category\":\"open_burning\",\"location\":\"九龙镇南\",\"lon\":$1,\"lat\":$2,\"description\":\"地里烧秸秆，烟很大\"}"; }
P1=$(rep 113.8040 34.7000); P2=$(rep 113.8600 34.7000)
check "a report beside a fire joins it, one 5 km away does not" \
  test "$(jq -r .joined <<<"$P1") $(jq -r .joined <<<"$P2")" = "true false"
fire_case=$(jq '.data[0].case_id' <<<"$F")
rid=$(sqlite3 "$db" "SELECT id FROM case_file WHERE tracking = '$(jq -r .tracking <<<"$P1")'")
check "the report's case names the fire's case, the fire's case lists the report" \
  test "$(api "$T_b" GET "cases/$rid" | jq .data.fire_case) $(api "$T_b" GET "cases/$fire_case" | jq -c .data.public_reports)" = "$fire_case [$rid]"
check "the reporter's tracking page says the report joined a fire being handled" \
  test "$(curl -s "$base/public/reports/$(jq -r .tracking <<<"$P1")" | jq .joined)$(curl -s "$base/public/reports/$(jq -r .tracking <<<"$P2")" | jq .joined)" = truefalse
