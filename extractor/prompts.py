"""Prompt templates: versioned TOML files in prompts/, checked on load, rendered, and hashed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import string
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import ConfigError, fix_hint
from .schema import KPIRecord

DEFAULT_PROMPT = "kpi-records"
# What the renderer supplies to each part; a template may use any subset of its part's names.
SYSTEM_VARIABLES = frozenset({"definition", "examples"})
USER_VARIABLES = frozenset({"title", "committee", "report_period", "passages"})
_REQUIRED_KEYS = ("name", "version", "system", "user", "definition")
_VERSIONED = re.compile(r"^(?P<name>.+)-v(?P<version>\d+)$")


@dataclass(frozen=True)
class Example:
    """A worked example: a short passage and the records a correct answer gives for it."""

    text: str
    records: tuple[KPIRecord, ...]


@dataclass(frozen=True)
class Prompt:
    """A loaded prompt version: its templates, record definition, examples and content hash."""

    name: str
    version: str
    path: Path
    system: string.Template
    user: string.Template
    definition: str
    examples: tuple[Example, ...]
    sha256: str

    @property
    def label(self) -> str:
        """name@version, the form stored with every record and run."""
        return f"{self.name}@{self.version}"

    def render(self, *, passages: str, title: str | None, committee: str | None,
               report_period: str | None) -> list[dict[str, str]]:
        """The chat messages (system, then user) for one chunk of passages."""
        system = self._substitute("system", self.system, {
            "definition": self.definition.strip(), "examples": self._examples_text(),
        })
        user = self._substitute("user", self.user, {
            "title": title or "not stated", "committee": committee or "not stated",
            "report_period": report_period or "not stated", "passages": passages,
        })
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def _substitute(self, part: str, template: string.Template, values: dict[str, str]) -> str:
        try:
            return template.substitute(values)
        except KeyError as exc:
            raise ConfigError(fix_hint(
                f"{self.path}: the {part} template uses ${{{exc.args[0]}}}, which is not supplied",
                f"use only {', '.join(sorted(values))} in the {part} part",
            )) from None

    def _examples_text(self) -> str:
        parts = []
        for number, example in enumerate(self.examples, 1):
            answer = json.dumps({"records": [_as_asked(r.to_kpi_json()) for r in example.records]}, ensure_ascii=False)
            parts.append(f"Example {number}.\nPassages:\n{example.text.strip()}\nAnswer:\n{answer}")
        return "\n\n".join(parts) if parts else "(none)"


def _as_asked(record: dict[str, Any]) -> dict[str, Any]:
    """An example record as a model is asked to answer: without the fields ours alone set (indicator_id)."""
    return {key: value for key, value in record.items() if key not in ("indicator_id", "indicator_id_method")}


def _packaged() -> Path:
    """The prompts shipped inside the package (the project's prompts/, mapped to extractor.prompt_files)."""
    return Path(str(resources.files("extractor.prompt_files")))


def prompt_dirs() -> list[Path]:
    """Where prompt names are looked up: $KPI_PROMPTS, ./prompts, then the prompts installed with the package."""
    dirs = [Path(os.environ["KPI_PROMPTS"])] if os.environ.get("KPI_PROMPTS") else []
    dirs += [Path.cwd() / "prompts", _packaged()]
    unique: list[Path] = []
    for folder in dirs:
        if folder not in unique:
            unique.append(folder)
    return unique


def find_prompt(spec: str | None = None) -> Path:
    """The file for a prompt spec: a path to a .toml file, 'name-vN', or 'name' (its newest version)."""
    spec = spec or DEFAULT_PROMPT
    if spec.endswith(".toml") or os.sep in spec:
        path = Path(spec)
        if not path.is_file():
            raise ConfigError(fix_hint(f"prompt file {spec} does not exist", "pass a path to a prompt .toml file"))
        return path
    for folder in prompt_dirs():
        exact = folder / f"{spec}.toml"
        if exact.is_file():
            return exact
        versions = [(int(m["version"]), p) for p in folder.glob(f"{spec}-v*.toml")
                    if (m := _VERSIONED.match(p.stem)) and m["name"] == spec]
        if versions:
            return max(versions)[1]
    searched = ", ".join(str(d) for d in prompt_dirs())
    raise ConfigError(fix_hint(f"no prompt named {spec!r} in {searched}",
                               "pass --prompt with a prompt name or a path to a .toml file"))


def load_prompt(spec: str | None = None) -> Prompt:
    """Load and check a prompt: required keys, known variables, examples that are valid, grounded records."""
    path = find_prompt(spec)
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(fix_hint(f"{path}: not valid UTF-8 TOML ({exc})", "fix the file's syntax")) from None
    for key in _REQUIRED_KEYS:
        if not isinstance(data.get(key), str | int) or not str(data[key]).strip():
            raise ConfigError(fix_hint(f"{path}: missing the {key!r} key", f"add {key} = \"...\" to the file"))
    system, user = string.Template(data["system"]), string.Template(data["user"])
    for part, template, allowed in (("system", system, SYSTEM_VARIABLES), ("user", user, USER_VARIABLES)):
        if not template.is_valid():
            raise ConfigError(fix_hint(f"{path}: the {part} template has a stray '$'", "write a literal $ as $$"))
        unknown = set(template.get_identifiers()) - allowed
        if unknown:
            raise ConfigError(fix_hint(
                f"{path}: the {part} template uses ${{{sorted(unknown)[0]}}}, which is not supplied",
                f"use only {', '.join(sorted(allowed))} in the {part} part",
            ))
    if "passages" not in user.get_identifiers():
        raise ConfigError(fix_hint(f"{path}: the user template never includes ${{passages}}",
                                   "add ${passages} where the minutes' text should go"))
    return Prompt(
        name=str(data["name"]), version=str(data["version"]), path=path, system=system, user=user,
        definition=data["definition"], examples=tuple(_examples(path, data.get("examples", []))),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _examples(path: Path, items: list[dict[str, Any]]) -> list[Example]:
    examples = []
    for number, item in enumerate(items, 1):
        where = f"{path}: example {number}"
        try:
            text, records = item["text"], json.loads(item["records"])
            parsed = tuple(KPIRecord.model_validate(r, context={"source": text}) for r in records)
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise ConfigError(fix_hint(f"{where} is malformed ({exc})",
                                       "give each [[examples]] a text string and a records JSON array")) from None
        except ValidationError as exc:
            raise ConfigError(fix_hint(f"{where} holds a record that breaks records.md: {exc}",
                                       "make the example's records valid and grounded in its text")) from None
        examples.append(Example(text=text, records=parsed))
    return examples
