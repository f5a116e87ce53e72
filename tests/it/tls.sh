# HTTPS: `envwatch serve --http … --tls-cert … --tls-key …` with a throwaway self-signed
# certificate. Over https the API and the dashboard answer, the session cookie carries Secure
# and every response Strict-Transport-Security; plain HTTP to the TLS port gets no answer; a
# plain-HTTP server sends neither; a bad key or certificate stops serve at start with a message.
# Prints the mean TLS handshake and request times as a TAP comment.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
BIN=${ENVWATCH_ASAN:-$ENVWATCH}
[ -x "$BIN" ] || BIN=$ENVWATCH
db="$TEST_TMP/tls.db"
cert="$TEST_TMP/cert.pem" key="$TEST_TMP/key.pem"
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 \
  -keyout "$key" -out "$cert" 2>/dev/null
mkdir -p "$TEST_TMP/www"
echo '<!doctype html><title>envwatch</title>' >"$TEST_TMP/www/index.html"
pw='correct-horse-9'
printf '%s\n' "$pw" | "$BIN" user add bureau --db "$db" --role bureau >/dev/null

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$TEST_TMP"' EXIT
# start NAME ARGS...: serve on a fresh port in the background; sets $port, log in NAME.log.
start() {
  local name=$1; shift
  port=$(free_port)
  "$BIN" serve --db "$db" --hj212 "127.0.0.1:$(free_port)" --http "127.0.0.1:$port" \
    --static "$TEST_TMP/www" "$@" 2>"$TEST_TMP/$name.log" &
  pids+=($!)
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return; sleep 0.1; done
}
login='{"name":"bureau","password":"'$pw'"}'

# ---- HTTPS ------------------------------------------------------------------------------
start tls --tls-cert "$cert" --tls-key "$key"
base="https://127.0.0.1:$port"
S=(curl -s --cacert "$cert")
check "https health is 200" test "$("${S[@]}" -o /dev/null -w '%{http_code}' "$base/api/v1/health")" = 200
check "https health carries Strict-Transport-Security: max-age=31536000" \
  bash -c "curl -s --cacert '$cert' -D - -o /dev/null '$base/api/v1/health' | tr -d '\r' | grep -qix 'strict-transport-security: max-age=31536000'"
check "a static file over https carries HSTS too" \
  bash -c "curl -s --cacert '$cert' -D - -o /dev/null '$base/' | tr -d '\r' | grep -qix 'strict-transport-security: max-age=31536000'"
hdr=$("${S[@]}" -D - -o /dev/null -X POST "$base/api/v1/login" -H 'Content-Type: application/json' -d "$login" | tr -d '\r')
check "login over https sets an HttpOnly cookie with Secure" \
  bash -c "printf '%s\n' '$hdr' | grep -i '^set-cookie: ew_session=' | grep -i 'httponly' | grep -qiE '; *secure(;|$)'"
tok=$("${S[@]}" -X POST "$base/api/v1/login" -H 'Content-Type: application/json' -d "$login" | jq -r .token)
hdr=$("${S[@]}" -D - -o /dev/null -X POST "$base/api/v1/logout" -H "Authorization: Bearer $tok" | tr -d '\r')
check "logout over https clears the cookie with Secure" \
  bash -c "printf '%s\n' '$hdr' | grep -i '^set-cookie: ew_session=;' | grep -qiE '; *secure(;|$)'"
check "an error answer over https carries HSTS" \
  bash -c "curl -s --cacert '$cert' -D - -o /dev/null '$base/api/v1/nowhere' | tr -d '\r' | grep -qi '^strict-transport-security: max-age='"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/api/v1/health"); rc=$?
check "plain HTTP to the TLS port gets no HTTP answer (curl rc $rc, code $code)" test "$rc" -ne 0 -a "$code" = 000
check "without the CA the certificate is refused (no silent fallback)" \
  bash -c "! curl -s -o /dev/null '$base/api/v1/health'"
check "https keeps answering after the plain-HTTP attempt" \
  test "$("${S[@]}" -o /dev/null -w '%{http_code}' "$base/api/v1/health")" = 200
# Mean over 20 fresh connections: handshake (TCP connect to TLS done) and the whole request.
times=$(for _ in $(seq 20); do "${S[@]}" -o /dev/null -w '%{time_connect} %{time_appconnect} %{time_total}\n' "$base/api/v1/health"; done)
echo "$times" | awk '{h += $2 - $1; t += $3; n++} END {printf "# tls: mean handshake %.1f ms, mean request with handshake %.1f ms (%d connections)\n", 1000*h/n, 1000*t/n, n}'

