"""End to end through the command line, on the bundled corpus."""

import csv
import io
import json

import click
from click.testing import CliRunner

import extractor
from extractor.cli import cli
from extractor.schema import DocumentResult
from extractor.store import Store
from extractor.textnorm import NormalisedText


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_run_on_the_bundled_corpus_stores_grounded_records(tmp_path, corpus):
    db = tmp_path / "kpis.db"
    result = invoke("run", str(corpus), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "5 extracted" in result.output
    store = Store(db)
    rows = list(store.db.query(
        "select d.name, d.text, r.* from records r join documents d on d.id = r.document_id"
    ))
    assert {row["name"] for row in rows} == {p.name for p in corpus.glob("*.txt")}
    for row in rows:
        assert NormalisedText(row["text"]).find(row["evidence"]) is not None
    by_value = {(row["name"][:3], row["value"]): row for row in rows}
    fraction = by_value[("002", 10.4)]
    assert (fraction["numerator"], fraction["denominator"]) == (29, 278)
    assert by_value[("002", 193.4)]["suspect"] == 1
    referral = by_value[("002", 81.4)]
    assert {"basis": "previous_year", "value": 84.1, "change": None, "period": "2022/23"} in json.loads(
        referral["comparisons"]
    )
    evidence = " ".join(row["evidence"] for row in rows)
    assert "413 KB" not in evidence and "aged 11 to 15" not in evidence and "Minute 118" not in evidence
    assert not any(row["value"] in (413, 118) for row in rows)


def test_extract_prints_valid_kpi_records(corpus):
    result = invoke("extract", str(corpus / "002_db4118e4560db15c.txt"))
    assert result.exit_code == 0
    parsed = DocumentResult.model_validate(json.loads(result.output))
    assert parsed.document == "002_db4118e4560db15c.txt" and len(parsed.records) > 20


def test_export_csv_and_json(tmp_path, corpus):
    db = tmp_path / "kpis.db"
    invoke("run", str(corpus / "000_c572b18e3f951390.txt"), "--db", str(db))
    out = tmp_path / "k.csv"
    assert invoke("export", "--db", str(db), "--format", "csv", "--output", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows and rows[0]["document"] == "000_c572b18e3f951390.txt"
    data = json.loads(invoke("export", "--db", str(db), "--format", "json").output)
    assert isinstance(data[0]["comparisons"], list) and len(data) == len(rows)


def test_exit_1_when_a_document_fails(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01")
    (tmp_path / "ok.txt").write_text("91% of reviews were on time.")
    result = CliRunner().invoke(cli, ["run", str(tmp_path), "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 1
    assert "failed" in result.output


def test_exit_2_on_usage_errors(tmp_path):
    assert CliRunner().invoke(cli, ["run"]).exit_code == 2
    assert CliRunner().invoke(cli, ["run", str(tmp_path), "--backend", "nope"]).exit_code == 2


def test_openai_backend_without_key_or_endpoint_fails_before_any_work(tmp_path, corpus):
    db = tmp_path / "k.db"
    result = CliRunner().invoke(cli, ["run", str(corpus), "--backend", "openai", "--db", str(db)])
    assert result.exit_code == 1
    assert "OPENAI_API_KEY" in result.output and "--base-url" in result.output
    assert not db.exists()  # the error comes before any work


def _every_command(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _every_command(command, (*prefix, name))


def test_every_command_has_help_with_an_example():
    for words, command in _every_command(cli):
        result = invoke(*words, "--help")
        assert result.exit_code == 0, words
        assert "Example" in result.output, words
        assert command.help and command.help.strip().splitlines()[0], words


def test_eval_writes_scoring_md_report_and_stores_the_run(tmp_path, corpus, gold_dir):
    report_path = tmp_path / "r.json"
    db = tmp_path / "k.db"
    result = invoke("eval", "--gold", str(gold_dir), "--docs", str(corpus), "--backend", "rules",
                    "--json", str(report_path), "--db", str(db))
    assert result.exit_code == 0
    report = json.loads(report_path.read_text())
    assert report["documents"] == 5 and report["gold_records"] > 100
    assert "per document" in result.output
    compared = invoke("eval", "--gold", str(gold_dir), "--docs", str(corpus), "--pred", str(gold_dir),
                      "--compare", str(report_path), "--db", str(db))
    assert compared.exit_code == 0 and "change against the earlier report" in compared.output
    history = invoke("eval-history", "--db", str(db))
    assert "rules" in history.output and "files:" in history.output


def test_gold_scored_against_itself_is_perfect(tmp_path, corpus, gold_dir):
    report_path = tmp_path / "self.json"
    invoke("eval", "--gold", str(gold_dir), "--docs", str(corpus), "--pred", str(gold_dir),
           "--json", str(report_path), "--no-store")
    report = json.loads(report_path.read_text())
    assert report["records"]["f1"] == 1.0 and report["comparisons"]["f1"] == 1.0


def test_check_gold_command(corpus, gold_dir, tmp_path):
    assert invoke("eval", "--check-gold", str(gold_dir), "--docs", str(corpus)).exit_code == 0
    (tmp_path / "bad.json").write_text(json.dumps({"format": "kpi-records/1", "document": "x.txt", "records": []}))
    assert CliRunner().invoke(cli, ["eval", "--check-gold", str(tmp_path), "--docs", str(corpus)]).exit_code == 1


def test_public_api_is_small_sorted_and_importable():
    assert extractor.__all__ == sorted(extractor.__all__)
    for name in extractor.__all__:
        assert getattr(extractor, name)


def test_eval_scores_one_half_of_a_split_and_tables_reports_side_by_side(tmp_path, corpus, gold_dir):
    split = tmp_path / "split.csv"
    split.write_text("file,half\n000_c572b18e3f951390.txt,tune\n001_ad2c3098650f2ab7.txt,check\n"
                     "002_db4118e4560db15c.txt,check\n")
    reports = {}
    for half in ("tune", "check"):
        reports[half] = tmp_path / f"rules-{half}.json"
        result = invoke("eval", "--gold", str(gold_dir), "--docs", str(corpus), "--split", str(split),
                        "--half", half, "--quiet", "--no-store", "--json", str(reports[half]))
        assert result.exit_code == 0 and "missed" not in result.output
    assert json.loads(reports["tune"].read_text())["documents"] == 1
    assert json.loads(reports["check"].read_text())["documents"] == 2
    table = invoke("eval-table", str(reports["check"]), str(reports["tune"]))
    assert table.exit_code == 0
    head = " ".join(table.output.split())
    assert "check" in head and "(2 docs)" in head and "tune" in head and "(1 docs)" in head
    assert "false/negative" in table.output


def test_eval_split_errors_name_the_file_and_the_fix(tmp_path, corpus, gold_dir):
    split = tmp_path / "split.csv"
    split.write_text("file,half\n000_c572b18e3f951390.txt,tune\n")
    result = CliRunner().invoke(cli, ["eval", "--gold", str(gold_dir), "--docs", str(corpus), "--split", str(split),
                                      "--half", "check", "--no-store"])
    assert result.exit_code == 1 and "no document is in half 'check'" in result.output and "tune" in result.output
    alone = CliRunner().invoke(cli, ["eval", "--gold", str(gold_dir), "--docs", str(corpus), "--half", "tune"])
    assert alone.exit_code == 2 and "--split and --half together" in alone.output


def test_a_base_url_alone_picks_the_model_backend_and_nothing_picks_rules():
    from extractor.backends import default_backend

    assert default_backend({"base_url": "http://127.0.0.1:8080/v1"}) == "openai"
    assert default_backend({}) == default_backend() == "rules"
