# The client address and the abuse limits of the HTTP side of `envwatch serve`.
# - Reverse-proxy mode (--trust-proxy): X-Forwarded-For's last hop is the client only when the
#   TCP peer is a trusted proxy; login throttling and the audit log follow it. Loopback
#   addresses 127.0.0.1 (a trusted proxy) and 127.0.0.2 (a client that is not) both reach
#   the server on 127.0.0.1, so one server shows both sides.
# - Caps (docs/security.md): body size, header size, connections per address, JSON nesting;
#   each cap holds and the server keeps answering everyone else.
# The clock is pinned so that login back-off never runs out during the test.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
BIN=${ENVWATCH_ASAN:-$ENVWATCH}
[ -x "$BIN" ] || BIN=$ENVWATCH
export ENVWATCH_NOW=2026-03-10T12:30:00
db="$TEST_TMP/limits.db"
pw='correct-horse-9'
printf '%s\n' "$pw" | "$BIN" user add admin --db "$db" --role admin >/dev/null
port=$(free_port)
base="http://127.0.0.1:$port/api/v1"
"$BIN" serve --db "$db" --hj212 "127.0.0.1:$(free_port)" --http "127.0.0.1:$port" \
  --trust-proxy '::1, 127.0.0.1' --http-max-per-peer 8 2>"$TEST_TMP/serve.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
for _ in $(seq 100); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done
check "server answers" curl -sf -o /dev/null "$base/health"
J=(-H 'Content-Type: application/json')
# fail_login NAME [curl args...]: one failed login; prints the status.
fail_login() {
  local name=$1; shift
  curl -s -o /dev/null -w '%{http_code}' -X POST "$base/login" "${J[@]}" "$@" \
    -d "{\"name\":\"$name\",\"password\":\"wrong-password\"}"
}
T=$(curl -s -X POST "$base/login" "${J[@]}" -d "{\"name\":\"admin\",\"password\":\"$pw\"}" | jq -r .token)

# ---- reverse-proxy mode ------------------------------------------------------------------
# Trusted peer 127.0.0.1: four failures of "ghost" from 198.51.100.7 throttle that address.
for _ in 1 2 3 4; do fail_login ghost -H 'X-Forwarded-For: 198.51.100.7' >/dev/null; done
check "trusted proxy: the 5th failure from the forwarded 198.51.100.7 is 429" \
  test "$(fail_login ghost -H 'X-Forwarded-For: 198.51.100.7')" = 429
check "trusted proxy: another forwarded address is not throttled (401)" \
  test "$(fail_login ghost -H 'X-Forwarded-For: 198.51.100.8')" = 401
check "trusted proxy: the last hop counts, whatever the client prepends (429)" \
  test "$(fail_login ghost -H 'X-Forwarded-For: 198.51.100.8, 198.51.100.7')" = 429
check "trusted proxy: the proxy's own address is not throttled (401)" \
  test "$(fail_login ghost)" = 401
check "trusted proxy: of several X-Forwarded-For fields the last one counts (429)" \
  test "$(fail_login ghost -H 'X-Forwarded-For: 198.51.100.8' -H 'X-Forwarded-For: 198.51.100.7')" = 429
check "trusted proxy: a last hop that is no address is not used (the proxy's address: 401)" \
  test "$(fail_login ghost -H 'X-Forwarded-For: 198.51.100.7, unknown')" = 401
check "the audit log records the forwarded address of the failures" \
  test "$(curl -s -H "Authorization: Bearer $T" "$base/audit?limit=1000" | jq -r '[.data[] | select(.actor=="ghost" and .action=="login_failed") | .addr] | unique | join(",")')" = "127.0.0.1,198.51.100.7,198.51.100.8"
