#!/usr/bin/env bash
# sluice vs Flink benchmark: every pipeline of bench/pipelines/ in sluice, and in Flink where Flink
# can run it (not the DuckDB ones), on the same machine in one go. Never run by CI.
#
#   bench/run.sh [events] [parallelism]
#
#   events       rows per run. Default: sluice starts from 50 M and raises N until a run lasts
#                >= MIN_STEADY_S (default 20 s) beyond its fixed start-up cost; Flink uses a fixed
#                30 M (FLINK_EVENTS), because its datagen keeps the whole sequence on the heap, so
#                its cost per event grows with N (3.5 GB RSS at 30 M, 6 GB at 70 M). Given
#                explicitly, both engines use exactly this N (FLINK_EVENTS overrides Flink's).
#   parallelism  -p for both engines. Default: 1.
#
# Environment:
#   RUNS=3            measured runs per engine and pipeline (the median is reported)
#   PIPELINES="..."   names from bench/pipelines/ without .sql (default: all)
#   ENGINES="sluice flink"
#   SLUICE=build/release/sluice
#   FLINK_EVENTS=N    Flink's N (default 30 M, or the explicit events argument)
#   BASELINE_EVENTS=1000  N of the fixed-cost runs whose median is subtracted for the "steady"
#   BASE_RUNS=3           figures, and how many of them
#   MIN_STEADY_S=20   auto-sizing threshold (only when events is not given)
#   MAX_BUSY=0.15     before each run, wait (up to QUIET_TIMEOUT_S=180 s) until other work uses
#                     less than this share of the machine's cores; empty to not wait. Each run
#                     records how much CPU other processes used meanwhile (others_cpu_s).
#   FLINK_AUTOSIZE=0  1: size Flink's N like sluice's, up to FLINK_MAX_EVENTS=200000000
#   OUT=.cache/bench/<date>   results directory (JSON per run, summary.json, summary.md)
#
# Each run is measured by bench/measure.py: wall time, user + system CPU time of the whole process
# tree (Flink: the python driver and the MiniCluster JVM it starts) and peak RSS. Flink runs through
# bench/flink/run_sql.py in the venv that bench/flink/setup.sh makes (run automatically).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

EXPLICIT_EVENTS=""
if [ $# -ge 1 ] && [ -n "$1" ]; then EXPLICIT_EVENTS="$1"; fi
PAR="${2:-1}"
RUNS="${RUNS:-3}"
ENGINES="${ENGINES:-sluice flink}"
SLUICE="${SLUICE:-$ROOT/build/release/sluice}"
BASELINE_EVENTS="${BASELINE_EVENTS:-1000}"
BASE_RUNS="${BASE_RUNS:-3}"
MIN_STEADY_S="${MIN_STEADY_S:-20}"
MAX_BUSY="${MAX_BUSY-0.15}"
QUIET_TIMEOUT_S="${QUIET_TIMEOUT_S:-180}"
FLINK_MAX_EVENTS="${FLINK_MAX_EVENTS:-200000000}"
FLINK_AUTOSIZE="${FLINK_AUTOSIZE:-0}"
FLINK_VENV="${FLINK_VENV:-$ROOT/.cache/flink-venv}"
OUT="${OUT:-$ROOT/.cache/bench/$(date +%Y%m%d-%H%M%S)}"
if [ -z "${PIPELINES:-}" ]; then
  PIPELINES="$(cd bench/pipelines && ls *.sql | sed 's/\.sql$//' | tr '\n' ' ')"
fi

sluice_events="${EXPLICIT_EVENTS:-50000000}"
flink_events="${FLINK_EVENTS:-${EXPLICIT_EVENTS:-30000000}}"

mkdir -p "$OUT/runs" "$OUT/sql" "$OUT/logs" "$OUT/duckdb"

for engine in $ENGINES; do
  case "$engine" in
    sluice) [ -x "$SLUICE" ] || { echo "run.sh: no sluice binary at $SLUICE (scripts/build.sh release)" >&2; exit 1; } ;;
    flink) bench/flink/setup.sh >&2 ;;
    *) echo "run.sh: unknown engine '$engine'" >&2; exit 1 ;;
  esac
done

# --- metadata -------------------------------------------------------------------------------
python3 - "$OUT/meta.json" "$PAR" "$RUNS" "$*" "$SLUICE" <<'PY'
import json, os, subprocess, sys, datetime
out, par, runs, args, sluice = sys.argv[1:6]
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
def sh(*c):
    try: return subprocess.run(c, capture_output=True, text=True).stdout.strip()
    except OSError: return ""
# the engine's sources only: edits under bench/ and docs/ do not change the binary
dirty = sh("git", "status", "--porcelain", "--", "src", "CMakeLists.txt", "CMakePresets.json")
json.dump({"commit": sh("git", "rev-parse", "--short", "HEAD") + ("+dirty" if dirty else ""),
           "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
           "cpus": os.cpu_count(), "cpu_model": model,
           "mem_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
           "kernel": os.uname().release, "parallelism": int(par), "runs": int(runs),
           "command": "bench/run.sh " + args,
           "java": sh("sh", "-c", "java -version 2>&1 | head -1"),
           "sluice_built": datetime.datetime.fromtimestamp(os.path.getmtime(sluice), datetime.timezone.utc)
               .strftime("%Y-%m-%d %H:%M UTC") if os.path.exists(sluice) else None,
           "head_committed": sh("git", "log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%d %H:%M UTC")},
          open(out, "w"), indent=1)
