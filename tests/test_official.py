"""Official figures, offline on the LAIT snapshot in ../shared: loading, the year rule, records beside them."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.errors import ConfigError, InputError
from extractor.official import agrees, official_check, official_figures, official_rows, published_year, snapshot_info
from extractor.official_load import load_official, typed
from extractor.store import Store

LAIT = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "lait"
MEASURES = ["LACnum", "LAC", "ReReferral"]
needs_snapshot = pytest.mark.skipif(not (LAIT / "bds_long_0.parquet").exists(),
                                    reason=f"the LAIT snapshot is not at {LAIT} (shared/reference/lait)")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with three measures of the snapshot loaded (copied by each test that writes)."""
    if not (LAIT / "bds_long_0.parquet").exists():
        pytest.skip(f"the LAIT snapshot is not at {LAIT} (shared/reference/lait)")
    path = tmp_path_factory.mktemp("official") / "loaded.db"
    store = Store(path)
    load_official(store, str(LAIT), measures=MEASURES)
    store.db.conn.execute("pragma wal_checkpoint(truncate)")
    store.db.conn.close()
    return path


@pytest.fixture
def store(loaded: Path, tmp_path: Path) -> Store:
    shutil.copy(loaded, tmp_path / "kpis.db")
    return Store(tmp_path / "kpis.db")


def add_record(store: Store, authority: str | None, indicator_id: str | None, value: float | None, period: str,
               comparisons: list[dict] | None = None, unit: str | None = None) -> int:
    """A stored record of a document of this authority, as the pipeline leaves it."""
    number = store.db.execute("select count(*) from records").fetchone()[0] + 1
    with store.transaction():
        store.db["documents"].insert({"id": f"d{number}", "name": f"doc{number}.txt", "path": f"doc{number}.txt",
                                      "meta": json.dumps({"authority": authority}), "text": "x"})
        store.db["records"].insert({"id": number, "document_id": f"d{number}", "start": 0, "end": 1,
                                    "indicator": "a measure", "indicator_id": indicator_id, "value": value,
                                    "unit": unit, "period": period, "comparisons": json.dumps(comparisons or [])})
    return number


# --- loading -------------------------------------------------------------------------------------------------


@needs_snapshot
def test_a_load_stores_typed_values_the_marks_as_printed_and_the_snapshot(store: Store) -> None:
    conn = store.db.conn
    assert conn.execute("select count(*) from official_values").fetchone()[0] == 5100  # 3 measures, 170 areas, 10 y
    assert conn.execute("select value, mark from official_values where measure = 'LAC' and la_number = 372 "
                        "and year = '2024'").fetchone() == (86.0, None)
    suppressed = conn.execute("select value, mark from official_values where measure = 'LAC' and la_number = 909 "
                              "and year = '2024'").fetchone()  # Cumbria, abolished in 2023
    assert suppressed == (None, "-")
    assert conn.execute("select count(*) from official_values where mark is not null and value is not null"
                        ).fetchone()[0] == 0
    assert conn.execute("select count(*) from official_neighbours where la_number = 372").fetchone()[0] == 10
    assert conn.execute("select area_type, region_number from official_authorities where la_number = 209"
                        ).fetchone() == ("la", 987)  # Lewisham, Inner London: LAIT's row `London (Inner)`
    assert conn.execute("select dps, year_type from official_measures where measure = 'LACnum'").fetchone() == (
        0, "Annual")
    info = snapshot_info(store)
    assert (info["snapshot_date"], info["snapshot_commit"], info["source"]) == ("2026-04-08", "2e30e39", str(LAIT))
    assert info["measures_filter"] == "LACnum,LAC,ReReferral"


