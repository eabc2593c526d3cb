"""Chaos: kill -9 sluice at random moments, restart it each time, and check that the committed
output equals an independent reference exactly — no missing row, no duplicate (issue 4).

1 M JSON orders are produced into a 4-partition topic before sluice starts (`sluice produce
--raw-path` keeps what was sent, the reference's input). The pipeline — the seed's 1-minute
TUMBLE and an updating per-customer aggregate — writes to a transactional Kafka topic, DuckDB and
files. A source rate limit stretches the run so that at least 20 kills land mid-way; every other
restart also arms a crash point (SLUICE_CRASH_POINT) in a window too narrow for random timing.
The reference is DuckDB batch SQL over the produced rows; Kafka is read with read_committed."""

import decimal
import json
import os
import random
import signal
import subprocess
import time

import duckdb

import kafka_env
from conftest import ROOT, sluice_binary

EVENTS = int(os.environ.get("SLUICE_CHAOS_EVENTS", "1000000"))
KILLS = int(os.environ.get("SLUICE_CHAOS_KILLS", "20"))
CRASH_POINTS = ["after-manifest", "kafka-mid-produce", "kafka-before-commit-transaction",
                "kafka-after-commit-before-log-delete", "duckdb-after-precommit",
                "duckdb-mid-commit", "file-mid-rename"]


def pipeline_sql(topic, out_topic, state_dir, bootstrap):
    return f"""
SET 'parallelism.default' = '2';
SET 'pipeline.name' = 'chaos';
SET 'execution.checkpointing.interval' = '300 ms';
SET 'state.checkpoints.dir' = '{state_dir}';
SET 'sluice.source.max-rows-per-second' = '20000';

CREATE TABLE orders (
    order_id    STRING,
    customer_id STRING,
    amount      DOUBLE,
    status      STRING,
    `timestamp` BIGINT,
    event_time AS TO_TIMESTAMP_LTZ(`timestamp`, 3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'kafka',
    'topic' = '{topic}',
    'properties.bootstrap.servers' = '{bootstrap}',
    'properties.group.id' = 'chaos-{topic}',
    'scan.startup.mode' = 'earliest-offset',
    'scan.bounded.mode' = 'latest-offset',
    'format' = 'json'
);

CREATE TABLE windows_kafka (window_start TIMESTAMP(3), window_end TIMESTAMP(3),
                            orders BIGINT, revenue DOUBLE) WITH (
    'connector' = 'kafka',
    'topic' = '{out_topic}',
    'properties.bootstrap.servers' = '{bootstrap}',
    'format' = 'json',
    'sink.delivery-guarantee' = 'exactly-once',
    'sink.transactional-id-prefix' = 'chaos-{out_topic}'
);
CREATE TABLE windows_duckdb (window_start TIMESTAMP(3), window_end TIMESTAMP(3),
                             orders BIGINT, revenue DOUBLE) WITH (
    'connector' = 'duckdb', 'path' = 'out/warehouse.duckdb', 'table-name' = 'windows');
CREATE TABLE windows_files (window_start TIMESTAMP(3), window_end TIMESTAMP(3),
                            orders BIGINT, revenue DOUBLE) WITH (
    'connector' = 'filesystem', 'path' = 'out/windows', 'format' = 'json');
CREATE TABLE customers_duckdb (customer_id STRING, orders BIGINT, revenue DOUBLE,
                               PRIMARY KEY (customer_id) NOT ENFORCED) WITH (
    'connector' = 'duckdb', 'path' = 'out/warehouse.duckdb', 'table-name' = 'customers');

EXECUTE STATEMENT SET
BEGIN
INSERT INTO windows_kafka
SELECT window_start, window_end, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end;
INSERT INTO windows_duckdb
SELECT window_start, window_end, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end;
INSERT INTO windows_files
SELECT window_start, window_end, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end;
INSERT INTO customers_duckdb
SELECT customer_id, COUNT(*), SUM(amount) FROM orders GROUP BY customer_id;
END;
"""


def manifests(state_dir):
    pipeline = state_dir / "chaos"
    if not pipeline.exists():
        return set()
    return {p.name for p in pipeline.iterdir()
            if p.name.startswith("chk-") and (p / "MANIFEST.json").exists()}


def start(workdir, env_extra):
    env = dict(os.environ, **env_extra)
    log = open(workdir / "run.log", "a")
    log.write(f"\n==== start {env_extra}\n")
    log.flush()
    return subprocess.Popen([str(sluice_binary()), "run", "--quiet", "chaos.sql"], cwd=workdir,
                            stdout=log, stderr=subprocess.STDOUT, env=env)


