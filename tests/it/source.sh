# Pollution-source supervision over real HTTP: `envwatch serve --http --scan-every 1` with
# flue-gas outlets of two enterprises; the bureau sets their limits through the API, hourly
# values go into the database beside the running server (as api.sh loads its fixture), the
# scan raises alerts and cases, and each enterprise sees its own outlet's alerts only.
# The clock is pinned at 2026-03-10T12:30:00+08:00.
. "$(dirname "$0")/lib.sh"
export ENVWATCH_NOW=2026-03-10T12:30:00
db="$TEST_TMP/source.db"
port=$(free_port)
base="http://127.0.0.1:$port/api/v1"
cat >"$TEST_TMP/devices.csv" <<'EOF2'
mn,pw,kind,name,town,lon,lat,enterprise
SRCGAS000000000000000001,123456,gas_outlet,Alpha stack,九龙镇,113.71,34.60,Alpha Chem
SRCGAS000000000000000002,123456,gas_outlet,Beta stack,前程办,113.72,34.60,Beta Power
EOF2
# The bureau's thresholds file (docs/source-standards.md): one setting away from the default.
printf '# 限值下方聚集：至少两天的运行小时\nbelow_min_hours = 48\n' >"$TEST_TMP/rules.txt"
# 分表计电: Alpha's production line SC1 runs from 10 kW, its treatment ZL1 from 5 kW.
printf 'outlet_mn,facility,role,running_kw\nSRCGAS000000000000000001,SC1,production,10\nSRCGAS000000000000000001,ZL1,treatment,5\n' >"$TEST_TMP/facilities.csv"
"$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:$(free_port)" --http "127.0.0.1:$port" \
  --devices "$TEST_TMP/devices.csv" --scan-every 1 --rules "$TEST_TMP/rules.txt" \
  --facilities "$TEST_TMP/facilities.csv" 2>"$TEST_TMP/serve.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
for _ in $(seq 100); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done
check "server answers" curl -sf -o /dev/null "$base/health"

pw='correct-horse-9'
adduser() { printf '%s\n' "$pw" | "$ENVWATCH" user add "$1" --db "$db" --role "$2" ${3:+--org "$3"} >/dev/null; }
adduser bureau bureau; adduser ealpha enterprise "Alpha Chem"; adduser ebeta enterprise "Beta Power"
adduser ujs unit jianshe; adduser uzf unit zonghe-zhifa
login() {
  curl -s -X POST "$base/login" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"password\":\"$pw\"}" | jq -r .token
}
T_bureau=$(login bureau); T_alpha=$(login ealpha); T_beta=$(login ebeta); T_js=$(login ujs); T_zf=$(login uzf)
api() { local t=$1 m=$2 p=$3; shift 3; curl -s -X "$m" -H "Authorization: Bearer $t" "$base/$p" "$@"; }
code() { local t=$1 m=$2 p=$3; shift 3; curl -s -o /dev/null -w '%{http_code}' -X "$m" -H "Authorization: Bearer $t" "$base/$p" "$@"; }
J=(-H 'Content-Type: application/json')

oid() { api "$T_bureau" GET outlets | jq -r ".data[] | select(.mn==\"$1\") | .id"; }
alpha=$(oid SRCGAS000000000000000001); beta=$(oid SRCGAS000000000000000002)
check "the bureau lists both outlets" test -n "$alpha" -a -n "$beta"
limit='{"param":"a21026","period":"hour","max":35,"o2_ref":9,"standard":"GB 13271-2014"}'
check "the bureau sets SO2 35 mg/m3 at 9 % O2 on both outlets (200)" \
  test "$(code "$T_bureau" POST "outlets/$alpha/limits" "${J[@]}" -d "$limit")$(code "$T_bureau" POST "outlets/$beta/limits" "${J[@]}" -d "$limit")" = 200200
check "an enterprise may not change limits (403)" \
  test "$(code "$T_alpha" POST "outlets/$alpha/limits" "${J[@]}" -d "$limit")" = 403
check "the limit is listed with its outlet, in the unit of HJ 212-2017 Annex B" \
  test "$(api "$T_bureau" GET outlets | jq -c ".data[] | select(.id==$alpha) | .limits[0] | [.param, .max, .unit, .o2_ref]")" = '["a21026",35,"mg/m³",9]'
check "each limit change is in the audit log" \
  test "$(api "$T_bureau" GET 'audit?limit=1000' | jq '[.data[] | select(.action=="source.limit.put")] | length')" = 2

