# River emergency plans (一河一策一图) and a sudden water-quality incident over real TCP: the
# plan of 潮河 lists its sections upstream → downstream (CH01 with its automatic station, then
# CH02 and CH03), contacts, materials and a drill; the station uploads hourly NH3-N (CN 2061).
# Worked by hand: CH01's target is IV, NH3-N limit 1.5 mg/L; the plan's threshold is 2×, so
# 2.4 (1.6×) is no incident, 4.5 (3.0×) at 11:00 is, and 6.0 at 12:00 the same day adds no
# second case. The case is located at CH01 and names CH02、CH03 and the contacts.
. "$(dirname "$0")/lib.sh"
db="$TEST_TMP/rp.db"
mn=EWWQS00000000000000RP01
cat >"$TEST_TMP/devices.csv" <<CSV
mn,pw,kind,name,town,lon,lat,enterprise
$mn,123456,water_section,潮河自动站,潮河办事处,113.76,34.70,
CSV
cat >"$TEST_TMP/sections.csv" <<CSV
code,name,water,target,compensation,drinking,station
CH01,潮河上游,river,IV,0,0,$mn
CH02,潮河中游,river,IV,0,0,
CH03,潮河入贾鲁河口,river,V,0,0,
CSV
cat >"$TEST_TMP/plans.json" <<'JSON'
{"rivers": [{
  "code": "chaohe", "name": "潮河", "document": "潮河突发水污染事件应急预案（2024 版）",
  "incident_multiple": 2,
  "sections": ["CH01", "CH02", "CH03"],
  "contacts": [{"name": "王队长", "org": "潮河办事处", "duty": "属地先期处置", "phone": "0371-66000001"},
               {"name": "李科长", "org": "生态环境分局", "duty": "监测与通报下游", "phone": "0371-66000002"}],
  "materials": [{"item": "围油栏", "quantity": 300, "unit": "m", "place": "潮河办事处应急物资库"},
                {"item": "活性炭", "quantity": 2, "unit": "t", "place": "分局物资库"}],
  "drills": [{"date": "2025-06-12", "title": "潮河危化品运输车辆侧翻泄漏演练", "findings": "下游闸门关闭用时 40 分钟，需缩短"}]
}]}
JSON
check "sections import" "$ENVWATCH" import water-sections --db "$db" "$TEST_TMP/sections.csv"
check "the plan file loads (1 plan)" \
  test "$("$ENVWATCH" import river-plans --db "$db" "$TEST_TMP/plans.json")" = "river plans loaded: 1"
sed 's/"CH03"\]/"CH03", "CH09"]/' "$TEST_TMP/plans.json" >"$TEST_TMP/bad.json"
check "a plan naming an unknown section is refused with its path, nothing stored" \
  sh -c "'$ENVWATCH' import river-plans --db '$db' '$TEST_TMP/bad.json' 2>&1 >/dev/null | grep -q 'rivers\[0\].sections\[3\]: no water section CH09' && test \"\$(sqlite3 '$db' \"SELECT count(*) FROM river_plan WHERE doc LIKE '%CH09%'\")\" = 0"
sed 's/"quantity": 300/"quantity": -1/' "$TEST_TMP/plans.json" >"$TEST_TMP/bad2.json"
check "a negative material quantity is refused with its path" \
  sh -c "'$ENVWATCH' import river-plans --db '$db' '$TEST_TMP/bad2.json' 2>&1 >/dev/null | grep -q 'materials\[0\].quantity'"
frame() { # HOUR NH3N
  printf '{"qn":"2025031%s0000000","st":"21","cn":2061,"pw":"123456","mn":"%s","flag":5,"cp":[{"key":"DataTime","raw":"2025031%s0000"},{"key":"w21003-Avg","raw":"%s","sep":";"},{"key":"w21003-Flag","raw":"N","sep":","}]}\n' \
    "$1" "$mn" "$1" "$2"
}
{ frame 010 2.4; frame 011 4.5; frame 012 6.0; } | "$ENVWATCH" hj212 encode >"$TEST_TMP/frames.bin"
export ENVWATCH_NOW=2025-03-10T14:30:00
serve_http "$db" --devices "$TEST_TMP/devices.csv" --escalate-every 1
tok=$(admin_token "$db" rpadmin)
get() { curl -s -H "Authorization: Bearer $tok" "$base/$1"; }
acks=$(hj212_acks "$TEST_TMP/frames.bin")
check "the station's three hours are acknowledged (9014)" test "$acks" = 3
for _ in $(seq 50); do [ "$(sqlite3 "$db" 'SELECT count(*) FROM river_incident')" = 1 ] && break; sleep 0.2; done
sleep 1.5
R=$(get rivers)
check "GET /rivers: the plan with its sections in order, 2 contacts, 2 materials, the drill" \
  test "$(jq -c '.data[0] | [.name, .sections, (.contacts | length), (.materials | length), .drills[0].date]' <<<"$R")" \
  = '["潮河",["CH01","CH02","CH03"],2,2,"2025-06-12"]'
check "one incident: CH01 at 11:00, NH3-N 4.5 of 1.5 (3.0×); 12:00 the same day adds none" \
  test "$(jq -c '[.data[0].incidents[] | [.section, .hour, .item, .value, .limit, .ratio]]' <<<"$R")" \
  = '[["CH01","2025-03-10T11:00:00+08:00","NH3-N",4.5,1.5,3]]'
cid=$(jq -r '.data[0].incidents[0].case_id' <<<"$R")
C=$(get "cases/$cid")
D=$(jq -r '.data | .location + " " + .description' <<<"$C")
check "its case is at CH01 and names the plan, the downstream sections and the contacts" \
  sh -c 'printf %s "$1" | grep -q "^潮河 潮河上游断面 突发水质异常.*《潮河突发水污染事件应急预案（2024 版）》.*下游断面：CH02、CH03.*王队长（潮河办事处，0371-66000001）"' _ "$D"
check "one case in all" test "$(sqlite3 "$db" 'SELECT count(*) FROM case_file')" = 1
check "the load is audited" test "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action='river_plan.load'")" = 1
check "the public may not read the plans (401)" \
  test "$(curl -s -o /dev/null -w '%{http_code}' "$base/rivers")" = 401
