"""Exports: the spreadsheet-safe CSV, the self-contained HTML report and ``python -m imbal_core report``.

Everything is built from a real 1-epoch comparison (``tiny_comparison``) or from a
results.json written by the real CLI; hostile text is injected into copies of those.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import subprocess
import sys
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from imbal_core import report, tables
from imbal_core.data import make_demo
from imbal_core.errors import InputError
from imbal_core.results import at_threshold, results_json
from imbal_core.techniques import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_TEXT = [
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def results(tiny_comparison) -> dict:
    return results_json(tiny_comparison, 0.5)


def parse_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def renamed(results: dict, names: dict[str, str]) -> dict:
    """A copy of ``results`` with some techniques under other (hostile) names."""
    out = copy.deepcopy(results)
    out["techniques"] = {names.get(k, k): v for k, v in out["techniques"].items()}
    for new in names.values():  # the label shown is the one the file stores
        out["techniques"][new]["label"] = new
    out["config"]["techniques"] = list(out["techniques"])
    return out


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def tags_of(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    parser.close()
    return parser


# ---------------------------------------------------------------------- CSV
def test_metrics_frame_has_one_row_per_technique_with_the_documented_columns(results):
    frame = tables.metrics_frame(results)
    assert list(frame["Technique"]) == [
        REGISTRY[n].label for n in results["techniques"]
    ]
    assert set(frame["Model"]) == {"MLP"}  # the seed's network, by default
    assert list(frame.columns) == [
        "Technique",
        "Model",
        "Status",
        "Error",
        "Threshold",
        "Suggested threshold",
        "Precision",
        "Recall",
        "F1",
        "MCC",
        "PR-AUC",
        "PR-AUC 95% CI low",  # one seed: a bootstrap over test rows (issue #10)
        "PR-AUC 95% CI high",
        "ROC-AUC",
        "Brier",
        "Cost",
        "Accuracy",
        "Fit seconds",
        "Epochs run",
        "Best epoch",
    ]
    for row, summary in zip(
        frame.to_dict("records"), results["techniques"].values(), strict=True
    ):
        assert row["Status"] == summary["status"] == "ok"
        assert row["PR-AUC"] == pytest.approx(summary["pr_auc"])
        low, high = summary["pr_auc_ci95"]
        assert row["PR-AUC 95% CI low"] == low and row["PR-AUC 95% CI high"] == high
        assert 0 <= low <= row["PR-AUC"] <= high <= 1
        assert row["Cost"] == pytest.approx(summary["cost"])
        assert row["Threshold"] == 0.5


def test_several_seeds_add_the_pr_auc_confidence_interval(tiny_dataset):
    from imbal_core.execution import plan_runs, run_comparison

    plan = plan_runs(["baseline"], {"epochs": 1, "batch_size": 512}, seeds=(1, 2))
    comparison = run_comparison(tiny_dataset, plan)
    frame = tables.metrics_frame(results_json(comparison))
    low, high = frame.loc[0, "PR-AUC 95% CI low"], frame.loc[0, "PR-AUC 95% CI high"]
    assert low <= frame.loc[0, "PR-AUC"] <= high and low < high
    assert "95 % CI" in report.html_report(results_json(comparison))


def test_csv_neutralises_formula_cells_and_keeps_negative_numbers(results):
    hostile = renamed(
        results, dict(zip(results["techniques"], HOSTILE_TEXT, strict=False))
    )
    first = next(iter(hostile["techniques"].values()))
    first["mcc"] = -0.25  # a real negative number must stay a number
    last_name = list(hostile["techniques"])[-1]
    hostile["techniques"][last_name] = {
        "status": "failed",
        "error": '=HYPERLINK("http://x","y")',
    }

    rows = parse_csv(tables.metrics_csv(hostile))
    header, body = rows[0], rows[1:]
    assert len(body) == len(hostile["techniques"])
    names = [r[0] for r in body]
    for text in HOSTILE_TEXT:
        assert "'" + text in names, (text, names)
    for cell in (c for r in rows for c in r):
        # Only a quote-prefixed cell, or a real number, may start with a formula character.
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            float(cell)
    mcc = header.index("MCC")
    assert body[0][mcc] == "-0.25" and float(body[0][mcc]) == -0.25
    failed = body[-1]
    assert failed[header.index("Status")] == "failed"
    assert failed[header.index("Error")] == '\'=HYPERLINK("http://x","y")'
    assert failed[header.index("PR-AUC")] == ""  # missing, not 0 and not "nan"


def test_safe_csv_escapes_column_names_and_text_but_not_numbers():
    frame = pd.DataFrame(
        {
            "=1+1": ["-text", "plain"],
            "@name": [-3, 4],
            "ok": [-1.5, float("nan")],
            "+x": ["\tTAB", "\rCR"],
        }
    )
    rows = parse_csv(tables.safe_csv(frame))
    assert rows[0] == ["'=1+1", "'@name", "ok", "'+x"]
    assert rows[1] == ["'-text", "-3", "-1.5", "'\tTAB"]
    assert rows[2] == ["plain", "4", "", "'\rCR"]


# --------------------------------------------------------------------- HTML
def test_html_report_is_self_contained_with_one_inline_plotly(results):
    page = report.html_report(results)
    parsed = tags_of(page)
    for tag, attrs in parsed.tags:
        for attribute in ("src", "href", "action", "data", "poster"):
            value = (attrs.get(attribute) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (tag, attrs)
        assert not (tag == "script" and attrs.get("src")), attrs
        assert not (tag == "link" and (attrs.get("rel") or "") == "stylesheet"), attrs
    bundles = [
        s for s in parsed.scripts if "plotly.js v" in s[:200] and len(s) > 1_000_000
    ]
    assert len(bundles) == 1
    assert page.count("* plotly.js v") == 1
    assert (
        page.count("Plotly.newPlot") >= 6
    )  # confusion, bars, PR, ROC, cost, cost curve, ...
    assert "@import" not in page and "fonts.googleapis" not in page
    assert 'http-equiv="Content-Security-Policy"' in page


def test_html_report_has_the_sections_a_stakeholder_needs(results):
    page = report.html_report(results)
    for name in results["techniques"]:
        assert REGISTRY[name].label in page
    for heading in (
        "Recommended operating point",
        "Configuration",
        "Data",
        "Metrics",
        "Charts",
        "What the numbers mean",
        "The techniques compared",
    ):
        assert f"<h2>{heading}</h2>" in page
    compared = page.split("<h2>The techniques compared</h2>")[1]
    for name in results["techniques"]:  # what each does, and where it comes from
        cls = REGISTRY[name]
        assert f"<dt>{escape(cls.label)}</dt>" in compared
        assert escape(cls.summary) in compared and escape(cls.reference) in compared
    for term in (
        "Precision",
        "Recall",
        "F1",
        "PR-AUC",
        "ROC-AUC",
        "MCC",
        "Brier",
        "Cost",
        "Why accuracy misleads",
    ):
        assert f"<dt>{term}" in page
    assert "SYNTHETIC" in page  # the fixture's source is "demo"
    assert "Confusion matrices" in page and "Cost against threshold" in page
    assert "per technique" in page and "Epochs" in page and "Batch size" in page


def test_suggested_thresholds_are_explained_and_drawn_per_technique(tiny_comparison):
    suggested = results_json(tiny_comparison, None, objective="cost")
    page = report.html_report(suggested)
    assert (
        "each technique&#x27;s own threshold" in page
        or "each technique's own threshold" in page
    )
    assert "chosen on the validation split for the lowest cost" in page
    shown = tables.column("suggested_threshold")
    for summary in suggested["techniques"].values():
        assert summary["threshold"] == summary["suggested_threshold"]
        assert (
            f'<td class="n">{shown.text(summary["suggested_threshold"])}</td>' in page
        )
    assert "Classification reports per technique" in page


def _with_seeds(results: dict, validation: dict[str, list[float]]) -> dict:
    """``results`` whose techniques have the given validation PR-AUC per seed."""
    changed = copy.deepcopy(results)
    for name, values in validation.items():
        summary = changed["techniques"][name]
        first = summary["seeds"][0]
        summary["seeds"] = [
            {**first, "seed": 42 + i, "validation_pr_auc": v}
            for i, v in enumerate(values)
        ]
        summary["validation"] = {"pr_auc": sum(values) / len(values), "cost": 0.0}
    return changed


def test_the_recommendation_is_chosen_on_validation_and_reported_on_test(results):
    """Issue #10: the best *test* PR-AUC must not decide; validation does."""
    done = results["techniques"]
    worst_on_test = min(done, key=lambda n: done[n]["pr_auc"])
    scores = {n: [0.30, 0.31, 0.32] for n in done}
    scores[worst_on_test] = [0.90, 0.91, 0.92]  # clearly best on validation
    chosen = _with_seeds(results, scores)
    point = report.operating_point(chosen)
    assert point["name"] == worst_on_test and point["chosen_on"] == "validation"
    assert point["criterion"] == "highest validation PR-AUC"
    assert point["indistinguishable"] is None
    assert point["recall"] == done[worst_on_test]["recall"]  # test figures
    page = report.html_report(chosen)
    callout = page.split("Recommended operating point", 1)[1].split("</p>", 1)[0]
    assert REGISTRY[worst_on_test].label in callout and "of every 1,000" in callout
    assert "chosen on the validation split, reported on the test split" in callout
    assert f"{100 * done[worst_on_test]['recall']:.1f} %" in callout


