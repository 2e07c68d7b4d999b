"""Shared fixtures: every test runs offline, without the caller's model settings."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"
GOLD = ROOT / "eval" / "gold"


@pytest.fixture(autouse=True)
def _scrub_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "KPI_DB", "KPI_BACKEND", "KPI_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def corpus() -> Path:
    return CORPUS


@pytest.fixture
def gold_dir() -> Path:
    return GOLD
