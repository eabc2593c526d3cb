"""The kafka and upsert-kafka connectors against a real broker (scripts/services.sh), checked with
clients sluice did not write (confluent_kafka, DuckDB):

- a keyed JSON topic with 6 partitions and out-of-order timestamps through event-time windows
  gives exactly what DuckDB batch SQL gives over the produced records;
- metadata columns (topic, partition, offset, timestamp, timestamp-type) match what the broker
  stored;
- the kafka sink writes one message per row, keyed and partitioned like the Java client;
- upsert-kafka turns updates into keyed values and deletes into tombstones, and reads them back;
- two sluice processes in one consumer group split the partitions, and when one is stopped the
  other takes its partitions over: with at-least-once every record reaches an output.
"""

import datetime
import json
import random
import signal
import subprocess
import time

import duckdb
import pytest

import kafka_env
from conftest import sluice_binary

BOOTSTRAP = kafka_env.BOOTSTRAP


def murmur2(data: bytes) -> int:
    """The Java client's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), 32-bit unsigned."""
    m, r = 0x5BD1E995, 24
    length = len(data)
    h = (0x9747B28C ^ length) & 0xFFFFFFFF
    for i in range(length // 4):
        k = int.from_bytes(data[4 * i:4 * i + 4], "little")
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> r
        k = (k * m) & 0xFFFFFFFF
        h = (h * m) & 0xFFFFFFFF
        h ^= k
    tail = length & ~3
    rest = length % 4
    if rest >= 3:
        h ^= data[tail + 2] << 16
    if rest >= 2:
        h ^= data[tail + 1] << 8
    if rest >= 1:
        h ^= data[tail]
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h


def epoch_millis(text):
    """'2026-03-01 12:00:00.123Z' (a TIMESTAMP_LTZ in the JSON sink) -> ms since the epoch."""
    parsed = datetime.datetime.strptime(text.rstrip("Z"), "%Y-%m-%d %H:%M:%S.%f")
    return int(parsed.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000 + 0.5)


def java_partition(key: bytes, partitions: int) -> int:
    return (murmur2(key) & 0x7FFFFFFF) % partitions


def read_json_rows(directory):
    """Rows of every part file (finished or in progress) of a filesystem sink directory."""
    rows = []
    if not directory.exists():
        return rows
    for f in sorted(directory.iterdir()):
        if not f.is_file():
            continue
        for line in f.read_text().splitlines():
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    pass  # a half-written last line of a killed process
    return rows


def kafka_table(name, topic, columns, extra=""):
    return f"""
CREATE TABLE {name} (
{columns}
) WITH (
  'connector' = 'kafka',
  'topic' = '{topic}',
  'properties.bootstrap.servers' = '{BOOTSTRAP}'{extra}
);
"""


# ---- windows over a keyed, out-of-order JSON topic ------------------------------------------

def produce_events(topic, rows=6000, seed=11):
    """Keyed JSON events whose timestamps are out of order by less than 4 s (so with a 5 s
    watermark delay no row can be late, whatever the partition interleaving)."""
    import random
    rng = random.Random(seed)
    base = 1772366400000  # 2026-03-01 12:00:00 UTC
    records, events = [], []
    for i in range(rows):
        user = f"u{rng.randint(1, 40)}"
        t = base + i * 53 - rng.randint(0, 3900)
        event = {"user_id": user, "amount": rng.randint(1, 9999) / 100, "kind":
                 rng.choice(["buy", "buy", "refund"]), "ts": t}
        events.append(event)
        ts_text = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t / 1000)) + f".{t % 1000:03d}"
        value = {"user_id": user, "amount": event["amount"], "kind": event["kind"], "ts": ts_text}
        records.append((user.encode(), json.dumps(value).encode()))
    kafka_env.produce(BOOTSTRAP, topic, records)
    return events


WINDOW_PIPELINE = """
SET 'parallelism.default' = '{parallelism}';
{source}
CREATE TABLE per_user (
  user_id STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, total DOUBLE
) WITH ('connector' = 'duckdb', 'path' = 'out/w.duckdb', 'table-name' = 'per_user');

INSERT INTO per_user
SELECT user_id, window_start, window_end, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
WHERE kind = 'buy'
GROUP BY user_id, window_start, window_end;
"""


