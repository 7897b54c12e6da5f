"""The layers stay apart: the engine never imports streamlit, and nothing outside
training loads TensorFlow (the Streamlit server, ``--help``, ``demo-data``, ``report``).

Each check runs in a fresh interpreter, so what this test process imported does not
count, and reads ``sys.modules`` after the import or the command.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import imbal_core

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("tensorflow", "keras")


def _loaded_after(code: str) -> set[str]:
    """Top-level packages loaded by running ``code`` in a fresh interpreter."""
    probe = (
        code
        + "\nimport json, sys"
        + "\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


ENGINE_MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(imbal_core.__path__, "imbal_core.")
    if m.name != "imbal_core.__main__"
)


def test_no_engine_module_imports_streamlit():
    imports = "\n".join(f"import {name}" for name in ENGINE_MODULES)
    assert "streamlit" not in _loaded_after(imports)


def test_every_engine_module_is_listed():  # the check above must see new modules too
    assert {"imbal_core.training", "imbal_core.results", "imbal_core.report"} <= set(
        ENGINE_MODULES
    )


@pytest.mark.parametrize(
    "code",
    [
        # What the server process imports: the dashboard layer and every page's imports.
        "import dashboard.compare, dashboard.data_sections, dashboard.loaders, "
        "dashboard.session, dashboard.training, dashboard.widgets",
        # Technique metadata (name, label, summary, params) for the forms and the CLI.
        "from imbal_core import techniques; [c.params for c in techniques.REGISTRY.values()]",
        "import imbal_core.report, imbal_core.results, imbal_core.figures, imbal_core.tables",
    ],
    ids=["dashboard", "technique-metadata", "report"],
)
def test_tensorflow_is_not_loaded_outside_training(code):
    loaded = _loaded_after(code)
    assert not loaded & set(HEAVY), f"{code!r} loaded {sorted(loaded & set(HEAVY))}"


@pytest.mark.parametrize(
    "argv", [["--help"], ["demo-data", "--help"], ["report", "--help"]]
)
def test_cli_help_does_not_load_tensorflow(argv):
    code = (
        "import sys\nfrom imbal_core.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass"
    )
    assert not _loaded_after(code) & set(HEAVY)


def test_report_command_does_not_load_tensorflow(tmp_path, tiny_comparison):
    from imbal_core.results import results_json

    path = tmp_path / "results.json"
    path.write_text(json.dumps(results_json(tiny_comparison)))
    out = tmp_path / "report.html"
    code = (
        "from imbal_core.cli import main\n"
        f"assert main(['report', '--results', {str(path)!r}, '--out', {str(out)!r}]) == 0"
    )
    assert not _loaded_after(code) & set(HEAVY)
    assert out.stat().st_size > 10_000


def test_training_does_load_tensorflow():  # the probe itself can fail
    assert "tensorflow" in _loaded_after("import imbal_core.training")


# ------------------------------------------------------------------ structure
PRODUCT = [
    *(ROOT / "imbal_core").rglob("*.py"),
    *(ROOT / "dashboard").rglob("*.py"),
    *(ROOT / "benchmarks").rglob("*.py"),
]


def test_modules_stay_readable_in_one_sitting():
    """Issue #18: no module over 400 lines; pages that read like their UI."""
    long = [
        f"{p.relative_to(ROOT)}: {n}"
        for p in PRODUCT
        if (n := len(p.read_text().splitlines())) > 400
    ]
    assert not long, long
    pages = [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]
    assert all(len(p.read_text().splitlines()) <= 150 for p in pages)


def test_only_pages_import_the_dashboard():
    importers = [
        str(p.relative_to(ROOT))
        for p in [*PRODUCT, *(ROOT / "tests" / "e2e").glob("*.py")]
        if "dashboard" not in p.parts
        and re.search(r"^\s*(from|import) dashboard\b", p.read_text(), re.MULTILINE)
    ]
    assert not importers, importers


def test_each_table_column_label_is_written_once():
    """Issue #18: tables agreed only through label strings repeated ~21 times; the
    labels now live in the column spec and nowhere else in the product's code."""
    from imbal_core.tables import COLUMNS

    # Words that are also a class, a widget or a row name elsewhere stay free.
    labels = {c.label for c in COLUMNS.values()} - {
        "Set",
        "Status",
        "Error",
        "Technique",
        "Model",
    }
    spec = ROOT / "imbal_core" / "tables" / "_columns.py"
    repeated = []
    for path in [*PRODUCT, *(ROOT / "pages").glob("*.py")]:
        if path == spec:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and node.value in labels:
                repeated.append(
                    f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}"
                )
    assert not repeated, repeated
