# Dust fall end to end: the CLI imports the laboratory's weighings from CSV (bad lines named
# FILE:LINE, the rest stored, exit 1), then the API answers over real HTTP with the clock
# pinned on 20 April 2025: March's points and mean, the year's mean of monthly means, and
# the plan's dust-fall target judged on it. Figures worked by hand in
# tests/unit/service_dust.c: March (7.074 + 4.976) / 2 = 6.025, April 11.318, year 8.672.
. "$(dirname "$0")/lib.sh"
db="$TEST_TMP/dust.db"
cat >"$TEST_TMP/dust.csv" <<'CSV'
point,month,placed,collected,diameter_cm,m0_g,m1_g,m2_g,invalid,control
P1,2025-03,2025-03-01 09:00,2025-03-31 09:00,15.00,50.0000,50.1300,0.0050,0,0
P2,2025-03,2025-03-01 09:00,2025-03-30 08:40,15.00,48.0000,48.0900,0.0050,0,0
P3,2025-03,2025-03-01 09:00,2025-03-31 09:00,15.00,48.0000,48.0300,0.0050,0,1
P4,2025-03,2025-03-01 09:00,2025-03-31 09:00,15.00,48.0000,48.9000,0.0050,1,0
P1,2025-04,2025-03-31 09:00,2025-04-30 09:00,15.00,50.0000,50.2050,0.0050,0,0
P6,2025-03,2025-03-01 09:00,2025-03-31 09:00,15.00,50.0000,49.1300,0.0050,0,0
CSV
"$ENVWATCH" import dustfall --db "$db" "$TEST_TMP/dust.csv" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
rc=$?
check "a bad line: exit 1" test "$rc" = 1
check "the bad line is named FILE:LINE and its field" grep -q "dust.csv:7: m1_g" "$TEST_TMP/err"
check "the five good lines are stored" grep -q "samples stored: 5, bad lines: 1" "$TEST_TMP/out"

export ENVWATCH_NOW=2025-04-20T12:00:00
serve_http "$db"
tok=$(admin_token "$db" dadmin)
get() { curl -s -H "Authorization: Bearer $tok" "$base/$1"; }
check "dust fall needs a login" \
  test "$(curl -s -o /dev/null -w '%{http_code}' "$base/dustfall")" = 401
check "months up to April: March 6.025 (2 used, 1 rejected, 1 control), April 11.318" \
  test "$(get 'dustfall?year=2025' | jq -c '[.data[] | [.month, .mean, .used, .rejected, .controls]]')" \
  = '[[1,null,0,0,0],[2,null,0,0,0],[3,6.025,2,1,1],[4,11.318,1,0,0]]'
check "the year so far: 8.672 over 2 months" \
  test "$(get 'dustfall?year=2025' | jq -c '[.annual_mean, .months_with_value]')" = '[8.672,2]'
check "March's points: values, and why P4 has none" \
  test "$(get 'dustfall/points?year=2025&month=3' | jq -c '[.data[] | [.point, .value, (.why | test("invalid"))]]')" \
  = '[["P1",7.074,false],["P2",4.976,false],["P3",1.415,false],["P4",null,true]]'
check "points as CSV" sh -c "curl -s -H 'Authorization: Bearer $tok' '$base/dustfall/points?year=2025&month=3&format=csv' | grep -q '^P2,'"
check "points without a month: 400" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$base/dustfall/points?year=2025")" = 400
check "the plan's dust-fall target: 8.672 against ≤ 7, not on track" \
  test "$(get targets | jq -c '.. | objects | select(.id? == "dustfall_city_mean") | [.value, .on_track]')" \
  = '[8.672,false]'
check "envwatch targets --json: the API's rows, identical" \
  test "$("$ENVWATCH" targets --db "$db" --json | jq -cS .data)" = "$(get targets | jq -cS .data)"
check "envwatch targets: the dust-fall row in Chinese, 8.672 against ≤ 7, at risk (a measured medium other than air can still change)" \
  sh -c "'$ENVWATCH' targets --db '$db' | grep '^郑州市平均降尘量' | grep '≤ 7' | grep '当前 8.672' | grep -q '有风险'"
check "envwatch targets: a bad --rules is a usage error (2)" \
  sh -c "'$ENVWATCH' targets --db '$db' --rules 1999 2>/dev/null; test \$? = 2"
