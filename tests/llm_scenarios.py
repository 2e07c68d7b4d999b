"""The cassette scenarios: shared by tests/test_llm_cassettes.py and tests/record_cassettes.py."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import vcr

from extractor.redact import safe_url

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
CORPUS = ROOT / "eval" / "corpus"
# Headers that can carry credentials or account ids: never written to a cassette.
SECRET_HEADERS = ["authorization", "api-key", "openai-organization", "openai-project", "cookie", "set-cookie",
                  "x-api-key"]
SHORT = "004_36426df94b734508.txt"
INDEX = CASSETTES / "index.json"  # per cassette: who answered it (authored by the stub, or a live model), prompt hash
RERECORD = ("re-record: `make cassettes` (authored, from the stub) or `KPI_LIVE=1 make test-live` "
            "(live, with OPENAI_API_KEY, OPENAI_BASE_URL and KPI_MODEL)")
# Parts of a chat request that say nothing about the question (ids, the client's own bookkeeping).
VOLATILE = ("user", "metadata", "stream_options", "seed", "store")


@dataclass(frozen=True)
class Scenario:
    """Documents run in order through the openai backend, and the stub faults that shaped the recording."""

    documents: tuple[str, ...]
    faults: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    live: bool = False  # can a live model reproduce it? Only fault-free scenarios can.

    @property
    def paths(self) -> list[Path]:
        """The documents' paths in the corpus."""
        return [CORPUS / name for name in self.documents]


SCENARIOS = {
    # Two chunks; one request at a time, since replay matches requests in recorded order.
    "normal_extraction": Scenario(("000_c572b18e3f951390.txt",), live=True, settings={"concurrency": 1}),
    "invented_evidence_reasked": Scenario((SHORT,), faults=("invent",)),
    "rate_limited_then_ok": Scenario((SHORT,), faults=("429",)),
    "server_errors_exhaust_retries": Scenario(
        (SHORT, "003_a62f19515b4c2a7e.txt"), faults=("500", "500", "500"), settings={"retries": 2, "concurrency": 1},
    ),
    "malformed_json_reasked": Scenario((SHORT,), faults=("malformed",)),
    "finish_reason_length": Scenario((SHORT,), faults=("length",)),
}


def _without_credentials(request: Any) -> Any:
    """A request as recorded: credentials in its URL (https://user:pass@host, ?api-key=) masked."""
    request.uri = safe_url(request.uri)
    return request


def _body(request: Any) -> dict[str, Any]:
    raw = request.body or b""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    if not raw:
        return {}
    body = json.loads(raw)
    return {k: v for k, v in body.items() if k not in VOLATILE} if isinstance(body, dict) else {"body": body}


def _part(key: str, index: int | None = None) -> str:
    if key == "messages" and index == 0:
        return "the instructions (messages[0]: the prompt template)"
    if key == "messages":
        return f"the passages or re-ask sent (messages[{index}])"
    if key in ("tools", "response_format", "tool_choice"):
        return f"the schema ({key})"
    return f"the request's {key!r}"


def same_model_request(recorded: Any, sent: Any) -> None:
    """A vcrpy matcher: the request body as the model sees it (messages, schema, model, options) equals the
    recording's, volatile parts left out; else an AssertionError naming the part that changed."""
    old, new = _body(recorded), _body(sent)
    for key in sorted(set(old) | set(new)):
        if key == "messages" and isinstance(old.get(key), list) and isinstance(new.get(key), list):
            for index, (a, b) in enumerate(zip(old[key], new[key], strict=False)):
                if a != b:
                    raise AssertionError(f"{_part(key, index)} differs from the recording; {RERECORD}")
            if len(old[key]) != len(new[key]):
                raise AssertionError(f"{_part(key, min(len(old[key]), len(new[key])))} differs from the "
                                     f"recording ({len(old[key])} messages recorded, {len(new[key])} sent); {RERECORD}")
        elif old.get(key) != new.get(key):
            raise AssertionError(f"{_part(key)} differs from the recording; {RERECORD}")


def cassette_index() -> dict[str, dict[str, Any]]:
    """What cassettes/index.json says of each cassette: source (authored or live), model, prompt hash."""
    return json.loads(INDEX.read_text("utf-8")) if INDEX.exists() else {}


def recorder(record_mode: str = "none") -> vcr.VCR:
    """The VCR used to play (record_mode 'none') and record cassettes: keys filtered, no network fallthrough,
    and a request replayed only for the same request body (prompt, passages, schema, model)."""
    machine = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode=record_mode,
        # Played in recorded order; hosts and ports differ between machines, bodies must not.
        match_on=["method", "path", "model_request"],
        filter_headers=SECRET_HEADERS,
        before_record_request=_without_credentials,
        decode_compressed_response=True,
    )
    machine.register_matcher("model_request", same_model_request)
    return machine