@pytest.mark.parametrize("parallelism", [1, 2])
def test_keyed_json_topic_windows_match_duckdb(sluice, kafka_services, parallelism):
    topic = kafka_env.create_topic(BOOTSTRAP, kafka_env.unique_name("kc-events"), partitions=6)
    events = produce_events(topic)
    source = kafka_table("events", topic, """
  user_id STRING, amount DOUBLE, kind STRING, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND""", """,
  'properties.group.id' = '""" + kafka_env.unique_name("kc-windows") + """',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'key.format' = 'raw',
  'key.fields' = 'user_id',
  'value.format' = 'json'""")
    (sluice.workdir / "pipeline.sql").write_text(
        WINDOW_PIPELINE.format(parallelism=parallelism, source=source))
    proc = sluice.run("run", "pipeline.sql", timeout=180)
    assert "late    0 rows" in proc.stderr + proc.stdout

    con = duckdb.connect()
    con.execute("CREATE TABLE e (user_id VARCHAR, amount DOUBLE, kind VARCHAR, ts BIGINT)")
    con.executemany("INSERT INTO e VALUES (?, ?, ?, ?)",
                    [(e["user_id"], e["amount"], e["kind"], e["ts"]) for e in events])
    expected = con.execute("""
        SELECT user_id, time_bucket(INTERVAL '1 minute', make_timestamp(ts * 1000)) AS ws,
               count(*) AS n, round(sum(amount), 6)
        FROM e WHERE kind = 'buy' GROUP BY ALL ORDER BY user_id, ws""").fetchall()
    out = duckdb.connect(str(sluice.workdir / "out" / "w.duckdb"), read_only=True)
    got = out.execute("""
        SELECT user_id, window_start, n, round(total, 6) FROM per_user
        ORDER BY user_id, window_start""").fetchall()
    assert got == expected
    assert all(row[1] is not None for row in got)


# ---- metadata columns -------------------------------------------------------------------------

def test_metadata_columns_match_the_broker(sluice, kafka_services):
    topic = kafka_env.create_topic(BOOTSTRAP, kafka_env.unique_name("kc-meta"), partitions=3)
    records = [(f"k{i}".encode(), json.dumps({"id": i}).encode(), i % 3, 1772366400000 + i * 1000)
               for i in range(30)]
    records.append((b"tomb", None, 0, None))  # tombstone: skipped by the kafka source
    kafka_env.produce(BOOTSTRAP, topic, records)
    stored = {(r.partition, r.offset): r for r in kafka_env.consume_all(BOOTSTRAP, topic)}
    sql = kafka_table("src", topic, """
  id BIGINT,
  `topic` STRING METADATA VIRTUAL,
  `partition` INT METADATA VIRTUAL,
  `offset` BIGINT METADATA VIRTUAL,
  ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
  ts_type STRING METADATA FROM 'timestamp-type' VIRTUAL,
  epoch INT METADATA FROM 'leader-epoch' VIRTUAL""", """,
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json'""") + """
CREATE TABLE dst (id BIGINT, t STRING, p INT, o BIGINT, ts TIMESTAMP_LTZ(3), tt STRING, epoch INT)
WITH ('connector' = 'filesystem', 'path' = 'out/meta', 'format' = 'json');
INSERT INTO dst SELECT id, `topic`, `partition`, `offset`, ts, ts_type, epoch FROM src;
"""
    (sluice.workdir / "meta.sql").write_text(sql)
    sluice.run("run", "meta.sql", timeout=120)
    rows = read_json_rows(sluice.workdir / "out" / "meta")
    assert len(rows) == 30
    for row in rows:
        record = stored[(row["p"], row["o"])]
        assert json.loads(record.value)["id"] == row["id"]
        assert row["t"] == topic
        assert row["tt"] == "CreateTime"
        assert row["epoch"] is None
        assert epoch_millis(row["ts"]) == record.timestamp


