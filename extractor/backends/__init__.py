"""The backend registry: backends are found by name among the entry points of 'kpi_extract.backends'.

A package adds a backend by declaring, in its pyproject.toml,

    [project.entry-points."kpi_extract.backends"]
    mybackend = "my_package.module:SPEC"

where SPEC is a BackendSpec (backends/base.py). kpi-extract's own `rules` and `openai` register
themselves the same way. Only the chosen backend's module is imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, fix_hint
from .base import Backend, BackendSpec

if TYPE_CHECKING:
    from ..store import Store

GROUP = "kpi_extract.backends"
OFFLINE = "rules"  # the default whenever the environment asks for no other backend
# Where the built-ins live if kpi-extract runs without its package metadata (from a source tree).
_BUILT_IN = {
    "rules": "extractor.backends.rules:SPEC",
    "openai": "extractor.backends.model:SPEC",
}


@cache
def _entry_points() -> dict[str, EntryPoint]:
    found = {name: EntryPoint(name, value, GROUP) for name, value in _BUILT_IN.items()}
    found.update({ep.name: ep for ep in entry_points(group=GROUP)})
    return found


def names() -> list[str]:
    """The names of every installed backend, sorted."""
    return sorted(_entry_points())


def spec(name: str) -> BackendSpec:
    """The spec an installed backend registered; ConfigError names the installed ones."""
    entry = _entry_points().get(name)
    if entry is None:
        raise ConfigError(fix_hint(f"unknown backend {name!r}",
                                   f"choose one of {', '.join(names())} (see `kpi-extract backends`)"))
    try:
        loaded = entry.load()
    except Exception as exc:  # a broken plugin must name itself, not crash the tool
        raise ConfigError(fix_hint(f"backend {name!r} ({entry.value}) cannot be loaded: {exc}",
                                   "reinstall the package that provides it")) from exc
    if not isinstance(loaded, BackendSpec):
        raise ConfigError(fix_hint(f"backend {name!r}: {entry.value} is not a BackendSpec",
                                   "point the entry point at a kpi_extract BackendSpec"))
    return loaded


def origin(name: str) -> str:
    """Where an installed backend comes from: its entry point's target."""
    return _entry_points()[name].value


def default_backend(options: Mapping[str, Any] | None = None) -> str:
    """The first installed backend the options or the environment configure (a model endpoint given
    with --base-url or set in OPENAI_BASE_URL / OPENAI_API_KEY), else 'rules'."""
    for name in names():
        if name != OFFLINE and spec(name).configured(options or {}):
            return name
    return OFFLINE


def create_backend(name: str, options: Mapping[str, Any] | Any | None = None, *, store: Store | None = None,
                   client: Any | None = None) -> Backend:
    """Make a backend by name from options (the command line's, or its own settings object)."""
    return spec(name).create(options if options is not None else {}, store=store, client=client)