# Untrusted peer 127.0.0.2: X-Forwarded-For is ignored, so a new forwarded address on every
# try does not escape the throttle of the real peer.
for i in 1 2 3 4; do fail_login ghost2 --interface 127.0.0.2 -H "X-Forwarded-For: 203.0.113.$i" >/dev/null; done
check "untrusted peer: the 5th failure is 429 although X-Forwarded-For names a fresh address" \
  test "$(fail_login ghost2 --interface 127.0.0.2 -H 'X-Forwarded-For: 203.0.113.99')" = 429
check "untrusted peer: the audit log has the peer's address, not the forwarded ones" \
  test "$(curl -s -H "Authorization: Bearer $T" "$base/audit?limit=1000" | jq -r '[.data[] | select(.actor=="ghost2") | .addr] | unique | join(",")')" = 127.0.0.2
check "untrusted peer: a trusted peer's client with the same forwarded address is not throttled" \
  test "$(fail_login ghost2 -H 'X-Forwarded-For: 203.0.113.99')" = 401
# X-Forwarded-Proto: a trusted proxy that terminates TLS says the client spoke HTTPS, so the
# session cookie carries Secure and the answer HSTS; from an untrusted peer it proves nothing.
# headers_of_login [curl args...]: the response headers of a good login, lower-cased.
headers_of_login() {
  curl -s -D - -o /dev/null -X POST "$base/login" "${J[@]}" "$@" \
    -d "{\"name\":\"admin\",\"password\":\"$pw\"}" | tr 'A-Z' 'a-z'
}
h=$(headers_of_login -H 'X-Forwarded-Proto: https')
check "trusted proxy, X-Forwarded-Proto https: the session cookie is Secure" \
  bash -c "grep '^set-cookie: ew_session=' <<<'$h' | grep -q '; secure'"
check "trusted proxy, X-Forwarded-Proto https: HSTS" grep -q '^strict-transport-security:' <<<"$h"
h=$(headers_of_login -H 'X-Forwarded-Proto: http')
check "trusted proxy, X-Forwarded-Proto http: a cookie without Secure, no HSTS" \
  bash -c "grep '^set-cookie: ew_session=' <<<'$h' | grep -vq '; secure' && ! grep -q '^strict-transport-security:' <<<'$h'"
h=$(headers_of_login --interface 127.0.0.3 -H 'X-Forwarded-Proto: https')
check "untrusted peer, X-Forwarded-Proto https: ignored (no Secure, no HSTS)" \
  bash -c "grep '^set-cookie: ew_session=' <<<'$h' | grep -vq '; secure' && ! grep -q '^strict-transport-security:' <<<'$h'"
check "--trust-proxy with something that is not an address stops serve at start" \
  bash -c "! timeout 10 '$BIN' serve --db '$db' --hj212 127.0.0.1:$(free_port) --http 127.0.0.1:$(free_port) --trust-proxy 127.0.0.1,proxy.local 2>'$TEST_TMP/tp.err' && grep -q 'proxy.local' '$TEST_TMP/tp.err'"

