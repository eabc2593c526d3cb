"""The independent reference: Flink's event-time semantics written as DuckDB batch SQL.

A row is late when the window it falls into has already fired: its window end - 1 ms is at or
below the watermark in force when it arrived, i.e. the largest event time among the rows read
before it, minus the watermark delay (Flink emits the watermark after each record)."""

import duckdb


def load_json_lines(con: duckdb.DuckDBPyConnection, table: str, paths, time_column: str):
    """Loads JSON-lines files in order, numbering rows by arrival (seq)."""
    files = ", ".join(f"'{p}'" for p in paths)
    con.execute("SET threads = 1")
    con.execute(f"""
        CREATE TABLE {table} AS
        SELECT row_number() OVER () AS seq, *,
               CAST({time_column} AS TIMESTAMP) AS __ts
        FROM read_json([{files}], format = 'newline_delimited')""")


def tumble_reference(con, table: str, window: str, delay: str, where: str, aggregates: str,
                     keys: str = ""):
    """Rows Flink gives for GROUP BY TUMBLE(ts, window) over `table` with
    WATERMARK ts - delay, read in seq order on one split."""
    key_select = f"{keys}, " if keys else ""
    key_group = f", {keys}" if keys else ""
    return con.execute(f"""
        WITH marked AS (
            SELECT *,
                   time_bucket(INTERVAL '{window}', __ts) AS __ws,
                   max(__ts) OVER (ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                       - INTERVAL '{delay}' AS __wm
            FROM {table})
        SELECT {key_select}__ws AS window_start, __ws + INTERVAL '{window}' AS window_end, {aggregates}
        FROM marked
        WHERE ({where})
          AND (__wm IS NULL OR __ws + INTERVAL '{window}' - INTERVAL '1 millisecond' > __wm)
        GROUP BY __ws{key_group}
        ORDER BY {key_select}window_start""").fetchall()


def late_count(con, table: str, window: str, delay: str, where: str) -> int:
    return con.execute(f"""
        WITH marked AS (
            SELECT *,
                   time_bucket(INTERVAL '{window}', __ts) AS __ws,
                   max(__ts) OVER (ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                       - INTERVAL '{delay}' AS __wm
            FROM {table})
        SELECT count(*) FROM marked
        WHERE ({where}) AND __wm IS NOT NULL
          AND __ws + INTERVAL '{window}' - INTERVAL '1 millisecond' <= __wm""").fetchone()[0]
