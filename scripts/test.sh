#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test: unit tests (GoogleTest), SQL behaviour
# tests (test/sql at parallelism 1 and 4), end-to-end tests (pytest, real binary, DuckDB oracle),
# then the unit and SQL tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
# The end-to-end tests run against a real Kafka broker and schema registry (scripts/services.sh).
# Set SLUICE_SKIP_SANITIZERS=1 to skip the sanitizer pass.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jobs="$(nproc)"

bash scripts/setup.sh

echo "== format (clang-format)"
find src test bench -name '*.cc' -o -name '*.h' | xargs clang-format --dry-run --Werror

echo "== build (release)"
bash scripts/build.sh release

# Kafka and the schema registry (scripts/services.sh), for the end-to-end tests and the registry
# client's unit test (SchemaRegistryClientTest.RealRegistry). Stop afterwards only what this run started: services that were
# already up belong to someone else (a developer's session, another run).
started_services=()
for service in kafka registry; do
  bash scripts/services.sh status "$service" >/dev/null 2>&1 || started_services+=("$service")
done
stop_started_services() {
  if ((${#started_services[@]})); then
    bash scripts/services.sh down "${started_services[@]}" || true
    started_services=()
  fi
}
trap stop_started_services EXIT
bash scripts/services.sh up kafka registry

echo "== unit and SQL tests (release)"
ctest --preset release -j"$jobs" --timeout 300

echo "== end-to-end tests"
SLUICE_BIN="$root/build/release/sluice" "$root/.cache/venv/bin/python" -m pytest -q test/e2e

if [ "${SLUICE_SKIP_SANITIZERS:-0}" != "1" ]; then
  echo "== unit and SQL tests (ASan + UBSan)"
  bash scripts/build.sh asan
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --preset asan -j"$jobs" --timeout 600
fi
stop_started_services
echo "== all tests passed"
