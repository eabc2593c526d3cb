"""`sluice produce` against the real broker and registry: what it says it sent (--raw-path) is what
an independent client (confluent_kafka, fastavro) reads back, key by key and byte by byte."""

import json
import re

import fastavro

import kafka_env

FINAL_LINE = re.compile(
    r"^produced ([\d,]+) events in [\d.]+ s \([\d,]+ events/s, [\d.]+ MB/s\)$", re.M)


def produced_count(stdout: str) -> int:
    match = FINAL_LINE.search(stdout)
    assert match, f"no final line in:\n{stdout}"
    return int(match.group(1).replace(",", ""))


def raw_lines(path) -> list:
    text = path.read_bytes()
    assert text.endswith(b"\n")
    return text[:-1].split(b"\n")


def assert_partition_order(records, sent_order):
    """Within each partition the records come in the order they were sent."""
    position = {key: i for i, key in enumerate(sent_order)}
    by_partition = {}
    for r in records:
        by_partition.setdefault(r.partition, []).append(position[r.key])
    for partition, positions in by_partition.items():
        assert positions == sorted(positions), f"partition {partition} out of order"


def test_produce_json_matches_raw_file(sluice, kafka_services):
    topic = kafka_env.unique_name("produce-json")
    proc = sluice.run("produce", "--topic", topic, "--bootstrap", kafka_services.bootstrap,
                      "--partitions", 4, "--count", 5000, "--seed", 7, "--out-of-order", "3s",
                      "--late-ratio", "0.01", "--raw-path", "out/raw.jsonl", "--quiet")
    assert produced_count(proc.stdout) == 5000
    assert kafka_env.partitions_of(kafka_services.bootstrap, topic) == [0, 1, 2, 3]

    sent = raw_lines(sluice.workdir / "out" / "raw.jsonl")
    assert len(sent) == 5000
    records = kafka_env.consume_all(kafka_services.bootstrap, topic)
    assert len(records) == 5000
    # The message value is exactly the raw line; the key is its order_id.
    assert sorted(r.value for r in records) == sorted(sent)
    for r in records:
        assert r.key == json.loads(r.value)["order_id"].encode()
    assert len({r.key for r in records}) == 5000
    assert len({r.partition for r in records}) == 4
    assert_partition_order(records, [json.loads(line)["order_id"].encode() for line in sent])

    first = json.loads(sent[0])
    assert set(first) == {"order_id", "customer_id", "amount", "status", "timestamp"}
    assert first["order_id"] == "ord-00000000"
    assert isinstance(first["timestamp"], int)


def test_produce_avro_confluent_decodes_with_the_registered_schema(sluice, kafka_services):
    topic = kafka_env.unique_name("produce-avro")
    proc = sluice.run("produce", "--topic", topic, "--bootstrap", kafka_services.bootstrap,
                      "--format", "avro-confluent", "--registry", kafka_services.registry_url,
                      "--partitions", 3, "--count", 2000, "--raw-path", "out/raw.jsonl",
                      "--quiet")
    assert produced_count(proc.stdout) == 2000

    sent = [json.loads(line) for line in raw_lines(sluice.workdir / "out" / "raw.jsonl")]
    records = kafka_env.consume_all(kafka_services.bootstrap, topic)
    assert len(records) == len(sent) == 2000
    schemas = {}
    decoded = []
    for r in records:
        schema_id = int.from_bytes(r.value[1:5], "big")
        if schema_id not in schemas:
            schemas[schema_id] = fastavro.parse_schema(
                kafka_env.schema_by_id(kafka_services.registry_url, schema_id))
        _, event = kafka_env.decode_confluent_avro(r.value, schemas[schema_id])
        assert r.key == event["order_id"].encode()
        decoded.append(event)
    assert len(schemas) == 1
    # The seed's OrderEvent fields, none of them nullable.
    (schema,) = schemas.values()
    assert [(f["name"], f["type"]) for f in schema["fields"]] == [
        ("order_id", "string"), ("customer_id", "string"), ("amount", "double"),
        ("status", "string"), ("timestamp", "long")]
    # The subject is <topic>-value (TopicNameStrategy).
    latest = kafka_env._registry("GET", f"{kafka_services.registry_url}/subjects/"
                                        f"{topic}-value/versions/latest")
    assert latest["id"] == next(iter(schemas))

    key = lambda e: e["order_id"]  # noqa: E731
    assert sorted(decoded, key=key) == sorted(sent, key=key)
    assert_partition_order(records, [e["order_id"].encode() for e in sent])


def test_produce_paces_low_rates(sluice, kafka_services):
    topic = kafka_env.unique_name("produce-rate")
    proc = sluice.run("produce", "--topic", topic, "--bootstrap", kafka_services.bootstrap,
                      "--partitions", 1, "--rate", 20, "--duration", "2s", "--quiet")
    count = produced_count(proc.stdout)
    assert 36 <= count <= 42, count
    assert len(kafka_env.consume_all(kafka_services.bootstrap, topic)) == count


def test_produce_reports_a_missing_topic(sluice, kafka_services):
    topic = kafka_env.unique_name("produce-missing")
    proc = sluice.run("produce", "--topic", topic, "--bootstrap", kafka_services.bootstrap,
                      "--count", 1, check=False)
    assert proc.returncode == 1
    assert f"topic '{topic}' is not available" in proc.stderr
    assert "--partitions" in proc.stderr
