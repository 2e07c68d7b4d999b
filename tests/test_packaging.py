"""kpi-extract as a package: a light import, backends from other packages, a wheel that works anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

from openai_stub import StubServer

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "eval" / "corpus" / "004_36426df94b734508.txt"


def _python(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            python: str = sys.executable) -> subprocess.CompletedProcess:
    scrubbed = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "KPI_"))}
    return subprocess.run([python, *args], capture_output=True, text=True, timeout=300, cwd=cwd,
                          env={**scrubbed, **(env or {})})


def test_import_and_the_offline_path_load_neither_openai_nor_instructor():
    code = textwrap.dedent(f"""
        import sys
        import extractor
        from extractor.cli import cli
        result = extractor.extract({str(SAMPLE)!r})
        assert result.records, "the rules backend found nothing"
        heavy = sorted(name for name in ("openai", "instructor") if name in sys.modules)
        print(",".join(heavy) or "none")
    """)
    done = _python("-c", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"


PLUGIN = '''
"""A backend from another package: every sentence printing a percentage is a record of it."""
import re

from extractor.backends.base import BackendSpec, Extraction, Identity
from extractor.schema import DocumentResult, KPIRecord

SENTENCE = re.compile(r"[^.\\n]*?(\\d+(?:\\.\\d+)?)%[^.\\n]*\\.")


class PercentBackend:
    identity = Identity("percent", model="regex-1")
    concurrency = 2

    async def extract(self, document):
        records = [KPIRecord(indicator="A percentage", value=float(m.group(1)), unit="percent",
                             evidence=m.group(0).strip(), start=m.start(), end=m.end())
                   for m in SENTENCE.finditer(document.text)]
        return Extraction(DocumentResult(document=document.name, records=records))

    async def aclose(self):
        pass


SPEC = BackendSpec(name="percent", summary="every sentence printing a percentage (a test plugin)",
                   create=lambda options, *, store=None, client=None: PercentBackend())
'''


def test_a_backend_installed_from_another_package_runs_through_kpi_extract_run(tmp_path):
    package = tmp_path / "kpi-percent"
    package.mkdir()
    (package / "kpi_percent.py").write_text(PLUGIN)
    (package / "pyproject.toml").write_text(textwrap.dedent("""
        [build-system]
        requires = ["setuptools>=77"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "kpi-percent"
        version = "0.1"

        [tool.setuptools]
        py-modules = ["kpi_percent"]

        [project.entry-points."kpi_extract.backends"]
        percent = "kpi_percent:SPEC"
    """))
    site = tmp_path / "site"
    done = _python("-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                   "--target", str(site), str(package))
    assert done.returncode == 0, done.stderr
    env = {"PYTHONPATH": str(site)}

    listed = _python("-m", "extractor", "backends", env=env)
    assert listed.returncode == 0 and "percent" in listed.stdout and "kpi_percent:SPEC" in listed.stdout

    db = tmp_path / "k.db"
    minutes = ROOT / "eval" / "corpus" / "000_c572b18e3f951390.txt"
    run = _python("-m", "extractor", "run", str(minutes), "--backend", "percent", "--db", str(db), env=env)
    assert run.returncode == 0, run.stderr
    rows = json.loads(_python("-m", "extractor", "export", "--db", str(db), "--format", "json").stdout)
    assert rows and {row["backend"] for row in rows} == {"percent"} and {row["model"] for row in rows} == {"regex-1"}
    assert all(row["unit"] == "percent" for row in rows)


def test_the_wheel_works_from_another_directory_with_both_backends(tmp_path):
    wheels = tmp_path / "dist"
    built = _python("-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(wheels),
                    str(ROOT))
    assert built.returncode == 0, built.stderr
    wheel = next(wheels.glob("kpi_extract-*.whl"))

    venv = tmp_path / "venv"
    assert _python("-m", "venv", str(venv)).returncode == 0
    python = str(venv / "bin" / "python")
    # The dependencies come from this test's environment (offline); kpi-extract itself only from the wheel.
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    fresh_site = _python("-c", purelib, python=python).stdout.strip()
    Path(fresh_site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = _python("-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel), python=python)
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    kpi = str(venv / "bin" / "kpi-extract")
    where = _python("-c", "import extractor; print(extractor.__file__)", cwd=elsewhere, python=python)
    assert str(venv) in where.stdout, where.stdout  # the wheel's copy, not the checkout's

    offline = subprocess.run([kpi, "extract", str(SAMPLE), "--backend", "rules"], capture_output=True, text=True,
                             cwd=elsewhere, timeout=120)
    assert offline.returncode == 0, offline.stderr
    assert json.loads(offline.stdout)["records"]

    with StubServer() as stub:
        model = subprocess.run([kpi, "extract", str(SAMPLE), "--backend", "openai", "--base-url", stub.base_url,
                                "--mode", "tools"], capture_output=True, text=True, cwd=elsewhere, timeout=120)
    assert model.returncode == 0, model.stderr
    assert json.loads(model.stdout)["records"]  # the packaged prompt was found and rendered
    assert stub.requests and "You read the minutes" in stub.requests[0]["messages"][0]["content"]


def test_the_pipeline_and_the_cli_never_name_a_backend():
    import re

    from extractor.backends import names

    modules = [ROOT / "extractor" / "pipeline.py", *sorted((ROOT / "extractor" / "cli").glob("*.py"))]
    for path in modules:
        module, source = path.name, path.read_text()
        for name in names():
            assert not re.search(rf"[\"']{re.escape(name)}[\"']|backends\.{name}\b", source), (module, name)
        assert "backends.llm" not in source and "backends.model" not in source, module


def test_every_public_name_loads_from_the_package_on_first_use():
    # In a fresh interpreter, and after the submodule 'extractor.evaluate' is imported (which binds the
    # package attribute of that name to the module), every public name is still what it names.
    code = ("import importlib, extractor; importlib.import_module('extractor.evaluate'); "
            "assert sorted(extractor.__all__) == sorted(extractor._HOMES); "
            "wrong = [n for n in extractor.__all__ if getattr(extractor, n).__name__ != n]; "
            "assert not wrong, wrong")
    subprocess.run([sys.executable, "-c", code], check=True)
