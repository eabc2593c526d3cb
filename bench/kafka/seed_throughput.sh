#!/usr/bin/env bash
# Kafka-sourced throughput of the seed's job: Kafka (12 partitions, avro-confluent through the
# schema registry) -> decode -> WHERE status = 'completed' -> 1-minute TUMBLE aggregate ->
# blackhole, bounded at the offsets present at start. Reports sluice's events per CPU-second
# (user + system of the sluice process) and, apart, the CPU the broker used meanwhile.
#
#   bash bench/kafka/seed_throughput.sh [events (default 10000000)] [parallelism (default 2)]
#
# Needs a release build (scripts/build.sh) and starts Kafka + the registry (scripts/services.sh).
# Results go to .cache/bench/kafka/<date>/: the produce log, sluice's summary and stats.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
events="${1:-10000000}"
parallelism="${2:-2}"
sluice="$root/build/release/sluice"
out="$root/.cache/bench/kafka/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

bash scripts/services.sh up kafka registry
registry="http://127.0.0.1:8085/apis/ccompat/v7"
topic="bench.orders.$(date +%s)"

echo "== producing $events avro-confluent events into $topic (12 partitions)"
"$sluice" produce --topic "$topic" --partitions 12 --format avro-confluent --registry "$registry" \
  --count "$events" --out-of-order '3 s' --event-rate 5000 -q 2>&1 | tee "$out/produce.log"

sed -e "s|@TOPIC@|$topic|" -e "s|@REGISTRY@|$registry|" -e "s|@GROUP@|bench-$topic|" \
  bench/kafka/seed_kafka_blackhole.sql >"$out/job.sql"

echo "== measuring sluice (parallelism $parallelism)"
python3 bench/kafka/broker_cpu.py start "$out/broker.json"
python3 bench/measure.py --out "$out/stats.json" --label "sluice-kafka-seed" -- \
  "$sluice" run "$out/job.sql" --quiet --parallelism "$parallelism" 2>"$out/summary.txt"
python3 bench/kafka/broker_cpu.py stop "$out/broker.json"
cat "$out/summary.txt"
python3 - "$out" "$events" <<'EOF'
import json, sys
out, events = sys.argv[1], int(sys.argv[2])
stats = json.load(open(f"{out}/stats.json"))
broker = json.load(open(f"{out}/broker.json"))
cpu = stats["cpu_s"]
print(f"events            {events:,}")
print(f"sluice wall       {stats['wall_s']:.2f} s")
print(f"sluice CPU        {cpu:.2f} s (user + system)")
print(f"events / CPU-s    {events / cpu / 1e6:.2f} M")
print(f"events / s wall   {events / stats['wall_s'] / 1e6:.2f} M")
print(f"broker CPU        {broker['cpu_s']:.2f} s during the run")
print(f"peak RSS          {stats.get('maxrss_kb', 0) / 1024:.0f} MiB")
EOF
echo "results in $out"
