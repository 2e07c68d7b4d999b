"""Secrets never leave the request: not in the database, output, exports, errors or cassettes.

A batch runs with a recognisable fake key and a --base-url carrying a user and password; then
every file it wrote, and everything it printed, is searched for them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from llm_scenarios import recorder
from openai_stub import StubServer

from extractor.backends.llm import LLMBackend
from extractor.backends.model import LLMSettings
from extractor.pipeline import run_batch
from extractor.redact import MASK, redact, safe_url
from extractor.store import Store

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-kpi-FAKE-7c2e91d04b5a"
PASSWORD = "pw-FAKE-93b1f0"
SECRETS = (KEY, PASSWORD)


def _with_credentials(base_url: str) -> str:
    return base_url.replace("http://", f"http://analyst:{PASSWORD}@")


def _leaks(folder: Path, *printed: str) -> list[str]:
    """Where any secret appears: a file under folder (any bytes, SQLite's WAL included) or the output."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {secret}" for secret in SECRETS if secret.encode() in data]
    for text in printed:
        found += [f"output: {secret}" for secret in SECRETS if secret in text]
    return found


def _kpi(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "extractor", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_a_batch_with_a_key_and_credentials_in_the_url_writes_and_prints_neither(corpus, tmp_path):
    work = tmp_path / "out"
    work.mkdir()
    db = work / "kpis.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "KPI_"))}
    env.update(PYTHONPATH=str(ROOT), OPENAI_API_KEY=KEY)
    # 003 is answered; 004 meets three 500s and fails (an error message in the database).
    with StubServer(faults=["500", "500", "500"]) as stub:
        ran = _kpi("run", str(corpus / "004_36426df94b734508.txt"), str(corpus / "003_a62f19515b4c2a7e.txt"),
                   "--db", str(db), "--base-url", stub.base_url, "--model", "stub", "--mode", "auto",
                   "--retries", "2", "--concurrency", "1", env=env)
        assert ran.returncode == 1, ran.stderr  # one document failed
        assert f"Bearer {KEY}" in stub.authorizations  # the key was sent, and only there
    # Credentials in the URL (httpx sends them as Basic auth), refused: an error naming the endpoint.
    with StubServer(api_key="another-key") as refusing:
        refused = _kpi("run", str(corpus), "--db", str(db), "--base-url", _with_credentials(refusing.base_url),
                       "--model", "stub", env=env)
        assert refused.returncode == 1 and "refused the API key" in refused.stderr
    exports = [_kpi("export", "--db", str(db), "--format", fmt, "--output", str(work / f"kpis.{fmt}"), env=env)
               for fmt in ("csv", "json")]
    assert all(e.returncode == 0 for e in exports)
    shown = _kpi("eval-history", "--db", str(db), env=env)

    assert _leaks(work, ran.stdout, ran.stderr, refused.stdout, refused.stderr, shown.stdout, shown.stderr,
                  *(e.stdout + e.stderr for e in exports)) == []
    assert f"analyst:{MASK}" not in refused.stderr and f"{MASK}@127.0.0.1" in refused.stderr  # masked, still named
    assert "analyst" not in db.read_bytes().decode("latin-1")


def test_a_recorded_cassette_holds_neither_key_nor_url_credentials(corpus, tmp_path):
    cassettes = recorder("all")
    cassettes.cassette_library_dir = str(tmp_path)
    with StubServer() as stub, cassettes.use_cassette("leak.yaml"):
        settings = LLMSettings(base_url=_with_credentials(stub.base_url), api_key=KEY, mode="tools")
        store = Store(tmp_path / "k.db")
        run_batch([corpus / "004_36426df94b734508.txt"], store=store, backend=LLMBackend(settings, store=store))
    text = (tmp_path / "leak.yaml").read_text("utf-8")
    assert "chat/completions" in text and KEY not in text and PASSWORD not in text


@pytest.mark.parametrize(("url", "shown"), [
    ("https://user:pass@llm.example.org/v1", f"https://{MASK}@llm.example.org/v1"),
    ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1"),
    ("https://host.example/v1?api-key=abc123&deployment=x", f"https://host.example/v1?api-key={MASK}&deployment=x"),
    ("https://token@host.example:8443/v1", f"https://{MASK}@host.example:8443/v1"),
])
def test_safe_url_masks_credentials_and_keeps_the_rest(url, shown):
    assert safe_url(url) == shown


def test_redact_masks_every_secret_but_never_short_ordinary_words():
    assert redact(f"401 for key {KEY} at host", [KEY, "x", None]) == f"401 for key {MASK} at host"


class _LeakyBackend:
    """A plugin whose extraction fails with an exception quoting a key and a URL password."""

    from extractor.backends.base import Identity

    identity = Identity("leaky")
    concurrency = 1

    async def extract(self, document):
        raise RuntimeError(f"upstream said no to https://analyst:{PASSWORD}@models.example/v1?api-key={KEY} "
                           f"(Authorization: Bearer {KEY})")

    async def aclose(self) -> None:
        return None


def test_an_exception_from_inside_a_backend_is_masked_wherever_it_is_told(tmp_path, caplog, monkeypatch):
    import logging

    from click.testing import CliRunner

    from extractor.cli import cli

    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    (tmp_path / "m.txt").write_text("42 children were in care.", "utf-8")
    with caplog.at_level(logging.DEBUG):
        summary = run_batch([tmp_path / "m.txt"], store=Store(tmp_path / "k.db"), backend=_LeakyBackend())
        logging.getLogger("openai").error("retrying https://analyst:%s@models.example/v1 with %s", PASSWORD, KEY)
    assert summary.failed == 1 and MASK in summary.outcomes[0].error
    shown = CliRunner().invoke(cli, ["failures", "--db", str(tmp_path / "k.db")])
    as_json = CliRunner().invoke(cli, ["failures", "--db", str(tmp_path / "k.db"), "--json"])
    assert "RuntimeError" in as_json.output
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not _leaks(tmp_path, summary.outcomes[0].error, shown.output, as_json.output, logged)


def test_an_exception_from_inside_the_store_is_masked_in_the_failures_and_on_the_terminal(tmp_path, monkeypatch):
    import sqlite3

    from click.testing import CliRunner

    from extractor.cli import cli

    def broken(self, *args, **kwargs):
        raise sqlite3.OperationalError(f"unable to open database file://analyst:{PASSWORD}@nas/kpis.db?key={KEY}")

    (tmp_path / "m.txt").write_text("42 children were in care.", "utf-8")
    db = tmp_path / "k.db"
    monkeypatch.setattr(Store, "save_result", broken)
    summary = run_batch([tmp_path / "m.txt"], store=Store(db), backend="rules")
    assert summary.failed == 1 and "OperationalError" in summary.outcomes[0].error
    monkeypatch.setattr(Store, "runs", lambda self: broken(self))  # a failure outside any document: the CLI's
    printed = CliRunner().invoke(cli, ["runs", "--db", str(db)])
    assert printed.exit_code == 1 and "OperationalError" in printed.output and "KPI_DEBUG" in printed.output
    assert not _leaks(tmp_path, summary.outcomes[0].error, printed.output)
