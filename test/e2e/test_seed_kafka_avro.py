"""The seed's pipeline for real: OrderEvent records published as Avro through a Confluent-compatible
schema registry (by confluent_kafka + fastavro, not by sluice) into a 12-partition topic, consumed
by sluice with the seed's Flink DDL and INSERT, aggregated into DuckDB, and checked against DuckDB
batch SQL over exactly the records that were produced."""

import json
import math
import random
import uuid

import duckdb
import fastavro

import kafka_env

# The seed's producer schema, verbatim (its logicalType sits on the field, so `timestamp` is a
# plain long of epoch millis).
ORDER_SCHEMA = {
    "type": "record",
    "name": "OrderEvent",
    "fields": [
        {"name": "order_id", "type": "string"},
        {"name": "customer_id", "type": "string"},
        {"name": "amount", "type": "double"},
        {"name": "status", "type": "string"},
        {"name": "timestamp", "type": "long", "logicalType": "timestamp-millis"},
    ],
}

STATUSES = ["created", "paid", "completed", "completed", "completed", "cancelled"]
START_MS = 1_767_225_600_000  # 2026-01-01 00:00:00 UTC
PARTITIONS = 12


def seed_pipeline(bootstrap, registry_url, topic, group, warehouse, dead_letters):
    """The seed's DDL and INSERT (shared/seeds/000 section 3). The only changes are the ones the
    seed needs to run at all: its DDL names the time column `event_time` while its Avro record
    calls it `timestamp` (epoch millis), bridged the Flink way with a computed column; the stream
    is bounded at the offsets present at start so the test ends; the sink is DuckDB."""
    return f"""
CREATE TABLE orders_kafka (
    order_id    STRING,
    customer_id STRING,
    amount      DOUBLE,
    status      STRING,
    `timestamp` BIGINT,
    event_time  AS TO_TIMESTAMP_LTZ(`timestamp`, 3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector'                    = 'kafka',
    'topic'                        = '{topic}',
    'properties.bootstrap.servers' = '{bootstrap}',
    'properties.group.id'          = '{group}',
    'format'                       = 'avro-confluent',
    'avro-confluent.url'           = '{registry_url}',
    'scan.startup.mode'            = 'earliest-offset',
    'scan.bounded.mode'            = 'latest-offset',
    'dead-letter.path'             = '{dead_letters}'
);

CREATE TABLE orders_summary_sink (
    window_start    TIMESTAMP_LTZ(3),
    window_end      TIMESTAMP_LTZ(3),
    total_orders    BIGINT,
    total_revenue   DOUBLE,
    avg_order_value DOUBLE
) WITH (
    'connector'  = 'duckdb',
    'path'       = '{warehouse}',
    'table-name' = 'orders_summary'
);

INSERT INTO orders_summary_sink
SELECT
    TUMBLE_START(event_time, INTERVAL '1' MINUTE) AS window_start,
    TUMBLE_END(event_time,   INTERVAL '1' MINUTE) AS window_end,
    COUNT(*)   AS total_orders,
    SUM(amount) AS total_revenue,
    AVG(amount) AS avg_order_value
FROM orders_kafka
WHERE status = 'completed'
GROUP BY TUMBLE(event_time, INTERVAL '1' MINUTE);
"""


def order_events(count, rng):
    """Events with out-of-order timestamps: each is up to 4 s older than the newest event of its
    partition (the watermark allows 5 s), so none is late whatever order partitions interleave."""
    newest = [START_MS] * PARTITIONS
    events = []
    for i in range(count):
        partition = rng.randrange(PARTITIONS)
        newest[partition] += rng.randrange(0, 600)  # ~ 1 event per 0.3 s per partition
        ts = newest[partition] - rng.randrange(0, 4000)
        events.append((partition, {
            "order_id": f"o-{i:07d}",
            "customer_id": f"c-{rng.randrange(500):04d}",
            "amount": round(rng.uniform(1, 500), 2),
            "status": rng.choice(STATUSES),
            "timestamp": ts,
        }))
    return events


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def test_seed_job_over_avro_confluent_matches_batch_reference(kafka_services, sluice):
    rng = random.Random(20261122)
    topic = f"orders.events.{uuid.uuid4().hex[:8]}"
    kafka_env.create_topic(kafka_services.bootstrap, topic, PARTITIONS)
    schema_id = kafka_env.register_schema(kafka_services.registry_url, f"{topic}-value",
                                          json.dumps(ORDER_SCHEMA))
    parsed = fastavro.parse_schema(ORDER_SCHEMA)
    events = order_events(60_000, rng)
    kafka_env.produce(kafka_services.bootstrap, topic, [
        (e["order_id"].encode(), kafka_env.confluent_avro_bytes(schema_id, parsed, e), p, None, None)
        for p, e in events
    ])

    out = sluice.workdir / "out"
    sql = seed_pipeline(kafka_services.bootstrap, kafka_services.registry_url, topic,
                        f"seed-{uuid.uuid4().hex[:8]}", out / "warehouse.duckdb",
                        out / "dead-letters.jsonl")
    (sluice.workdir / "pipeline.sql").write_text(sql)
    proc = sluice.run("run", "pipeline.sql", "--quiet", "--parallelism", "4", timeout=300)
    assert f"read    orders_kafka: {len(events):,} rows" in proc.stderr, proc.stderr
    assert "late    0 rows" in proc.stderr, proc.stderr
    letters = out / "dead-letters.jsonl"
    assert not letters.exists() or letters.read_text() == ""

    # Reference: DuckDB batch SQL over the produced records.
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    produced = sluice.workdir / "produced.jsonl"
    produced.write_text("".join(json.dumps(e) + "\n" for _, e in events))
    con.execute(f"""CREATE TABLE produced AS
        SELECT order_id, status, amount, "timestamp" AS ts FROM read_json('{produced}',
            columns = {{order_id: 'VARCHAR', customer_id: 'VARCHAR', amount: 'DOUBLE',
                        status: 'VARCHAR', "timestamp": 'BIGINT'}})""")
    assert con.execute("SELECT count(*) FROM produced").fetchone()[0] == len(events)
    expected = con.execute("""
        SELECT time_bucket(INTERVAL 1 MINUTE, make_timestamp(ts * 1000)) AS ws,
               count(*), sum(amount), avg(amount)
        FROM produced WHERE status = 'completed' GROUP BY ws ORDER BY ws""").fetchall()

    warehouse = duckdb.connect(str(out / "warehouse.duckdb"), read_only=True)
    warehouse.execute("SET TimeZone = 'UTC'")
    actual = warehouse.execute("""
        SELECT window_start::TIMESTAMP, window_end::TIMESTAMP, total_orders, total_revenue,
               avg_order_value
        FROM orders_summary ORDER BY window_start""").fetchall()
    assert len(actual) == len(expected) > 10
    for got, want in zip(actual, expected):
        assert got[0] == want[0], (got, want)
        assert (got[1] - got[0]).total_seconds() == 60
        assert got[2] == want[1], (got, want)
        assert close(got[3], want[2]) and close(got[4], want[3]), (got, want)
