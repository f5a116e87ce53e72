# Drinking-water sources end to end: sections marked as sources and their laboratory
# results (GB 3838 Tables 1-3) come in through the CLI, then the API answers over real HTTP
# with the clock pinned on 1 March 2025, and the plan's 100 % target is judged on the rate by
# sources. Worked by hand: S1 compliant in January, February Mn 0.15 > 0.1 (Table 2) fails
# it; S2 NH3-N 1.2 is Class IV (> III); S3 benzene 0.02 over its Table 3 limit 0.01; S4 at
# every limit (inclusive), compliant. 1 of 4 sources (25 %), 2 of 5 events (40 %).
. "$(dirname "$0")/lib.sh"
db="$TEST_TMP/drinking.db"
cat >"$TEST_TMP/sections.csv" <<'CSV'
code,name,water,target,compensation,drinking
S1,一号水源,river,III,0,1
S2,二号水源,river,III,0,1
S3,三号水源,lake,III,0,1
S4,四号水源,river,III,0,1
R1,七里河,river,V,0,0
CSV
cat >"$TEST_TMP/results.csv" <<'CSV'
section,time,item,value,below_dl,limit
S1,2025-01-10,NH3-N,0.4,0
S1,2025-02-10,Mn,0.15,0
S2,2025-01-10,NH3-N,1.2,0
S3,2025-01-10,t3.benzene,0.02,0,0.01
S4,2025-01-10,NH3-N,1.0,0
S4,2025-01-10,Mn,0.1,0
S4,2025-01-10,t3.benzene,0.01,0,0.01
R1,2025-01-10,NH3-N,2.5,0
S4,2025-01-10,t3.benzene,0.01,0
CSV
check "sections import" "$ENVWATCH" import water-sections --db "$db" "$TEST_TMP/sections.csv"
"$ENVWATCH" import water --db "$db" "$TEST_TMP/results.csv" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
check "a Table 3 item without its limit is refused, named FILE:LINE" \
  grep -q "results.csv:10: limit: a Table 3 item" "$TEST_TMP/err"

export ENVWATCH_NOW=2025-03-01T12:00:00
serve_http "$db"
tok=$(admin_token "$db" dwadmin)
get() { curl -s -H "Authorization: Bearer $tok" "$base/$1"; }
check "sources need a login" \
  test "$(curl -s -o /dev/null -w '%{http_code}' "$base/water/drinking")" = 401
check "each source: events, compliant events, verdict, failed items; R1 is not a source" \
  test "$(get 'water/drinking?year=2025' | jq -c '[.data[] | [.code, .events, .compliant_events, .compliant, .failed]]')" \
  = '[["S1",2,1,false,["Mn"]],["S2",1,0,false,["NH3-N"]],["S3",1,0,false,["t3.benzene"]],["S4",1,1,true,[]]]'
check "rates: 25 % by sources, 40 % by events" \
  test "$(get 'water/drinking?year=2025' | jq -c '[.sources, .compliant_sources, .rate_by_source, .events, .rate_by_event]')" \
  = '[4,1,25,5,40]'
check "as CSV" sh -c "curl -s -H 'Authorization: Bearer $tok' '$base/water/drinking?year=2025&format=csv' | grep -q '^S4,'"
check "the plan's target: 25 against ≥ 100, not on track" \
  test "$(get targets | jq -c '.data[] | select(.id == "drinking_source_compliance") | [.value, .on_track]')" \
  = '[25,false]'
check "envwatch targets --json: the API's rows, identical" \
  test "$("$ENVWATCH" targets --db "$db" --json | jq -cS .data)" = "$(get targets | jq -cS .data)"
check "envwatch water assess on the same files: 4 sources, 1 compliant (25.0 %), as the API" \
  sh -c "'$ENVWATCH' water assess --from 2025-01-01 --to 2025-02-28 '$TEST_TMP/sections.csv' '$TEST_TMP/results.csv' 2>/dev/null | grep -q '饮用水水源地 4 个，达标 1 个（25.0%）；监测 5 次，达标 2 次'"
check "envwatch water assess --json: the drinking rates of GET /water/assessment" \
  test "$("$ENVWATCH" water assess --from 2025-01-01 --to 2025-02-28 --json "$TEST_TMP/sections.csv" "$TEST_TMP/results.csv" 2>/dev/null | jq -cS '.drinking')" \
  = "$(get 'water/assessment?from=2025-01-01&to=2025-03-01' | jq -cS '.drinking')"
