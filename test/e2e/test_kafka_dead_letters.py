"""Bad records never stop the pipeline and are never lost: every kind of undecodable record lands
in the table's dead-letter destination (a Kafka topic or a JSON-lines file) with its original
bytes and provenance, the good records all come through, and without a dead-letter destination
the job fails naming the record's topic, partition and offset."""

import base64
import json
import struct
import uuid

import fastavro

import kafka_env

ORDER_SCHEMA = {
    "type": "record", "name": "OrderEvent",
    "fields": [
        {"name": "order_id", "type": "string"},
        {"name": "customer_id", "type": "string"},
        {"name": "amount", "type": "double"},
        {"name": "status", "type": "string"},
        {"name": "timestamp", "type": "long"},
    ],
}
# A writer schema the table cannot read: `amount` became a string.
INCOMPATIBLE_SCHEMA = {
    "type": "record", "name": "OrderEvent",
    "fields": [
        {"name": "order_id", "type": "string"},
        {"name": "customer_id", "type": "string"},
        {"name": "amount", "type": "string"},
        {"name": "status", "type": "string"},
        {"name": "timestamp", "type": "long"},
    ],
}


def table_sql(name, topic, services, extra):
    return f"""
CREATE TABLE {name} (
    order_id STRING, customer_id STRING, amount DOUBLE, status STRING, `timestamp` BIGINT
) WITH (
    'connector' = 'kafka',
    'topic' = '{topic}',
    'properties.bootstrap.servers' = '{services.bootstrap}',
    'properties.group.id' = 'dlq-{uuid.uuid4().hex[:8]}',
    'scan.startup.mode' = 'earliest-offset',
    'scan.bounded.mode' = 'latest-offset',
    'format' = 'avro-confluent',
    'avro-confluent.url' = '{services.registry_url}'{extra}
);
"""


def sink_sql(path):
    return f"""
CREATE TABLE good (order_id STRING, amount DOUBLE) WITH (
    'connector' = 'filesystem', 'path' = '{path}', 'format' = 'json');
INSERT INTO good SELECT order_id, amount FROM orders;
"""


def read_json_dir(path):
    rows = []
    for f in sorted(path.glob("part-*")):
        rows += [json.loads(line) for line in f.read_text().splitlines() if line]
    return rows


def produce_mixed(services, topic):
    """Good records interleaved with one of each kind of bad record. Returns the good records and
    {(partition, offset): (kind, value bytes)} of the bad ones."""
    good_id = kafka_env.register_schema(services.registry_url, f"{topic}-value",
                                        json.dumps(ORDER_SCHEMA))
    bad_id = kafka_env.register_schema(services.registry_url, f"{topic}-other-value",
                                       json.dumps(INCOMPATIBLE_SCHEMA))
    parsed = fastavro.parse_schema(ORDER_SCHEMA)
    good, records = [], []
    for i in range(300):
        event = {"order_id": f"o-{i:04d}", "customer_id": "c-1", "amount": float(i),
                 "status": "completed", "timestamp": 1_767_225_600_000 + i}
        good.append(event)
        records.append(("good", event["order_id"].encode(),
                        kafka_env.confluent_avro_bytes(good_id, parsed, event)))
    body = kafka_env.confluent_avro_bytes(good_id, parsed, good[0])
    incompatible = kafka_env.confluent_avro_bytes(
        bad_id, fastavro.parse_schema(INCOMPATIBLE_SCHEMA),
        {"order_id": "x", "customer_id": "c", "amount": "12.5", "status": "s", "timestamp": 1})
    bad = [
        ("json in an avro topic", b"bad-1", b'{"order_id": "o-9", "amount": 1}'),
        ("shorter than the header", b"bad-2", b"\x00\x00\x01"),
        ("unknown schema id", b"bad-3", b"\x00" + struct.pack(">i", 987654) + body[5:]),
        ("truncated body", b"bad-4", body[:-4]),
        ("incompatible writer schema", b"bad-5", incompatible),
        ("empty value", b"bad-6", b""),
    ]
    # Spread the bad records through the stream.
    for n, item in enumerate(bad):
        records.insert(25 + n * 45, item)
    acked = kafka_env.produce(services.bootstrap, topic,
                              [(key, value, i % 3) for i, (_, key, value) in enumerate(records)])
    bad_at = {}
    for (kind, key, value), (partition, offset) in zip(records, acked):
        if kind != "good":
            bad_at[(partition, offset)] = (kind, key, value)
    return good, bad_at


