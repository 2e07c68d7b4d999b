"""The canonical catalogue shipped in the package (indicators.md)."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.errors import InputError
from extractor.indicators import POLARITIES, catalogue, get_indicator

SPEC = Path(__file__).resolve().parents[1].parent / "shared" / "spec" / "indicators.csv"


@pytest.mark.skipif(not SPEC.exists(), reason="../shared/spec/indicators.csv is not beside this checkout")
def test_ids_names_units_polarity_and_lait_equal_the_spec():
    with SPEC.open(newline="", encoding="utf-8") as handle:
        spec = list(csv.DictReader(handle))
    ours = catalogue()
    assert list(ours) == [row["id"] for row in spec]
    for row in spec:
        mine = ours[row["id"]]
        assert (mine.name, mine.unit, mine.polarity, mine.lait or "") == (
            row["name"], row["unit"], row["polarity"] or "neutral", row["lait"]), row["id"]


def test_every_row_is_well_formed():
    rows = catalogue()
    assert len(rows) >= 81
    for row in rows.values():
        assert row.polarity in POLARITIES and row.unit and row.name and row.definition, row.id
        assert row.synonyms, row.id


def test_a_duration_row_takes_days_weeks_or_months_and_a_status_only_record():
    row = get_indicator("adoption_entering_care_to_placement_days")
    assert row.takes_unit("days") and row.takes_unit("months") and row.takes_unit(None)
    assert not row.takes_unit("percent")
    assert not get_indicator("cla_count").takes_unit("rate_per_10000")


def test_an_unknown_id_names_the_command_that_lists_them():
    with pytest.raises(InputError, match="kpi-extract indicators"):
        get_indicator("children_in_care")


def test_the_catalogue_is_read_from_any_directory(tmp_path):
    code = "from extractor.indicators import catalogue; print(len(catalogue()))"
    found = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert int(found.stdout) == len(catalogue())
