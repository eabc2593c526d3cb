#!/usr/bin/env python3
"""Summarise the runs bench/run.sh wrote into a results directory.

    python3 bench/summarize.py RESULTS_DIR        # prints a Markdown table, writes summary.json

Each run is RESULTS_DIR/runs/<engine>.<pipeline>.<kind>.<i>.json (kind 'base' for the fixed-cost
run with a tiny N, 'probe' for the sizing run, 'run' for a measured run), written by
bench/measure.py, plus for Flink <...>.job.json from bench/flink/run_sql.py.

Figures per (engine, pipeline), medians over the measured runs:
  ev/s wall     N / wall seconds of the whole process (start-up included)
  ev/CPU-s      N / (user + system) seconds of the whole process tree = events per core-second
  steady        the same with the fixed-cost runs (median) subtracted: (N - n0) / (cpu - cpu0); this is
                the per-event cost once the engine runs (JVM start, planning, code generation
                and MiniCluster start-up excluded for Flink)
  peak RSS      largest single process (ru_maxrss), MiB
  others        share of the machine's cores that other processes used during the run (noise)
The sluice/Flink ratios divide sluice's figure by Flink's for the same pipeline in the same run.
"""

import glob
import json
import os
import statistics
import sys

TARGET_PER_CORE = 5_000_000  # performance.md design target, datagen -> tumble -> blackhole
FLINK_V1_PASS = 175_000      # performance.md: Flink 1.x nexmark q0-q2 per core (upper end)
FLINK_V2_PASS = 414_000      # Flink 2.0, same
FLINK_V1_Q7 = 12_000         # Flink 1.x q7 tumble + join per core


def load(path):
    with open(path) as f:
        return json.load(f)


def fmt_rate(x):
    if x is None:
        return "–"
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    return f"{x / 1e3:.0f} k"


