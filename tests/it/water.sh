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
check "the target class's limits beside the values: NH3-N ≤ 1.5 and DO ≥ 3 for Class IV" \
  test "$(get 'water/sections/CH01?year=2025&month=3' | jq -c '[.items[] | [.item, .limit]]')" = '[["DO",3],["NH3-N",1.5]]'
check "the section × month table: March's classes, nothing after the month of now" \
  test "$(get 'water/classes?year=2025' | jq -c '[.data[] | [.code, .months[1], .months[2], .months[3], .class_year]]')" \
  = '[["CH01",null,"V",null,"V"],["QL02",null,"劣V",null,"劣V"]]'
check "the table has twelve months a row" test "$(get 'water/classes?year=2025' | jq -c '[.data[].months | length] | unique')" = '[12]'
check "an unknown section: 404" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$base/water/sections/NOPE")" = 404

# The same files through `envwatch water assess`: the period values are the platform's, and
# the command's row of a section is the API's document of it (net/water_doc.h).
"$ENVWATCH" water assess --from 2025-03-01 --to 2025-03-31 --json \
  "$TEST_TMP/results.csv" "$TEST_TMP/sections.csv" >"$TEST_TMP/assess.json" 2>"$TEST_TMP/assess.err"
rc=$?
check "assess: a section misses its target (and a bad line): exit 1" test "$rc" = 1
check "assess: the bad line is named FILE:LINE" grep -q "results.csv:6: value" "$TEST_TMP/assess.err"
check "assess: CH01's row is the API's document of March" \
  test "$(jq -cS '.data[] | select(.code=="CH01")' "$TEST_TMP/assess.json")" \
  = "$(get 'water/sections/CH01?year=2025&month=3' | jq -cS 'del(.year, .month)')"
check "assess: QL02 劣V, grade 重度污染" \
  test "$(jq -c '[.data[] | select(.code=="QL02") | .class, .grade, .worse_v]' "$TEST_TMP/assess.json")" \
  = '["劣V","重度污染",true]'
check "assess: up to 10 March only the 1.5 result: CH01 Class IV, meets IV" \
  test "$("$ENVWATCH" water assess --from 2025-03-01 --to 2025-03-10 --json "$TEST_TMP/sections.csv" \
    "$TEST_TMP/results.csv" 2>/dev/null | jq -c '.data[] | select(.code=="CH01") | [.class, .meets_target, .samples]')" \
  = '["IV",true,1]'
check "assess: --to is included: 20 March alone holds NH3-N 1.7, Class V" \
  test "$("$ENVWATCH" water assess --from 2025-03-20 --to 2025-03-20 --json "$TEST_TMP/sections.csv" \
    "$TEST_TMP/results.csv" 2>/dev/null | jq -c '.data[] | select(.code=="CH01") | [.class, .samples]')" \
  = '["V",1]'
check "assess: --to before --from is a usage error" \
  bash -c "'$ENVWATCH' water assess --from 2025-03-10 --to 2025-03-01 '$TEST_TMP/sections.csv'; test \$? = 2"
printf 'a,b\n1,2\n' >"$TEST_TMP/other.csv"
check "assess: a file of another format is refused, naming it" \
  bash -c "'$ENVWATCH' water assess --from 2025-03-01 --to 2025-03-31 '$TEST_TMP/other.csv' 2>&1 | grep -q 'other.csv: header'"
check "assess: the temporary database is removed" \
  bash -c "TMPDIR='$TEST_TMP/wtmp'; mkdir -p \$TMPDIR; export TMPDIR; '$ENVWATCH' water assess --from 2025-03-01 --to 2025-03-31 '$TEST_TMP/sections.csv' >/dev/null; test -z \"\$(ls -A \$TMPDIR)\""
check "GET /water/assessment is the document envwatch water assess --json prints (but the labels)" \
  test "$(get 'water/assessment?from=2025-03-01&to=2025-04-01' | jq -cS 'del(.from, .to)')" \
  = "$(jq -cS 'del(.from, .to)' "$TEST_TMP/assess.json")"
check "the assessment's share: 2 sections assessed, none meeting its target, 1 劣V" \
  test "$(get 'water/assessment?from=2025-03-01&to=2025-04-01' | jq -c '[.share.assessed, .share.meeting, .share.worse_v, .share.pct, .drinking.sources]')" \
  = '[2,0,1,0,0]'
check "the assessment of a period that ends before it begins: 400" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$base/water/assessment?from=2025-04-01&to=2025-03-01")" = 400
