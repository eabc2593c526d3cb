"""The test peers themselves (scripts/services.sh) and the kafka_env helpers, against the real
broker and registry: if these fail, the Kafka tests' failures say nothing about sluice."""

import json

import fastavro
from confluent_kafka import Consumer, Producer, TopicPartition

import kafka_env


def test_records_round_trip_through_three_partitions(kafka_services):
    topic = kafka_env.create_topic(kafka_services.bootstrap,
                                   kafka_env.unique_name("svc.roundtrip"), 3)
    try:
        sent = [
            (b"k0", b"v0", 0, 1_700_000_000_000, [("h", b"1")]),
            (b"k1", b"v1", 1, 1_700_000_000_001, None),
            (None, b"no key", 2, 1_700_000_000_002, {"a": b"x", "b": b"y"}),
            (b"tombstone", None, 2, 1_700_000_000_003, None),
            (b"k4", b"v4", 1, None, None),
        ]
        acks = kafka_env.produce(kafka_services.bootstrap, topic, sent)
        assert [p for p, _ in acks] == [0, 1, 2, 2, 1]
        assert [o for _, o in acks] == [0, 0, 0, 1, 1]

        got = kafka_env.consume_all(kafka_services.bootstrap, topic, timeout=30)
        assert [(r.partition, r.offset, r.key, r.value) for r in got] == [
            (0, 0, b"k0", b"v0"),
            (1, 0, b"k1", b"v1"), (1, 1, b"k4", b"v4"),
            (2, 0, None, b"no key"), (2, 1, b"tombstone", None),
        ]
        by_key = {r.key: r for r in got}
        assert by_key[b"k0"].timestamp == 1_700_000_000_000
        assert by_key[b"k0"].headers == [("h", b"1")]
        assert sorted(by_key[None].headers) == [("a", b"x"), ("b", b"y")]
        assert by_key[b"k4"].timestamp > 1_700_000_000_003  # "now"
        assert kafka_env.end_offsets(kafka_services.bootstrap, topic) == {0: 1, 1: 2, 2: 2}
        group = kafka_env.unique_name("svc.group")
        assert kafka_env.group_offsets(kafka_services.bootstrap, group, topic) == \
            {0: None, 1: None, 2: None}
        committer = Consumer({"bootstrap.servers": kafka_services.bootstrap, "group.id": group})
        committer.commit(offsets=[TopicPartition(topic, 0, 1), TopicPartition(topic, 2, 2)],
                         asynchronous=False)
        committer.close()
        assert kafka_env.group_offsets(kafka_services.bootstrap, group, topic) == \
            {0: 1, 1: None, 2: 2}
    finally:
        kafka_env.delete_topic(kafka_services.bootstrap, topic)


def test_consume_all_honours_the_isolation_level(kafka_services):
    topic = kafka_env.create_topic(kafka_services.bootstrap, kafka_env.unique_name("svc.txn"), 2)
    try:
        producer = Producer({"bootstrap.servers": kafka_services.bootstrap,
                             "transactional.id": kafka_env.unique_name("svc.txn")})
        producer.init_transactions(30)
        for outcome in ("commit", "abort", "commit"):
            producer.begin_transaction()
            for p in (0, 1):
                producer.produce(topic, key=outcome.encode(), value=f"{outcome}-{p}".encode(),
                                 partition=p)
            producer.flush(30)  # an abort drops what is still queued locally; make it reach the log
            if outcome == "commit":
                producer.commit_transaction(30)
            else:
                producer.abort_transaction(30)
        # Each partition ends in a transaction marker, which no consumer ever receives.
        committed = kafka_env.consume_all(kafka_services.bootstrap, topic, timeout=30)
        assert [(r.partition, r.value) for r in committed] == [
            (0, b"commit-0"), (0, b"commit-0"), (1, b"commit-1"), (1, b"commit-1")]
        everything = kafka_env.consume_all(kafka_services.bootstrap, topic, "read_uncommitted",
                                           timeout=30)
        assert [r.key for r in everything if r.partition == 0] == [b"commit", b"abort", b"commit"]
    finally:
        kafka_env.delete_topic(kafka_services.bootstrap, topic)