def test_close_or_single_seed_leaders_are_called_indistinguishable(tiny_comparison):
    # One seed, and every technique's probabilities the leader's: the paired bootstrap
    # over the validation rows cannot tell the two first apart (a real draw of the
    # fixture may or may not), and the report says so.
    twins = copy.deepcopy(tiny_comparison)
    leader, *others = twins.runs.values()
    for runs in others:
        for run, same in zip(runs, leader, strict=True):
            run.proba_val, run.proba_test = (
                same.proba_val.copy(),
                same.proba_test.copy(),
            )
    results = results_json(twins, 0.5)
    done = list(results["techniques"])
    point = report.operating_point(results)
    assert "paired bootstrap" in point["indistinguishable"]
    assert "includes 0" in point["indistinguishable"]
    without = {k: v for k, v in results.items() if k != "recommendation"}
    assert report.operating_point(without)["indistinguishable"].startswith(
        "with one seed"
    )
    page = report.html_report(results)
    assert "cannot be told apart" in page and "neither is recommended" in page
    # Three seeds whose paired differences straddle 0: still not crowned.
    scores = {n: [0.10, 0.11, 0.12] for n in done}
    scores[done[0]], scores[done[1]] = [0.50, 0.40, 0.60], [0.45, 0.55, 0.44]
    point = report.operating_point(_with_seeds(results, scores))
    assert {point["name"], point["runner_up"]["name"]} == {done[0], done[1]}
    assert "includes 0" in point["indistinguishable"]