def check_good_rows(out_dir, good):
    rows = read_json_dir(out_dir)
    assert sorted(r["order_id"] for r in rows) == sorted(e["order_id"] for e in good)
    by_id = {e["order_id"]: e["amount"] for e in good}
    assert all(r["amount"] == by_id[r["order_id"]] for r in rows)


def test_bad_records_go_to_a_dead_letter_topic_with_provenance(kafka_services, sluice):
    topic = kafka_env.unique_name("dlq-src")
    dlq = kafka_env.unique_name("dlq")
    kafka_env.create_topic(kafka_services.bootstrap, topic, 3)
    kafka_env.create_topic(kafka_services.bootstrap, dlq, 1)
    good, bad_at = produce_mixed(kafka_services, topic)

    out = sluice.workdir / "out" / "good"
    sql = table_sql("orders", topic, kafka_services, f",\n    'dead-letter.topic' = '{dlq}'")
    (sluice.workdir / "job.sql").write_text(sql + sink_sql(out))
    proc = sluice.run("run", "job.sql", "--quiet")
    assert f"dead letters orders: {len(bad_at)} records" in proc.stderr, proc.stderr
    check_good_rows(out, good)

    letters = kafka_env.consume_all(kafka_services.bootstrap, dlq)
    assert len(letters) == len(bad_at)
    for letter in letters:
        headers = {k: v.decode() for k, v in letter.headers}
        assert headers["sluice.source.topic"] == topic
        where = (int(headers["sluice.source.partition"]), int(headers["sluice.source.offset"]))
        kind, key, value = bad_at.pop(where)
        assert letter.key == key, kind
        assert (letter.value or b"") == value, kind
        assert headers["sluice.error"], kind
    assert not bad_at, f"not dead-lettered: {bad_at}"


def test_bad_records_go_to_a_dead_letter_file_with_provenance(kafka_services, sluice):
    topic = kafka_env.unique_name("dlq-src")
    kafka_env.create_topic(kafka_services.bootstrap, topic, 3)
    good, bad_at = produce_mixed(kafka_services, topic)

    out = sluice.workdir / "out" / "good"
    letters_path = sluice.workdir / "out" / "dead-letters.jsonl"
    sql = table_sql("orders", topic, kafka_services,
                    f",\n    'dead-letter.path' = '{letters_path}'")
    (sluice.workdir / "job.sql").write_text(sql + sink_sql(out))
    sluice.run("run", "job.sql", "--quiet")
    check_good_rows(out, good)

    letters = [json.loads(line) for line in letters_path.read_text().splitlines()]
    assert len(letters) == len(bad_at)
    for letter in letters:
        assert letter["table"] == "orders" and letter["source"] == topic
        kind, key, value = bad_at.pop((letter["partition"], letter["offset"]))
        assert base64.b64decode(letter["key_base64"]) == key, kind
        assert base64.b64decode(letter["value_base64"] or "") == value, kind
        assert letter["error"] and letter["time"], kind
    assert not bad_at


def test_without_a_dead_letter_destination_the_job_fails_naming_the_record(kafka_services, sluice):
    topic = kafka_env.unique_name("dlq-src")
    kafka_env.create_topic(kafka_services.bootstrap, topic, 1)
    good_id = kafka_env.register_schema(kafka_services.registry_url, f"{topic}-value",
                                        json.dumps(ORDER_SCHEMA))
    event = {"order_id": "o-1", "customer_id": "c", "amount": 1.0, "status": "s", "timestamp": 1}
    kafka_env.produce(kafka_services.bootstrap, topic, [
        (b"k", kafka_env.confluent_avro_bytes(good_id, fastavro.parse_schema(ORDER_SCHEMA), event)),
        (b"k", b"not avro at all"),
    ])
    sql = table_sql("orders", topic, kafka_services, "")
    (sluice.workdir / "job.sql").write_text(sql + sink_sql(sluice.workdir / "out" / "good"))
    proc = sluice.run("run", "job.sql", "--quiet", check=False)
    assert proc.returncode != 0
    assert topic in proc.stderr and "offset 1" in proc.stderr, proc.stderr
