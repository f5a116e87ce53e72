# Greenhouse-gas stations end to end: March 2025 of the demo's two GHG stations (the model's
# CO2 ppm and CH4 ppb, a daily calibration hour flagged C) go through the HJ 212 ingest
# pipeline (simulate --history), then GET /api/v1/ghg is checked against the stations'
# own hourly series, recomputed here: the mean of the normal hours, calibration hours left
# out, and the enhancement over the background paired hour by hour.
. "$(dirname "$0")/lib.sh"
db="$TEST_TMP/ghg.db"
grep -E '^mn,|,ghg,' "$ENVWATCH_ROOT/data/demo/devices.csv" >"$TEST_TMP/devices.csv"
export ENVWATCH_NOW=2025-04-02T12:00:00
check "a month of history" sh -c "'$ENVWATCH' simulate --devices-file '$TEST_TMP/devices.csv' --history \
  --db '$db' --from 2025-03-01 --to 2025-04-01 >/dev/null"
serve_http "$db"
tok=$(admin_token "$db" gadmin)
get() { curl -s -H "Authorization: Bearer $tok" "$base/$1"; }
q='ghg?from=2025-03-01&to=2025-04-01'
check "the stations need a login" test "$(curl -s -o /dev/null -w '%{http_code}' "$base/$q")" = 401
get "$q" >"$TEST_TMP/ghg.json"
urban=$(jq '.data[] | select(.name | test("明湖")) | .site_id' "$TEST_TMP/ghg.json" | head -1)
bg=$(jq '.data[] | select(.name | test("背景")) | .site_id' "$TEST_TMP/ghg.json" | head -1)
check "two stations, CO2 and CH4 each, in ppm and ppb" \
  test "$(jq -c '[.data[] | [.gas, .unit]] | unique' "$TEST_TMP/ghg.json")" = '[["CH4","ppb"],["CO2","ppm"]]'
# The model loses about one hour in 300 (a power cut): a month has a few gaps, so hours
# valid at one station are missing at the other.
check "744 hours a station at most, 31 calibration hours, the rest valid" \
  test "$(jq -c '[.data[] | (.hours <= 744 and .hours > 730 and .calibration_hours == 31 and .valid_hours == .hours - 31)] | unique' "$TEST_TMP/ghg.json")" = '[true]'
check "the gaps make the paired hours fewer than either station's valid hours" \
  test "$(jq -c '[.data[] | select(.site_id != .background_id) | .paired_hours < .valid_hours] | unique' "$TEST_TMP/ghg.json")" = '[true]'
series() { get "sites/$1/series?param=$2&period=hour&from=2025-03-01&to=2025-04-01&limit=1000"; }
series "$urban" a05001 >"$TEST_TMP/u.json"
series "$bg" a05001 >"$TEST_TMP/b.json"
# The urban station's CO2 mean over its N hours, recomputed from the series (values rounded
# to 4 decimals there: a 0.001 tolerance).
want=$(jq '[.data[] | select(.flag == "N" or .flag == "" or .flag == null) | .value] | add / length' "$TEST_TMP/u.json")
got=$(jq '.data[] | select(.site_id == '"$urban"' and .gas == "CO2") | .mean' "$TEST_TMP/ghg.json")
check "the urban CO2 mean is the mean of its normal hours ($got vs $want)" \
  awk -v a="$got" -v b="$want" 'BEGIN { exit !(a - b < 0.001 && b - a < 0.001) }'
check "calibration hours (flag C, 450 ppm) are in the series but not in the background's values (max below 440)" \
  sh -c "jq -e '[.data[] | select(.flag == \"C\" and .value == 450)] | length == 31' '$TEST_TMP/b.json' >/dev/null &&
    jq -e '.data[] | select(.site_id == $bg and .gas == \"CO2\") | .max < 440' '$TEST_TMP/ghg.json' >/dev/null"
want=$(jq -n --slurpfile u "$TEST_TMP/u.json" --slurpfile b "$TEST_TMP/b.json" '
  ($b[0].data | map(select(.flag == "N")) | map({key: .time, value: .value}) | from_entries) as $bv
  | [$u[0].data[] | select(.flag == "N" and $bv[.time] != null) | .value - $bv[.time]] | add / length')
got=$(jq '.data[] | select(.site_id == '"$urban"' and .gas == "CO2") | .enhancement' "$TEST_TMP/ghg.json")
check "the enhancement over the background, paired by hour ($got vs $want), is positive" \
  awk -v a="$got" -v b="$want" 'BEGIN { exit !(a - b < 0.001 && b - a < 0.001 && a > 0) }'
check "the background by default is the lowest CO2 mean: the 岗李 site" \
  test "$(jq -c '[.data[].background_id] | unique' "$TEST_TMP/ghg.json")" = "[$bg]"
check "a background named: the urban one, so the background site's enhancement is negative" \
  test "$(get "$q&background=$urban" | jq '.data[] | select(.site_id == '"$bg"' and .gas == "CO2") | .enhancement < 0')" = true
check "a background that is not a GHG station: 400" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$base/$q&background=999")" = 400
check "a period over 400 days: 400" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$base/ghg?from=2023-01-01&to=2025-03-01")" = 400
check "as CSV" sh -c "curl -s -H 'Authorization: Bearer $tok' '$base/$q&format=csv' | grep -q 'CH4'"
