#!/usr/bin/env bash
# Installs everything sluice needs to build and test on a fresh Debian 12 machine.
# Downloads are cached under .cache/ (git-ignored) so a second run is quick.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${SLUICE_CACHE:-$root/.cache}"
mkdir -p "$cache"

apt_packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libgtest-dev libgmock-dev libbenchmark-dev
  libfmt-dev libsimdjson-dev libcli11-dev
  clang-format python3 python3-pytest python3-venv tzdata
  librdkafka-dev libcurl4-openssl-dev zlib1g-dev kcat ccache
  default-jre-headless maven curl librocksdb-dev
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm fetches DuckDB; the machine may already have Node.js from elsewhere.
if ! command -v npm >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi

# DuckDB: libduckdb.so from the npm registry, with the duckdb.h of the same version.
duck_version="1.4.4"
duck_dir="$cache/duckdb-$duck_version"
if [ ! -f "$duck_dir/lib/libduckdb.so" ] || [ ! -f "$duck_dir/include/duckdb.h" ]; then
  echo "setup: fetching DuckDB $duck_version"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "@duckdb/node-bindings-linux-x64@${duck_version}-r.4" "duckdb@${duck_version}" >/dev/null)
  mkdir -p "$tmp/lib" "$tmp/hdr"
  tar -xzf "$tmp"/duckdb-node-bindings-linux-x64-*.tgz -C "$tmp/lib"
  tar -xzf "$tmp"/duckdb-"$duck_version".tgz -C "$tmp/hdr" package/src/duckdb/src/include/duckdb.h
  rm -rf "$duck_dir" && mkdir -p "$duck_dir/lib" "$duck_dir/include"
  cp "$tmp"/lib/package/libduckdb.so "$duck_dir/lib/"
  cp "$tmp"/hdr/package/src/duckdb/src/include/duckdb.h "$duck_dir/include/"
  rm -rf "$tmp"
fi
echo "setup: DuckDB in $duck_dir"

# Python for the end-to-end tests: pytest and DuckDB's own Python package (the oracle).
venv="$cache/venv"
# The Kafka tests use clients sluice did not write: confluent-kafka (its own librdkafka) and
# fastavro for the Avro bodies.
if [ ! -x "$venv/bin/python" ] ||
  ! "$venv/bin/python" -c "import duckdb, pytest, confluent_kafka, fastavro" 2>/dev/null; then
  echo "setup: creating $venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" ||
    { apt-get install -y -qq python3-venv && python3 -m venv "$venv"; }
  "$venv/bin/pip" install -q --disable-pip-version-check pytest "duckdb==${duck_version}" \
    "confluent-kafka==2.6.1" "fastavro==1.9.7" requests
fi
echo "setup: python venv ready ($venv)"
