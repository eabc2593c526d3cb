"""examples/orders_summary.sql end to end: generator -> seed's tumbling window -> DuckDB, checked
against DuckDB batch SQL over the generator's raw rows."""

import math
import re

import duckdb

from conftest import ROOT
from oracle import late_count, load_json_lines, tumble_reference


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def example_with_raw_rows(rows: int, parallelism: int) -> str:
    sql = (ROOT / "examples" / "orders_summary.sql").read_text()
    sql = re.sub(r"'number-of-rows'\s*=\s*'\d+'", f"'number-of-rows' = '{rows}'", sql)
    sql = sql.replace("'connector'                              = 'orders',",
                      "'connector' = 'orders', 'orders.raw-path' = 'out/raw', ")
    assert "orders.raw-path" in sql, "the example's generator options changed; update this test"
    return f"SET 'parallelism.default' = '{parallelism}';\n" + sql


def test_orders_summary_matches_batch_reference(sluice):
    (sluice.workdir / "pipeline.sql").write_text(example_with_raw_rows(200_000, 1))
    proc = sluice.run("run", "pipeline.sql", "--quiet")
    raw = sluice.workdir / "out" / "raw"
    paths = [raw] if raw.is_file() else sorted(raw.glob("*.jsonl"))
    assert paths, "the generator wrote no raw rows"

    con = duckdb.connect()
    load_json_lines(con, "raw", [str(p) for p in paths], "event_time")
    assert con.execute("SELECT count(*) FROM raw").fetchone()[0] == 200_000
    expected = tumble_reference(con, "raw", "1 minute", "5 seconds", "status = 'completed'",
                                "count(*), sum(amount), avg(amount)")
    late = late_count(con, "raw", "1 minute", "5 seconds", "status = 'completed'")
    assert late > 0, "the example should produce some late rows"

    warehouse = duckdb.connect(str(sluice.workdir / "out" / "warehouse.duckdb"), read_only=True)
    actual = warehouse.execute(
        "SELECT window_start, window_end, total_orders, total_revenue, avg_order_value "
        "FROM orders_summary ORDER BY window_start").fetchall()
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected):
        assert got[0] == want[0] and got[1] == want[1], (got, want)
        assert got[2] == want[2], (got, want)
        assert close(got[3], want[3]) and close(got[4], want[4]), (got, want)
    # The summary reports the late rows it counted (never silently dropped).
    assert re.search(rf"^late\s+{late:,} rows", proc.stderr, re.M), proc.stderr
