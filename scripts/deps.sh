#!/usr/bin/env bash
# Install the Debian 12 packages envwatch needs, only those that are absent.
# Usage: scripts/deps.sh [build|test|all]   (default: test)
set -euo pipefail

build_pkgs=(gcc make cmake pkg-config libsqlite3-dev libuv1-dev libjansson-dev
  libmicrohttpd-dev libsodium-dev libpq-dev libnats-dev libxlsxwriter-dev)
test_pkgs=(libcmocka-dev clang libclang-rt-14-dev sqlite3 jq curl openssl)
# The browser tests and PostgreSQL tests add their packages here.
extra_pkgs=()
[ -f scripts/deps-extra.txt ] && mapfile -t extra_pkgs < <(grep -v '^#' scripts/deps-extra.txt | grep -v '^$')

want=("${build_pkgs[@]}")
case "${1:-test}" in
  build) ;;
  test|all) want+=("${test_pkgs[@]}" "${extra_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