# Hourly values from 2026-03-10 00:00 Beijing: Alpha's SO2 50, 51, 52 over hours 5..7 (20 +
# 0.25·i otherwise), Beta's SO2 a constant 20.0 for 12 hours; O2 9 % (the reference) for both.
t0=$(date -d '2026-03-10T00:00:00+08:00' +%s)
{
  echo "BEGIN;"
  for i in $(seq 0 11); do
    t=$((t0 + i * 3600))
    if [ "$i" -ge 5 ] && [ "$i" -le 7 ]; then a=$((50 + i - 5)); else a=$(echo "20 + 0.25 * $i" | bc); fi
    for row in "$alpha a21026 $a" "$alpha a19001 9" "$beta a21026 20" "$beta a19001 9"; do
      set -- $row
      echo "INSERT INTO hour_agg VALUES ($1,'$2',$t,$3,$3,$3,60,60,'N');"
    done
  done
  echo "COMMIT;"
} | sqlite3 "$db"
for _ in $(seq 100); do
  [ "$(api "$T_bureau" GET alerts | jq '.data | length')" = 2 ] && break; sleep 0.1
done
check "the scan raised two alerts" test "$(api "$T_bureau" GET alerts | jq '.data | length')" = 2
check "Alpha sees only its own outlet's alert: one hourly exceedance with a case" \
  test "$(api "$T_alpha" GET alerts | jq -c "[.data[] | [.site_id == $alpha, .rule, .state, (.case_id != null)]]")" = '[[true,"exceedance_hourly","open",true]]'
check "Beta sees only its own: the constant-value suspect" \
  test "$(api "$T_beta" GET alerts | jq -c "[.data[] | [.site_id == $beta, .rule]]")" = '[[true,"constant_value"]]'
a_id=$(api "$T_alpha" GET alerts | jq -r '.data[0].id'); b_id=$(api "$T_beta" GET alerts | jq -r '.data[0].id')
check "Alpha's alert carries its evidence: 3 hours, limit 35, multiple 0.486" \
  test "$(api "$T_alpha" GET "alerts/$a_id" | jq -c '[(.evidence.hours | length), .limit, .multiple, .evidence.hours[2].judged]')" = '[3,35,0.486,52]'
check "Alpha cannot read Beta's alert (404), nor the public (401); a unit reads it (200, data.read)" \
  test "$(code "$T_alpha" GET "alerts/$b_id")$(curl -s -o /dev/null -w '%{http_code}' "$base/alerts")$(code "$T_js" GET "alerts/$b_id")" = 404401200
check "a unit may not file a mark (403)" \
  test "$(code "$T_js" POST marks "${J[@]}" -d '{"outlet":'$beta',"from":"2026-03-10T05:00:00+08:00","to":"2026-03-10T06:00:00+08:00","class":"device_maint","reason":"x"}')" = 403
check "filters: rule and outlet" \
  test "$(api "$T_bureau" GET "alerts?rule=constant_value" | jq '.data | length')$(api "$T_bureau" GET "alerts?outlet=$alpha" | jq -r '.data[0].rule')" = 1exceedance_hourly
check "Alpha lists only its own outlet" \
  test "$(api "$T_alpha" GET outlets | jq -c '[.data[].id]')" = "[$alpha]"
case_id=$(api "$T_alpha" GET "alerts/$a_id" | jq -r .case_id)
check "the case is a monitoring alert, assigned to the enforcement unit" \
  test "$(api "$T_bureau" GET "cases/$case_id" | jq -r '[.data.source, .data.category, .data.state, .data.unit] | join(",")')" = "monitoring_alert,exceedance,assigned,zonghe-zhifa"
check "alerts?case=N finds the alert that opened case N, for the bureau and for Alpha" \
  test "$(api "$T_bureau" GET "alerts?case=$case_id" | jq -c '[.data[].id]')$(api "$T_alpha" GET "alerts?case=$case_id" | jq -c '[.data[].id]')" = "[$a_id][$a_id]"
check "...and nothing for Beta (another enterprise's case) or for a case without an alert; case=x is 400" \
  test "$(api "$T_beta" GET "alerts?case=$case_id" | jq '.data | length')$(api "$T_bureau" GET "alerts?case=999999" | jq '.data | length')$(code "$T_bureau" GET "alerts?case=x")" = 00400
check "the case says what happened in words: enterprise, outlet, factor, rule, window, figures" \
  test "$(api "$T_bureau" GET "cases/$case_id" | jq -r .data.description | grep -c '^Alpha Chem Alpha stack：二氧化硫小时均值超过排放限值，2026-03-10 .*（北京时间），最大值 .* mg/m³，限值 35 mg/m³，超标 .* 倍。$')" = 1
