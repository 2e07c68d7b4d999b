"""(Re-)record the cassettes in cassettes/.

By default every scenario is recorded against tests/openai_stub.py on 127.0.0.1: those
cassettes are AUTHORED (the stub's scripted answers), not model output. With --live, the
scenarios a real model can reproduce (no scripted faults) are recorded against the endpoint
in OPENAI_BASE_URL / OPENAI_API_KEY with --model; credentials are filtered out.

    python tests/record_cassettes.py                 # all, from the stub
    python tests/record_cassettes.py --live --model gpt-4o-mini normal_extraction
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from llm_scenarios import INDEX, SCENARIOS, cassette_index, recorder  # noqa: E402
from openai_stub import StubServer  # noqa: E402

from extractor.backends.model import LLMSettings  # noqa: E402
from extractor.pipeline import run_batch  # noqa: E402
from extractor.prompts import load_prompt  # noqa: E402
from extractor.store import Store  # noqa: E402


def record(name: str, *, base_url: str, api_key: str, model: str | None, live: bool = False) -> None:
    """Record one scenario's HTTP exchanges into cassettes/<name>.yaml, replacing it, and say in
    cassettes/index.json who answered it (the stub: authored; or a live model) and for which prompt."""
    scenario = SCENARIOS[name]
    settings = LLMSettings(base_url=base_url, api_key=api_key, cache=False, mode="tools", **scenario.settings)
    if model:
        settings.model = model
    cassette = Path(recorder().cassette_library_dir) / f"{name}.yaml"
    cassette.unlink(missing_ok=True)  # record mode 'all' appends to an existing file otherwise
    with tempfile.TemporaryDirectory() as tmp, recorder("all").use_cassette(f"{name}.yaml"):
        summary = run_batch(scenario.paths, store=Store(Path(tmp) / "r.db"), backend="openai", options=settings)
    index = cassette_index()
    prompt = load_prompt(settings.prompt)
    index[name] = {
        "source": "live" if live else "authored: tests/openai_stub.py (the rules backend on the passages, scripted "
                                      f"faults {list(scenario.faults)})",
        "model": summary.model, "prompt": prompt.label, "prompt_hash": prompt.sha256,
        "recorded": datetime.date.today().isoformat(),
    }
    INDEX.write_text(json.dumps(dict(sorted(index.items())), indent=2) + "\n", "utf-8")
    print(f"{name}: {len(summary.usage.calls)} completions, "
          f"{[(o.name, o.status, o.records) for o in summary.outcomes]}")


def main() -> None:
    """Record the named scenarios (default: all that the chosen source can produce)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", choices=[*SCENARIOS, []])
    parser.add_argument("--live", action="store_true", help="record from OPENAI_BASE_URL / OPENAI_API_KEY")
    parser.add_argument("--model", help="model for --live recordings")
    args = parser.parse_args()
    names = args.names or [n for n, s in SCENARIOS.items() if s.live or not args.live]
    if args.live:
        for name in names:
            if not SCENARIOS[name].live:
                sys.exit(f"{name} needs scripted faults; a live endpoint cannot reproduce it")
            record(name, base_url=os.environ.get("OPENAI_BASE_URL", "https://api.openai.com/v1"),
                   api_key=os.environ["OPENAI_API_KEY"], model=args.model, live=True)
        return
    for name in names:
        with StubServer(SCENARIOS[name].faults) as stub:
            record(name, base_url=stub.base_url, api_key="test-key", model=None)


if __name__ == "__main__":
    main()
