"""Checkpoints without external services: kill -9 a pipeline (generator -> files + DuckDB) several
times, restart it, and compare what became visible with an uninterrupted run of the same SQL —
every row exactly once. Also: `sluice checkpoints list`, one process per pipeline, and stop with
a savepoint then resume from it."""

import collections
import json
import signal
import subprocess
import time

import duckdb

from conftest import sluice_binary

ROWS = 120_000


def pipeline_sql(out, state=None, rate="40000"):
    checkpoints = ""
    if state:
        checkpoints = f"""
SET 'execution.checkpointing.interval' = '200 ms';
SET 'state.checkpoints.dir' = '{state}';"""
    return f"""
SET 'parallelism.default' = '2';
SET 'pipeline.name' = 'recovery';{checkpoints}
CREATE TABLE orders (
    order_id STRING, customer_id STRING, amount DOUBLE, status STRING, event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'orders', 'number-of-rows' = '{ROWS}', 'rows-per-second' = '{rate}',
        'orders.seed' = '9');
CREATE TABLE files (order_id STRING, customer_id STRING, amount DOUBLE) WITH (
    'connector' = 'filesystem', 'path' = '{out}/files', 'format' = 'json');
CREATE TABLE warehouse (order_id STRING, status STRING) WITH (
    'connector' = 'duckdb', 'path' = '{out}/warehouse.duckdb', 'table-name' = 'orders');
EXECUTE STATEMENT SET
BEGIN
INSERT INTO files SELECT order_id, customer_id, amount FROM orders WHERE status <> 'cancelled';
INSERT INTO warehouse SELECT order_id, status FROM orders;
END;
"""


def visible_rows(out):
    files = collections.Counter()
    hidden = []
    for path in sorted((out / "files").rglob("*")):
        if path.is_dir():
            continue
        if path.name.startswith((".", "_")):
            hidden.append(path.name)
            continue
        for line in path.read_text().splitlines():
            row = json.loads(line)
            files[(row["order_id"], row["customer_id"], row["amount"])] += 1
    con = duckdb.connect(str(out / "warehouse.duckdb"), read_only=True)
    warehouse = collections.Counter(con.execute("SELECT order_id, status FROM orders").fetchall())
    con.close()
    return files, warehouse, hidden


def manifests(state):
    pipeline = state / "recovery"
    if not pipeline.exists():
        return set()
    return {p.name for p in pipeline.iterdir() if (p / "MANIFEST.json").exists()}


def start(workdir, sql_name, *args):
    log = open(workdir / f"{sql_name}.log", "a")
    return subprocess.Popen([str(sluice_binary()), "run", "--quiet", *args, f"{sql_name}.sql"],
                            cwd=workdir, stdout=log, stderr=subprocess.STDOUT)


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def reference(sluice, tmp_path):
    ref = tmp_path / "ref"
    ref.mkdir()
    (tmp_path / "ref.sql").write_text(pipeline_sql(ref, rate="unlimited"))
    sluice.run("run", "--quiet", "ref.sql")
    files, warehouse, _ = visible_rows(ref)
    assert sum(warehouse.values()) == ROWS
    assert max(warehouse.values()) == 1
    return files, warehouse


