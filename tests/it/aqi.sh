# envwatch aqi: HJ 633—2012 and HJ 633—2026 through the command line. Expected values are
# worked by hand from HJ 633 Table 1 (see tests/unit/standards_aqi.c for the working).
. "$(dirname "$0")/lib.sh"

jqcheck() { cli_jqcheck "aqi" "$@"; }
usage_fails() { cli_usage_fails "aqi" "$@"; }

check "aqi --help exits 0 and prints usage" bash -c "'$ENVWATCH' aqi --help | grep -q usage"
check "aqi -h exits 0" bash -c "'$ENVWATCH' aqi -h >/dev/null"

day=(SO2=12 NO2=45 CO=1.3 PM10=128 PM2.5=82 O3_8h=168 O3=210)
jqcheck "daily 2012: AQI 109 from PM2.5, O3 1-h max counts, exceeding PM2.5 and O3" \
  '.rules == "2012" and .report == "daily" and .aqi == 109 and .primary == ["PM2.5"]
   and .level == 3 and .category == "轻度污染" and .exceeding == ["O3","PM2.5"]
   and .iaqi.PM10 == 89 and .iaqi.NO2 == 57 and .iaqi.CO == 33 and .iaqi.O3 == 105
   and .iaqi.O3_8h == 108 and .colour == "#FF7E00"' --rules 2012 "${day[@]}"
jqcheck "daily 2026: PM breakpoints 60/120 give 120, O3 1-h left out, no exceeding list" \
  '.rules == "2026" and .aqi == 120 and .primary == ["PM2.5"] and .iaqi.PM10 == 104
   and .iaqi["PM2.5"] == 120 and (has("exceeding") | not) and .not_in_aqi == ["O3"]' \
  --rules 2026 "${day[@]}"
jqcheck "daily is the default report" '.report == "daily"' --rules 2026 PM2.5=50
jqcheck "--rules=2012 form accepted" '.rules == "2012" and .aqi == 100' --rules=2012 PM2.5=75

jqcheck "2012 tie PM2.5 75 / PM10 150: both primary, AQI 100, none exceeding" \
  '.aqi == 100 and .primary == ["PM10","PM2.5"] and .exceeding == [] and .category == "良"' \
  --rules 2012 PM2.5=75 PM10=150 NO2=60
jqcheck "2026 same air: PM2.5 114, PM10 112, AQI 114" \
  '.aqi == 114 and .primary == ["PM2.5"] and .iaqi.PM10 == 112' \
  --rules 2026 PM2.5=75 PM10=150 NO2=60
jqcheck "AQI 50 has no primary pollutant" '.aqi == 50 and .primary == [] and .level == 1' \
  --rules 2012 PM2.5=35 NO2=40

# Station 1320A, 2018-02-20 07:00 (published: AQI 88, PM2.5).
hour=(SO2=9 NO2=16 CO=1.3 O3=118 PM10=74 PM2.5=65)
jqcheck "hourly 2012 reproduces the published station AQI 88" \
  '.report == "hourly" and .aqi == 88 and .primary == ["PM2.5"] and .iaqi.O3 == 37
   and .iaqi.PM10 == 62' --hourly --rules 2012 "${hour[@]}"
jqcheck "hourly 2026 gives 105 for the same hour" '.aqi == 105 and .iaqi.PM10 == 68' \
  --hourly --rules 2026 "${hour[@]}"
jqcheck "hourly accepts _1h names and keeps O3_8h out of the AQI" \
  '.aqi == 88 and .iaqi["PM2.5_1h"] == 88 and .not_in_aqi == ["O3_8h"]' \
  --hourly --rules 2012 PM2.5_1h=65 O3_8h=300

jqcheck "2012 hourly SO2 1-h 850 falls back to the 24-h mean: 124" \
  '.aqi == 124 and .iaqi.SO2 == null and .iaqi.SO2_24h == 124 and .primary == ["SO2"]' \
  --hourly --rules 2012 SO2=850 SO2_24h=300
jqcheck "2026 hourly SO2 1-h 850 scores a flat 200" '.aqi == 200 and .iaqi.SO2 == 200' \
  --hourly --rules 2026 SO2=850 SO2_24h=300
jqcheck "2012 daily O3 8-h 850 falls back to the 1-h max: 350" \
  '.aqi == 350 and .level == 6 and .category == "严重污染"' --rules 2012 O3_8h=850 O3=900
jqcheck "2026 daily O3 8-h 850 scores a flat 300" '.aqi == 300 and .level == 5' \
  --rules 2026 O3_8h=850 O3=900

jqcheck "CO 24-h 2.2 gives exactly 55 (not 56)" '.iaqi.CO == 55' --rules 2012 CO=2.2
jqcheck "CO 1-h 65.4 gives exactly 218" '.iaqi.CO == 218' --hourly --rules 2026 CO=65.4
jqcheck "2026 rounds PM2.5 40.5 to 40 (half to even): 60" '.aqi == 60' --rules 2026 PM2.5=40.5
jqcheck "2012 takes PM2.5 40.5 as given: 57" '.aqi == 57' --rules 2012 PM2.5=40.5
jqcheck "2026 rounds 41.5 to 42: 64" '.aqi == 64' --rules 2026 PM2.5=41.5
jqcheck "PM2.5 501 is beyond the scale, not clamped" \
  '.aqi == ">500" and .beyond_scale == true and .level == 6 and .iaqi["PM2.5"] == ">500"' \
  --rules 2012 PM2.5=501
jqcheck "PM2.5 500 is exactly 500" '.aqi == 500 and .beyond_scale == false' --rules 2012 PM2.5=500

# Without --rules: the edition in force today, Beijing time.
today=$(date -u -d '+8 hours' +%Y%m%d)
if [ "$today" -ge 20260301 ]; then want=2026; else want=2012; fi
jqcheck "without --rules the edition in force today ($want) is used and named" \
  ".rules == \"$want\" and (.rules_source | test(\"in force on\"))" PM2.5=50

out=$("$ENVWATCH" aqi --rules 2026 "${day[@]}")
check "text output names the edition, category in Chinese and English" \
  bash -c "printf '%s' \"\$1\" | grep -q 'HJ 633—2026' && printf '%s' \"\$1\" | grep -q '轻度污染' &&
           printf '%s' \"\$1\" | grep -q 'Lightly polluted' && printf '%s' \"\$1\" | grep -q 'AQI 120'" _ "$out"

usage_fails "unknown name is a usage error" "unknown name 'PM3'" PM3=10
usage_fails "negative value is a usage error" "negative" PM2.5=-5
usage_fails "non-number is a usage error" "not a decimal" PM2.5=abc
usage_fails "more than three decimals is refused" "not a decimal" CO=1.2345
usage_fails "missing '=' is a usage error" "not NAME=VALUE" PM2.5
usage_fails "unknown edition is a usage error" "not an edition" --rules 2013 PM2.5=5
usage_fails "1-h name in a daily report points to --hourly" "use --hourly" SO2_1h=5
usage_fails "same pollutant twice is refused" "given twice" PM2.5=5 PM2.5_24h=6
usage_fails "no values is a usage error" "usage"