# ---- plain HTTP: neither Secure nor HSTS ------------------------------------------------
start plain
hdr=$(curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$port/api/v1/login" -H 'Content-Type: application/json' -d "$login" | tr -d '\r')
check "over plain HTTP the cookie has no Secure and there is no HSTS" \
  bash -c "printf '%s\n' '$hdr' | grep -qi '^set-cookie: ew_session=' && ! printf '%s\n' '$hdr' | grep -qiE 'secure|strict-transport'"

# ---- static files: only what is inside the directory, with validators ---------------------
echo 'kept outside' >"$TEST_TMP/secret.txt"
echo 'hidden' >"$TEST_TMP/www/.hidden"
mkdir -p "$TEST_TMP/www/assets" && echo 'x' >"$TEST_TMP/www/assets/app-0a1b.js"
P="http://127.0.0.1:$port"
sc() { curl -s --path-as-is -o /dev/null -w '%{http_code}' "$@"; }
check "a path that climbs out of the directory or names a hidden file is 404" \
  test "$(sc "$P/../secret.txt")$(sc "$P/assets/../../secret.txt")$(sc "$P/.hidden")$(sc "$P/assets%2f..%2f..%2fsecret.txt")" = 404404404404
etag=$(curl -s -D - -o /dev/null "$P/" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
check "the app revalidates: its ETag ($etag) answers 304, a stale one 200" \
  test "$(sc -H "If-None-Match: $etag" "$P/")$(sc -H 'If-None-Match: W/"0-0"' "$P/")" = 304200
check "hashed assets are immutable for a year, the app is revalidated, both nosniff" bash -c "
  curl -s -D - -o /dev/null '$P/assets/app-0a1b.js' | tr -d '\r' | grep -qix 'cache-control: public, max-age=31536000, immutable' &&
  curl -s -D - -o /dev/null '$P/' | tr -d '\r' | grep -qix 'cache-control: no-cache' &&
  test \$(curl -s -D - -o /dev/null '$P/assets/app-0a1b.js' '$P/' | tr -d '\r' | grep -cix 'x-content-type-options: nosniff') = 2"
check "a client-side route loads the app, a missing file is 404" \
  test "$(curl -s "$P/cases/17")/$(sc "$P/missing.js")" = "<!doctype html><title>envwatch</title>/404"

# ---- bad certificates and keys stop serve at start ----------------------------------------
# bad NAME EXPECT ARGS...: serve must exit non-zero within 10 s, its stderr matching EXPECT.
bad() {
  local name=$1 expect=$2; shift 2
  timeout 10 "$BIN" serve --db "$db" --hj212 "127.0.0.1:$(free_port)" --http "127.0.0.1:$(free_port)" "$@" \
    >/dev/null 2>"$TEST_TMP/$name.err"
  local st=$?
  if [ "$st" -ne 0 ] && [ "$st" -ne 124 ] && grep -qi -- "$expect" "$TEST_TMP/$name.err"; then
    ok "$name: exit $st, '$expect'"
  else
    not_ok "$name: exit $st, stderr: $(head -c 300 "$TEST_TMP/$name.err")"
  fi
}
echo 'not a key' >"$TEST_TMP/garbage.pem"
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=other -days 1 \
  -keyout "$TEST_TMP/other-key.pem" -out "$TEST_TMP/other-cert.pem" 2>/dev/null
bad "a key file that is not PEM" "not a PEM private key" --tls-cert "$cert" --tls-key "$TEST_TMP/garbage.pem"
bad "a key of another certificate" "refused the certificate" --tls-cert "$cert" --tls-key "$TEST_TMP/other-key.pem"
bad "a missing key file" "no such file" --tls-cert "$cert" --tls-key "$TEST_TMP/missing.pem"
bad "a certificate file that is not PEM" "not a PEM certificate" --tls-cert "$TEST_TMP/garbage.pem" --tls-key "$key"
bad "a certificate without its key" "go together" --tls-cert "$cert"
st=$(timeout 10 "$BIN" serve --db "$db" --hj212 "127.0.0.1:$(free_port)" --http "127.0.0.1:$(free_port)" \
  --tls-cert "$cert" --tls-key "$TEST_TMP/garbage.pem" 2>/dev/null; echo $?)
st2=$(timeout 10 "$BIN" serve --db "$TEST_TMP/nodir/x.db" --hj212 "127.0.0.1:$(free_port)" 2>/dev/null; echo $?)
check "a bad key exits with the status of the other startup errors ($st = $st2)" test "$st" = "$st2"

for f in "$TEST_TMP"/tls.log "$TEST_TMP"/plain.log; do
  check "no sanitizer report in $(basename "$f")" bash -c "! grep -qE 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer' '$f'"
done
