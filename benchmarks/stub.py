"""Shared by the model benchmarks: a corpus of distinct documents and the stub in its own process.

The stub (tests/openai_stub.py) stands in for a model: it answers every request after a fixed
latency with the records the rules backend finds in the passages it was sent, and can enforce
rpm/tpm over a sliding minute, answering 429 with Retry-After as providers do. It runs in a
separate process so its work does not share our event loop's CPU.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "eval" / "corpus", ROOT.parent / "shared" / "corpus" / "dev" / "docs"]


def write_corpus(folder: Path, documents: int) -> list[Path]:
    """documents files made from the bundled and development minutes, each copy varied in every line
    that holds a number, so no two documents (and no two passages) are the same."""
    texts = [path.read_text("utf-8") for source in SOURCES if source.exists() for path in sorted(source.glob("*.txt"))]
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(documents):
        text = texts[number % len(texts)]
        copy = number // len(texts)
        if copy:
            text = re.sub(r"(?m)^(.*\d.*)$", lambda m, c=copy: f"{m.group(1)} [copy {c}]", text)
        path = folder / f"{number:04d}.txt"
        path.write_text(text, "utf-8")
        written.append(path)
    return written


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def stub_process(*args: str) -> Iterator[str]:
    """The stub on 127.0.0.1 in its own process (args: --latency, --rpm, --tpm ...); yields its base URL."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "tests" / "openai_stub.py"), "--port", str(port), *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{base}/stats", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the stub did not start") from None
                time.sleep(0.1)
        yield f"{base}/v1"
    finally:
        process.terminate()
        process.wait(timeout=10)


def stub_stats(base_url: str) -> dict:
    """What the stub admitted (time, tokens) and refused with a 429."""
    with urllib.request.urlopen(base_url.removesuffix("/v1") + "/stats", timeout=5) as response:
        return json.loads(response.read())


def scored_run(docs: Path, gold: Path, settings: object) -> tuple[object, float | None, int]:
    """Run a folder's .txt documents through the openai backend with these settings (against the stub) into
    a temporary database, and score its kpi-records export against the gold: (the run's summary, record
    recall, the number of documents)."""
    import tempfile

    from extractor.documents import load_document
    from extractor.evaluate import evaluate
    from extractor.exports import write_kpi_records
    from extractor.goldcheck import load_result_file
    from extractor.pipeline import run_batch
    from extractor.store import Store

    documents = [load_document(path) for path in sorted(docs.glob("*.txt"))]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "t.db")
        summary = run_batch([d.path for d in documents], store=store, backend="openai", options=settings)
        folder = Path(tmp) / "pred"
        write_kpi_records(store, folder)
        predictions = [load_result_file(path) for path in sorted(folder.glob("*.json"))]
    golds = [load_result_file(path) for path in sorted(gold.glob("*.json"))]
    report, _ = evaluate(golds, predictions, {d.name: d.text for d in documents})
    return summary, report["records"]["recall"], len(documents)