mark='{"outlet":'$beta',"from":"2026-03-10T05:00:00+08:00","to":"2026-03-10T08:00:00+08:00","class":"device_maint","reason":"校准"}'
check "Alpha may not mark Beta's outlet (404); Beta may (201)" \
  test "$(code "$T_alpha" POST marks "${J[@]}" -d "$mark")$(code "$T_beta" POST marks "${J[@]}" -d "$mark")" = 404201
check "a mark without a reason, or ending where it starts, is 422 and stores nothing" \
  test "$(code "$T_beta" POST marks "${J[@]}" -d "${mark/\"校准\"/\"\"}")$(code "$T_beta" POST marks "${J[@]}" -d "${mark/T08:00/T05:00}")" = 422422
check "Beta's mark is listed for Beta and the bureau, not for Alpha" \
  test "$(api "$T_beta" GET marks | jq '.data | length')$(api "$T_bureau" GET marks | jq -r '.data[0].class')$(api "$T_alpha" GET marks | jq '.data | length')" = 1device_maint0
sleep 2
check "later scans add no alert and no case" \
  test "$(api "$T_bureau" GET alerts | jq '.data | length')$(api "$T_bureau" GET 'cases?source=monitoring_alert' | jq '.data | length')" = 22
check "the server logged no scan failure" bash -c "! grep -q source.scan_failed '$TEST_TMP/serve.log'"
check "serve --scan-first-days outside 1..3660 is a usage error (2) that names the setting" \
  sh -c '"$1" serve --db "$2/x.db" --hj212 127.0.0.1:1 --scan-first-days 0 2>"$2/sfd.err"; rc=$?; "$1" serve --db "$2/x.db" --hj212 127.0.0.1:1 --scan-first-days 3661 2>>"$2/sfd.err"; test $rc = 2 -a $? = 2 && test "$(grep -c "scan-first-days: .* is not 1 to 3660 days" "$2/sfd.err")" = 2' _ "$ENVWATCH" "$TEST_TMP"

# The rule catalogue: one document for the API and the CLI.
check "GET /rules lists the catalogue for the bureau and an enterprise (200), not the public (401)" \
  test "$(code "$T_bureau" GET rules)$(code "$T_alpha" GET rules)$(curl -s -o /dev/null -w '%{http_code}' "$base/rules")" = 200200401
check "envwatch rules list --json --rules F --db D is the same document as GET /rules of serve --rules F" \
  test "$("$ENVWATCH" rules list --json --rules "$TEST_TMP/rules.txt" --db "$db" | jq -cS .)" = "$(api "$T_bureau" GET rules | jq -cS .data)"
check "GET /rules shows the configured threshold, the CLI without the file the default" \
  test "$(api "$T_bureau" GET rules | jq '.data[] | select(.id=="just_below_limit") | .thresholds.min_hours')$("$ENVWATCH" rules list --json | jq '.[] | select(.id=="just_below_limit") | .thresholds.min_hours')" = 4824
check "a thresholds file with a share above 1 is refused, naming the line (serve and rules: 2)" \
  sh -c 'printf "x = 1\nbelow_share = 1.5\n" >"$2/bad.txt"; "$1" rules list --rules "$2/bad.txt" 2>"$2/bad.err"; a=$?; "$1" serve --db "$2/y.db" --hj212 127.0.0.1:0 --rules "$2/bad.txt" 2>>"$2/bad.err"; test $a = 2 -a $? != 0 && grep -q "bad.txt:1: x: no such threshold" "$2/bad.err"' _ "$ENVWATCH" "$TEST_TMP"
check "the catalogue runs every rule, treatment_off on outlets with facilities" \
  test "$(api "$T_bureau" GET rules | jq -c '[.data[] | select(.applied | not) | .id]')$(api "$T_bureau" GET rules | jq '[.data[] | select(.applied)] | length')" = '[]14'
check "each alert row names its rule in Chinese" \
  test "$(api "$T_bureau" GET "alerts?rule=constant_value" | jq -r '.data[0].rule_zh')" = 恒值

