"""Helpers for tests against the real Kafka broker and schema registry of scripts/services.sh.

The clients are ones sluice did not write: confluent_kafka (its own bundled librdkafka) and
fastavro, so a test checks sluice against an independent implementation.

Topics and subjects live as long as the services, which other test sessions share: give them unique
names (unique_name) and do not assume a topic is empty unless you created it.
"""

import io
import json
import struct
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Optional

import fastavro
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

try:  # confluent_kafka >= 2.0 exports it from the package, older versions from admin only
    from confluent_kafka import ConsumerGroupTopicPartitions
except ImportError:  # pragma: no cover
    from confluent_kafka.admin import ConsumerGroupTopicPartitions

BOOTSTRAP = "127.0.0.1:9092"
REGISTRY_URL = "http://127.0.0.1:8085/apis/ccompat/v7"


def unique_name(prefix: str) -> str:
    """prefix + '-' + 8 random hex digits: topic, subject and group names that never collide."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _admin(bootstrap: str) -> AdminClient:
    return AdminClient({"bootstrap.servers": bootstrap})


# ---- topics ------------------------------------------------------------------------------------

def create_topic(bootstrap: str, name: str, partitions: int = 1, config: Optional[dict] = None,
                 timeout: float = 30.0) -> str:
    """Creates topic `name` (exactly that name) and returns once the broker's metadata shows all
    its partitions with a leader. Fails if the topic exists: pass a unique name."""
    admin = _admin(bootstrap)
    futures = admin.create_topics(
        [NewTopic(name, num_partitions=partitions, replication_factor=1, config=config or {})],
        operation_timeout=timeout, request_timeout=timeout)
    futures[name].result(timeout=timeout)
    deadline = time.monotonic() + timeout
    while True:
        md = admin.list_topics(topic=name, timeout=5).topics.get(name)
        if (md is not None and md.error is None and len(md.partitions) == partitions
                and all(p.leader >= 0 and p.error is None for p in md.partitions.values())):
            return name
        if time.monotonic() > deadline:
            raise TimeoutError(f"topic {name}: metadata does not show {partitions} partitions "
                               f"with leaders after {timeout}s ({md})")
        time.sleep(0.1)


def delete_topic(bootstrap: str, name: str, timeout: float = 30.0) -> None:
    """Deletes the topic and waits until the metadata no longer lists it (a missing topic is
    fine)."""
    admin = _admin(bootstrap)
    try:
        admin.delete_topics([name], operation_timeout=timeout, request_timeout=timeout)[name] \
            .result(timeout=timeout)
    except KafkaException as e:
        if e.args[0].code() != KafkaError.UNKNOWN_TOPIC_OR_PART:
            raise
    deadline = time.monotonic() + timeout
    while name in admin.list_topics(timeout=5).topics:
        if time.monotonic() > deadline:
            raise TimeoutError(f"topic {name} still listed {timeout}s after its deletion")
        time.sleep(0.1)


def partitions_of(bootstrap: str, topic: str, timeout: float = 10.0) -> list:
    md = _admin(bootstrap).list_topics(topic=topic, timeout=timeout).topics.get(topic)
    if md is None:
        raise KafkaException(KafkaError(KafkaError.UNKNOWN_TOPIC_OR_PART, f"no topic {topic}"))
    if md.error is not None:
        raise KafkaException(md.error)
    return sorted(md.partitions)


# ---- produce / consume -------------------------------------------------------------------------

def produce(bootstrap: str, topic: str, records, timeout: float = 60.0,
            config: Optional[dict] = None) -> list:
    """Produces `records` and waits until the broker has acknowledged every one of them.

    Each record is a tuple (key, value, partition, timestamp_ms, headers); key and value are bytes
    or None, partition None lets the partitioner choose, timestamp_ms None means "now", headers is
    None, a dict or a list of (str, bytes). Shorter tuples are padded with None.

    The partitioner is murmur2_random, the Java client's (and Flink's) choice for keyed records, not
    librdkafka's default. Returns [(partition, offset)] in the order of `records`; raises on the
    first delivery error.
    """
    conf = {"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all",
            "linger.ms": 5, "partitioner": "murmur2_random"}
    conf.update(config or {})
    producer = Producer(conf)
    results: list = [None] * len(records)
    errors: list = []

    def on_delivery(index):
        def callback(err, msg):
            if err is not None:
                errors.append((index, err))
            else:
                results[index] = (msg.partition(), msg.offset())
        return callback

    for i, record in enumerate(records):
        key, value, partition, timestamp_ms, headers = (tuple(record) + (None,) * 5)[:5]
        kwargs = {"key": key, "value": value, "on_delivery": on_delivery(i)}
        if partition is not None:
            kwargs["partition"] = partition
        if timestamp_ms is not None:
            kwargs["timestamp"] = timestamp_ms
        if headers is not None:
            kwargs["headers"] = headers
        for _ in range(1000):  # the local queue is bounded: serve callbacks until there is room
            try:
                producer.produce(topic, **kwargs)
                break
            except BufferError:
                producer.poll(0.05)
        else:
            raise TimeoutError(f"producer queue stayed full while producing to {topic}")
        producer.poll(0)
    remaining = producer.flush(timeout)
    if errors:
        index, err = errors[0]
        raise RuntimeError(f"record {index} to {topic} not delivered: {err}")
    if remaining or any(r is None for r in results):
        raise TimeoutError(f"{remaining} of {len(records)} records to {topic} not acknowledged "
                           f"after {timeout}s")
    return results


@dataclass
class Record:
    key: Optional[bytes]
    value: Optional[bytes]
    partition: int
    offset: int
    timestamp: int  # ms since the epoch (create or log-append time, as the topic says)
    headers: list = field(default_factory=list)  # [(str, bytes)]


def end_offsets(bootstrap: str, topic: str, isolation: str = "read_committed") -> dict:
    """{partition: end offset}: the high watermark, or the last stable offset for read_committed."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": unique_name("kafka-env"),
                         "isolation.level": isolation, "enable.auto.commit": False})
    try:
        return {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10,
                                                  cached=False)[1]
                for p in partitions_of(bootstrap, topic)}
    finally:
        consumer.close()


