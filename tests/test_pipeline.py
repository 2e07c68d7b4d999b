import asyncio

import pytest

from extractor.errors import ConfigError
from extractor.pipeline import run_batch
from extractor.store import Store


def test_a_rules_batch_runs_inside_an_event_loop_that_is_already_running(tmp_path, corpus):
    async def in_a_notebook():
        return run_batch([corpus / "004_36426df94b734508.txt"], store=Store(tmp_path / "k.db"), backend="rules")

    summary = asyncio.run(in_a_notebook())
    assert [o.status for o in summary.outcomes] == ["extracted"] and summary.outcomes[0].records > 0


def test_an_unknown_backend_fails_before_a_run_is_started(tmp_path, corpus):
    store = Store(tmp_path / "k.db")
    with pytest.raises(ConfigError, match="unknown backend 'nope'"):
        run_batch([corpus], store=store, backend="nope")
    assert store.db["runs"].count == 0