if os.path.exists(sluice) and os.path.getmtime(sluice) < float(sh("git", "log", "-1", "--format=%ct") or 0):
    print("run.sh: WARNING: the sluice binary is older than HEAD's commit; rebuild it "
          "(scripts/build.sh release) so the figures belong to the commit recorded", file=sys.stderr)
PY

# --- helpers --------------------------------------------------------------------------------
render() {  # render PIPELINE N DUCKDB_PATH OUTFILE
  sed -e "s|{{ROWS}}|$2|g" -e "s|{{LAST_ID}}|$(($2 - 1))|g" -e "s|{{DUCKDB_PATH}}|$3|g" \
    "bench/pipelines/$1.sql" >"$4"
}

wait_quiet() {  # until the machine's other work uses less than MAX_BUSY of its cores (2 s sample)
  [ -n "$MAX_BUSY" ] || return 0
  python3 - "$MAX_BUSY" "$QUIET_TIMEOUT_S" <<'PY'
import sys, time
limit, timeout = float(sys.argv[1]), float(sys.argv[2])
def snap():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return sum(v[:8]), v[3] + v[4]
t_end, said = time.monotonic() + timeout, False
while True:
    a = snap(); time.sleep(2); b = snap()
    busy = 1 - (b[1] - a[1]) / max(1, b[0] - a[0])
    if busy < limit:
        sys.exit(0)
    if time.monotonic() > t_end:
        print(f"   machine still {busy:.0%} busy: running anyway", file=sys.stderr); sys.exit(0)
    if not said:
        print(f"   waiting for the machine to be < {limit:.0%} busy (now {busy:.0%}) ...", file=sys.stderr)
        said = True
PY
}

# one ENGINE PIPELINE KIND INDEX N -> prints "wall cpu"
one() {
  local engine=$1 pipeline=$2 kind=$3 idx=$4 n=$5
  local tag="$engine.$pipeline.$kind.$idx.$n"
  local db="$OUT/duckdb/$tag.duckdb"
  rm -f "$db" "$db.wal"
  render "$pipeline" "$n" "$db" "$OUT/sql/$tag.sql"
  local cmd
  if [ "$engine" = sluice ]; then
    cmd=("$SLUICE" run "$OUT/sql/$tag.sql" -p "$PAR" --quiet)
  else
    cmd=("$FLINK_VENV/bin/python" bench/flink/run_sql.py "$OUT/sql/$tag.sql" -p "$PAR"
         --stats-json "$OUT/runs/$tag.job.json")
  fi
  wait_quiet
  if ! python3 bench/measure.py --label "$tag" --out "$OUT/runs/$tag.json" \
        --stdout "$OUT/logs/$tag.out" --stderr "$OUT/logs/$tag.err" -- "${cmd[@]}"; then
    echo "   FAILED: $tag (see $OUT/logs/$tag.err)" >&2
    tail -5 "$OUT/logs/$tag.err" >&2 || true
    rm -f "$db" "$db.wal"
    return 1
  fi
  if [ -f "$db" ]; then
    echo "   duckdb $(du -h "$db" | cut -f1)" >&2
  fi
  rm -f "$db" "$db.wal"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['wall_s'], r['cpu_s'], r['maxrss_kb']//1024)" \
    "$OUT/runs/$tag.json"
}

# --- runs -----------------------------------------------------------------------------------
for pipeline in $PIPELINES; do
  for engine in $ENGINES; do
    if [ "$engine" = flink ] && grep -q "'connector' = 'duckdb'" "bench/pipelines/$pipeline.sql"; then
      continue  # Flink has no DuckDB sink
    fi
    n=$sluice_events; [ "$engine" = flink ] && n=$flink_events
    echo "== $pipeline / $engine (p=$PAR)" >&2
    base_walls=()
    for i in $(seq 1 "$BASE_RUNS"); do
      if ! base=$(one "$engine" "$pipeline" base "$i" "$BASELINE_EVENTS"); then continue 2; fi
      echo "   fixed cost $i (N=$BASELINE_EVENTS): wall/cpu/rss $base" >&2
      base_walls+=("${base%% *}")
    done
    base_wall=$(printf '%s\n' "${base_walls[@]}" | sort -n | sed -n "$(( (${#base_walls[@]} + 1) / 2 ))p")
    if [ -z "$EXPLICIT_EVENTS" ] && { [ "$engine" = sluice ] || [ "$FLINK_AUTOSIZE" = 1 ]; }; then
      # size N so a run lasts >= MIN_STEADY_S beyond the fixed cost (the probe run is discarded)
      if ! probe=$(one "$engine" "$pipeline" probe 0 "$n"); then continue; fi
      read -r pw _ _ <<<"$probe"
      cap=2000000000; [ "$engine" = flink ] && cap=$FLINK_MAX_EVENTS
      echo "   probe N=$n: wall/cpu/rss $probe" >&2
      n=$(python3 -c "
import math
n, pw, bw, lo = $n, $pw, $base_wall, $MIN_STEADY_S
steady = max(pw - bw, 0.05)
if steady < lo:
    n = int(math.ceil(n * 1.5 * lo / steady / 1e6) * 1e6)
print(min(n, $cap))")
    fi
    for i in $(seq 1 "$RUNS"); do
      if r=$(one "$engine" "$pipeline" run "$i" "$n"); then
        echo "   run $i N=$n: wall/cpu/rss $r" >&2
      fi
    done
  done
done

python3 bench/summarize.py "$OUT" | tee "$OUT/summary.md"
echo "results: $OUT" >&2
