#!/usr/bin/env python3
"""CPU time the Kafka broker (pid in .svc/kafka.pid) uses between `start` and `stop`:

    python3 bench/kafka/broker_cpu.py start STATE.json   # remembers utime + stime now
    python3 bench/kafka/broker_cpu.py stop STATE.json    # writes {"cpu_s": ...} into STATE.json
"""

import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def broker_cpu_seconds():
    svc = pathlib.Path(os.environ.get("SLUICE_SVC_DIR", ROOT / ".svc"))
    pid = int((svc / "kafka.pid").read_text().split()[0])
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def main():
    action, state = sys.argv[1], pathlib.Path(sys.argv[2])
    if action == "start":
        state.write_text(json.dumps({"start_s": broker_cpu_seconds()}))
    else:
        data = json.loads(state.read_text())
        data["cpu_s"] = round(broker_cpu_seconds() - data["start_s"], 3)
        state.write_text(json.dumps(data))


if __name__ == "__main__":
    main()
