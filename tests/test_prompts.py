from pathlib import Path

import pytest

from extractor.errors import ConfigError
from extractor.prompts import find_prompt, load_prompt

GOOD = '''name = "t"
version = "3"
definition = "A record is a measure."
system = "Rules: ${definition}\\n${examples}"
user = "Period: ${report_period}\\n${passages}"
'''


def _write(tmp_path: Path, text: str, name: str = "t-v3.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_the_bundled_prompt_loads_with_grounded_examples_and_a_content_hash():
    prompt = load_prompt()
    assert prompt.label == "kpi-records@1" and len(prompt.sha256) == 64
    assert prompt.examples and all(example.records for example in prompt.examples)
    system, user = prompt.render(passages="78 children entered care.", title="Panel", committee=None,
                                 report_period="2023/24 Q2")
    assert system["role"] == "system" and "canonical form" in system["content"] and "Example 1" in system["content"]
    assert user["content"].endswith("78 children entered care.\n") and "2023/24 Q2" in user["content"]
    assert "Committee: not stated" in user["content"]


def test_a_name_finds_its_newest_version_and_a_path_is_taken_as_is(tmp_path, monkeypatch):
    _write(tmp_path, GOOD, "t-v3.toml")
    _write(tmp_path, GOOD.replace('"3"', '"10"'), "t-v10.toml")
    monkeypatch.setenv("KPI_PROMPTS", str(tmp_path))
    assert find_prompt("t").name == "t-v10.toml"
    assert load_prompt(str(tmp_path / "t-v3.toml")).version == "3"


def test_an_unknown_variable_names_the_file_and_the_variable(tmp_path):
    path = _write(tmp_path, GOOD.replace("${report_period}", "${reporting_period}"))
    with pytest.raises(ConfigError, match=r"t-v3.toml: the user template uses \$\{reporting_period\}"):
        load_prompt(str(path))


def test_a_user_template_without_passages_and_a_missing_key_are_errors(tmp_path):
    with pytest.raises(ConfigError, match=r"never includes \$\{passages\}"):
        load_prompt(str(_write(tmp_path, GOOD.replace("\\n${passages}", ""))))
    with pytest.raises(ConfigError, match="missing the 'definition' key"):
        load_prompt(str(_write(tmp_path, GOOD.replace('definition = "A record is a measure."', ""))))


def test_an_example_whose_evidence_is_not_in_its_text_is_rejected(tmp_path):
    example = '''
[[examples]]
text = "12 children were adopted."
records = \'\'\'[{"indicator": "Adoptions", "value": 12, "unit": "count",
  "evidence": "13 children were adopted."}]\'\'\'
'''
    with pytest.raises(ConfigError, match="example 1 holds a record that breaks records.md"):
        load_prompt(str(_write(tmp_path, GOOD + example)))


def test_the_hash_changes_with_any_edit(tmp_path):
    first = load_prompt(str(_write(tmp_path, GOOD))).sha256
    second = load_prompt(str(_write(tmp_path, GOOD.replace("a measure", "one measure")))).sha256
    assert first != second


def test_an_unknown_prompt_name_says_where_it_looked():
    with pytest.raises(ConfigError, match="no prompt named 'nope'.*--prompt"):
        load_prompt("nope")
