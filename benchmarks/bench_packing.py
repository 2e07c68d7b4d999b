"""Prompt tokens per document with and without --pack-tokens, at equal record recall, and what a document
costs at list and batch prices, with and without a provider's prompt caching of the fixed part.

For the bundled minutes and the development corpus, each --pack-tokens setting runs the whole set through
the model backend against the stub (it answers each passage with the rules backend's records for it, so a
passage's records do not depend on what shares its request: recall must come out equal). Tokens are counted
as providers count them: the messages (the stub's count, four characters a token) plus the tool definition
on every request.

Run: .venv/bin/python benchmarks/bench_packing.py [PACK_TOKENS ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from stub import ROOT, scored_run, stub_process

from extractor.backends.llm import MODES, ChunkRecords, LLMBackend, handle_response_model
from extractor.backends.model import LLMSettings
from extractor.backends.packer import packed_model
from extractor.chunking import estimate_tokens
from extractor.documents import load_document

SETS = {
    "samples": (ROOT / "eval" / "corpus", ROOT / "eval" / "gold"),
    "dev": (ROOT.parent / "shared" / "corpus" / "dev" / "docs", ROOT.parent / "shared" / "corpus" / "dev" / "gold"),
}
# gpt-4o-mini's list prices (USD per million tokens), cached input at half price, the Batch API at half.
PRICE_IN, PRICE_OUT, CACHED_SHARE, BATCH_SHARE = 0.15, 0.60, 0.5, 0.5
CONTEXT = 128_000  # gpt-4o-mini's context, as README advises giving it (8192, the default, caps a pack near 1,200)


def tool_tokens() -> tuple[int, int, int]:
    """(system message, unpacked tool definition, packed tool definition) tokens: the fixed part."""
    backend = LLMBackend(LLMSettings(base_url="http://127.0.0.1:9/v1", model="stub", mode="tools"))
    messages = backend.prompt.render(passages="", title="x", committee="x", report_period="x")
    tools = [handle_response_model(model, mode=MODES["tools"], messages=messages)[1]["tools"]
             for model in (ChunkRecords, packed_model())]
    return (estimate_tokens(messages[0]["content"]), *(estimate_tokens(json.dumps(t)) for t in tools))


def main() -> None:
    packs = [int(a) for a in sys.argv[1:]] or [0, 1000, 2000, 4000]
    system, tool, packed_tool = tool_tokens()
    print(f"fixed part: system message ~{system} tokens; tool definition ~{tool} (packed: ~{packed_tool})")
    with stub_process() as base_url:
        for name, (docs, gold) in SETS.items():
            if not docs.exists():
                print(f"{name}: {docs} not found, skipped")
                continue
            documents = [load_document(path) for path in sorted(docs.glob("*.txt"))]
            own = sum(estimate_tokens(d.text) for d in documents) / len(documents)
            print(f"\n{name}: {len(documents)} documents, {own:.0f} tokens of text each on average")
            print("pack-tokens  calls  prompt/doc  (+tools)  x own text  recall  list $/1k docs  batch  "
                  "batch+cached")
            for pack in packs:
                messages, completion, calls, recall = _run(base_url, docs, gold, pack)
                per_call_tool = packed_tool if pack else tool
                prompt = (messages + calls * per_call_tool) / len(documents)
                out = completion / len(documents)
                fixed = calls * (system + per_call_tool) / len(documents)  # what prompt caching discounts
                list_cost = (prompt * PRICE_IN + out * PRICE_OUT) / 1e6 * 1000
                cached = ((prompt - fixed * CACHED_SHARE) * PRICE_IN + out * PRICE_OUT) / 1e6 * 1000
                print(f"{pack:11}  {calls:5}  {messages / len(documents):10.0f}  {prompt:8.0f}  {prompt / own:9.2f}  "
                      f"{recall:6.3f}  {list_cost:14.3f}  {list_cost * BATCH_SHARE:5.3f}  "
                      f"{cached * BATCH_SHARE:12.3f}")


def _run(base_url: str, docs: Path, gold: Path, pack: int) -> tuple[int, int, int, float]:
    """(prompt tokens of the messages, completion tokens, calls, record recall) for one --pack-tokens."""
    settings = LLMSettings(base_url=base_url, model="stub", mode="tools", concurrency=8, pack_tokens=pack,
                           context_tokens=CONTEXT)
    summary, recall, _ = scored_run(docs, gold, settings)
    assert not summary.failed, [o.error for o in summary.outcomes if o.error]
    usage = summary.usage
    return usage.prompt_tokens, usage.completion_tokens, len(usage.calls), recall


if __name__ == "__main__":
    sys.exit(main())
