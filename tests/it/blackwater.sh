# Black-odorous water end to end: the list and the points' samplings come in through the
# CLI (bad lines named FILE:LINE), then the API answers over real HTTP with the clock pinned
# on 1 July 2025. Worked by hand (the guide's grades, standards/blackodor.h): B1 was heavy
# in January (DO 0.1 < 0.2 at every sampling) and is clean in June, its latest campaign; B2's
# only campaign (January) has NH3-N 10 (light, 8.0–15); R1 is rural. The built-up count is 1.
. "$(dirname "$0")/lib.sh"
db="$TEST_TMP/black.db"
cat >"$TEST_TMP/bodies.csv" <<'CSV'
code,name,area
B1,一号沟渠,built_up
B2,二号坑塘,built_up
R1,三号沟渠,rural
CSV
cat >"$TEST_TMP/samples.csv" <<'CSV'
body,point,seq,time,sd_cm,do,orp_mv,nh3n,depth_cm
B1,P1,1,2025-01-05,30,0.1,-100,5,80
B1,P2,2,2025-01-05,30,0.1,-100,5,80
B1,P3,3,2025-01-05,30,0.1,-100,5,80
B1,P1,1,2025-06-05,40,5,100,1,80
B1,P2,2,2025-06-05,40,5,100,1,80
B1,P3,3,2025-06-05,40,5,100,1,80
B2,Q1,1,2025-01-20,40,5,100,10,80
R1,S1,1,2025-01-20,5,0.1,-300,20,80
B2,Q1,1,2025-01-21,40,5,100,ten,80
CSV
check "bodies import" "$ENVWATCH" import black-odorous-bodies --db "$db" "$TEST_TMP/bodies.csv"
"$ENVWATCH" import black-odorous --db "$db" "$TEST_TMP/samples.csv" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
rc=$?
check "a bad line: exit 1, named FILE:LINE and its field" \
  sh -c "test $rc = 1 && grep -q 'samples.csv:10: nh3n' '$TEST_TMP/err'"
check "the eight good lines are stored" grep -q "samplings stored: 8, bad lines: 1" "$TEST_TMP/out"

export ENVWATCH_NOW=2025-07-01T12:00:00
serve_http "$db"
tok=$(admin_token "$db" boadmin)
get() { curl -s -H "Authorization: Bearer $tok" "$base/$1"; }
check "the list needs a login" \
  test "$(curl -s -o /dev/null -w '%{http_code}' "$base/water/black-odorous")" = 401
check "each body's grade from its latest campaign: B1 none (June), B2 light (January), R1 heavy" \
  test "$(get 'water/black-odorous?year=2025' | jq -c '[.data[] | [.code, .area, .level, .level_zh, .last_sampling]]')" \
  = '[["B1","built_up","none","非黑臭","2025-06-05"],["B2","built_up","light","轻度黑臭","2025-01-20"],["R1","rural","heavy","重度黑臭","2025-01-20"]]'
check "counts: 1 built-up, 1 rural" \
  test "$(get 'water/black-odorous?year=2025' | jq -c '[.black_built_up, .black_rural, .campaign_days]')" = '[1,1,30]'
check "as CSV" sh -c "curl -s -H 'Authorization: Bearer $tok' '$base/water/black-odorous?year=2025&format=csv' | grep -q '^B2,'"
check "the plan's built-up target: 1 against ≤ 0, not on track" \
  test "$(get targets | jq -c '.data[] | select(.id == "built_up_black_odorous_water") | [.value, .on_track]')" \
  = '[1,false]'
check "envwatch targets --json: the API's rows, identical" \
  test "$("$ENVWATCH" targets --db "$db" --json | jq -cS .data)" = "$(get targets | jq -cS .data)"
check "a year without samplings: counts null (not a reassuring 0), no target value" \
  test "$(get 'water/black-odorous?year=2024' | jq -c '[.black_built_up, .black_rural, ([.data[].level] | unique)]')" = '[null,null,[null]]'