@needs_snapshot
def test_loading_again_replaces_and_a_failed_load_leaves_the_previous_one(store: Store,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    load_official(store, str(LAIT), measures=["LAC"])
    assert store.db.execute("select count(distinct measure), count(*) from official_values").fetchone() == (1, 1700)
    assert store.db.execute("select count(*) from official_snapshot").fetchone()[0] == 1

    import extractor.official_load as official_load

    def broken(path: Path, measures: object):
        yield [("LACnum", 372, "2024", 1.0, None)]
        raise InputError("the file ends early")

    monkeypatch.setattr(official_load, "_value_batches", broken)
    with pytest.raises(InputError):
        load_official(store, str(LAIT))
    assert store.db.execute("select count(distinct measure), count(*) from official_values").fetchone() == (1, 1700)


@needs_snapshot
def test_the_whole_snapshot_loads(tmp_path: Path) -> None:
    summary = load_official(Store(tmp_path / "kpis.db"), str(LAIT))
    assert (summary.values, summary.measures, summary.authorities) == (641_070, 434, 170)
    assert summary.suppressed == 93_883


def test_published_values_are_typed_never_a_zero() -> None:
    assert typed("9.3699999999999992") == (9.37, None)
    assert typed("1,234") == (1234.0, None)
    for mark in ("c", "x", "z", ".", "-", ":", "NaN"):
        assert typed(mark) == (None, mark)
    assert typed("") == typed(None) == (None, None)


def test_a_folder_without_the_files_and_an_unknown_measure_are_said_so(tmp_path: Path) -> None:
    (tmp_path / "lait_data_dictionary.csv").write_text("x", "utf-8")
    with pytest.raises(InputError, match="lacks bds_long_0.parquet, sn_may_2025.xlsx, la_code_list.xlsx"):
        load_official(Store(tmp_path / "kpis.db"), str(tmp_path))
    if (LAIT / "bds_long_0.parquet").exists():
        with pytest.raises(InputError, match="NoSuchMeasure: not a Measure_short"):
            load_official(Store(tmp_path / "kpis.db"), str(LAIT), measures=["NoSuchMeasure"])


def test_a_failed_download_names_the_folder_load_as_the_fix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot download .*kpi-extract official load /path/to/folder"):
        load_official(Store(tmp_path / "kpis.db"), "http://127.0.0.1:9/lait/")


@needs_snapshot
def test_without_the_parquet_reader_the_error_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(ConfigError, match=r"pip install 'kpi-extract\[official\]'"):
        load_official(Store(tmp_path / "kpis.db"), str(LAIT), measures=["LAC"])


# --- the year rule and the tolerance ---------------------------------------------------------------------------


@pytest.mark.parametrize(("period", "year_type", "year"), [
    ("2023/24", "Financial Year", "2024"), ("2023/24 Q4", "Financial Year", "2024"),
    ("2024-03", "Annual", "2024"), ("2024-03-31", "Annual", "2024"), ("2023-04..2024-03", "Financial Year", "2024"),
    ("2024-01..2024-03", "Annual", "2024"), ("2023/24", "Annual", "2024"),
    ("2023/24 Q1", "Financial Year", None), ("2023/24 Q2", "Annual", None), ("2023/24 Q3", "Annual", None),
    ("2024-02", "Annual", None), ("2024-03-15", "Annual", None), ("2024", "Financial Year", None),
    ("2023-05..2024-03", "Financial Year", None), (None, "Annual", None), ("March 2024", "Annual", None),
    ("2024-09", "Annual (end of Sept)", "2024"), ("2024/25 Q2", "Annual (end of Sept)", "2024"),
    ("2023/24", "Annual (end of Sept)", None), ("2023", "Calendar Year", "2023"),
    ("2023-01..2023-12", "Calendar Year", "2023"), ("2023/24", "Calendar Year", None),
    ("2024-01", "Annual - January", "2024"), ("2023/24", "Academic Year", None), ("2024", "Academic Year", None),
])
def test_which_periods_meet_a_published_year(period: str | None, year_type: str, year: str | None) -> None:
    assert published_year(period, year_type) == year


def test_agreement_is_equality_at_the_coarser_rounding_and_counts_are_exact() -> None:
    assert agrees(21.2, 21.2, dps=None, count=False)
    assert agrees(21, 21.2, dps=None, count=False)  # the minutes print whole percentages
    assert agrees(21.24, 21.2, dps=None, count=False)
    assert agrees(21.25, 21.3, dps=None, count=False)  # half up, as published
    assert not agrees(21.4, 21.2, dps=None, count=False)
    assert not agrees(22, 21.2, dps=None, count=False)
    assert agrees(86.0, 86.0, dps=None, count=False) and not agrees(87, 86, dps=None, count=False)
    assert agrees(104.6, 104.58, dps=None, count=False, places=1)
    assert agrees(433, 433, dps=0, count=True) and not agrees(434, 433, dps=0, count=True)
    assert not agrees(433.4, 433, dps=0, count=True)


# --- records beside the official figures -----------------------------------------------------------------------


@needs_snapshot
def test_a_record_that_agrees_one_that_disagrees_one_suppressed_one_with_no_lait_key(store: Store) -> None:
    agreeing = add_record(store, "Rotherham MBC", "cla_rate_per_10000", 86, "2023/24", [
        {"basis": "national", "value": 69, "change": None, "period": None},
        {"basis": "statistical_neighbours", "value": 104.6, "change": None, "period": None},
        {"basis": "regional", "value": 80, "change": None, "period": None},
        {"basis": "previous_year", "value": 88, "change": None, "period": "2022/23"}])
    differing = add_record(store, "Rotherham", "cla_count", 612, "2024-03-31")
    suppressed = add_record(store, "Cumbria County Council", "cla_rate_per_10000", 60, "2023/24 Q4")
    add_record(store, "Rotherham", "contacts_count", 5000, "2023/24")  # no lait key: never checked
    add_record(store, "Rotherham", "cla_count", 600, "2023/24 Q2")  # an in-year quarter: no published year
    unresolved = add_record(store, "Kingston", "cla_count", 300, "2023/24")
    checks = {(c.record_id, c.subject): c for c in official_check(store)}
    assert set(checks) == {(agreeing, "authority"), (agreeing, "england"), (agreeing, "neighbours"),
                           (agreeing, "region"), (differing, "authority"), (suppressed, "authority"),
                           (unresolved, "authority")}
    assert checks[agreeing, "authority"].status == "agrees" and checks[agreeing, "authority"].year == "2024"
    assert checks[agreeing, "england"].status == "agrees"
    neighbours = checks[agreeing, "neighbours"]
    assert (neighbours.status, round(neighbours.published, 1), neighbours.neighbours_with_figure) == (
        "agrees", 104.6, 10)
    region = checks[agreeing, "region"]
    assert (region.status, region.stated, region.published) == ("mismatch", 80, 79.0)
    mismatch = checks[differing, "authority"]
    assert (mismatch.status, mismatch.stated, mismatch.published, mismatch.period) == (
        "mismatch", 612, 502.0, "2024-03-31")
    assert "provisional" in mismatch.note
    assert (checks[suppressed, "authority"].status, checks[suppressed, "authority"].mark) == ("suppressed", "-")
    assert checks[unresolved, "authority"].status == "unresolved_authority"
    assert "'Kingston' is not an authority" in checks[unresolved, "authority"].note


@needs_snapshot
def test_official_figures_beside_one_record(store: Store) -> None:
    figures = official_figures(store, "cla_rate_per_10000", "Rotherham", "2024-03")
    assert figures is not None and (figures.measure, figures.year, figures.la_number) == ("LAC", "2024", 372)
    assert (figures.authority.value, figures.england.value, figures.region.area, figures.region.value) == (
        86.0, 69.0, "Yorkshire and the Humber", 79.0)
    assert (round(figures.neighbours_mean, 1), figures.neighbours_with_figure, figures.neighbours) == (104.6, 10, 10)
    assert "2026-04-08" in figures.snapshot and json.dumps(figures.to_dict())
    assert official_figures(store, "contacts_count", "Rotherham", "2023/24") is None  # no lait key
    assert official_figures(store, "cla_rate_per_10000", "Rotherham", "2023/24 Q3") is None  # no published year
    assert official_figures(store, "cp_plans_count", "Rotherham", "2023/24") is None  # measure not loaded
    cumbria = official_figures(store, "cla_count", "Cumbria", "2023/24")
    assert cumbria.authority.mark == "-" and cumbria.authority.value is None and cumbria.authority.shown() == "-"


@needs_snapshot
def test_compare_rows_for_england_region_and_neighbours(store: Store) -> None:
    rows = official_rows(store, "cla_rate_per_10000", ["2022/23", "2023/24", "2023/24 Q2"], ["Rotherham", "Bristol"])
    assert {(r["kind"], r["area"], r["year"]) for r in rows} == {
        (kind, area, year) for year in ("2023", "2024") for kind, area in (
            ("england", "England"), ("region", "Yorkshire and the Humber"), ("neighbours", "Rotherham"),
            ("region", "South West"), ("neighbours", "Bristol, City of"))}
    assert all(r["official"] for r in rows)
    england = [r for r in rows if r["kind"] == "england"]
    assert [(r["year"], r["value"]) for r in england] == [("2023", 70.0), ("2024", 69.0)]
    assert official_rows(store, "contacts_count", ["2023/24"]) == []


def test_without_official_figures_loaded_nothing_is_beside_a_record(tmp_path: Path) -> None:
    store = Store(tmp_path / "kpis.db")
    add_record(store, "Rotherham", "cla_count", 600, "2023/24")
    assert official_figures(store, "cla_count", "Rotherham", "2023/24") is None
    assert official_check(store) == [] and snapshot_info(store) is None


# --- the command line ------------------------------------------------------------------------------------------


@needs_snapshot
def test_the_commands_load_show_the_snapshot_and_list_the_checks(tmp_path: Path) -> None:
    db = str(tmp_path / "kpis.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["official", "load", str(LAIT), "--measures", "LACnum,LAC", "--db", db])
    assert result.exit_code == 0, result.output
    assert "3,400 published values" in result.output and "2026-04-08, commit 2e30e39" in result.output
    status = runner.invoke(cli, ["official", "status", "--db", db])
    assert status.exit_code == 0 and "commit 2e30e39" in status.output and "LACnum,LAC" in status.output
    store = Store(db)
    add_record(store, "Rotherham", "cla_rate_per_10000", 86, "2023/24")
    add_record(store, "Rotherham", "cla_count", 612, "2024-03-31")
    listed = runner.invoke(cli, ["official", "check", "--db", db])
    assert listed.exit_code == 0, listed.output
    assert "agrees" in listed.output and "mismatch" in listed.output and "502" in listed.output
    as_json = json.loads(runner.invoke(cli, ["official", "check", "--db", db, "--json", "--mismatches"]).stdout)
    assert [(c["indicator_id"], c["stated"], c["published"], c["period"], c["year"]) for c in as_json] == [
        ("cla_count", 612, 502.0, "2024-03-31", "2024")]


def test_check_without_loaded_figures_says_how_to_load_them(tmp_path: Path) -> None:
    db = str(tmp_path / "kpis.db")
    Store(db)
    result = CliRunner().invoke(cli, ["official", "check", "--db", db])
    assert result.exit_code == 2 and "kpi-extract official load --db" in result.output
