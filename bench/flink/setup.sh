#!/usr/bin/env bash
# Creates (idempotently) a Python venv with PyFlink 1.20 for the Flink comparison runs.
#   bench/flink/setup.sh            -> /work/main/.cache/flink-venv (git-ignored)
#   FLINK_VENV=/path bench/flink/setup.sh
# Needs: python3 (3.8–3.11) with venv, Java 11/17 on PATH, PyPI reachable the first time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${FLINK_VENV:-$ROOT/.cache/flink-venv}"
PY="${PYTHON:-python3}"
SPEC='apache-flink==1.20.*'

if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" - <<'PY' 2>/dev/null
import sys, pyflink.version as v
sys.exit(0 if v.__version__.startswith("1.20.") else 1)
PY
then
  echo "flink venv ready: $VENV ($("$VENV/bin/python" -c 'import pyflink.version as v; print(v.__version__)'))"
  exit 0
fi

command -v java >/dev/null || { echo "setup.sh: java not on PATH (Flink 1.20 needs Java 11 or 17)" >&2; exit 1; }
mkdir -p "$(dirname "$VENV")"
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "$SPEC"
"$VENV/bin/python" -c 'import pyflink.version as v; print("flink venv ready:", v.__version__)'