def wait_for(condition, timeout, what, proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def reference(raw_path):
    con = duckdb.connect()
    con.execute(f"""CREATE TABLE orders AS SELECT customer_id, amount,
                    make_timestamp(CAST("timestamp" AS BIGINT) * 1000) AS ts
                    FROM read_json('{raw_path}', format = 'newline_delimited')""")
    windows = con.execute("""
        SELECT time_bucket(INTERVAL '1 minute', ts) AS ws, count(*), sum(amount)
        FROM orders GROUP BY ws ORDER BY ws""").fetchall()
    customers = con.execute("""
        SELECT customer_id, count(*), sum(amount) FROM orders
        GROUP BY customer_id ORDER BY customer_id""").fetchall()
    return ({ws.strftime("%Y-%m-%d %H:%M:%S"): (n, s) for ws, n, s in windows},
            {c: (n, s) for c, n, s in customers})


def window_key(text):
    # '2026-01-01 00:01:00' or '2026-01-01T00:01:00[.000]' -> '2026-01-01 00:01:00'
    return str(text).replace("T", " ")[:19]


def check_windows(name, rows, expected):
    """rows: [(window_start, count, sum)]. Returns (duplicates, missing)."""
    seen = {}
    for start, count, total in rows:
        seen.setdefault(window_key(start), []).append((count, total))
    duplicates = sum(len(v) - 1 for v in seen.values())
    missing = len(set(expected) - set(seen))
    assert set(seen) <= set(expected), f"{name}: windows not in the reference"
    for start, values in seen.items():
        for count, total in values:
            exp_count, exp_total = expected[start]
            assert count == exp_count, f"{name} {start}: count {count} != {exp_count}"
            assert abs(total - exp_total) <= 1e-6 * max(1.0, abs(exp_total)), \
                f"{name} {start}: sum {total} != {exp_total}"
    return duplicates, missing


def test_kill_nine_twenty_times_then_exact_output(tmp_path, kafka_services):
    bootstrap = kafka_services.bootstrap
    topic = kafka_env.unique_name("chaos-in")
    out_topic = kafka_env.unique_name("chaos-out")
    kafka_env.create_topic(bootstrap, out_topic, partitions=1)
    (tmp_path / "out").mkdir()
    produced = subprocess.run(
        [str(sluice_binary()), "produce", "--topic", topic, "--bootstrap", bootstrap,
         "--partitions", "4", "--count", str(EVENTS), "--seed", "42", "--event-rate", "100",
         "--out-of-order", "2s", "--late-ratio", "0", "--raw-path", "out/raw.jsonl", "--quiet"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert produced.returncode == 0, produced.stderr
    state_dir = tmp_path / "state"
    (tmp_path / "chaos.sql").write_text(pipeline_sql(topic, out_topic, state_dir, bootstrap))

    rng = random.Random(int(os.environ.get("SLUICE_CHAOS_SEED", "4")))
    kills = 0
    crash_points_hit = 0
    finished_early = False
    while kills < KILLS:
        before = manifests(state_dir)
        env = {}
        if kills % 2 == 1:
            env["SLUICE_CRASH_POINT"] = f"{rng.choice(CRASH_POINTS)}:{rng.randint(1, 3)}"
        proc = start(tmp_path, env)
        progressed = wait_for(lambda: manifests(state_dir) - before, 120,
                              "a new checkpoint", proc)
        if progressed:
            time.sleep(rng.uniform(0, 1.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        code = proc.wait(timeout=60)
        if code == 0:
            finished_early = True
            break
        assert code == -signal.SIGKILL, f"run ended with {code}: see {tmp_path}/run.log\n" + \
            (tmp_path / "run.log").read_text()[-4000:]
        if env and not progressed:
            crash_points_hit += 1
        kills += 1
    assert not finished_early, f"the job finished after {kills} kills: slow it down"

    final = start(tmp_path, {})
    code = final.wait(timeout=600)
    log = (tmp_path / "run.log").read_text()
    assert code == 0, f"final run exited {code}:\n{log[-6000:]}"

    windows, customers = reference(tmp_path / "out" / "raw.jsonl")

    kafka_rows, duck_rows, customer_rows = read_outputs(tmp_path, bootstrap, out_topic)
    file_rows = []
    leftovers = []
    for path in sorted((tmp_path / "out" / "windows").rglob("*")):
        if path.is_dir():
            continue
        if path.name.startswith((".", "_")):
            leftovers.append(path.name)
            continue
        for line in path.read_text().splitlines():
            row = json.loads(line)
            file_rows.append((row["window_start"], row["orders"], row["revenue"]))

    results = {}
    for name, rows in (("kafka_win", kafka_rows), ("duckdb_win", duck_rows),
                       ("files_win", file_rows)):
        results[name] = (len(rows),) + check_windows(name, rows, windows)
    agg_seen = {}
    for customer, count, total in customer_rows:
        agg_seen.setdefault(customer, []).append((count, total))
    agg_dup = sum(len(v) - 1 for v in agg_seen.values())
    agg_missing = len(set(customers) - set(agg_seen))
    for customer, values in agg_seen.items():
        count, total = values[0]
        assert count == customers[customer][0], f"customer {customer}: {count} orders"
        assert abs(total - customers[customer][1]) <= 1e-6 * max(1.0, abs(total))

    duplicates = sum(r[1] for r in results.values()) + agg_dup
    missing = sum(r[2] for r in results.values()) + agg_missing
    print(f"\nevents={EVENTS} kills={kills} (crash points armed: {kills // 2}, hit before a "
          f"checkpoint: {crash_points_hit}) windows={len(windows)} rows: "
          + " ".join(f"{k}={v[0]}" for k, v in results.items())
          + f" agg={len(customer_rows)} duplicates={duplicates} missing={missing}")
    assert duplicates == 0 and missing == 0, results
    assert not leftovers, f"in-progress files left: {leftovers[:5]}"
    assert kills >= KILLS


def read_outputs(tmp_path, bootstrap, out_topic):
    kafka_rows = []
    for record in kafka_env.consume_all(bootstrap, out_topic, isolation="read_committed"):
        row = json.loads(record.value)
        kafka_rows.append((row["window_start"], row["orders"], row["revenue"]))
    con = duckdb.connect(str(tmp_path / "out" / "warehouse.duckdb"), read_only=True)
    duck_rows = con.execute(
        "SELECT strftime(window_start, '%Y-%m-%d %H:%M:%S'), orders, revenue FROM windows"
    ).fetchall()
    customer_rows = con.execute("SELECT customer_id, orders, revenue FROM customers").fetchall()
    con.close()
    return kafka_rows, duck_rows, customer_rows


def test_broker_restart_mid_run_gives_exact_output(tmp_path, kafka_services):
    """The broker is stopped and started again (same data) while the job runs: librdkafka's
    retries carry the job over, or — if it fails — a restart recovers from the last checkpoint
    (as a supervisor would). Either way the committed output is exact."""
    bootstrap = kafka_services.bootstrap
    topic = kafka_env.unique_name("restart-in")
    out_topic = kafka_env.unique_name("restart-out")
    kafka_env.create_topic(bootstrap, out_topic, partitions=1)
    (tmp_path / "out").mkdir()
    events = 300_000
    produced = subprocess.run(
        [str(sluice_binary()), "produce", "--topic", topic, "--bootstrap", bootstrap,
         "--partitions", "4", "--count", str(events), "--seed", "5", "--event-rate", "100",
         "--out-of-order", "2s", "--late-ratio", "0", "--raw-path", "out/raw.jsonl", "--quiet"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert produced.returncode == 0, produced.stderr
    state_dir = tmp_path / "state"
    (tmp_path / "chaos.sql").write_text(pipeline_sql(topic, out_topic, state_dir, bootstrap))

    proc = start(tmp_path, {})
    wait_for(lambda: manifests(state_dir), 120, "a first checkpoint", proc)
    restarted = subprocess.run(["bash", str(ROOT / "scripts" / "services.sh"), "restart", "kafka"],
                               capture_output=True, text=True, timeout=600)
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    runs = 1
    code = proc.wait(timeout=600)
    while code != 0 and runs < 5:
        runs += 1
        code = start(tmp_path, {}).wait(timeout=600)
    log = (tmp_path / "run.log").read_text()
    assert code == 0, log[-6000:]

    windows, customers = reference(tmp_path / "out" / "raw.jsonl")
    kafka_rows, duck_rows, customer_rows = read_outputs(tmp_path, bootstrap, out_topic)
    dup_k, miss_k = check_windows("kafka_win", kafka_rows, windows)
    dup_d, miss_d = check_windows("duckdb_win", duck_rows, windows)
    assert sorted(c for c, _, _ in customer_rows) == sorted(customers)
    for customer, count, total in customer_rows:
        assert count == customers[customer][0], customer
    print(f"\nbroker restarted mid-run: runs={runs} events={events} windows={len(windows)} "
          f"kafka_win={len(kafka_rows)} duckdb_win={len(duck_rows)} "
          f"duplicates={dup_k + dup_d} missing={miss_k + miss_d}")
    assert dup_k + dup_d + miss_k + miss_d == 0
