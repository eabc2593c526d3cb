"""The CLI as a user meets it: validate, explain, clear errors with exit code 2."""

BAD_OPTION = """
CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-secnd' = '5');
CREATE TABLE s (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO s SELECT id FROM g;
"""

BAD_SQL = """CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE s (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO s SELECT id FROM g WHERE;
"""

GOOD = """
CREATE TABLE g (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  WITH ('connector' = 'datagen', 'number-of-rows' = '1000', 'fields.id.kind' = 'sequence',
        'fields.id.start' = '0', 'fields.id.end' = '999');
CREATE TABLE s (id BIGINT, n BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'print');
INSERT INTO s SELECT id % 10, COUNT(*) FROM g GROUP BY id % 10;
"""


def test_unknown_option_names_the_right_one(sluice):
    (sluice.workdir / "p.sql").write_text(BAD_OPTION)
    proc = sluice.run("validate", "p.sql", check=False)
    assert proc.returncode == 2
    assert "rows-per-secnd" in proc.stderr and "did you mean 'rows-per-second'" in proc.stderr


def test_syntax_error_names_line_and_column(sluice):
    (sluice.workdir / "p.sql").write_text(BAD_SQL)
    proc = sluice.run("run", "p.sql", check=False)
    assert proc.returncode == 2
    assert "line 3, column 37" in proc.stderr, proc.stderr


def test_explain_shows_operators_and_changelog(sluice):
    (sluice.workdir / "p.sql").write_text(GOOD)
    proc = sluice.run("explain", "p.sql", "-p", "2")
    assert "GroupAggregate" in proc.stdout
    assert "changelog" in proc.stdout.lower()


def test_run_prints_flink_changelog_rows(sluice):
    (sluice.workdir / "p.sql").write_text(GOOD)
    proc = sluice.run("run", "p.sql", "-p", "1", "--quiet")
    lines = [l for l in proc.stdout.splitlines() if l.strip()]
    assert any(l.startswith("+I[") for l in lines), proc.stdout
    # The last update per key gives 100 rows per key (1000 rows, 10 keys).
    finals = {}
    for l in lines:
        body = l.split("[", 1)[1].rstrip("]")
        key, count = [x.strip() for x in body.split(",")]
        if l[:2] in ("+I", "+U"):
            finals[key] = int(count)
    assert finals == {str(k): 100 for k in range(10)}