def fmt_ratio(x):
    return "–" if x is None else f"{x:.1f}×"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    meta = load(os.path.join(root, "meta.json")) if os.path.exists(os.path.join(root, "meta.json")) else {}
    groups = {}
    for path in sorted(glob.glob(os.path.join(root, "runs", "*.json"))):
        name = os.path.basename(path)[:-5]
        if name.endswith(".job"):
            continue
        engine, pipeline, kind, idx, events = name.split(".")
        rec = load(path)
        rec["events"] = int(events)
        job = path[:-5] + ".job.json"
        if os.path.exists(job):
            rec["job"] = load(job)
        groups.setdefault((engine, pipeline), {}).setdefault(kind, []).append(rec)

    rows = []
    for (engine, pipeline), kinds in sorted(groups.items()):
        runs = [r for r in kinds.get("run", []) if r.get("exit_code") == 0]
        if not runs:
            rows.append({"engine": engine, "pipeline": pipeline, "error": "no successful run"})
            continue
        n = runs[0]["events"]
        wall = statistics.median(r["wall_s"] for r in runs)
        cpu = statistics.median(r["cpu_s"] for r in runs)
        rss = max(r["maxrss_kb"] for r in runs) / 1024
        row = {"engine": engine, "pipeline": pipeline, "events": n, "runs": len(runs),
               "wall_s": wall, "cpu_s": cpu, "wall_runs": [r["wall_s"] for r in runs],
               "cpu_runs": [r["cpu_s"] for r in runs], "peak_rss_mib": round(rss),
               "ev_per_wall_s": n / wall, "ev_per_cpu_s": n / cpu,
               "others_share": statistics.median(
                   r.get("others_cpu_s", 0) / (r["wall_s"] * (meta.get("cpus") or os.cpu_count()))
                   for r in runs)}
        base = [r for r in kinds.get("base", []) if r.get("exit_code") == 0]
        if base:
            b = {"events": base[0]["events"],
                 "wall_s": statistics.median(r["wall_s"] for r in base),
                 "cpu_s": statistics.median(r["cpu_s"] for r in base)}
            dn = n - b["events"]
            dw, dc = wall - b["wall_s"], cpu - b["cpu_s"]
            row.update(base_events=b["events"], base_wall_s=b["wall_s"], base_cpu_s=b["cpu_s"],
                       base_runs=len(base),
                       steady_ev_per_wall_s=dn / dw if dw > 0 else None,
                       steady_ev_per_cpu_s=dn / dc if dc > 0 else None)
        jobs = [r["job"] for r in runs if "job" in r and "job_cpu_s" in r["job"]]
        if jobs:
            row["job_cpu_s"] = statistics.median(j["job_cpu_s"] for j in jobs)
            row["job_wall_s"] = statistics.median(j["job_wall_s"] for j in jobs)
        rows.append(row)

    by_key = {(r["engine"], r["pipeline"]): r for r in rows}
    for r in rows:
        if r["engine"] != "sluice" or "error" in r:
            continue
        f = by_key.get(("flink", r["pipeline"]))
        if not f or "error" in f:
            continue
        for k in ("ev_per_wall_s", "ev_per_cpu_s", "steady_ev_per_wall_s", "steady_ev_per_cpu_s"):
            if r.get(k) and f.get(k):
                r["ratio_" + k] = r[k] / f[k]

    with open(os.path.join(root, "summary.json"), "w") as fh:
        json.dump({"meta": meta, "rows": rows}, fh, indent=1)

    if meta:
        print(f"commit {meta.get('commit')}  date {meta.get('date')}  machine {meta.get('cpus')} × "
              f"{meta.get('cpu_model')}  parallelism {meta.get('parallelism')}  runs {meta.get('runs')}  "
              f"sluice built {meta.get('sluice_built')}")
        print()
    print("| pipeline | engine | N | wall s | CPU s | ev/s wall | ev/CPU-s | steady ev/s wall | "
          "steady ev/CPU-s | peak RSS MiB | others | sluice/Flink CPU (steady) | sluice/Flink wall (steady) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if "error" in r:
            print(f"| {r['pipeline']} | {r['engine']} | {r['error']} |")
            continue
        ratio_cpu = ratio_wall = ""
        if "ratio_ev_per_cpu_s" in r:
            ratio_cpu = (f"{fmt_ratio(r['ratio_ev_per_cpu_s'])} "
                         f"({fmt_ratio(r.get('ratio_steady_ev_per_cpu_s'))})")
            ratio_wall = (f"{fmt_ratio(r['ratio_ev_per_wall_s'])} "
                          f"({fmt_ratio(r.get('ratio_steady_ev_per_wall_s'))})")
        print(f"| {r['pipeline']} | {r['engine']} | {r['events'] / 1e6:g} M | {r['wall_s']:.1f} | "
              f"{r['cpu_s']:.1f} | {fmt_rate(r['ev_per_wall_s'])} | {fmt_rate(r['ev_per_cpu_s'])} | "
              f"{fmt_rate(r.get('steady_ev_per_wall_s'))} | {fmt_rate(r.get('steady_ev_per_cpu_s'))} | "
              f"{r['peak_rss_mib']} | {r['others_share']:.0%} | {ratio_cpu} | {ratio_wall} |")
    print()
    for r in rows:
        if "error" in r or r["engine"] != "sluice":
            continue
        per_core = r.get("steady_ev_per_cpu_s") or r["ev_per_cpu_s"]
        print(f"- sluice {r['pipeline']}: {fmt_rate(per_core)} ev/CPU-s steady = "
              f"{per_core / TARGET_PER_CORE:.2f}× the 5 M/core design target, "
              f"{per_core / FLINK_V1_PASS:.0f}× Flink 1.x nexmark q0–q2 per core (175 k), "
              f"{per_core / FLINK_V2_PASS:.0f}× Flink 2.0 (414 k)")
    busy = [(r["others_share"], r["engine"], r["pipeline"]) for r in rows if "error" not in r]
    noisy = [b for b in busy if b[0] > 0.10]
    if noisy:
        print("\nWARNING: other processes used a share of the machine's cores during these runs "
              "(median per row): " + ", ".join(f"{e} {p} {x:.0%}" for x, e, p in noisy) +
              ". Wall-time figures are pessimistic; CPU-time figures are less affected.")


if __name__ == "__main__":
    main()
