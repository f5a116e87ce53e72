# 分表计电 in real time over a real TCP peer: an outlet's data logger sends its facilities'
# power as HJ 212 real-time data (CN 2011, `SC1-Rtd`, `ZL1-Rtd`: HJ 212-2025 C37 / C38) and
# its flue gas as hour data (CN 2061). With no hour value of a facility, the scan takes the
# mean of the hour's real-time values (at least 3 spanning 45 minutes) and judges
# treatment_off on it: the treatment line's power under its running power while production
# runs is an alert with its case; an hour with too few values is not judged.
# The clock is pinned at 2026-03-10T16:30:00+08:00.
. "$(dirname "$0")/lib.sh"
export ENVWATCH_NOW=2026-03-10T16:30:00
db="$TEST_TMP/power.db"
mn=SRCGAS000000000000000009
printf 'mn,pw,kind,name,town,lon,lat,enterprise\n%s,123456,gas_outlet,Gamma stack,九龙镇,113.71,34.60,Gamma Glass\n' "$mn" >"$TEST_TMP/devices.csv"
printf 'mn,param,period,max,o2_ref,standard,source,level\n%s,a21026,hour,35,9,GB 13271-2014,,\n' "$mn" >"$TEST_TMP/limits.csv"
printf 'outlet_mn,facility,role,running_kw\n%s,SC1,production,10\n%s,ZL1,treatment,5\n' "$mn" "$mn" >"$TEST_TMP/facilities.csv"
serve_http "$db" --devices "$TEST_TMP/devices.csv" --limits "$TEST_TMP/limits.csv" \
  --facilities "$TEST_TMP/facilities.csv" --scan-every 1
check "server answers" curl -sf -o /dev/null "$base/health"

# Hours 10..15 Beijing: SO2 20 mg/m3 at O2 9 % (hour data); real-time power every 10 minutes:
# SC1 at 50 kW throughout, ZL1 at 30 kW except hours 12 and 13 (1 kW); for hour 14 the logger
# also sends ZL1's hour value, 1 kW, which comes before the real-time mean. Hour 15 has three
# real-time values over 20 minutes only (too short to stand for the hour) with ZL1 at 1 kW.
qn=0
frame() { # CN DATATIME CP-ITEMS-JSON
  qn=$((qn + 1))
  printf '{"qn":"2026031000000%04d","st":"31","cn":%s,"pw":"123456","mn":"%s","flag":5,"cp":[{"key":"DataTime","value":"%s"},%s]}\n' \
    "$qn" "$1" "$mn" "$2" "$3"
}
{
  for h in 10 11 12 13 14 15; do
    # Hour 14: the logger's own hour value of ZL1 (1 kW) beside real-time values at 30 kW.
    zl_hour=''; [ "$h" = 14 ] && zl_hour=',{"key":"ZL1-Avg","value":1},{"key":"ZL1-Flag","value":"N","sep":","}'
    frame 2061 "20260310${h}0000" '{"key":"a21026-Avg","value":20},{"key":"a21026-Flag","value":"N","sep":","},{"key":"a19001-Avg","value":9},{"key":"a19001-Flag","value":"N","sep":","}'"$zl_hour"
    if [ "$h" = 15 ]; then mins="00 10 20"; else mins="00 10 20 30 40 50"; fi
    zl=30; { [ "$h" = 12 ] || [ "$h" = 13 ] || [ "$h" = 15 ]; } && zl=1
    for m in $mins; do
      frame 2011 "20260310${h}${m}00" "{\"key\":\"SC1-Rtd\",\"value\":50},{\"key\":\"SC1-Flag\",\"value\":\"N\",\"sep\":\",\"},{\"key\":\"ZL1-Rtd\",\"value\":$zl},{\"key\":\"ZL1-Flag\",\"value\":\"N\",\"sep\":\",\"}"
    done
  done
} | "$ENVWATCH" hj212 encode >"$TEST_TMP/frames.bin"
check "the logger's 6 hour packets and 33 real-time packets are all acknowledged" \
  test "$(hj212_acks "$TEST_TMP/frames.bin")" = 39
T=$(admin_token "$db" admin1)
api() { curl -s -H "Authorization: Bearer $T" "$base/$1"; }
for _ in $(seq 100); do
  [ "$(api 'alerts?rule=treatment_off' | jq '.data | length')" = 1 ] && break; sleep 0.1
done
check "ZL1 at 1 kW under its 5 kW while SC1 runs at 50 kW: one treatment_off alert over hours 12 to 14 (14 by the logger's hour value), with its case" \
  test "$(api 'alerts?rule=treatment_off' | jq -c '[.data[] | [.param, .from, .to, .value, .limit, (.case_id != null)]]')" = '[["ZL1","2026-03-10T12:00:00+08:00","2026-03-10T15:00:00+08:00",1,5,true]]'
check "the real-time values are stored as such: 33 of SC1" \
  test "$(sqlite3 "$db" "SELECT count(*) FROM observation o JOIN site s ON s.id = o.site_id WHERE s.mn = '$mn' AND o.param = 'SC1' AND o.period = 'rtd'")" = 33
check "the server logged no scan failure" bash -c "! grep -q source.scan_failed '$TEST_TMP/serve.log'"
