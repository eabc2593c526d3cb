"""End-to-end tests: run the real sluice binary and check its output with an independent oracle
(DuckDB batch SQL over the same input)."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def sluice_binary() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("SLUICE_BIN", ROOT / "build" / "release" / "sluice")).resolve()
    if not path.exists():
        raise RuntimeError(f"sluice binary not found at {path}: build it first (scripts/build.sh)")
    return path


class Sluice:
    def __init__(self, workdir: pathlib.Path):
        self.workdir = workdir
        self.binary = sluice_binary()

    def run(self, *args, timeout=300, check=True):
        proc = subprocess.run([str(self.binary), *map(str, args)], cwd=self.workdir,
                              capture_output=True, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise AssertionError(f"sluice {' '.join(map(str, args))} exited {proc.returncode}\n"
                                 f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return proc


@pytest.fixture
def sluice(tmp_path):
    (tmp_path / "out").mkdir()
    return Sluice(tmp_path)


class KafkaServices:
    """The peers started by scripts/services.sh: a Kafka broker and a Confluent-compatible
    schema registry (Apicurio)."""
    bootstrap = "127.0.0.1:9092"
    registry_url = "http://127.0.0.1:8085/apis/ccompat/v7"


@pytest.fixture(scope="session")
def kafka_services():
    """Starts Kafka and the schema registry once per session (a no-op when they already run) and
    leaves them running at the end: scripts/test.sh stops what it started. Helpers for topics,
    records, schemas and offsets are in kafka_env.py."""
    script = ROOT / "scripts" / "services.sh"
    proc = subprocess.run(["bash", str(script), "up", "kafka", "registry"],
                          capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        pytest.fail(f"{script} up failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}",
                    pytrace=False)
    return KafkaServices()
