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

# ---- N2O under a station's own code -----------------------------------------------------------
# HJ 212-2017 has no N2O code: the urban station sends it as N2O01, named in the code map. Hours
# 10–12 of 1 April normal (335, 336, 337 ppb), hour 13 a calibration (flag C, 400).
mh=EWGHG00000000000000MH001
q2='ghg?from=2025-04-01&to=2025-04-02'
qn=0
{
  for h in 10 11 12 13; do
    qn=$((qn + 1)); v=$((325 + h)); f=N; [ "$h" = 13 ] && { v=400; f=C; }
    printf '{"qn":"2025040100000%04d","st":"22","cn":2061,"pw":"610001","mn":"%s","flag":5,"cp":[{"key":"DataTime","value":"20250401%s0000"},{"key":"N2O01-Avg","value":%s},{"key":"N2O01-Flag","value":"%s","sep":","}]}\n' \
      "$qn" "$mh" "$h" "$v" "$f"
  done
} | "$ENVWATCH" hj212 encode >"$TEST_TMP/n2o.bin"
check "the station's 4 N2O hour packets are acknowledged" test "$(hj212_acks "$TEST_TMP/n2o.bin")" = 4
check "without a code in the map no station reports N2O" \
  test "$(get "$q2" | jq '[.data[] | select(.gas == "N2O")] | length')" = 0
printf 'mn,gas,code\n%s,N2O,N2O01\n%s,SF6,x1\n%s,N2O,N2O-01\n' "$mh" "$mh" "$mh" >"$TEST_TMP/codes.csv"
out=$("$ENVWATCH" import ghg-codes --db "$db" "$TEST_TMP/codes.csv" 2>"$TEST_TMP/codes.err"); rc=$?
check "the code map: 1 stored, an unknown gas and a code that is not letters and digits refused (exit 1, lines 3 and 4)" \
  test "$out $rc $(cut -d: -f2 "$TEST_TMP/codes.err" | tr '\n' ' ')" = "codes stored: 1, bad lines: 2 1 3 4 "
check "N2O of the urban station only: code N2O01, ppb, 4 hours, 1 calibration, mean 336 of the normal ones" \
  test "$(get "$q2" | jq -c '[.data[] | select(.gas == "N2O") | [.site_id, .param, .unit, .hours, .calibration_hours, .valid_hours, .mean]]')" = "[[$urban,\"N2O01\",\"ppb\",4,1,3,336]]"