def test_kill_nine_and_restart_gives_every_row_once(sluice, tmp_path):
    expected_files, expected_warehouse = reference(sluice, tmp_path)
    out, state = tmp_path / "run", tmp_path / "state"
    out.mkdir()
    (tmp_path / "recovery.sql").write_text(pipeline_sql(out, state))
    kills = 0
    for delay in (0.1, 0.4, 0.25, 0.6):
        before = manifests(state)
        proc = start(tmp_path, "recovery")
        wait_for(lambda: manifests(state) - before, 60, "a new checkpoint")
        time.sleep(delay)
        assert proc.poll() is None, "the job ended before it could be killed: slow it down"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
        kills += 1
        files, warehouse, _ = visible_rows(out)
        # Whatever is visible between crashes was committed once.
        assert max(warehouse.values(), default=1) == 1
        assert sum(warehouse.values()) < ROWS
    final = start(tmp_path, "recovery")
    assert final.wait(timeout=120) == 0, (tmp_path / "recovery.log").read_text()[-3000:]
    log = (tmp_path / "recovery.log").read_text()
    assert log.count("restored checkpoint") == kills, log
    files, warehouse, hidden = visible_rows(out)
    assert warehouse == expected_warehouse
    assert files == expected_files
    assert hidden == [], f"in-progress parts left: {hidden[:5]}"

    listed = subprocess.run([str(sluice_binary()), "checkpoints", "list", "recovery.sql"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert "checkpoint" in listed.stdout and "source orders:" in listed.stdout, listed.stdout
    assert '"ended":true' in listed.stdout, listed.stdout


def test_second_process_of_a_pipeline_is_refused(tmp_path):
    out, state = tmp_path / "run", tmp_path / "state"
    out.mkdir()
    (tmp_path / "recovery.sql").write_text(pipeline_sql(out, state, rate="5000"))
    first = start(tmp_path, "recovery")
    try:
        wait_for(lambda: manifests(state), 60, "a first checkpoint")
        second = subprocess.run([str(sluice_binary()), "run", "--quiet", "recovery.sql"],
                                cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert second.returncode == 2
        assert f"already running (process {first.pid}" in second.stderr, second.stderr
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)


def test_stop_with_savepoint_then_resume_from_it(sluice, tmp_path):
    expected_files, expected_warehouse = reference(sluice, tmp_path)
    out, state = tmp_path / "run", tmp_path / "state"
    out.mkdir()
    (tmp_path / "recovery.sql").write_text(pipeline_sql(out, state))
    proc = start(tmp_path, "recovery")
    wait_for(lambda: manifests(state), 60, "a first checkpoint")
    asked = subprocess.run([str(sluice_binary()), "savepoint", "--stop", "recovery.sql"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert asked.returncode == 0, asked.stderr
    assert proc.wait(timeout=60) == 0, (tmp_path / "recovery.log").read_text()[-3000:]
    log = (tmp_path / "recovery.log").read_text()
    saved = [line.split("savepoint written: ", 1)[1].strip()
             for line in log.splitlines() if "savepoint written: " in line]
    assert len(saved) == 1, log
    manifest = json.loads((tmp_path / saved[0] / "MANIFEST.json").read_text())
    assert manifest["kind"] == "savepoint"
    files, warehouse, _ = visible_rows(out)
    assert 0 < sum(warehouse.values()) < ROWS and max(warehouse.values()) == 1

    resumed = start(tmp_path, "recovery", "--from-savepoint", saved[0])
    assert resumed.wait(timeout=120) == 0, (tmp_path / "recovery.log").read_text()[-3000:]
    assert "restored savepoint" in (tmp_path / "recovery.log").read_text()
    files, warehouse, hidden = visible_rows(out)
    assert warehouse == expected_warehouse
    assert files == expected_files
    assert hidden == []


def aggregate_sql(state, key):
    return f"""
SET 'parallelism.default' = '2';
SET 'pipeline.name' = 'changing';
SET 'execution.checkpointing.interval' = '200 ms';
SET 'state.checkpoints.dir' = '{state}';
CREATE TABLE orders (
    order_id STRING, customer_id STRING, amount DOUBLE, status STRING, event_time TIMESTAMP(3)
) WITH ('connector' = 'orders', 'number-of-rows' = '{ROWS}', 'rows-per-second' = '20000',
        'orders.seed' = '9');
CREATE TABLE totals ({key} STRING, orders BIGINT, PRIMARY KEY ({key}) NOT ENFORCED) WITH (
    'connector' = 'duckdb', 'path' = 'out/totals.duckdb', 'table-name' = 'totals_by_{key}');
INSERT INTO totals SELECT {key}, COUNT(*) FROM orders GROUP BY {key};
"""


def test_changed_query_gets_a_report_naming_what_changed(tmp_path):
    state = tmp_path / "state"
    (tmp_path / "out").mkdir()
    (tmp_path / "changing.sql").write_text(aggregate_sql(state, "status"))
    proc = start(tmp_path, "changing")
    wait_for(lambda: any((state / "changing").glob("chk-*/MANIFEST.json")), 60,
             "a first checkpoint")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    (tmp_path / "changing.sql").write_text(aggregate_sql(state, "customer_id"))
    refused = subprocess.run([str(sluice_binary()), "run", "--quiet", "changing.sql"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2, refused.stderr
    assert "DROPPED GroupAggregate" in refused.stderr, refused.stderr
    assert "keys [status] -> [customer_id]" in refused.stderr, refused.stderr
    assert "--allow-non-restored-state" in refused.stderr

    # Dropping the old state on purpose: the new query starts its aggregate empty and runs.
    allowed = subprocess.run([str(sluice_binary()), "run", "--quiet", "--allow-non-restored-state",
                              "changing.sql"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert allowed.returncode == 0, allowed.stderr
    assert "state not restored (--allow-non-restored-state)" in allowed.stderr, allowed.stderr
    con = duckdb.connect(str(tmp_path / "out" / "totals.duckdb"), read_only=True)
    by_customer = con.execute("SELECT sum(orders) FROM totals_by_customer_id").fetchone()[0]
    con.close()
    # The source resumed where the checkpoint left it: the new aggregate counted the rest only.
    assert 0 < by_customer < ROWS


def keyed_sql(out, state, backend, rate):
    backend_sql = ""
    if backend == "rocksdb":
        backend_sql = """
SET 'state.backend' = 'rocksdb';
SET 'state.backend.rocksdb.resident-keys' = '5000';
SET 'sluice.state.memory-budget' = '16 mb';"""
    checkpoints = ""
    if state:
        checkpoints = f"""
SET 'execution.checkpointing.interval' = '300 ms';
SET 'state.checkpoints.num-retained' = '2';
SET 'state.checkpoints.dir' = '{state}';"""
    return f"""
SET 'parallelism.default' = '2';
SET 'pipeline.name' = 'keyed';{backend_sql}{checkpoints}
CREATE TABLE orders (
    order_id STRING, customer_id STRING, amount DOUBLE, status STRING, event_time TIMESTAMP(3)
) WITH ('connector' = 'orders', 'number-of-rows' = '300000', 'rows-per-second' = '{rate}',
        'orders.seed' = '3', 'orders.customers' = '100000');
CREATE TABLE totals (customer_id STRING, orders BIGINT, PRIMARY KEY (customer_id) NOT ENFORCED)
WITH ('connector' = 'duckdb', 'path' = '{out}/totals.duckdb', 'table-name' = 'totals');
INSERT INTO totals SELECT customer_id, COUNT(*) FROM orders GROUP BY customer_id;
"""


def totals(path):
    con = duckdb.connect(str(path), read_only=True)
    rows = dict(con.execute("SELECT customer_id, orders FROM totals").fetchall())
    con.close()
    return rows


def test_rocksdb_state_beyond_the_budget_restores_from_incremental_checkpoints(sluice, tmp_path):
    ref = tmp_path / "ref"
    ref.mkdir()
    (tmp_path / "ref.sql").write_text(keyed_sql(ref, None, "hashmap", "unlimited"))
    sluice.run("run", "--quiet", "ref.sql")
    expected = totals(ref / "totals.duckdb")
    assert len(expected) > 50_000  # far more keys than the 5,000 kept in memory per instance

    out, state = tmp_path / "run", tmp_path / "state"
    out.mkdir()
    (tmp_path / "keyed.sql").write_text(keyed_sql(out, state, "rocksdb", "60000"))
    pipeline = state / "keyed"
    proc = start(tmp_path, "keyed")
    # Kill once a few checkpoints exist: the later ones are incremental (they share SSTs).
    wait_for(lambda: len(list(pipeline.glob("chk-*/MANIFEST.json"))) >= 2
             and len(list(pipeline.glob("chk-*"))) >= 2, 120, "two checkpoints")
    time.sleep(0.5)
    assert proc.poll() is None, "the job ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    shared = list((pipeline / "shared").rglob("*.sst"))
    assert shared, "RocksDB SSTs are kept once, in shared/"
    in_checkpoints = list(pipeline.glob("chk-*/op-*/*.rocks/*.sst"))
    assert not in_checkpoints, "checkpoints list SSTs, they do not copy them"

    final = start(tmp_path, "keyed")
    assert final.wait(timeout=300) == 0, (tmp_path / "keyed.log").read_text()[-3000:]
    log = (tmp_path / "keyed.log").read_text()
    assert "restored checkpoint" in log, log
    assert totals(out / "totals.duckdb") == expected
    # Every shared file a retained checkpoint lists is there (garbage collection never takes a
    # file a checkpoint needs); older unlisted ones were collected.
    listed = set()
    for manifest in pipeline.glob("chk-*/MANIFEST.json"):
        listed |= set(json.loads(manifest.read_text())["body"]["shared_files"])
    on_disk = {str(p) for p in (pipeline / "shared").rglob("*") if p.is_file()}
    assert listed and listed <= on_disk, sorted(listed - on_disk)
    # And the newest checkpoint restores: run once more, nothing new to read.
    again = start(tmp_path, "keyed")
    assert again.wait(timeout=300) == 0, (tmp_path / "keyed.log").read_text()[-3000:]
    assert totals(out / "totals.duckdb") == expected