# ---- body size (HTTP_JSON_MAX 64 KiB, HTTP_UPLOAD_MAX 8 MiB) ----------------------------------
alive() { test "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/health")" = 200; }
head -c $((64 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$TEST_TMP/json65k"
check "a JSON body over 64 KiB with Content-Length is 413" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/login" "${J[@]}" --data-binary @"$TEST_TMP/json65k")" = 413
check "the same body sent chunked (no Content-Length) is 413" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/login" "${J[@]}" -H 'Transfer-Encoding: chunked' --data-binary @"$TEST_TMP/json65k")" = 413
head -c $((64 * 1024 - 200)) /dev/zero | tr '\0' ' ' >"$TEST_TMP/json64k"
printf '{"name":"x","password":"wrong-password"}' >>"$TEST_TMP/json64k"
check "a JSON body just under 64 KiB is read (401, not 413)" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/login" "${J[@]}" --data-binary @"$TEST_TMP/json64k")" = 401
{ printf '\x89PNG\r\n\x1a\n'; head -c $((8 * 1024 * 1024)) /dev/zero; } >"$TEST_TMP/big.png"
check "an upload over 8 MiB is 413" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/attachments" -H "Authorization: Bearer $T" -H 'Content-Type: image/png' --data-binary @"$TEST_TMP/big.png")" = 413
{ printf "\x89PNG\r\n\x1a\n"; head -c $((4 * 1024 * 1024 - 8)) /dev/zero; } >"$TEST_TMP/4m.png"
{ cat "$TEST_TMP/4m.png"; printf x; } >"$TEST_TMP/4m1.png"
check "without login an upload of 4 MiB is stored (201), one byte more is 413 and names the cap; signed in the larger one is stored" \
  test "$(curl -s -o /dev/null -w "%{http_code}" -X POST "$base/attachments" -H "Content-Type: image/png" --data-binary @"$TEST_TMP/4m.png")$(curl -s -X POST "$base/attachments" -H "Content-Type: image/png" --data-binary @"$TEST_TMP/4m1.png" | jq -r .error.message | grep -c "at most 4194304 bytes")$(curl -s -o /dev/null -w "%{http_code}" -X POST "$base/attachments" -H "Authorization: Bearer $T" -H "Content-Type: image/png" --data-binary @"$TEST_TMP/4m1.png")" = 2011201
check "GET /meta names both upload caps" \
  test "$(curl -s "$base/meta" | jq -c "[.limits.upload_max, .limits.upload_max_public]")" = "[8388608,4194304]"
check "after the oversized bodies the server answers" alive

# ---- header size (HTTP_CONN_MEMORY 32 KiB for the head of a request) -------------------------
big=$(head -c 40000 /dev/zero | tr '\0' a)
check "a 40 KB header is refused with 431" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $big" "$base/health")" = 431
check "a 16 KB header is served (200)" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: ${big:0:16000}" "$base/health")" = 200
check "after the oversized header the server answers" alive

# ---- JSON nesting (HTTP_JSON_DEPTH_MAX 32) ---------------------------------------------------
deep() { python3 -c "import sys; n=int(sys.argv[1]); print('{\"a\":' + '['*(n-1) + ']'*(n-1) + '}')" "$1"; }
r=$(curl -s -w '\n%{http_code}' -X POST "$base/login" "${J[@]}" -d "$(deep 33)")
check "a body nested 33 deep is 400 with the depth named" \
  test "$(echo "$r" | tail -1) $(echo "$r" | head -1 | jq -r .error.message)" = "400 the body is nested deeper than 32 levels"
check "a body nested 32 deep is parsed (400 for the missing fields, not for depth)" \
  test "$(curl -s -X POST "$base/login" "${J[@]}" -d "$(deep 32)" | jq -r .error.message)" = "name and password are required"
check "a body nested 60000 deep (under the size cap) is refused the same way" \
  test "$(curl -s -X POST "$base/public/reports" "${J[@]}" -d "$(python3 -c "print('['*60000)")" | jq -r .error.message)" = "the body is nested deeper than 32 levels"
check "brackets inside strings do not count" \
  test "$(curl -s -X POST "$base/login" "${J[@]}" -d "{\"name\":\"$(python3 -c "print('['*40)")\"}" | jq -r .error.message)" = "name and password are required"
check "after the deep bodies the server answers" alive

# ---- connections per peer address (--http-max-per-peer 8) ------------------------------------
fds=()
for _ in $(seq 8); do exec {fd}<>"/dev/tcp/127.0.0.1/$port"; fds+=("$fd"); done
sleep 0.3
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/health")
check "with 8 connections open from 127.0.0.1 a 9th from it is refused (code $code)" test "$code" = 000
check "meanwhile another address (127.0.0.2) is served" \
  test "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --interface 127.0.0.2 "$base/health")" = 200
for fd in "${fds[@]}"; do exec {fd}>&-; done
sleep 0.5
check "once they close, 127.0.0.1 is served again" alive

check "no sanitizer report in the server's log" \
  bash -c "! grep -qE 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer' '$TEST_TMP/serve.log'"
