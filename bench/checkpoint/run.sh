#!/usr/bin/env bash
# Checkpoint benchmarks (issue 4), no external service needed:
#   1. throughput cost: the same job with checkpoints every 1 s vs none (wall and CPU time)
#   2. checkpoint duration and size against state size (GROUP BY over 10^5..10^7 keys)
#   3. recovery time: restore the largest state (the final checkpoint of a bounded run)
# Usage: bench/checkpoint/run.sh [rows] [max_keys]     (defaults: 20000000 10000000)
# SLUICE_BIN picks the binary (default: build/release/sluice).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${SLUICE_BIN:-$root/build/release/sluice}"
rows="${1:-20000000}"
max_keys="${2:-10000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

pipeline() {  # name rows keys interval(0 = off)
  local name=$1 n=$2 keys=$3 interval=$4
  {
    echo "SET 'parallelism.default' = '2';"
    echo "SET 'pipeline.name' = '$name';"
    if [ "$interval" != 0 ]; then
      echo "SET 'execution.checkpointing.interval' = '$interval';"
      echo "SET 'state.checkpoints.dir' = '$work/state';"
    fi
    cat <<SQL
CREATE TABLE orders (order_id STRING, customer_id STRING, amount DOUBLE, status STRING,
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
WITH ('connector' = 'orders', 'number-of-rows' = '$n', 'rows-per-second' = 'unlimited',
      'orders.customers' = '$keys');
CREATE TABLE out (customer_id STRING, orders BIGINT, revenue DOUBLE)
WITH ('connector' = 'blackhole');
INSERT INTO out SELECT customer_id, COUNT(*), SUM(amount) FROM orders GROUP BY customer_id;
SQL
  } > "$name.sql"
}

measure() {  # name -> "wall cpu" seconds, summary kept in name.log
  /usr/bin/time -f "%e %U %S" -o "$1.time" "$bin" run -q "$1.sql" > "$1.log" 2>&1
  awk '{printf "%.2f %.2f", $1, $2 + $3}' "$1.time"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo "== 1. throughput cost ($rows orders, GROUP BY over 100000 keys, parallelism 2)"
pipeline off "$rows" 100000 0
pipeline every1s "$rows" 100000 "1 s"
read -r wall_off cpu_off <<< "$(measure off)"
read -r wall_on cpu_on <<< "$(measure every1s)"
echo "  none:     wall ${wall_off} s, cpu ${cpu_off} s"
echo "  every 1s: wall ${wall_on} s, cpu ${cpu_on} s   ($(grep '^checkpoints' every1s.log))"
awk -v a="$wall_off" -v b="$wall_on" 'BEGIN{printf "  throughput with checkpoints: %.1f%% of none\n", 100*a/b}'

echo "== 2. checkpoint duration and size against state size"
keys=100000
while [ "$keys" -le "$max_keys" ]; do
  rm -rf "$work/state"
  pipeline "keys$keys" "$((keys * 2))" "$keys" "1 s"
  read -r wall cpu <<< "$(measure "keys$keys")"
  echo "  $keys keys: $(grep '^checkpoints' "keys$keys.log")  (run ${wall} s)"
  keys=$((keys * 10))
done

echo "== 3. recovery of the largest state ($max_keys keys)"
# The bounded run ends with a final checkpoint holding every key; running the same pipeline again
# restores it (and reads nothing new): the restore is what is timed.
rm -rf "$work/state"
pipeline recover "$((max_keys * 2))" "$max_keys" "10 min"
read -r wall cpu <<< "$(measure recover)"
echo "  first run ${wall} s: $(grep '^checkpoints' recover.log)"
read -r wall cpu <<< "$(measure recover)"
grep -m1 '^restored' recover.log | sed 's/^/  /'
grep -m1 '^restore:' recover.log | sed 's/^/  /'
echo "  whole second run (process start to exit): ${wall} s"
