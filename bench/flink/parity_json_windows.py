#!/usr/bin/env python3
"""Runs the same Flink SQL in sluice and in Apache Flink and compares their output rows.

    .cache/flink-venv/bin/python bench/flink/parity_json_windows.py [--rows N] [--keep DIR]

The input is the end-to-end test's JSON-lines file (out-of-order rows within the 5 s watermark
delay, 1 % late by two minutes); the query is a 1-minute TUMBLE per user and overall, printed.
Flink runs with 'pipeline.auto-watermark-interval' = '0', so it emits its watermark after every
record, as sluice does (with the default 200 ms interval, which rows count as late in Flink depends
on wall-clock timing). Not part of CI: it needs the PyFlink venv (bench/flink/setup.sh).
"""

import argparse
import os
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "e2e"))
from event_files import write_events  # noqa: E402

QUERY = """
CREATE TABLE events (
  user_id STRING, amount DECIMAL(10, 2), kind STRING, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = '{path}', 'format' = 'json');

CREATE TABLE per_user (
  user_id STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT,
  total DECIMAL(38, 2), biggest DECIMAL(10, 2)
) WITH ('connector' = 'print', 'print-identifier' = 'per_user');

CREATE TABLE overall (
  window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, buyers BIGINT
) WITH ('connector' = 'print', 'print-identifier' = 'overall');

INSERT INTO per_user
SELECT user_id, window_start, window_end, COUNT(*), SUM(amount), MAX(amount)
FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
WHERE kind <> 'refund'
GROUP BY user_id, window_start, window_end;

INSERT INTO overall
SELECT TUMBLE_START(ts, INTERVAL '1' MINUTE), TUMBLE_END(ts, INTERVAL '1' MINUTE),
       COUNT(*), COUNT(DISTINCT user_id)
FROM events
GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE);
"""

ROW = re.compile(r"^(per_user|overall)(?::\d+)?>\s*([+-][IUD]\[.*\])\s*$")


def rows(text):
    return sorted(f"{m.group(1)} {m.group(2)}" for m in map(ROW.match, text.splitlines()) if m)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--keep")
    args = parser.parse_args()
    work = pathlib.Path(args.keep or tempfile.mkdtemp(prefix="sluice-parity-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / "events.jsonl"
    write_events(data, rows=args.rows)
    (work / "sluice.sql").write_text("SET 'parallelism.default' = '1';\n" + QUERY.format(path=data))
    (work / "flink.sql").write_text(QUERY.format(path=data))

    sluice = subprocess.run([str(ROOT / "build" / "release" / "sluice"), "run", "sluice.sql", "-q"],
                            cwd=work, capture_output=True, text=True, check=True)
    flink = subprocess.run([sys.executable, str(ROOT / "bench" / "flink" / "run_sql.py"),
                            "flink.sql", "-p", "1", "--set", "pipeline.auto-watermark-interval=0"],
                           cwd=work, capture_output=True, text=True)
    if flink.returncode != 0:
        sys.exit(f"flink failed:\n{flink.stdout}\n{flink.stderr}")
    a, b = rows(sluice.stdout), rows(flink.stdout)
    only_sluice = sorted(set(a) - set(b))
    only_flink = sorted(set(b) - set(a))
    print(f"sluice rows: {len(a)}, flink rows: {len(b)}, identical: {a == b}")
    for r in only_sluice[:10]:
        print("  only sluice:", r)
    for r in only_flink[:10]:
        print("  only flink: ", r)
    sys.exit(0 if a == b and a else 1)


if __name__ == "__main__":
    main()
