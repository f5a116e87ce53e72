# envwatch water class: GB 3838-2002 Table 1 through the command line, limits checked on
# both sides (Table 1's limits are inclusive: a value equal to a limit meets its class).
. "$(dirname "$0")/lib.sh"

jqcheck() { cli_jqcheck "water class" "$@"; }
usage_fails() { cli_usage_fails "water class" "$@"; }

check "water --help exits 0" bash -c "'$ENVWATCH' water --help | grep -q 'water class'"
jqcheck "NH3-N 1.0 is Class III (limit 1.0 inclusive)" '.class == "III"' NH3-N=1.0
jqcheck "NH3-N 1.01 is Class IV" '.class == "IV"' NH3-N=1.01
jqcheck "NH3-N 2.01 is 劣V, grade 重度污染" '.class == "劣V" and .grade == "重度污染"' NH3-N=2.01
jqcheck "DO 5 is Class III (≥ 5), 4.99 Class IV" '.class == "III"' DO=5
jqcheck "DO 4.99 is Class IV" '.class == "IV"' DO=4.99
jqcheck "river TP 0.2 is Class III; the lake column makes it V" '.class == "III"' TP=0.2
jqcheck "lake TP 0.2 is Class V" '.class == "V" and .water == "lake"' --lake TP=0.2
jqcheck "TN: a reference item, classed in lakes, never in the class" \
  '.class == "I" and (.factors[] | select(.param=="TN") | .class == "IV" and .evaluated == false)' \
  --lake TN=1.5 DO=8
jqcheck "river TN has no class" '.class == null and .factors[0].class == null' TN=1.5
jqcheck "the worst item decides; ties list both" \
  '.class == "IV" and .worst == ["COD","NH3-N"]' COD=30 NH3-N=1.5 DO=7.5
jqcheck "target III: items worse than it with (C - L)/L" \
  '.meets_target == false and .over_target == [{"param":"NH3-N","multiple":0.6},{"param":"TP","multiple":0.5}]' \
  --target III NH3-N=1.6 TP=0.3 DO=6
jqcheck "DO below target is over_target without a multiple" \
  '.over_target == [{"param":"DO","multiple":null}]' --target II DO=4
jqcheck "an HJ 212 code in ug/L is converted: w20111 (Hg) 0.05 ug/L = 0.00005 mg/L, Class I" \
  '.factors == [{"param":"Hg","value":0.00005,"class":"I","evaluated":true}]' w20111=0.05
jqcheck "w20111 0.06 ug/L is Class III (0.0001)" '.class == "III"' w20111=0.06
jqcheck "pH 9 is Class I, 9.1 劣V" '.class == "I"' pH=9
jqcheck "pH 9.1 is 劣V" '.class == "劣V"' pH=9.1
check "text output writes each value as its shortest decimal: NH3-N 1.6, Hg 0.00005" \
  bash -c "out=\$('$ENVWATCH' water class NH3-N=1.60 w20111=0.05); grep -Eq '^  NH3-N +1\.6 +V ' <<<\"\$out\" && grep -Eq '^  Hg +0\.00005 +I ' <<<\"\$out\""
check "text output names the class and the target" \
  bash -c "'$ENVWATCH' water class --target III NH3-N=1.6 | grep -q '水质类别 V' && '$ENVWATCH' water class --target III NH3-N=1.6 | grep -q '未达标'"
usage_fails "an unknown item is refused" "unknown item 'NOX'" NOX=1
usage_fails "a negative value is refused" "not a non-negative decimal" NH3-N=-1
usage_fails "an item twice (under two names) is refused" "given twice" NH3-N=1 w21003=1
usage_fails "a target outside I..V is refused" "needs a class" --target VI NH3-N=1
usage_fails "no value is a usage error" "at least one" --lake
usage_fails "too many places after the ug/L conversion" "more places" w20111=0.0001
