# envwatch hj212 decode / encode / check on a captured-stream file with split, merged,
# garbage, wrong-length and bad-CRC frames. JSON checked with jq.
. "$(dirname "$0")/lib.sh"
root=${ENVWATCH_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
golden="$root/tests/data/hj212/golden.txt"
T=$TEST_TMP
jqc() { jq -e "$@" >/dev/null; }  # jq as a predicate

# Good frames (CR LF restored), each on its own.
awk '{printf "%s\r\n", $0}' "$golden" >"$T/good.bin"
annex=$(sed -n 8p "$golden")
printf '%s\r\n' "$annex" >"$T/annex.bin"
bad_crc=${annex%1C80}1C81
wrong_len="##0200${annex#\#\#0101}"

# The stream: garbage, all good frames back to back, a bad CRC, more garbage, a frame whose
# length field is wrong, then the Annex A frame again.
{
  printf 'AT+CSQ\r\n'                 # 8 bytes of modem chatter
  cat "$T/good.bin"
  printf '%s\r\n' "$bad_crc"
  printf '\x00\xff#'                  # 3 bytes: NUL, 0xFF, a lone '#'
  printf '%s\r\n' "$wrong_len"
  cat "$T/annex.bin"
} >"$T/stream.bin"
good_len=$(wc -c <"$T/good.bin")
annex_len=$(wc -c <"$T/annex.bin")   # 113 = 101 + 12

for bin in "$ENVWATCH" "${ENVWATCH_ASAN:-$ENVWATCH}"; do
  [ -x "$bin" ] || continue
  tag=$(basename "$(dirname "$bin")")
  "$bin" hj212 decode "$T/stream.bin" >"$T/out.jsonl"; rc=$?
  check "[$tag] decode exits 1 when the stream has bad frames" test "$rc" -eq 1
  check "[$tag] decode prints one JSON object per line" jqc . "$T/out.jsonl"
  n_good=$(jq -s '[.[] | select(has("cn"))] | length' "$T/out.jsonl")
  check "[$tag] nine packets decoded (8 golden + the last)" test "$n_good" -eq 9
  check "[$tag] garbage before the first frame is reported at offset 0, 8 bytes" \
    jqc -s '.[0] | .reason == "garbage" and .offset == 0 and .len == 8 and (.error | length > 0)' "$T/out.jsonl"
  off_bad=$((8 + good_len))
  check "[$tag] bad CRC reported at its byte offset, naming both CRCs" \
    jqc -s --argjson o "$off_bad" '[.[] | select(.reason == "bad_crc")] | length == 1 and .[0].offset == $o and .[0].len == 113 and (.[0].error | test("1C81") and test("1C80"))' "$T/out.jsonl"
  check "[$tag] 3 bytes of garbage after the bad frame" \
    jqc -s --argjson o "$((off_bad + 113))" '[.[] | select(.offset == $o)] | .[0].reason == "garbage" and .[0].len == 3' "$T/out.jsonl"
  check "[$tag] wrong length rejected (no CR LF where 0200 points), stream carries on" \
    jqc -s --argjson o "$((off_bad + 116))" '[.[] | select(.offset == $o)] | .[0].reason == "bad_tail"' "$T/out.jsonl"
  last_off=$(( $(wc -c <"$T/stream.bin") - annex_len ))
  check "[$tag] the frame after the bad one is found at its offset" \
    jqc -s --argjson o "$last_off" '.[-1] | .offset == $o and .cn == 1062 and .crc == "1C80"' "$T/out.jsonl"
  check "[$tag] station packet: header, version, typed CP values" \
    jqc -s '.[1] | .st == "22" and .cn == 2051 and .mn == "JLYP01_AIR01_0001" and .flag == 4 and .version == "HJ 212-2017" and .ack == false and .datatime == "2022-05-13T16:26:00+08:00" and ([.cp[] | select(.key == "a21005-Avg")][0].value == 0.427) and ([.cp[] | select(.key == "a34004-Flag")][0].value == "N")' "$T/out.jsonl"
  check "[$tag] 2005 codes map onto 2017 parameters (01 -> a34013)" \
    jqc -s '[.[] | select(.mn == "TY0102183V0001")][0] | .version == "HJ/T 212-2005" and ([.cp[] | select(.key == "01-Rtd")][0].param == "a34013")' "$T/out.jsonl"

  # Split reads: the same stream through a pipe in pieces with pauses decodes the same.
  { head -c 300 "$T/stream.bin"; sleep 0.2; tail -c +301 "$T/stream.bin" | head -c 1000; sleep 0.2; tail -c +1301 "$T/stream.bin"; } \
    | "$bin" hj212 decode - >"$T/out2.jsonl"
  check "[$tag] frames split across reads decode identically" cmp -s "$T/out.jsonl" "$T/out2.jsonl"

  # encode: decode's output back to frames reproduces the good frames byte for byte.
  "$bin" hj212 decode "$T/good.bin" | "$bin" hj212 encode >"$T/re.bin"
  check "[$tag] decode | encode reproduces the golden frames" cmp -s "$T/good.bin" "$T/re.bin"
  echo '{"qn":"20160801085857223","st":"32","cn":1062,"pw":"100000","mn":"010000A8900016F000169DC0","flag":5,"cp":[{"key":"RtdInterval","value":30}]}' \
    | "$bin" hj212 encode >"$T/enc.bin"
  check "[$tag] encode of hand-written JSON gives the standard's Annex A frame (CRC 1C80)" cmp -s "$T/annex.bin" "$T/enc.bin"
  echo '{"st":"32","cn":"x","mn":"A"}' | "$bin" hj212 encode >/dev/null 2>"$T/err.txt"; rc=$?
  check "[$tag] encode rejects a non-integer cn, naming it" bash -c "[ $rc -eq 1 ] && grep -q 'cn' '$T/err.txt'"

  # check: one summary line with counts by reason.
  "$bin" hj212 check "$T/stream.bin" >"$T/sum.txt"; rc=$?
  check "[$tag] check exits 1 on a stream with bad frames" test "$rc" -eq 1
  check "[$tag] check summary counts frames, good, bad by reason, bytes" \
    grep -Eq "^frames 11 good 9 bad 4 \(garbage=2 bad_tail=1 bad_crc=1\) bytes $(wc -c <"$T/stream.bin") time [0-9.]+ s [0-9.]+ MB/s$" "$T/sum.txt"
  check "[$tag] check prints exactly one line" test "$(wc -l <"$T/sum.txt")" -eq 1
  "$bin" hj212 check "$T/good.bin" >/dev/null
  check "[$tag] check exits 0 on a clean capture" test $? -eq 0
  "$bin" hj212 check "$T/no-such-file" >/dev/null 2>&1
  check "[$tag] unreadable input is a runtime error (3)" test $? -eq 3
done
for sub in decode encode check; do
  check "envwatch hj212 $sub --help prints usage" bash -c "'$ENVWATCH' hj212 $sub --help | grep -qi usage"
done
