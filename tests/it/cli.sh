# The command line: every subcommand answers --help, unknown commands are usage errors.
. "$(dirname "$0")/lib.sh"
for c in hj212 aqi assess serve simulate stats plan; do
  check "envwatch $c --help exits 0 and prints usage" bash -c "'$ENVWATCH' $c --help | grep -qi usage"
done
"$ENVWATCH" no-such-command >/dev/null 2>&1; rc=$?
check "unknown command exits 2" test "$rc" -eq 2
check "--version prints the version" bash -c "'$ENVWATCH' --version | grep -q '^envwatch '"

# The demo history: 60 days of the demo devices. The model draws gaps (about one hour in
# 300), but none in the last three hours, so the demo opens with every station online.
hist="$TEST_TMP/hist.db"
from=1767225600 to=$((1767225600 + 60 * 86400)) # 2026-01-01 00:00 UTC, 60 days
"$ENVWATCH" simulate --devices-file "$ENVWATCH_ROOT/data/demo/devices.csv" --history --db "$hist" \
  --from "$from" --to "$to" >/dev/null 2>&1
ndev=$(($(grep -vc '^#' "$ENVWATCH_ROOT/data/demo/devices.csv") - 1))
stored=$(sqlite3 "$hist" "select count(*) from packet where outcome='stored'")
check "history: the model's gaps leave some device-hours out" test "$stored" -lt $((ndev * 1440))
check "history: at most one hour in 100 is a gap" test "$stored" -ge $((ndev * 1440 * 99 / 100))
late=$(sqlite3 "$hist" "select count(*) from packet where outcome='stored' and data_time_utc >= $((to - 3 * 3600))")
check "history: every device has each of the last three hours" test "$late" -eq $((ndev * 3))
# The demo's dust-fall jars: five points, one sample each per complete Beijing month of the
# period (January and February 2026 here), written again, not twice, by a second run.
check "history: a dust-fall sample per point and complete month (2 × 5)" \
  test "$(sqlite3 "$hist" "select count(*) || '/' || count(distinct month) from dust_sample")" = 10/2
"$ENVWATCH" simulate --devices-file "$ENVWATCH_ROOT/data/demo/devices.csv" --history --db "$hist" \
  --from "$from" --to "$to" >/dev/null 2>&1
again=$?
check "history run again: succeeds and still holds 10 dust-fall samples" \
  test "$again/$(sqlite3 "$hist" "select count(*) from dust_sample")" = 0/10
check "history: three eco-flow control sections, a daily mean for each of the 60 days" \
  test "$(sqlite3 "$hist" "select (select count(*) from flow_section) || '/' || count(*) from flow_day")" = 3/180
check "the demo's flows give the plan's eco-flow target a rate (50–100 %)" \
  test "$(ENVWATCH_NOW=2026-03-02T12:00:00 "$ENVWATCH" targets --db "$hist" --json | jq '.data[] | select(.id == "eco_flow_compliance") | .value >= 50 and .value <= 100')" = true
check "history: six water sections (two drinking-water sources) with a monthly sample of five items, the sources five Table 2 items and benzene (Jan, Feb)" \
  test "$(sqlite3 "$hist" "select (select count(*) from water_section) || '/' || (select count(*) from water_drinking) || '/' || (select count(*) from water_sample) || '/' || count(*) from water_specific")" = 6/2/80/4
check "history: 潮河's section is linked to its automatic station, whose hours count in its month" \
  test "$(sqlite3 "$hist" "select section || '/' || mn from water_station")" = JK-CH01/EWWQS00000000000000CH001
check "history: two black-odorous bodies, three points sampled monthly (Jan, Feb)" \
  test "$(sqlite3 "$hist" "select (select count(*) from bo_body) || '/' || count(*) from bo_sample")" = 2/12
check "the demo's black-odorous bodies are remediated: the built-up target reads 0" \
  test "$(ENVWATCH_NOW=2026-03-02T12:00:00 "$ENVWATCH" targets --db "$hist" --json | jq '.data[] | select(.id == "built_up_black_odorous_water") | .value')" = 0
check "the demo's water gives the canal's class (Ⅱ) and the drinking-water sources (100 %) values" \
  test "$(ENVWATCH_NOW=2026-03-02T12:00:00 "$ENVWATCH" targets --db "$hist" --json | jq -c '[.data[] | select(.id == "snbd_main_canal_class" or .id == "drinking_source_compliance") | .value]')" = '[2,100]'
check "the demo's water gives the 劣V and compensation targets values" \
  test "$(ENVWATCH_NOW=2026-03-02T12:00:00 "$ENVWATCH" targets --db "$hist" --json | jq -c '[.data[] | select(.id == "worse_than_v_sections" or .id == "compensation_sections_compliance") | .value != null]')" = '[true,true]'
check "the demo's dust fall gives the plan's dust target a value of Zhengzhou's order (2–12)" \
  test "$(ENVWATCH_NOW=2026-03-02T12:00:00 "$ENVWATCH" targets --db "$hist" --json | jq '.data[] | select(.id == "dustfall_city_mean") | .value > 2 and .value < 12')" = true
