"""The cassette scenarios: shared by tests/test_llm_cassettes.py and tests/record_cassettes.py."""

from __future__ import annotations

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


def recorder(record_mode: str = "none") -> vcr.VCR:
    """The VCR used to play (record_mode 'none') and record cassettes: keys filtered, no network fallthrough."""
    return vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode=record_mode,
        match_on=["method", "path"],  # played in recorded order; hosts and ports differ between machines
        filter_headers=SECRET_HEADERS,
        before_record_request=_without_credentials,
        decode_compressed_response=True,
    )
