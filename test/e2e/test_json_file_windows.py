"""A JSON-lines file with out-of-order and late rows through a 1-minute TUMBLE with a 5 s
watermark into DuckDB gives exactly the rows Flink gives (Flink's semantics as DuckDB SQL)."""

import duckdb
import pytest

from event_files import write_events
from oracle import late_count, load_json_lines, tumble_reference

PIPELINE = """
SET 'parallelism.default' = '{parallelism}';

CREATE TABLE events (
  user_id   STRING,
  amount    DECIMAL(10, 2),
  kind      STRING,
  ts        TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'events.jsonl',
  'format' = 'json'
);

CREATE TABLE per_user (
  user_id      STRING,
  window_start TIMESTAMP(3),
  window_end   TIMESTAMP(3),
  n            BIGINT,
  total        DECIMAL(38, 2),
  biggest      DECIMAL(10, 2)
) WITH ('connector' = 'duckdb', 'path' = 'out/w.duckdb', 'table-name' = 'per_user');

CREATE TABLE overall (
  window_start TIMESTAMP(3),
  window_end   TIMESTAMP(3),
  n            BIGINT,
  buyers       BIGINT
) WITH ('connector' = 'duckdb', 'path' = 'out/w.duckdb', 'table-name' = 'overall');

EXECUTE STATEMENT SET BEGIN
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
END;
"""


@pytest.mark.parametrize("parallelism", [1, 2])
def test_json_file_tumble_matches_flink_semantics(sluice, parallelism):
    write_events(sluice.workdir / "events.jsonl")
    (sluice.workdir / "pipeline.sql").write_text(PIPELINE.format(parallelism=parallelism))
    sluice.run("run", "pipeline.sql", "--quiet")

    con = duckdb.connect()
    load_json_lines(con, "events", [str(sluice.workdir / "events.jsonl")], "ts")
    con.execute("ALTER TABLE events ALTER amount TYPE DECIMAL(10, 2)")
    expected_user = tumble_reference(
        con, "events", "1 minute", "5 seconds", "kind <> 'refund'",
        "count(*), CAST(sum(amount) AS DECIMAL(38, 2)), max(amount)", keys="user_id")
    expected_all = tumble_reference(con, "events", "1 minute", "5 seconds", "true",
                                    "count(*), count(DISTINCT user_id)")
    assert late_count(con, "events", "1 minute", "5 seconds", "true") > 50

    out = duckdb.connect(str(sluice.workdir / "out" / "w.duckdb"), read_only=True)
    actual_user = out.execute("SELECT user_id, window_start, window_end, n, total, biggest "
                              "FROM per_user ORDER BY user_id, window_start").fetchall()
    actual_all = out.execute("SELECT window_start, window_end, n, buyers FROM overall "
                             "ORDER BY window_start").fetchall()
    assert actual_all == expected_all
    key = lambda r: (r[0] is not None, r[0] or "", r[1])
    assert sorted(actual_user, key=key) == sorted(expected_user, key=key)