def test_by_cost_the_lowest_validation_cost_is_recommended(results):
    by_cost = copy.deepcopy(results)
    by_cost["config"]["threshold_objective"] = "cost"
    done = by_cost["techniques"]
    cheapest = min(done, key=lambda n: done[n]["validation"]["cost"])
    point = report.operating_point(by_cost)
    assert point["name"] == cheapest and point["criterion"] == "lowest validation cost"


def test_user_text_is_escaped_everywhere(results):
    hostile = renamed(results, {"baseline": "<img src=x onerror=alert(2)>"})
    hostile["dataset"]["source"] = SCRIPT
    hostile["dataset"]["notes"] = [
        "=cmd|' /C calc'!A0",
        "<b onmouseover=alert(3)>note</b>",
    ]
    hostile["techniques"]["smote"] = {
        "status": "failed",
        "error": f"bad label {SCRIPT}",
    }
    page = report.html_report(hostile)
    assert (
        SCRIPT not in page and "<img src=x" not in page and "<b onmouseover" not in page
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "=cmd|&#x27; /C calc&#x27;!A0" in page
    assert "bad label &lt;script&gt;" in page
    # The hostile source is not "demo": no SYNTHETIC claim for it.
    assert "SYNTHETIC" not in page
    assert not any(tag == "img" for tag, _ in tags_of(page).tags)


def test_a_new_threshold_is_reevaluated_from_the_stored_sweep(tiny_comparison, results):
    moved = at_threshold(results, 0.3)
    truth = results_json(tiny_comparison, 0.3)
    for name, summary in moved["techniques"].items():
        for metric in ("precision", "recall", "f1", "mcc", "accuracy", "cost"):
            assert summary[metric] == pytest.approx(
                truth["techniques"][name][metric], abs=1e-9
            ), (name, metric)
        assert (
            summary["confusion_matrix"] == truth["techniques"][name]["confusion_matrix"]
        )
        assert summary["pr_auc"] == results["techniques"][name]["pr_auc"]
    assert results["config"]["threshold"] == 0.5  # the input is not modified
    assert "0.30" in report.html_report(results, threshold=0.3)
    with pytest.raises(InputError, match="between 0 and 1"):
        at_threshold(results, 1.5)


def test_failed_techniques_are_listed_not_hidden(results):
    broken = copy.deepcopy(results)
    broken["techniques"]["focal_loss"] = {
        "status": "failed",
        "error": "ValueError: boom (in fit)",
    }
    page = report.html_report(broken)
    assert "failed: ValueError: boom (in fit)" in page
    everything_failed = copy.deepcopy(broken)
    everything_failed["techniques"] = {
        "baseline": {"status": "failed", "error": "nope"}
    }
    assert "No technique finished" in report.html_report(everything_failed)


@pytest.mark.parametrize(
    "bad, message",
    [
        ([1, 2], "not a JSON object"),
        ({"dataset": {}, "config": {}}, "no 'techniques'"),
        ({"dataset": {}, "config": {}, "techniques": {}}, "no technique"),
        (
            {"dataset": {}, "config": {}, "techniques": {"x": {"status": "ok"}}},
            "lacks threshold",
        ),
    ],
)
def test_results_of_the_wrong_shape_are_one_clear_error(bad, message):
    with pytest.raises(InputError, match=message):
        report.html_report(bad)


def test_write_report_writes_html_and_csv(results, tmp_path):
    out, table = tmp_path / "sub" / "r.html", tmp_path / "m.csv"
    report.write_report(results, out, table)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert table.read_bytes().count(b"\r\n") == len(results["techniques"]) + 1
    assert parse_csv(table.read_text(encoding="utf-8"))[0][0] == "Technique"


# ---------------------------------------------------------------------- CLI
def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "imbal_core", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )


