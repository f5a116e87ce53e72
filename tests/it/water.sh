# Surface-water sections end to end: the CLI imports sections and laboratory results from
# CSV (bad lines named FILE:LINE, the rest stored, exit 1), then the API answers over real
# HTTP, the clock pinned in March 2025. Figures worked by hand (tests/unit/service_water.c):
# CH01 NH3-N (1.5 + 1.7)/2 = 1.60 mg/L → Class V against target IV, multiple 0.067;
# QL02 NH3-N 2.1 → 劣V.
. "$(dirname "$0")/lib.sh"
db="$TEST_TMP/water.db"
cat >"$TEST_TMP/sections.csv" <<'CSV'
code,name,water,target
CH01,潮河,river,IV
QL02,七里河,river,V
CSV
cat >"$TEST_TMP/results.csv" <<'CSV'
section,time,item,value,below_dl
CH01,2025-03-05 10:00,NH3-N,1.5,0
CH01,2025-03-20 10:00,NH3-N,1.7,0
CH01,2025-03-20 10:00,DO,6.1,0
QL02,2025-03-05,NH3-N,2.1,0
QL02,2025-03-05,NH3-N,abc,0
CSV
check "sections import" "$ENVWATCH" import water-sections --db "$db" "$TEST_TMP/sections.csv"
"$ENVWATCH" import water --db "$db" "$TEST_TMP/results.csv" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
rc=$?
check "a bad line: exit 1" test "$rc" = 1
check "the bad line is named FILE:LINE" grep -q "results.csv:6: value" "$TEST_TMP/err"
check "the four good lines are stored" grep -q "results stored: 4, bad lines: 1" "$TEST_TMP/out"

export ENVWATCH_NOW=2025-03-25T12:00:00
serve_http "$db"
tok=$(admin_token "$db" wadmin)
get() { curl -s -H "Authorization: Bearer $tok" "$base/$1"; }
check "sections need a login" \
  test "$(curl -s -o /dev/null -w '%{http_code}' "$base/water/sections")" = 401
check "CH01 Class V this month, target IV, not met; QL02 劣V" \
  test "$(get water/sections | jq -c '[.data[] | [.code, .class_month, .target, .meets_target, .worse_v]]')" \
  = '[["CH01","V","IV",false,false],["QL02","劣V","V",false,true]]'
check "CH01 March: NH3-N 1.6, Class V, multiple 0.067 against IV" \
  test "$(get 'water/sections/CH01?year=2025&month=3' | jq -c '[.class, (.items[] | select(.item=="NH3-N") | [.value, .class, .multiple])]')" \
  = '["V",[1.6,"V",0.067]]'
check "an unknown section: 404" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$base/water/sections/NOPE")" = 404
