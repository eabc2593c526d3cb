#!/usr/bin/env python3
"""Run a command and measure its whole process tree: wall time, CPU time (user + system) and
peak RSS.

    python3 bench/measure.py --out stats.json [--label NAME] -- CMD ARGS...

The measurer makes itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER), so descendants that
outlive their parent (PyFlink's gateway JVM exits after the python process, on EOF of its stdin)
are re-parented to it and reaped here; the CPU times of every descendant are then in the rusage
that wait4() reports. Peak RSS: ru_maxrss is the largest single process of the tree;
peak_tree_rss_kb is the largest sum of VmRSS over the live tree, sampled every 100 ms.
others_cpu_s is the CPU time the rest of the machine used meanwhile (from /proc/stat): when it is
not small, other work competed with the run and the wall time is pessimistic.

wall_s runs from the start of the command to the exit of the command itself (a child that lingers
after it is still counted in the CPU time, not in the wall time).
"""

import argparse
import ctypes
import json
import os
import subprocess
import sys
import threading
import time

PR_SET_CHILD_SUBREAPER = 36


def descendants(root):
    """Pids in the tree under root (root included), from /proc/*/stat."""
    parent = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parent[int(name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    children = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    out, stack = [], [root]
    while stack:
        p = stack.pop()
        out.append(p)
        stack.extend(children.get(p, []))
    return out


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def machine_busy_seconds():
    """CPU seconds the whole machine has spent busy (not idle or iowait) since boot."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return (sum(v[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="write the figures as JSON here (else stdout)")
    ap.add_argument("--label", default="")
    ap.add_argument("--stdout", help="redirect the command's stdout to this file")
    ap.add_argument("--stderr", help="redirect the command's stderr to this file")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    if not cmd:
        ap.error("no command")

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    me = os.getpid()

    with open("/proc/loadavg") as f:
        load_before = float(f.read().split()[0])

    out_f = open(args.stdout, "wb") if args.stdout else None
    err_f = open(args.stderr, "wb") if args.stderr else None
    busy0 = machine_busy_seconds()
    t0 = time.monotonic()
    child = subprocess.Popen(cmd, stdout=out_f, stderr=err_f)

    peak_tree = 0
    stop = threading.Event()

    def sample():
        nonlocal peak_tree
        while not stop.is_set():
            total = sum(rss_kb(p) for p in descendants(me) if p != me)
            peak_tree = max(peak_tree, total)
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()

    user = sys_t = 0.0
    maxrss = 0
    wall = None
    status = None
    while True:
        try:
            pid, st, ru = os.wait4(-1, 0)
        except ChildProcessError:
            break
        user += ru.ru_utime
        sys_t += ru.ru_stime
        maxrss = max(maxrss, ru.ru_maxrss)
        if pid == child.pid:
            wall = time.monotonic() - t0
            status = os.waitstatus_to_exitcode(st)
            child.returncode = status  # keep Popen from waiting again
    stop.set()
    sampler.join()
    others = max(0.0, machine_busy_seconds() - busy0 - (user + sys_t))

    figures = {
        "label": args.label,
        "cmd": cmd,
        "exit_code": status,
        "wall_s": round(wall, 3),
        "user_s": round(user, 3),
        "sys_s": round(sys_t, 3),
        "cpu_s": round(user + sys_t, 3),
        "maxrss_kb": maxrss,
        "peak_tree_rss_kb": peak_tree,
        "loadavg_before": load_before,
        # CPU seconds other processes used on the machine during the run (noise indicator)
        "others_cpu_s": round(others, 2),
    }
    text = json.dumps(figures)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    sys.exit(0 if status == 0 else 1)


if __name__ == "__main__":
    main()
