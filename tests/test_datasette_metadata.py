"""The database in Datasette: descriptions, facets and the canned query, served on 127.0.0.1."""

import json
import socket
import subprocess
import sys
import time

import httpx
import pytest
from click.testing import CliRunner

from extractor.cli import cli


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path, corpus):
    pytest.importorskip("datasette", reason="Datasette is an optional extra: pip install 'kpi-extract[datasette]'")
    db, metadata = tmp_path / "kpis.db", tmp_path / "metadata.json"
    assert CliRunner().invoke(cli, ["run", str(corpus), "--db", str(db)]).exit_code == 0
    assert CliRunner().invoke(cli, ["datasette-metadata", "--db", str(db), "--output", str(metadata)]).exit_code == 0
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(db), "-m", str(metadata), "-h",
                               "127.0.0.1", "-p", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{base}/-/versions.json", timeout=1)
            break
        except httpx.TransportError:
            assert server.poll() is None and time.monotonic() < deadline, server.stdout.read().decode()
            time.sleep(0.2)
    yield base, json.loads(metadata.read_text())
    server.terminate()
    server.communicate(timeout=10)  # closes its pipe


def test_the_kpis_table_page_has_facets_descriptions_and_a_query(served):
    base, metadata = served
    page = httpx.get(f"{base}/kpis/kpis", timeout=10)
    assert page.status_code == 200
    assert "Every KPI record with where it comes from" in page.text
    for facet in ("authority", "unit", "period", "indicator"):
        assert f'data-column="{facet}"' in page.text or f"facet-{facet}" in page.text
    rows = httpx.get(f"{base}/kpis/kpis.json?_shape=array&_size=max", timeout=10).json()
    assert len(rows) == 109 and {"authority", "meeting_date", "evidence"} <= set(rows[0])
    found = httpx.get(f"{base}/kpis/indicator_across_documents.json", params={"indicator": "fostering",
                                                                              "_shape": "array"}, timeout=10).json()
    assert found and all("fostering" in r["indicator"].lower() for r in found)
    assert len(found) == sum("fostering" in r["indicator"].lower() for r in rows)
    assert metadata["databases"]["kpis"]["queries"]["indicator_across_documents"]["sql"].startswith("select")


def test_one_canonical_indicator_across_authorities(served):
    base, metadata = served
    page = httpx.get(f"{base}/kpis/kpis", timeout=10)
    assert 'data-column="indicator_id"' in page.text or "facet-indicator_id" in page.text
    facet = httpx.get(f"{base}/kpis/kpis.json", params={"_facet": "indicator_id", "_size": 0}, timeout=10).json()
    counts = {item["value"]: item["count"] for item in facet["facet_results"]["indicator_id"]["results"]}
    commonest = max(counts, key=lambda key: (counts[key], key or ""))
    assert commonest and counts[commonest] >= 2  # the samples repeat measures (000 and 001 are one report)
    found = httpx.get(f"{base}/kpis/indicator_across_authorities.json",
                      params={"indicator_id": commonest, "_shape": "array"}, timeout=10).json()
    assert len(found) == counts[commonest]
    assert list(found[0]) == ["authority", "period", "value", "unit", "indicator", "document", "evidence"]
    assert len({r["indicator"] for r in found}) > 2  # one measure, in each council's words
    assert len({r["authority"] for r in found}) > 1
    keys = [(r["authority"] or "", r["period"] or "") for r in found]
    assert keys == sorted(keys)
    query = metadata["databases"]["kpis"]["queries"]["indicator_across_authorities"]
    assert query["title"] == "One indicator across authorities" and ":indicator_id" in query["sql"]
    catalogue = httpx.get(f"{base}/kpis/indicators", timeout=10)
    assert catalogue.status_code == 200 and "The canonical indicator catalogue" in catalogue.text


def test_every_described_column_is_in_the_database(tmp_path, corpus):
    from extractor.datasette_metadata import datasette_metadata
    from extractor.store import Store

    db = tmp_path / "kpis.db"
    assert CliRunner().invoke(cli, ["run", str(corpus), "--db", str(db)]).exit_code == 0
    tables = datasette_metadata(db)["databases"]["kpis"]["tables"]
    store = Store(db)
    for name in ("kpis", "records", "indicators"):
        held = {column.name for column in (store.db.view(name) if name == "kpis" else store.db[name]).columns}
        assert set(tables[name]["columns"]) <= held, name
        assert set(tables[name].get("facets", [])) <= held, name
    assert {"indicator_id", "indicator_name", "polarity", "indicator_id_method"} <= set(tables["kpis"]["columns"])
