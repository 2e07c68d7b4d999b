"""How many tokens does a document cost, and what does sending fewer cost in recall?

For the bundled minutes and the development corpus: prompt tokens per document when only the
candidate passages are sent (paragraphs with numbers or status words, the default) against every
paragraph of the document, with the record recall each gets on the gold. The stub answers from the
passages it is sent (the rules backend's records for them), so a passage left out costs recall
exactly as it would with a model. Then what the fixed part of every request costs: instructions
and worked examples (the system message) and the schema (the tool definition).

Run: .venv/bin/python benchmarks/bench_tokens.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from stub import ROOT, scored_run, stub_process

from extractor.backends.llm import MODES, ChunkRecords, LLMBackend, handle_response_model
from extractor.backends.model import LLMSettings
from extractor.chunking import estimate_tokens

SETS = {
    "samples": (ROOT / "eval" / "corpus", ROOT / "eval" / "gold"),
    "dev": (ROOT.parent / "shared" / "corpus" / "dev" / "docs", ROOT.parent / "shared" / "corpus" / "dev" / "gold"),
}


def main() -> None:
    settings = LLMSettings(base_url="http://127.0.0.1:9/v1", model="stub", mode="tools")
    backend = LLMBackend(settings)
    messages = backend.prompt.render(passages="", title="x" * 80, committee="x" * 40, report_period="2023/24 Q2")
    _, kwargs = handle_response_model(ChunkRecords, mode=MODES["tools"], messages=messages)
    system = estimate_tokens(messages[0]["content"])
    schema = estimate_tokens(json.dumps(kwargs.get("tools")))
    print("prompt tokens are the stub's count (4 characters a token) of the messages sent (not the tool schema)")
    with stub_process() as base_url:
        for name, (docs, gold) in SETS.items():
            if not docs.exists():
                print(f"{name}: {docs} not found, skipped")
                continue
            rows = []
            for send_all in (False, True):
                tokens, recall, calls = _run(base_url, docs, gold, send_all)
                rows.append((send_all, tokens, recall, calls))
            documents = len(list(docs.glob("*.txt")))
            variable = []
            for send_all, tokens, recall, calls in rows:
                passages = tokens - calls * system / documents  # less the system message on every call
                variable.append(passages)
                print(f"{name:8} {'every paragraph ' if send_all else 'candidates only'}: "
                      f"{tokens:6.0f} prompt tokens a document ({passages:5.0f} of them passages and context), "
                      f"{calls} calls, record recall {recall:.3f}")
            print(f"{name:8} candidates only send {rows[0][1] / rows[1][1]:.0%} of the prompt tokens of every "
                  f"paragraph, {variable[0] / variable[1]:.0%} of its passage tokens")
    print(f"fixed part of every request: system message (instructions, record definition, worked examples) "
          f"~{system} tokens, schema (tool definition) ~{schema} tokens; both come first and are the same on every "
          f"request, so a provider's prompt caching (OpenAI: prefixes of 1,024 tokens or more) applies to them")


def _run(base_url: str, docs: Path, gold: Path, send_all: bool) -> tuple[float, float, int]:
    """(prompt tokens per document, record recall on the gold, model calls) for one way of sending."""
    settings = LLMSettings(base_url=base_url, model="stub", mode="tools", concurrency=8, cache=False,
                           send_all=send_all)
    summary, recall, documents = scored_run(docs, gold, settings)
    return summary.usage.prompt_tokens / documents, recall, len(summary.usage.calls)


if __name__ == "__main__":
    sys.exit(main())