# ---- startup and bounded modes (the broker's time index; the mock cluster has none) ----------

def test_timestamp_and_specific_offset_start_and_end(sluice, kafka_services):
    """Replaying history (Kappa): start at a time or at offsets, end at a time or at offsets."""
    topic = kafka_env.create_topic(BOOTSTRAP, kafka_env.unique_name("kc-modes"), partitions=2)
    base = 1772366400000
    records = [(None, json.dumps({"id": i}).encode(), i % 2, base + i * 1000) for i in range(40)]
    acked = kafka_env.produce(BOOTSTRAP, topic, records)

    def run(name, options):
        sql = kafka_table("src", topic, "  id BIGINT", ",\n  'format' = 'json'" + options) + f"""
CREATE TABLE dst (id BIGINT) WITH ('connector' = 'filesystem', 'path' = 'out/{name}',
                                   'format' = 'json');
INSERT INTO dst SELECT id FROM src;
"""
        (sluice.workdir / f"{name}.sql").write_text(sql)
        sluice.run("run", f"{name}.sql", timeout=120)
        return sorted(r["id"] for r in read_json_rows(sluice.workdir / "out" / name))

    # From the first record at or after t(10) to the first at or after t(30), exclusive.
    got = run("by_time", f""",
  'scan.startup.mode' = 'timestamp',
  'scan.startup.timestamp-millis' = '{base + 10_000}',
  'scan.bounded.mode' = 'timestamp',
  'scan.bounded.timestamp-millis' = '{base + 30_000}'""")
    assert got == list(range(10, 30))

    # Partition 0 from offset 3, partition 1 from offset 5; both up to offset 15.
    offsets = {i: acked[i] for i in range(len(records))}
    got = run("by_offset", """,
  'scan.startup.mode' = 'specific-offsets',
  'scan.startup.specific-offsets' = 'partition:0,offset:3;partition:1,offset:5',
  'scan.bounded.mode' = 'specific-offsets',
  'scan.bounded.specific-offsets' = 'partition:0,offset:15;partition:1,offset:15'""")
    want = sorted(i for i, (p, o) in offsets.items()
                  if (p == 0 and 3 <= o < 15) or (p == 1 and 5 <= o < 15))
    assert got == want and len(want) == 22


# ---- kafka sink -------------------------------------------------------------------------------