def consume_all(bootstrap: str, topic: str, isolation: str = "read_committed",
                timeout: float = 60.0) -> list:
    """Every record of `topic` from the beginning up to the end offsets taken when the call starts
    (the last stable offsets for read_committed, so open transactions are not waited for), sorted
    by (partition, offset). Uses no consumer group: nothing is committed."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": unique_name("kafka-env"),
                         "isolation.level": isolation, "enable.auto.commit": False,
                         "enable.partition.eof": True, "auto.offset.reset": "earliest"})
    try:
        pending, start = {}, {}
        for p in partitions_of(bootstrap, topic):
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10,
                                                       cached=False)
            if high > low:
                pending[p], start[p] = high, low
        consumer.assign([TopicPartition(topic, p, start[p]) for p in pending])
        records = []
        deadline = time.monotonic() + timeout
        while pending:
            if time.monotonic() > deadline:
                raise TimeoutError(f"consume_all({topic}): partitions {sorted(pending)} did not "
                                   f"reach their end offsets {pending} in {timeout}s")
            msg = consumer.poll(0.2)
            if msg is None:
                continue
            p = msg.partition()
            if msg.error() is not None:
                # End of partition: also how we learn that trailing transaction markers or aborted
                # records (never delivered) have been passed.
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    if p in pending and msg.offset() >= pending[p]:
                        del pending[p]
                    continue
                raise KafkaException(msg.error())
            if p not in pending or msg.offset() >= pending[p]:
                continue
            records.append(Record(msg.key(), msg.value(), p, msg.offset(), msg.timestamp()[1],
                                  list(msg.headers() or [])))
            if msg.offset() + 1 >= pending[p]:
                del pending[p]
        records.sort(key=lambda r: (r.partition, r.offset))
        return records
    finally:
        consumer.close()


def group_offsets(bootstrap: str, group: str, topic: str, timeout: float = 10.0) -> dict:
    """{partition: committed offset or None} of consumer group `group` for every partition of
    `topic` (None: nothing committed)."""
    admin = _admin(bootstrap)
    request = ConsumerGroupTopicPartitions(
        group, [TopicPartition(topic, p) for p in partitions_of(bootstrap, topic)])
    result = admin.list_consumer_group_offsets([request], request_timeout=timeout)[group] \
        .result(timeout=timeout)
    offsets = {}
    for tp in result.topic_partitions:
        if tp.error is not None:
            raise KafkaException(tp.error)
        offsets[tp.partition] = tp.offset if tp.offset >= 0 else None
    return offsets


# ---- schema registry (Confluent API) -----------------------------------------------------------

def _registry(method: str, url: str, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/vnd.schemaregistry.v1+json",
        "Accept": "application/vnd.schemaregistry.v1+json, application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {url}: HTTP {e.code}: {e.read().decode(errors='replace')}") \
            from None


def register_schema(registry_url: str, subject: str, schema_json, schema_type: str = "AVRO") -> int:
    """Registers the schema (a JSON string, or a dict/list that is serialised) under `subject` and
    returns its id. The same schema under another subject gets the same id (Confluent semantics)."""
    schema = schema_json if isinstance(schema_json, str) else json.dumps(schema_json)
    body = {"schema": schema}
    if schema_type != "AVRO":
        body["schemaType"] = schema_type
    return _registry("POST", f"{registry_url}/subjects/{subject}/versions", body)["id"]


def schema_by_id(registry_url: str, schema_id: int):
    """The parsed JSON of the schema with that id (`GET /schemas/ids/{id}`). Compare it as parsed
    JSON: the registry may return it compacted or reformatted."""
    return json.loads(_registry("GET", f"{registry_url}/schemas/ids/{schema_id}")["schema"])


def delete_subject(registry_url: str, subject: str) -> list:
    """Soft-deletes the subject; returns the deleted version numbers."""
    return _registry("DELETE", f"{registry_url}/subjects/{subject}")


# ---- Confluent wire format ---------------------------------------------------------------------

_MAGIC = 0


def confluent_avro_bytes(schema_id: int, parsed_schema, record) -> bytes:
    """Magic byte 0, the schema id as a 4-byte big-endian integer, then the Avro binary body.
    `parsed_schema` comes from fastavro.parse_schema."""
    out = io.BytesIO()
    out.write(struct.pack(">bI", _MAGIC, schema_id))
    fastavro.schemaless_writer(out, parsed_schema, record)
    return out.getvalue()


def decode_confluent_avro(data: bytes, writer_schema, reader_schema=None):
    """The inverse of confluent_avro_bytes: returns (schema_id, record). `writer_schema` is the
    parsed schema the bytes were written with (look it up by the id if needed); `reader_schema`, if
    given, applies Avro schema resolution."""
    if len(data) < 5 or data[0] != _MAGIC:
        raise ValueError(f"not Confluent-framed Avro (first bytes {data[:5]!r})")
    schema_id = struct.unpack(">I", data[1:5])[0]
    body = io.BytesIO(data[5:])
    record = fastavro.schemaless_reader(body, writer_schema, reader_schema)
    if body.tell() != len(data) - 5:
        raise ValueError(f"{len(data) - 5 - body.tell()} bytes left after the Avro record")
    return schema_id, record