def test_keyed_records_use_the_java_partitioner(kafka_services):
    # murmur2 of the key, as Kafka's Java client (and Flink) place keyed records.
    topic = kafka_env.create_topic(kafka_services.bootstrap, kafka_env.unique_name("svc.keys"), 3)
    try:
        acks = kafka_env.produce(kafka_services.bootstrap, topic,
                                 [(b"a", b"1"), (b"b", b"2"), (b"c", b"3"), (b"a", b"4")])
        assert [p for p, _ in acks] == [_java_partition(k, 3) for k in (b"a", b"b", b"c", b"a")]
    finally:
        kafka_env.delete_topic(kafka_services.bootstrap, topic)


def _murmur2(key: bytes) -> int:
    """Kafka's Utils.murmur2 (the Java client's key hash) as a signed 32-bit int."""
    m, r, mask = 0x5BD1E995, 24, 0xFFFFFFFF
    h = (0x9747B28C ^ len(key)) & mask
    n4 = len(key) // 4
    for i in range(n4):
        k = int.from_bytes(key[4 * i:4 * i + 4], "little")
        k = (k * m) & mask
        k ^= k >> r
        k = (k * m) & mask
        h = ((h * m) & mask) ^ k
    tail = key[4 * n4:]
    if len(tail) >= 3:
        h ^= tail[2] << 16
    if len(tail) >= 2:
        h ^= tail[1] << 8
    if tail:
        h ^= tail[0]
        h = (h * m) & mask
    h ^= h >> 13
    h = (h * m) & mask
    h ^= h >> 15
    return h - (1 << 32) if h & 0x80000000 else h


def _java_partition(key: bytes, partitions: int) -> int:
    return (_murmur2(key) & 0x7FFFFFFF) % partitions


def test_murmur2_reference_matches_kafka_vectors():
    # The values Kafka's own UtilsTest.testMurmur2 expects.
    assert _murmur2(b"21") == -973932308
    assert _murmur2(b"foobar") == -790332482
    assert _murmur2(b"abc") == 479470107
    assert _murmur2(b"a-little-bit-long-string") == -985981536
    assert _murmur2(b"a-little-bit-longer-string") == -1486304829


SCHEMA = {
    "type": "record", "name": "Reading", "namespace": "sluice.test",
    "fields": [
        {"name": "sensor", "type": "string"},
        {"name": "value", "type": "double"},
        {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "note", "type": ["null", "string"], "default": None},
    ],
}


def test_schema_registers_and_comes_back_by_id(kafka_services):
    url = kafka_services.registry_url
    subject = kafka_env.unique_name("svc-reading") + "-value"
    schema_id = kafka_env.register_schema(url, subject, json.dumps(SCHEMA))
    assert isinstance(schema_id, int) and schema_id > 0
    # Registering the same schema again, under the same or another subject, gives the same id.
    assert kafka_env.register_schema(url, subject, SCHEMA) == schema_id
    other = kafka_env.unique_name("svc-reading-copy") + "-value"
    assert kafka_env.register_schema(url, other, SCHEMA) == schema_id
    fetched = kafka_env.schema_by_id(url, schema_id)
    assert fastavro.parse_schema(fetched) == fastavro.parse_schema(SCHEMA)

    # BACKWARD compatibility is enforced: a new field without a default is refused.
    incompatible = dict(SCHEMA, fields=SCHEMA["fields"] + [{"name": "extra", "type": "int"}])
    try:
        kafka_env.register_schema(url, subject, incompatible)
        raise AssertionError("an incompatible schema was accepted")
    except RuntimeError as e:
        assert "HTTP 409" in str(e)

    assert kafka_env.delete_subject(url, other) == [1]


def test_confluent_avro_framing_round_trips(kafka_services):
    url = kafka_services.registry_url
    subject = kafka_env.unique_name("svc-frame") + "-value"
    schema_id = kafka_env.register_schema(url, subject, SCHEMA)
    parsed = fastavro.parse_schema(SCHEMA)
    record = {"sensor": "s-1", "value": 21.5, "at": 1_700_000_000_123, "note": None}
    data = kafka_env.confluent_avro_bytes(schema_id, parsed, record)
    assert data[0] == 0 and int.from_bytes(data[1:5], "big") == schema_id
    # The body is plain Avro binary: the string's length as a zigzag varint (3 -> 6), its bytes...
    assert data[5:9] == bytes([6]) + b"s-1"
    writer = fastavro.parse_schema(kafka_env.schema_by_id(url, schema_id))
    got_id, got = kafka_env.decode_confluent_avro(data, writer)
    assert got_id == schema_id
    assert got["sensor"] == "s-1" and got["value"] == 21.5 and got["note"] is None
    assert int(got["at"].timestamp() * 1000) == 1_700_000_000_123