# Four zero hours of Alpha's SO2 while it runs (O2 9 %): the scan raises the zero-value suspect.
{
  echo "BEGIN;"
  for i in 12 13 14 15; do
    t=$((t0 + i * 3600))
    echo "INSERT INTO hour_agg VALUES ($alpha,'a21026',$t,0,0,0,60,60,'N');"
    echo "INSERT INTO hour_agg VALUES ($alpha,'a19001',$t,9,9,9,60,60,'N');"
  done
  echo "COMMIT;"
} | sqlite3 "$db"
for _ in $(seq 100); do
  [ "$(api "$T_bureau" GET 'alerts?rule=zero_value' | jq '.data | length')" = 1 ] && break; sleep 0.1
done
check "four zero hours are one zero-value alert with its case, thresholds in the evidence" \
  test "$(api "$T_alpha" GET 'alerts?rule=zero_value' | jq -c '[.data[] | [.site_id == '$alpha', .from, .to, .value, (.case_id != null)]]')" = '[[true,"2026-03-10T12:00:00+08:00","2026-03-10T16:00:00+08:00",0,true]]'
zid=$(api "$T_alpha" GET 'alerts?rule=zero_value' | jq -r '.data[0].id')
check "...whose evidence holds the 4 hours and the thresholds applied" \
  test "$(api "$T_alpha" GET "alerts/$zid" | jq -c '[(.evidence.hours | length), .evidence.thresholds.min_hours, .evidence.hours_hit]')" = '[4,4,4]'
sleep 2
n_alerts=$(api "$T_bureau" GET 'alerts' | jq '.data | length')
n_cases=$(api "$T_bureau" GET 'cases?source=monitoring_alert' | jq '.data | length')
check "envwatch rules run over the stored days adds nothing the scan already stored" \
  test "$("$ENVWATCH" rules run --db "$db" --from 2026-03-01 --to 2026-03-11 --json | jq -c '[.outlets, .alerts_new, .alerts_updated, .cases_opened]')$(api "$T_bureau" GET 'alerts' | jq '.data | length')$(api "$T_bureau" GET 'cases?source=monitoring_alert' | jq '.data | length')" = "[2,0,0,0]$n_alerts$n_cases"
check "envwatch rules run refuses --to before --from (2) and an unknown subcommand (2)" \
  sh -c '"$1" rules run --db "$2" --from 2026-03-11 --to 2026-03-01 2>/dev/null; a=$?; "$1" rules frob 2>/dev/null; test $a = 2 -a $? = 2' _ "$ENVWATCH" "$db"
# 分表计电 from the grid's data: four hours with SC1 at 50 kW and ZL1 at 0.5 kW.
{
  echo "mn,facility,hour,kw"
  for h in 16 17 18 19; do
    echo "SRCGAS000000000000000001,SC1,2026-03-10 $h:00,50"
    echo "SRCGAS000000000000000001,ZL1,2026-03-10 $h:00,0.5"
  done
  echo "SRCGAS000000000000000001,ZL1,2026-03-10 19:30,0.5"
  echo "NOSUCHMN,ZL1,2026-03-10 19:00,0.5"
} >"$TEST_TMP/power.csv"
check "envwatch import power stores 8 hours and reports the two bad lines (exit 1)" \
  sh -c '"$1" import power --db "$2" "$3" >"$4/imp.out" 2>"$4/imp.err"; test $? = 1 && grep -q "power.csv:10: hour" "$4/imp.err" && grep -q "power.csv:11: mn: no outlet NOSUCHMN" "$4/imp.err"' _ "$ENVWATCH" "$db" "$TEST_TMP/power.csv" "$TEST_TMP"
for _ in $(seq 100); do
  [ "$(api "$T_bureau" GET 'alerts?rule=treatment_off' | jq '.data | length')" = 1 ] && break; sleep 0.1
done
check "treatment power under its running power while production runs: one treatment_off alert with its case" \
  test "$(api "$T_alpha" GET 'alerts?rule=treatment_off' | jq -c '[.data[] | [.param, .from, .to, .value, .limit, (.case_id != null)]]')" = '[["ZL1","2026-03-10T16:00:00+08:00","2026-03-10T20:00:00+08:00",0.5,5,true]]'
check "serve refuses a facilities file with a bad role, naming the line" \
  sh -c 'printf "X,ZL1,cleaning,5\n" >"$2/badf.csv"; "$1" serve --db "$2/z.db" --hj212 127.0.0.1:0 --facilities "$2/badf.csv" 2>"$2/badf.err"; test $? != 0 && grep -q "badf.csv:1: role" "$2/badf.err"' _ "$ENVWATCH" "$TEST_TMP"
check "the server logged no scan failure after the new screens" bash -c "! grep -q source.scan_failed '$TEST_TMP/serve.log'"