@pytest.mark.slow
def test_cli_report_end_to_end_from_a_trained_results_json(tmp_path):
    data, results_path = tmp_path / "demo.csv", tmp_path / "results.json"
    # The same file `python -m imbal_core demo-data --rows 3000` writes, minus a TensorFlow start-up.
    make_demo(rows=3000, seed=3).to_csv(data, index=False)
    done = run_cli(
        "train",
        "--data",
        str(data),
        "--techniques",
        "baseline,class_weight",
        "--epochs",
        "1",
        "--out",
        str(results_path),
    )
    assert done.returncode == 0, done.stderr
    out, table = tmp_path / "out" / "report.html", tmp_path / "out" / "metrics.csv"
    done = run_cli(
        "report", "--results", str(results_path), "--out", str(out), "--csv", str(table)
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "wrote" in done.stderr
    page = out.read_text(encoding="utf-8")
    assert (
        "Baseline" in page
        and "Class weights" in page
        and page.count("* plotly.js v") == 1
    )
    rows = parse_csv(table.read_text(encoding="utf-8"))
    assert [r[0] for r in rows[1:]] == ["Baseline", "Class weights"]
    results = json.loads(results_path.read_text())
    precision = rows[0].index("Precision")
    assert float(rows[1][precision]) == pytest.approx(
        results["techniques"]["baseline"]["precision"]
    )


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "results file '{path}' not found"),
        (
            '{"dataset": {}, "techniques": ',
            "results.json is not valid JSON (line 1, column 31",
        ),
        ("[]", "results.json: the results are not a JSON object"),
        (
            '{"dataset": {}, "config": {}, "techniques": {}}',
            "results.json: the results list no technique",
        ),
    ],
)
def test_cli_report_missing_or_invalid_results_exit_2(
    tmp_path, capsys, content, message
):
    # In-process main(): the code path of `python -m imbal_core`, without a TensorFlow start-up each.
    from imbal_core import cli

    path = tmp_path / "results.json"
    if content is not None:
        path.write_text(content)
    code = cli.main(
        ["report", "--results", str(path), "--out", str(tmp_path / "r.html")]
    )
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert code == 2 and len(err) == 1, err
    assert err[0].startswith("error: " + message.format(path=path)), err
    assert "Traceback" not in captured.err and not (tmp_path / "r.html").exists()


# ------------------------------------------------------------------ browser
@pytest.mark.browser
def test_report_opens_offline_in_chromium(results, tmp_path):
    """Real headless Chromium: every chart draws and the page asks for nothing but itself."""
    chromium = Path("/usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    if not chromium.exists():
        pytest.skip("no /usr/bin/chromium")
    path = tmp_path / "report.html"
    report.write_report(results, path)
    requests, errors = [], []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(chromium),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on(
                "console",
                lambda m: errors.append(m.text) if m.type == "error" else None,
            )
            page.goto(path.as_uri())
            page.wait_for_function(
                "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 9",
                timeout=60_000,
            )
            drawn = page.locator(".js-plotly-plot").count()
        finally:
            browser.close()
    assert drawn == 9  # the overview's confusion matrices, then the 8 charts
    assert not errors, errors
    outside = [
        u for u in requests if not u.startswith(("file:", "data:", "blob:", "about:"))
    ]
    assert not outside, outside
