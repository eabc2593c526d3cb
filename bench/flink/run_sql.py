#!/usr/bin/env python3
"""Run a Flink SQL script with PyFlink's TableEnvironment (streaming mode, local MiniCluster).

    .cache/flink-venv/bin/python bench/flink/run_sql.py FILE.sql [-p N] [--stats-json OUT]
                                 [--set key=value ...] [--no-object-reuse]

Every statement of FILE.sql runs in order: SET 'k' = 'v' changes the table config, DDL and other
statements go to execute_sql, INSERT statements are collected into one StatementSet that is
submitted after the last statement, and the script waits until that job finishes (bounded sources
end it). A SELECT prints its rows.

The MiniCluster runs inside the py4j gateway JVM, a child of this process. --stats-json writes the
wall time and the gateway JVM's CPU time (user + system, from /proc/<pid>/stat) of the job alone,
from just before submission to the end of the job, so that JVM start-up and planning can be told
apart from the steady state. bench/measure.py measures the whole process tree.
"""

import argparse
import json
import os
import re
import sys
import time


def split_statements(text):
    """Split a SQL script on ';' outside quotes and comments; drop comments and empty statements."""
    out, cur, i, n = [], [], 0, len(text)
    while i < n:
        c = text[i]
        if c == "-" and text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            cur.append("\n")
            continue
        if c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            cur.append(" ")
            continue
        if c in ("'", '"', "`"):
            j = i + 1
            while j < n:
                if text[j] == c:
                    if j + 1 < n and text[j + 1] == c:  # doubled quote
                        j += 2
                        continue
                    break
                j += 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c == ";":
            s = "".join(cur).strip()
            if s:
                out.append(s)
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    s = "".join(cur).strip()
    if s:
        out.append(s)
    return out


SET_RE = re.compile(r"^SET\s+'([^']+)'\s*=\s*'([^']*)'$", re.IGNORECASE | re.DOTALL)


def jvm_children():
    """Pids of this process's children (the gateway JVM)."""
    pids = []
    me = str(os.getpid())
    for task in os.listdir(f"/proc/{me}/task"):
        try:
            with open(f"/proc/{me}/task/{task}/children") as f:
                pids += [int(p) for p in f.read().split()]
        except OSError:
            pass
    return pids


def proc_cpu_seconds(pid):
    """user + system CPU seconds of a live process (including its reaped children)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # after the ')' field 3 is index 0: utime=14, stime=15, cutime=16, cstime=17 (1-based)
    ticks = sum(int(fields[k - 3]) for k in (14, 15, 16, 17))
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds():
    return sum(proc_cpu_seconds(p) for p in jvm_children())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("-p", "--parallelism", type=int, default=1)
    ap.add_argument("--stats-json", help="write job-only wall and JVM CPU seconds here")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="extra Flink configuration (repeatable)")
    ap.add_argument("--no-object-reuse", action="store_true",
                    help="leave pipeline.object-reuse at Flink's default (false)")
    args = ap.parse_args()

    with open(args.file) as f:
        statements = split_statements(f.read())

    from pyflink.table import EnvironmentSettings, TableEnvironment

    t_start = time.monotonic()
    t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    conf = t_env.get_config()
    conf.set("parallelism.default", str(args.parallelism))
    if not args.no_object_reuse:
        conf.set("pipeline.object-reuse", "true")
    for kv in args.set:
        k, _, v = kv.partition("=")
        conf.set(k.strip(), v.strip())

    stmt_set = None
    for stmt in statements:
        m = SET_RE.match(stmt)
        if m:
            conf.set(m.group(1), m.group(2))
            continue
        head = stmt.lstrip().split(None, 1)[0].upper()
        if head == "INSERT":
            if stmt_set is None:
                stmt_set = t_env.create_statement_set()
            stmt_set.add_insert_sql(stmt)
        elif head in ("SELECT", "WITH"):
            t_env.execute_sql(stmt).print()
        else:
            t_env.execute_sql(stmt)

    stats = {"engine": "flink", "parallelism": args.parallelism,
             "setup_wall_s": round(time.monotonic() - t_start, 3)}
    if stmt_set is not None:
        cpu0, t0 = tree_cpu_seconds(), time.monotonic()
        result = stmt_set.execute()
        job_client = result.get_job_client()
        result.wait()
        t1 = time.monotonic()
        cpu1 = tree_cpu_seconds()
        stats.update(job_wall_s=round(t1 - t0, 3), job_cpu_s=round(cpu1 - cpu0, 3))
        if job_client is not None:
            stats["job_id"] = str(job_client.get_job_id())
    if args.stats_json:
        with open(args.stats_json, "w") as f:
            json.dump(stats, f)
    print(json.dumps(stats), file=sys.stderr)


if __name__ == "__main__":
    main()
