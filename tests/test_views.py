"""Terminal views: the run summary at 80 columns, show, runs and failures, for people and scripts."""

import io
import json

from click.testing import CliRunner

from extractor.cli import cli
from extractor.views import marked_evidence, shorten


def _run(*args):
    return CliRunner().invoke(cli, ["run", *map(str, args)])


def _minutes(folder, count: int, *, broken: int = 0):
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        (folder / f"corporate_parenting_panel_minutes_with_a_long_name_{index:03d}.txt").write_text(
            f"Corporate Parenting Panel\n\n{40 + index} children were in care at the end of March 2024.", "utf-8")
    for index in range(broken):
        (folder / f"broken_{index}.pdf").write_bytes(b"%PDF-1.4 " + b"x" * index)
    return folder


def test_names_shorten_from_the_middle():
    assert shorten("corporate_parenting_panel_2024.txt", 20) == "corporate\u2026l_2024.txt"
    assert len(shorten("x" * 100, 36)) == 36 and shorten("short.txt", 36) == "short.txt"


def test_the_summary_fits_80_columns_with_one_line_per_failure(tmp_path):
    folder = _minutes(tmp_path / "minutes", 3, broken=2)
    (folder / "apologies.txt").write_text("Apologies were received from Councillor Smith.", "utf-8")
    result = _run(folder, "--db", tmp_path / "k.db")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80, result.output
    failures = [line for line in lines if line.startswith("\u2717 ")]
    assert len(failures) == 2 and all("unreadable PDF" in line for line in failures)
    assert "no records" in result.output and "corporate_parenti\u2026_long_name_000.txt" in result.output


def test_a_large_batch_is_grouped_by_status(tmp_path):
    result = _run(_minutes(tmp_path / "minutes", 40, broken=1), "--db", tmp_path / "k.db")
    assert result.exit_code == 1
    assert "corporate_parenting" not in result.output  # no row per document
    assert "extracted" in result.output and "40" in result.output and len(result.output.splitlines()) < 25


def test_quiet_and_json(tmp_path):
    folder = _minutes(tmp_path / "minutes", 2, broken=1)
    quiet = _run(folder, "--db", tmp_path / "q.db", "--quiet")
    lines = quiet.output.splitlines()
    assert lines[0] == "2 extracted (0 with no records), 0 skipped, 1 failed; 2 records stored"
    assert lines[1].startswith("\u2717 broken_0.pdf: unreadable PDF") and "\u2503" not in quiet.output  # no table
    scripted = _run(folder, "--db", tmp_path / "j.db", "--json")
    summary = json.loads(scripted.stdout)
    assert (summary["extracted"], summary["failed"], summary["records"]) == (2, 1, 2)
    assert {o["status"] for o in summary["outcomes"]} == {"extracted", "failed"}


def test_two_documents_of_one_name_are_told_apart_by_path(tmp_path):
    for folder, text in (("a", "40 children were in care."), ("b", "41 children were in care.")):
        (tmp_path / "minutes" / folder).mkdir(parents=True)
        (tmp_path / "minutes" / folder / "minutes.txt").write_text(f"Cabinet\n\n{text}", "utf-8")
    db = tmp_path / "k.db"
    result = _run(tmp_path / "minutes", "--db", db)
    assert "a/minutes.txt" in result.output and "b/minutes.txt" in result.output
    ambiguous = CliRunner().invoke(cli, ["show", "minutes.txt", "--db", str(db)])
    assert ambiguous.exit_code == 2 and "give the path of one" in ambiguous.output
    one = CliRunner().invoke(cli, ["show", str(tmp_path / "minutes" / "b" / "minutes.txt"), "--db", str(db)])
    assert one.exit_code == 0 and "41" in one.output and "40 children" not in one.output


def test_show_marks_the_value_in_its_evidence(tmp_path, corpus):
    text = marked_evidence("Of the 1,554 children, 79% had a plan.", 79)
    assert [text.plain[s.start:s.end] for s in text.spans] == ["79"]
    other = marked_evidence("In 2023 there were 1,554.", 1554)
    assert [other.plain[s.start:s.end] for s in other.spans] == ["1,554"]
    words = marked_evidence("Seven children were adopted on 07/11/2023.", 7)
    assert [words.plain[s.start:s.end] for s in words.spans] == ["Seven"]  # read as grounding reads numbers
    db = tmp_path / "k.db"
    _run(corpus, "--db", db)
    shown = CliRunner().invoke(cli, ["show", "004_36426df94b734508.txt", "--db", str(db), "--json"])
    rows = [json.loads(line) for line in shown.output.splitlines()]
    assert len(rows) == 5 and all(r["document"] == "004_36426df94b734508.txt" for r in rows)


def test_runs_and_failures_for_people_and_scripts(tmp_path):
    db = tmp_path / "k.db"
    _run(_minutes(tmp_path / "minutes", 1, broken=1), "--db", db)
    runs = json.loads(CliRunner().invoke(cli, ["runs", "--db", str(db), "--json"]).output)
    assert len(runs) == 1 and (runs[0]["status"], runs[0]["failed"], runs[0]["records"]) == ("completed", 1, 1)
    table = CliRunner().invoke(cli, ["runs", "--db", str(db)]).output
    assert runs[0]["id"][:8] in table and "completed" in table
    failed = json.loads(CliRunner().invoke(cli, ["failures", "--db", str(db), "--run", runs[0]["id"][:8],
                                                 "--json"]).output)
    assert len(failed) == 1 and failed[0]["stage"] == "load" and "unreadable PDF" in failed[0]["error"]
    assert "no failures" in CliRunner().invoke(cli, ["failures", "--db", str(db), "--run", "ffff"]).output


def test_show_puts_the_canonical_measure_under_the_councils_wording(tmp_path, corpus):
    from rich.console import Console

    from extractor.store import Store
    from extractor.views import records_table

    db = tmp_path / "k.db"
    _run(corpus, "--db", db)
    shown = CliRunner().invoke(cli, ["show", "002_db4118e4560db15c.txt", "--db", str(db)])
    assert shown.exit_code == 0 and "cla_count" in shown.output
    scripted = _rows(db, "002_db4118e4560db15c.txt")
    assert shown.output.count("\u2192") == sum(r["indicator_id"] is not None for r in scripted) > 10  # none if unmapped
    store = Store(db)
    document = store.stored_documents("002_db4118e4560db15c.txt")[0]
    wide = Console(width=250, file=io.StringIO())
    wide.print(records_table(document, store.records_of(document["id"])))
    lines = [line.strip("\u2502 ") for line in wide.file.getvalue().splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("Children in care "))
    assert [line.split("\u2502")[0].strip() for line in lines[at:at + 3]] == [
        "Children in care", "\u2192 Children looked after (children in care)", "cla_count"]
    in_care = next(r for r in scripted if r["indicator"] == "Children in care")
    assert (in_care["indicator_id"], in_care["indicator_name"], in_care["polarity"]) == (
        "cla_count", "Children looked after (children in care)", "neutral")


def test_an_unmapped_record_shows_its_wording_alone():
    from extractor.views import indicator_cell

    assert indicator_cell("Apples counted", None).plain == "Apples counted"
    mapped = indicator_cell("CLA", "cla_count")
    assert mapped.plain == "CLA\n\u2192 Children looked after (children in care)\ncla_count"


def _rows(db, name):
    shown = CliRunner().invoke(cli, ["show", name, "--db", str(db), "--json"])
    return [json.loads(line) for line in shown.output.splitlines()]
