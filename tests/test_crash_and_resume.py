"""Killed, interrupted, or run twice at once: `kpi-extract run` as real processes on one database.

Whatever happens, the database ends equal to an uninterrupted run's: no record doubled, no document
lost or half-written, no model call repeated for a document already stored.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from openai_stub import StubServer

ROOT = Path(__file__).resolve().parent.parent
RECORD_FIELDS = "d.name, r.indicator, r.value, r.unit, r.period, r.numerator, r.denominator, r.comparisons, " \
                "r.target_met, r.trend, r.evidence, r.start, r.end"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "KPI_"))}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _command(corpus: Path, db: Path, base_url: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "extractor", "run", str(corpus), "--db", str(db)]
    if base_url:
        command += ["--backend", "openai", "--base-url", base_url, "--model", "stub", "--mode", "tools",
                    "--concurrency", "1"]
    return command


def _run(corpus: Path, db: Path, base_url: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(corpus, db, base_url), env=_env(), capture_output=True, text=True, timeout=120)


def _start(corpus: Path, db: Path, base_url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(_command(corpus, db, base_url), env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db, timeout=30) as connection:
        return connection.execute(sql).fetchall()


def _stored(db: Path) -> int:
    try:
        return _query(db, "select count(*) from extractions")[0][0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def _records(db: Path) -> list[tuple]:
    return sorted(_query(db, f"select {RECORD_FIELDS} from records r join documents d on d.id = r.document_id"),
                  key=repr)


def _assert_consistent(db: Path, documents: int) -> None:
    assert _query(db, "pragma integrity_check") == [("ok",)]
    assert _query(db, "select count(*) from documents")[0][0] == documents
    assert _query(db, "select count(*) from extractions")[0][0] == documents
    # every document's records are exactly as many as its extraction row says: none half-written or doubled
    assert _query(db, "select count(*) from extractions e where e.records != "
                      "(select count(*) from records r where r.document_id = e.document_id)") == [(0,)]


def test_sigkill_mid_batch_then_rerun_equals_an_uninterrupted_run(corpus, tmp_path):
    documents = len(list(corpus.glob("*.txt")))
    with StubServer() as stub:
        reference = _run(corpus, tmp_path / "reference.db", stub.base_url)
        assert reference.returncode == 0, reference.stderr
        asked_uninterrupted = len(stub.requests)

    db = tmp_path / "crashed.db"
    with StubServer(latency=0.4) as stub:
        process = _start(corpus, db, stub.base_url)
        _wait_for(lambda: _stored(db) >= 2)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
        asked_before_crash = len(stub.requests)
    stored_before = {row[0] for row in _query(db, "select document_id from extractions")}
    assert 2 <= len(stored_before) < documents
    assert _query(db, "select status, ended_at from runs") == [(None, None)]  # killed: never closed

    with StubServer() as stub:
        resumed = _run(corpus, db, stub.base_url)
        assert resumed.returncode == 0, resumed.stderr
        asked_after_crash = len(stub.requests)

    _assert_consistent(db, documents)
    assert _records(db) == _records(tmp_path / "reference.db")
    second_run = _query(db, "select id from runs where status = 'completed'")[0][0]
    called_for = {row[0] for row in _query(db, f"select document_id from calls where run_id = '{second_run}'")}
    assert not called_for & stored_before  # nothing stored before the crash was asked again
    # At most the one question in flight when it was killed was asked twice.
    assert asked_before_crash + asked_after_crash <= asked_uninterrupted + 1


def test_ctrl_c_stops_within_seconds_closes_the_run_and_says_what_was_stored(corpus, tmp_path):
    db = tmp_path / "k.db"
    with StubServer(latency=1.0) as stub:
        process = _start(corpus, db, stub.base_url)
        _wait_for(lambda: _stored(db) >= 1)
        interrupted_at = time.monotonic()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
        stopped_in = time.monotonic() - interrupted_at
    assert process.returncode == 130, stderr
    assert stopped_in < 3, stopped_in
    stored = _stored(db)
    assert f"Interrupted: {stored} document(s) stored" in stderr and "not stored" in stderr
    assert "Aborted!" not in stderr and "Traceback" not in stderr
    status, ended_at, extracted, documents = _query(db, "select status, ended_at, extracted, documents from runs")[0]
    assert (status, extracted, documents) == ("interrupted", stored, 5) and ended_at
    assert _query(db, "pragma integrity_check") == [("ok",)]


def test_two_runs_at_once_on_a_new_database_neither_fail_nor_double_anything(corpus, tmp_path):
    # Twenty documents (the samples, each in four versions) so that the two runs overlap.
    folder = tmp_path / "minutes"
    folder.mkdir()
    for path in sorted(corpus.glob("*.txt")):
        for version in range(4):
            (folder / f"{path.stem}_{version}.txt").write_text(f"Version {version}.\n\n{path.read_text('utf-8')}")
    db = tmp_path / "shared.db"
    processes = [subprocess.Popen(_command(folder, db), env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
    results = [(p.communicate(timeout=120)[1], p.returncode) for p in processes]
    assert [code for _, code in results] == [0, 0], results
    _assert_consistent(db, 20)
    single = tmp_path / "single.db"
    assert _run(folder, single).returncode == 0
    assert _records(db) == _records(single)
    runs = _query(db, "select status, extracted, skipped from runs")
    assert [status for status, _, _ in runs] == ["completed", "completed"]
    assert sum(extracted for _, extracted, _ in runs) == 20  # each document stored by exactly one of them