def test_kafka_sink_round_trip(sluice, kafka_services):
    topic = kafka_env.create_topic(BOOTSTRAP, kafka_env.unique_name("kc-sink"), partitions=4)
    rows = [{"id": i, "name": f"name-{i % 7}", "amount": i * 1.25} for i in range(500)]
    (sluice.workdir / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    sql = f"""
SET 'parallelism.default' = '2';
CREATE TABLE src (id BIGINT, name STRING, amount DOUBLE)
WITH ('connector' = 'filesystem', 'path' = 'in.jsonl', 'format' = 'json');
""" + kafka_table("dst", topic, "  id BIGINT, name STRING, amount DOUBLE", """,
  'key.format' = 'raw',
  'key.fields' = 'name',
  'value.format' = 'json',
  'value.fields-include' = 'EXCEPT_KEY'""") + """
INSERT INTO dst SELECT * FROM src;
"""
    (sluice.workdir / "sink.sql").write_text(sql)
    sluice.run("run", "sink.sql", timeout=120)
    got = kafka_env.consume_all(BOOTSTRAP, topic)
    assert len(got) == 500
    seen = []
    for record in got:
        value = json.loads(record.value)  # one JSON object, no trailing newline
        assert not record.value.endswith(b"\n")
        assert set(value) == {"id", "amount"}
        assert record.partition == java_partition(record.key, 4), record.key
        seen.append({"id": value["id"], "name": record.key.decode(), "amount": value["amount"]})
    assert sorted(seen, key=lambda r: r["id"]) == rows


def test_kafka_sink_rejects_updates_and_exactly_once(sluice, kafka_services):
    topic = kafka_env.create_topic(BOOTSTRAP, kafka_env.unique_name("kc-reject"))
    (sluice.workdir / "in.jsonl").write_text('{"name": "a"}\n')
    base = """
CREATE TABLE src (name STRING)
WITH ('connector' = 'filesystem', 'path' = 'in.jsonl', 'format' = 'json');
"""
    updating = base + kafka_table("dst", topic, "  name STRING, n BIGINT",
                                  ",\n  'format' = 'json'") + \
        "INSERT INTO dst SELECT name, COUNT(*) FROM src GROUP BY name;\n"
    (sluice.workdir / "u.sql").write_text(updating)
    proc = sluice.run("run", "u.sql", check=False)
    assert proc.returncode == 2, proc.stderr
    assert "only accepts inserts" in proc.stderr and "upsert-kafka" in proc.stderr
    exactly = base + kafka_table("dst", topic, "  name STRING", """,
  'format' = 'json', 'sink.delivery-guarantee' = 'exactly-once'""") + \
        "INSERT INTO dst SELECT name FROM src;\n"
    (sluice.workdir / "e.sql").write_text(exactly)
    proc = sluice.run("run", "e.sql", check=False)
    assert proc.returncode == 2, proc.stderr
    assert "exactly-once" in proc.stderr and "execution.checkpointing.interval" in proc.stderr


# ---- upsert-kafka -----------------------------------------------------------------------------

def test_upsert_kafka_writes_updates_and_tombstones(sluice, kafka_services):
    source_topic = kafka_env.create_topic(BOOTSTRAP, kafka_env.unique_name("kc-up-in"), 2)
    counts_topic = kafka_env.create_topic(BOOTSTRAP, kafka_env.unique_name("kc-up-counts"), 2)
    copy_topic = kafka_env.create_topic(BOOTSTRAP, kafka_env.unique_name("kc-up-copy"), 2)
    records = [
        (b'{"id":1}', b'{"id":1,"name":"a"}'),
        (b'{"id":2}', b'{"id":2,"name":"b"}'),
        (b'{"id":3}', b'{"id":3,"name":"a"}'),
        (b'{"id":1}', b'{"id":1,"name":"c"}'),
        (b'{"id":2}', None),  # delete id 2
    ]
    kafka_env.produce(BOOTSTRAP, source_topic, records)
    upsert = """
CREATE TABLE {name} ({columns}, PRIMARY KEY ({key}) NOT ENFORCED) WITH (
  'connector' = 'upsert-kafka',
  'topic' = '{topic}',
  'properties.bootstrap.servers' = '{bootstrap}',
  'key.format' = 'json',
  'value.format' = 'json'{extra}
);
"""
    sql = upsert.format(name="users", columns="id BIGINT, name STRING", key="id",
                        topic=source_topic, bootstrap=BOOTSTRAP,
                        extra=",\n  'scan.bounded.mode' = 'latest-offset'")
    sql += upsert.format(name="users_copy", columns="id BIGINT, name STRING", key="id",
                         topic=copy_topic, bootstrap=BOOTSTRAP, extra="")
    sql += "INSERT INTO users_copy SELECT id, name FROM users;\n"
    (sluice.workdir / "copy.sql").write_text(sql)
    sluice.run("run", "copy.sql", timeout=120)
    copied = kafka_env.consume_all(BOOTSTRAP, copy_topic)
    by_key = {}
    for record in copied:
        by_key.setdefault(json.loads(record.key)["id"], []).append(
            None if record.value is None else json.loads(record.value)["name"])
        assert record.partition == java_partition(record.key, 2)
    assert by_key == {1: ["a", "c"], 2: ["b", None], 3: ["a"]}

    # An updating query into upsert-kafka: -U is not written, the last value per key is the
    # result.
    counts = upsert.format(name="counts", columns="name STRING, n BIGINT", key="name",
                           topic=counts_topic, bootstrap=BOOTSTRAP, extra="")
    names = ["a", "b", "a", "c", "a", "b"]
    (sluice.workdir / "names.jsonl").write_text("".join(json.dumps({"name": n}) + "\n"
                                                        for n in names))
    sql = """
CREATE TABLE names (name STRING)
WITH ('connector' = 'filesystem', 'path' = 'names.jsonl', 'format' = 'json');
""" + counts + "INSERT INTO counts SELECT name, COUNT(*) FROM names GROUP BY name;\n"
    (sluice.workdir / "counts.sql").write_text(sql)
    sluice.run("run", "counts.sql", timeout=120)
    final = {}
    for record in kafka_env.consume_all(BOOTSTRAP, counts_topic):
        assert record.value is not None
        final[json.loads(record.key)["name"]] = json.loads(record.value)["n"]
    assert final == {"a": 3, "b": 2, "c": 1}


def test_upsert_kafka_into_group_by_gives_exact_totals(sluice, kafka_services):
    """Upserts (+U without -U), duplicates, tombstones and tombstones of unknown keys read back
    through ChangelogNormalize at parallelism 4 into a GROUP BY: the totals are exact."""
    source_topic = kafka_env.create_topic(BOOTSTRAP, kafka_env.unique_name("kc-up-sum-in"), 4)
    totals_topic = kafka_env.create_topic(BOOTSTRAP, kafka_env.unique_name("kc-up-sum-out"), 3)
    rng = random.Random(20240611)
    owners = ["ann", "bob", "cat", "dan", "eve"]
    state = {}  # account -> (owner, amount): what the topic means, applied in order
    records = []
    for _ in range(3000):
        account = rng.randrange(60)
        key = json.dumps({"account": account}).encode()
        dice = rng.random()
        if dice < 0.15:
            records.append((key, None))  # a tombstone, maybe of an unknown account
            state.pop(account, None)
        elif dice < 0.3 and account in state:
            owner, amount = state[account]  # the same row again
            records.append((key, json.dumps({"account": account, "owner": owner,
                                             "amount": amount}).encode()))
        else:
            owner, amount = rng.choice(owners), rng.randrange(-5, 100)
            records.append((key, json.dumps({"account": account, "owner": owner,
                                             "amount": amount}).encode()))
            state[account] = (owner, amount)
    # Tombstones of accounts never written.
    for account in (1000, 1001):
        records.append((json.dumps({"account": account}).encode(), None))
    kafka_env.produce(BOOTSTRAP, source_topic, records)

    expected = {}
    for owner, amount in state.values():
        total, count = expected.get(owner, (0, 0))
        expected[owner] = (total + amount, count + 1)

    sql = f"""
SET 'parallelism.default' = '4';
CREATE TABLE balances (
  account BIGINT, owner STRING, amount BIGINT, PRIMARY KEY (account) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = '{source_topic}',
  'properties.bootstrap.servers' = '{BOOTSTRAP}',
  'key.format' = 'json',
  'value.format' = 'json',
  'scan.bounded.mode' = 'latest-offset'
);
CREATE TABLE totals (
  owner STRING, total BIGINT, accounts BIGINT, PRIMARY KEY (owner) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = '{totals_topic}',
  'properties.bootstrap.servers' = '{BOOTSTRAP}',
  'key.format' = 'json',
  'value.format' = 'json'
);
INSERT INTO totals SELECT owner, SUM(amount), COUNT(*) FROM balances GROUP BY owner;
"""
    (sluice.workdir / "totals.sql").write_text(sql)
    explained = sluice.run("explain", "totals.sql", timeout=120)
    assert "ChangelogNormalize(key=[account])" in explained.stdout, explained.stdout
    sluice.run("run", "totals.sql", timeout=180)
    final = {}
    for record in kafka_env.consume_all(BOOTSTRAP, totals_topic):
        owner = json.loads(record.key)["owner"]
        if record.value is None:
            final.pop(owner, None)
        else:
            value = json.loads(record.value)
            final[owner] = (value["total"], value["accounts"])
    assert final == expected


# ---- two processes, one consumer group --------------------------------------------------------

GROUP_PIPELINE = """
SET 'parallelism.default' = '2';
{source}
CREATE TABLE dst (id BIGINT, p INT)
WITH ('connector' = 'filesystem', 'path' = '{out}', 'format' = 'json',
      'sink.rolling-policy.rollover-interval' = '1 s');
INSERT INTO dst SELECT id, `partition` FROM src;
"""


def start_sluice(workdir, name, sql):
    (workdir / f"{name}.sql").write_text(sql)
    log = open(workdir / f"{name}.log", "w")
    return subprocess.Popen([str(sluice_binary()), "run", f"{name}.sql"], cwd=workdir,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc, grace=30):
    """SIGTERM (drain and flush), then SIGKILL if it does not exit in time. True when graceful."""
    if proc.poll() is not None:
        return True
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
        return True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=30)
        return False


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def group_members(group):
    """Members of a stable consumer group with partitions assigned, else 0."""
    from confluent_kafka import ConsumerGroupState
    from confluent_kafka.admin import AdminClient
    admin = AdminClient({"bootstrap.servers": BOOTSTRAP})
    try:
        description = admin.describe_consumer_groups([group], request_timeout=5)[group].result()
    except Exception:  # noqa: BLE001 - not created yet
        return 0
    if description.state != ConsumerGroupState.STABLE:
        return 0
    return sum(1 for m in description.members
               if m.assignment and m.assignment.topic_partitions)


