# A water section's automatic station over real TCP: the station (ST 21) uploads hourly
# values (CN 2061) of HJ 212 water codes, and the section's period takes them beside the
# laboratory's result. Worked by hand: March NH3-N = mean of the laboratory's 1.5 and the
# station's valid hours 0.9 and 1.2 (the hour flagged D is left out) = 1.2 mg/L, Class IV
# (1.0 < 1.2 ≤ 1.5); DO only from the station, 6.0 (Class II); 3 samples.
. "$(dirname "$0")/lib.sh"
db="$TEST_TMP/ws.db"
mn=EWWQS00000000000000CH01
cat >"$TEST_TMP/devices.csv" <<CSV
mn,pw,kind,name,town,lon,lat,enterprise
$mn,123456,water_section,潮河自动站,潮河办事处,113.76,34.70,
CSV
cat >"$TEST_TMP/sections.csv" <<CSV
code,name,water,target,compensation,drinking,station
CH01,潮河,river,IV,1,0,$mn
QL02,七里河,river,V,0,0,
CSV
cat >"$TEST_TMP/results.csv" <<'CSV'
section,time,item,value,below_dl
CH01,2025-03-05 10:00,NH3-N,1.5,0
CSV
check "sections with a station import" "$ENVWATCH" import water-sections --db "$db" "$TEST_TMP/sections.csv"
check "laboratory results import" "$ENVWATCH" import water --db "$db" "$TEST_TMP/results.csv"
frame() { # HOUR NH3N NH3N_FLAG DO DO_FLAG
  printf '{"qn":"2025031%s0000000","st":"21","cn":2061,"pw":"123456","mn":"%s","flag":5,"cp":[{"key":"DataTime","raw":"2025031%s0000"},{"key":"w21003-Avg","raw":"%s","sep":";"},{"key":"w21003-Flag","raw":"%s","sep":","},{"key":"w01009-Avg","raw":"%s","sep":";"},{"key":"w01009-Flag","raw":"%s","sep":","},{"key":"w01014-Avg","raw":"650","sep":";"},{"key":"w01014-Flag","raw":"N","sep":","}]}\n' \
    "$1" "$mn" "$1" "$2" "$3" "$4" "$5"
}
{ frame 010 0.9 N 6.0 N; frame 011 1.2 N 6.0 N; frame 012 5.0 D 1.0 D; } | "$ENVWATCH" hj212 encode >"$TEST_TMP/frames.bin"
export ENVWATCH_NOW=2025-03-25T12:00:00
serve_http "$db" --devices "$TEST_TMP/devices.csv"
tok=$(admin_token "$db" wsadmin)
get() { curl -s -H "Authorization: Bearer $tok" "$base/$1"; }
acks=$(hj212_acks "$TEST_TMP/frames.bin")
check "the station's three hours are acknowledged (9014)" test "$acks" = 3
check "CH01 March: NH3-N (1.5 + 0.9 + 1.2)/3 = 1.2, Class IV; DO 6 from the station; 3 samples" \
  test "$(get 'water/sections/CH01?year=2025&month=3' | jq -c '[.class, .samples, (.items[] | select(.item == "NH3-N" or .item == "DO") | [.item, .value, .class])]')" \
  = '["IV",3,["DO",6,"II"],["NH3-N",1.2,"IV"]]'
check "the station's conductivity (w01014, no GB 3838 item) does not enter the class" \
  test "$(get 'water/sections/CH01?year=2025&month=3' | jq -c '[.items[].item]')" = '["DO","NH3-N"]'
check "the section table shows it too: CH01 IV this month" \
  test "$(get water/sections | jq -c '.data[] | select(.code == "CH01") | [.class_month, .samples_year]')" = '["IV",3]'
check "a section without a station keeps its own results only" \
  test "$(get 'water/sections/QL02?year=2025&month=3' | jq -c '[.class, .samples]')" = '[null,0]'