# Closing a monitoring alert's case records what was found (核查结论); the catalogue counts it.
act() { api "$1" POST "cases/$2/actions" "${J[@]}" -d "$3"; }
printf '\x89PNG\r\n\x1a\n0000IHDR' >"$TEST_TMP/ev.png"
evk=$(api "$T_zf" POST attachments -H 'Content-Type: image/png' --data-binary @"$TEST_TMP/ev.png" | jq -r .key)
check "the enforcement unit signs Alpha's exceedance case and submits its evidence" \
  test "$(act "$T_zf" "$case_id" '{"action":"sign"}' | jq -r .data.state)$(act "$T_zf" "$case_id" "{\"action\":\"submit\",\"evidence\":[\"$evk\"]}" | jq -r .data.state)" = rectifyingrectified
check "before it is closed the catalogue counts the case as open for exceedance_hourly" \
  test "$(api "$T_bureau" GET rules | jq -c '.data[] | select(.id=="exceedance_hourly") | [.cases, .cases_open, .cases_closed, .false_alarm_share]')" = '[1,1,0,null]'
check "verify without a finding, or with one that is not a finding, is 422 and leaves it rectified" \
  test "$(code "$T_bureau" POST "cases/$case_id/actions" "${J[@]}" -d '{"action":"verify"}')$(code "$T_bureau" POST "cases/$case_id/actions" "${J[@]}" -d '{"action":"verify","finding":"none"}')$(api "$T_bureau" GET "cases/$case_id" | jq -r '.data.state + (.data.finding | tostring)')" = "422422rectifiednull"
check "...and the refusal says what is needed" \
  sh -c 'curl -s -X POST -H "Authorization: Bearer $1" -H "Content-Type: application/json" "$2/cases/$3/actions" -d "{\"action\":\"verify\"}" | jq -r .error.message | grep -q "needs a finding: confirmed, explained or false_alarm"' _ "$T_bureau" "$base" "$case_id"
check "a finding with another action than verify is 422" \
  test "$(code "$T_bureau" POST "cases/$case_id/actions" "${J[@]}" -d '{"action":"return","reason":"x","finding":"confirmed"}')" = 422
check "the bureau closes it as a false alarm: the case and its verify event say so" \
  test "$(act "$T_bureau" "$case_id" '{"action":"verify","finding":"false_alarm"}' | jq -c '[.data.state, .data.finding, .data.finding_zh, (.data.events[] | select(.action=="verify") | .finding)]')" = '["closed","false_alarm","误报","false_alarm"]'
check "the catalogue counts it: one closed case of exceedance_hourly, a false alarm, share 1" \
  test "$(api "$T_bureau" GET rules | jq -c '.data[] | select(.id=="exceedance_hourly") | [.cases, .cases_open, .cases_closed, .confirmed, .explained, .false_alarms, .false_alarm_share]')" = '[1,0,1,0,0,1,1]'
check "Alpha sees its own case counted, Beta none of it" \
  test "$(api "$T_alpha" GET rules | jq -c '.data[] | select(.id=="exceedance_hourly") | [.cases, .false_alarms]')$(api "$T_beta" GET rules | jq -c '.data[] | select(.id=="exceedance_hourly") | [.cases, .false_alarms]')" = '[1,1][0,0]'
check "the CSV of the catalogue has the counts as columns" \
  sh -c 'curl -s -H "Authorization: Bearer $1" "$2/rules?format=csv" | head -1 | grep -q "false_alarms,false_alarm_share"' _ "$T_bureau" "$base"
check "envwatch rules list --db prints the same counts" \
  sh -c '"$1" rules list --db "$2" | grep -A3 "^exceedance_hourly" | grep -q "cases 1: open 0, closed 1 (confirmed 0, explained 0, false alarms 1, 100.0 % of those with a finding)"' _ "$ENVWATCH" "$db"
check "reopened, the case has no finding and counts as open again" \
  test "$(act "$T_bureau" "$case_id" '{"action":"reopen","reason":"再次超标","deadline":"2026-03-20"}' | jq -r '.data.finding | tostring')$(api "$T_bureau" GET rules | jq -c '.data[] | select(.id=="exceedance_hourly") | [.cases_open, .false_alarms]')" = 'null[1,0]'
check "envwatch rules list --db on a missing file fails (3) and says so" \
  sh -c '"$1" rules list --db "$2/none.db" 2>"$2/rl.err"; test $? = 3 && grep -q "no such database" "$2/rl.err"' _ "$ENVWATCH" "$TEST_TMP"