def test_two_processes_split_a_group_and_the_survivor_takes_over(tmp_path, kafka_services):
    topic = kafka_env.create_topic(BOOTSTRAP, kafka_env.unique_name("kc-group"), partitions=6)
    group = kafka_env.unique_name("kc-group")
    source = kafka_table("src", topic, "  id BIGINT, `partition` INT METADATA VIRTUAL", f""",
  'properties.group.id' = '{group}',
  'properties.auto.offset.reset' = 'earliest',
  'scan.startup.mode' = 'group-offsets',
  'format' = 'json'""")
    a = start_sluice(tmp_path, "a", GROUP_PIPELINE.format(source=source, out="out-a"))
    b = start_sluice(tmp_path, "b", GROUP_PIPELINE.format(source=source, out="out-b"))
    try:
        # Records are produced once both processes (two readers each) are in the group, so that
        # each one reads its share.
        wait_until(lambda: group_members(group) == 4, 60, "four consumers in the group")
        first = [(f"k{i}".encode(), json.dumps({"id": i}).encode()) for i in range(3000)]
        kafka_env.produce(BOOTSTRAP, topic, first)
        ends = kafka_env.end_offsets(BOOTSTRAP, topic)

        def committed_all(targets):
            def check():
                offsets = kafka_env.group_offsets(BOOTSTRAP, group, topic)
                return all((offsets.get(p) or -1) >= end for p, end in targets.items())
            return check

        # Both read (commits every 5 s), then A is stopped.
        wait_until(committed_all(ends), 90, "the group to commit the first records")
        assert a.poll() is None and b.poll() is None, "a process died"
        graceful = stop(a)
        a_rows = read_json_rows(tmp_path / "out-a")
        assert a_rows, "process A read nothing: the group did not split the partitions"
        # B takes A's partitions over and reads what comes next.
        second = [(f"k{i}".encode(), json.dumps({"id": i}).encode()) for i in range(3000, 6000)]
        kafka_env.produce(BOOTSTRAP, topic, second)
        ends = kafka_env.end_offsets(BOOTSTRAP, topic)
        wait_until(committed_all(ends), 120, "the survivor to commit every partition's end")
        assert b.poll() is None, "process B died"
    finally:
        stop(a, grace=5)
        stop(b)
    a_rows = read_json_rows(tmp_path / "out-a")
    b_rows = read_json_rows(tmp_path / "out-b")
    ids = {r["id"] for r in a_rows} | {r["id"] for r in b_rows}
    missing = set(range(6000)) - ids
    assert not missing, f"{len(missing)} records lost (A stopped gracefully: {graceful})"
    # A held some partitions, B ended with all of them.
    assert {r["p"] for r in a_rows} < set(range(6))
    assert {r["p"] for r in b_rows if r["id"] >= 3000} == set(range(6))
