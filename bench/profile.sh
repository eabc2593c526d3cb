#!/usr/bin/env bash
# Profile one benchmark pipeline in sluice. Never run by CI.
#
#   bench/profile.sh PIPELINE [events] [perf|callgrind] [parallelism]
#
#   perf       (default) perf record -e cpu-clock (software sampling: works in VMs without
#              hardware counters), flat profile by symbol. events default: 50 M.
#   callgrind  valgrind --tool=callgrind: exact instruction counts, stable on a noisy machine,
#              ~50x slower, so events default: 2 M.
# Output: .cache/bench/profile-<pipeline>-<tool>/ (raw data and report.txt); the report's head is
# printed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PIPELINE="${1:?usage: bench/profile.sh PIPELINE [events] [perf|callgrind] [parallelism]}"
TOOL="${3:-perf}"
PAR="${4:-1}"
case "$TOOL" in
  perf) N="${2:-50000000}" ;;
  callgrind) N="${2:-2000000}" ;;
  *) echo "profile.sh: tool must be perf or callgrind" >&2; exit 1 ;;
esac
SLUICE="${SLUICE:-$ROOT/build/release/sluice}"
[ -x "$SLUICE" ] || { echo "profile.sh: no sluice binary at $SLUICE" >&2; exit 1; }
OUT="${OUT:-$ROOT/.cache/bench/profile-$PIPELINE-$TOOL}"
mkdir -p "$OUT"
DB="$OUT/out.duckdb"
rm -f "$DB" "$DB.wal"
sed -e "s|{{ROWS}}|$N|g" -e "s|{{LAST_ID}}|$((N - 1))|g" -e "s|{{DUCKDB_PATH}}|$DB|g" \
  "bench/pipelines/$PIPELINE.sql" >"$OUT/pipeline.sql"

if [ "$TOOL" = perf ]; then
  perf record -q -e cpu-clock -F 1999 -g -o "$OUT/perf.data" -- \
    "$SLUICE" run "$OUT/pipeline.sql" -p "$PAR" --quiet
  # flat profiles, sorted by share: by symbol, and by shared object (user code vs libc vs kernel)
  flat() {
    perf report -i "$OUT/perf.data" --stdio --no-children --sort "$1" --percent-limit "$2" \
      -g none 2>/dev/null | grep '%' | grep -v '^#' | sed -E 's/ +- +- *$//; s/ +$//' | sort -t% -k1 -rn
  }
  { echo "# perf record -e cpu-clock, $N events, p=$PAR: share of samples by symbol"; flat dso,symbol 0.3; } \
    >"$OUT/report.txt"
  { echo "# by shared object"; flat dso 0.1; } >"$OUT/report-dso.txt"
  cat "$OUT/report-dso.txt" >&2
else
  valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" \
    "$SLUICE" run "$OUT/pipeline.sql" -p "$PAR" --quiet 2>"$OUT/valgrind.log"
  callgrind_annotate --inclusive=no "$OUT/callgrind.out" >"$OUT/report.txt"
  callgrind_annotate --inclusive=yes "$OUT/callgrind.out" >"$OUT/report-inclusive.txt"
  grep -m1 "Collected" "$OUT/valgrind.log" >&2 || true
fi
rm -f "$DB" "$DB.wal"
head -45 "$OUT/report.txt"
echo "full report: $OUT/report.txt" >&2
