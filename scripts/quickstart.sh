#!/usr/bin/env bash
# The quick start: builds sluice, runs the seed's job (order generator -> 1-minute tumbling
# window over completed orders -> embedded DuckDB) and shows the warehouse table.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh >/dev/null
bash scripts/build.sh release sluice >/dev/null
mkdir -p out
rm -f out/warehouse.duckdb out/warehouse.duckdb.wal
build/release/sluice run examples/orders_summary.sql
build/release/sluice query out/warehouse.duckdb \
  "SELECT window_start, window_end, total_orders, round(total_revenue, 2) AS revenue,
          round(avg_order_value, 2) AS avg_order FROM orders_summary ORDER BY window_start LIMIT 15"