# data_silent: outlets that stop sending. The server is started again two days later: Alpha
# sent its last hourly value at 2026-03-10 19:00 (the power hours), Beta at 11:00; Beta's
# enterprise marks its stop from 12:00 to 03-12 00:00, so only 12 of its silent hours count.
stop='{"outlet":'$beta',"from":"2026-03-10T12:00:00+08:00","to":"2026-03-12T00:00:00+08:00","class":"production","reason":"检修停产"}'
check "Beta marks its stop (201)" test "$(code "$T_beta" POST marks "${J[@]}" -d "$stop")" = 201
kill "$pid"; wait "$pid" 2>/dev/null
serve_again() {
  ENVWATCH_NOW=$1 "$ENVWATCH" serve --db "$db" --hj212 "127.0.0.1:$(free_port)" --http "127.0.0.1:$port" \
    --devices "$TEST_TMP/devices.csv" --scan-every 1 --rules "$TEST_TMP/rules.txt" \
    --facilities "$TEST_TMP/facilities.csv" 2>>"$TEST_TMP/serve.log" &
  pid=$!
  for _ in $(seq 100); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done
  # Sessions end with the clock's jump: sign in again.
  T_bureau=$(login bureau); T_alpha=$(login ealpha); T_beta=$(login ebeta)
}
serve_again 2026-03-12T12:30:00
check "the rule catalogue names data_silent with its 24-hour default" \
  test "$(api "$T_bureau" GET rules | jq -c '.data[] | select(.id=="data_silent") | [.name_zh, .thresholds.min_hours, .applied]')" = '["数据中断",24,true]'
for _ in $(seq 100); do
  [ "$(api "$T_bureau" GET 'alerts?rule=data_silent' | jq '.data | length')" -ge 1 ] && break; sleep 0.1
done
sleep 1.5
check "Alpha, silent since 20:00 on 03-10, has one data_silent alert of 40 hours with its case" \
  test "$(api "$T_alpha" GET 'alerts?rule=data_silent' | jq -c '[.data[] | [.site_id == '$alpha', .param, .from, .to, .value, .limit, (.case_id != null)]]')" = '[[true,"all","2026-03-10T20:00:00+08:00","2026-03-12T12:00:00+08:00",40,24,true]]'
check "Beta's 48 silent hours less its 36 marked ones are 12: no alert" \
  test "$(api "$T_beta" GET 'alerts?rule=data_silent' | jq '.data | length')" = 0
sid=$(api "$T_alpha" GET 'alerts?rule=data_silent' | jq -r '.data[0].id')
scase=$(api "$T_alpha" GET 'alerts?rule=data_silent' | jq -r '.data[0].case_id')
check "the evidence names the last value and the hours counted" \
  test "$(api "$T_alpha" GET "alerts/$sid" | jq -c '.evidence | [.last_value, .hours, .exempt_hours, .thresholds.min_hours]')" = '["2026-03-10T19:00:00+08:00",40,0,24]'
check "the case says in words that every factor stopped, since when and for how long" \
  test "$(api "$T_bureau" GET "cases/$scase" | jq -r .data.description | grep -c '^Alpha Chem Alpha stack：全部监测因子停止上传（数据中断.*），2026-03-10 20:00 至 2026-03-12 12:00（北京时间），未上传 40 小时（停运标记时段不计），阈值 24 小时。$')" = 1
kill "$pid"; wait "$pid" 2>/dev/null
serve_again 2026-03-12T18:30:00
for _ in $(seq 100); do
  [ "$(api "$T_alpha" GET 'alerts?rule=data_silent' | jq -r '.data[0].to')" = "2026-03-12T18:00:00+08:00" ] && break; sleep 0.1
done
check "six hours later the same silence is the same alert, longer, with the same case" \
  test "$(api "$T_alpha" GET 'alerts?rule=data_silent' | jq -c '[.data[] | [.id == '$sid', .to, .value, .case_id == '$scase']]')$(api "$T_bureau" GET 'cases?source=monitoring_alert&category=data_falsification' | jq "[.data[] | select(.id == $scase)] | length")" = '[[false,"2026-03-12T18:00:00+08:00",46,true]]1'
check "Beta's 18 counted hours are still under the threshold" \
  test "$(api "$T_beta" GET 'alerts?rule=data_silent' | jq '.data | length')" = 0
check "the server logged no scan failure while outlets were silent" bash -c "! grep -q source.scan_failed '$TEST_TMP/serve.log'"
