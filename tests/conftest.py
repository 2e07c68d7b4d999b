"""Shared fixtures: every test runs offline, without the caller's model settings."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"
GOLD = ROOT / "eval" / "gold"


LIVE = os.environ.get("KPI_LIVE") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked live talk to a real endpoint: skipped, with the reason, unless KPI_LIVE=1."""
    if LIVE:
        return
    skip = pytest.mark.skip(reason="talks to a real model endpoint: KPI_LIVE=1 make test-live (with OPENAI_API_KEY, "
                                   "OPENAI_BASE_URL, KPI_MODEL)")
    for item in items:
        if item.get_closest_marker("live"):
            item.add_marker(skip)


def _is_live(request: pytest.FixtureRequest) -> bool:
    return LIVE and request.node.get_closest_marker("live") is not None


@pytest.fixture(autouse=True)
def _scrub_environment(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    if _is_live(request):  # a live test uses the caller's endpoint, key and model
        return
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "KPI_DB", "KPI_BACKEND", "KPI_MODEL"):
        monkeypatch.delenv(name, raising=False)


_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


class NetworkBlocked(OSError):
    """A test tried to leave this machine."""


def _only_loopback(address: object) -> None:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and host not in _LOOPBACK:
        raise NetworkBlocked(f"test tried to open a network connection to {address!r}; tests must stay offline "
                           "(replay a cassette from cassettes/ or use tests/openai_stub.py)")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Fail any test that connects anywhere but this machine: replay must never fall through to the network
    (a live test, with KPI_LIVE=1, alone reaches its endpoint)."""
    if _is_live(request):
        return

    def connect(self: socket.socket, address: object) -> None:
        _only_loopback(address)
        return _real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        _only_loopback(address)
        return _real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


@pytest.fixture
def gold_dir() -> Path:
    return GOLD


def chromium() -> str | None:
    """Debian's chromium (the Makefile's test setup installs it), or KPI_CHROMIUM."""
    return os.environ.get("KPI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium through playwright, for the pages' browser tests; skipped, with the reason, without it.
    One per module, not per session: playwright's sync API runs an event loop on this thread while it is open,
    and the asyncio tests of later modules need the thread without one."""
    executable = chromium()
    if executable is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium; make test tries to); "
                    "the page was not checked in a browser")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()
