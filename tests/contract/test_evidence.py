"""Issue #20: saved comparisons and results files are evidence, not truth.

A corpus of mutated files (byte flips, truncations, zip tricks, edited or hostile
JSON) goes through ``python -m imbal_core report`` (in process): each one either
exits 2 with one line that starts with the file's name, or opens — and then every
metric it shows is the one recomputed from its unchanged probabilities.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from collections.abc import Callable

import numpy as np
import pytest

from imbal_core.cli import main
from imbal_core.execution import plan_runs, run_comparison
from imbal_core.results import (
    dump_results,
    results_json,
    save_comparison,
    saved_results,
)

METRICS = ("precision", "recall", "f1", "pr_auc", "cost", "threshold")


@pytest.fixture(scope="module")
def original(tiny_dataset) -> tuple[bytes, str]:
    """A real comparison (2 techniques x 2 seeds) as a saved file and a results JSON."""
    plan = plan_runs(["baseline", "class_weight"], {"epochs": 1}, (1, 2))
    comparison = run_comparison(tiny_dataset, plan)
    results = results_json(comparison, 0.5)
    buffer = io.BytesIO()
    save_comparison(comparison, results, buffer)
    return buffer.getvalue(), dump_results(results)


# ------------------------------------------------------------------ zip mutations
def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _manifest_edit(change: Callable[[dict], None]) -> Callable[[bytes], bytes]:
    def mutate(data: bytes) -> bytes:
        members = _members(data)
        manifest = json.loads(members["manifest.json"])
        change(manifest)
        members["manifest.json"] = json.dumps(manifest).encode()
        return _zip(members)

    return mutate


def _manifest_text(text: str) -> Callable[[bytes], bytes]:
    def mutate(data: bytes) -> bytes:
        members = _members(data)
        members["manifest.json"] = text.encode()
        return _zip(members)

    return mutate


def _member(name: str, array: np.ndarray) -> Callable[[bytes], bytes]:
    def mutate(data: bytes) -> bytes:
        members = _members(data)
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=True)
        members[name] = buffer.getvalue()
        return _zip(members)

    return mutate


def _flip(at: float) -> Callable[[bytes], bytes]:
    def mutate(data: bytes) -> bytes:
        out = bytearray(data)
        out[int(len(out) * at)] ^= 0xFF
        return bytes(out)

    return mutate


def _central(field: int, fmt: str, value: int) -> Callable[[bytes], bytes]:
    """Set a field of the first central-directory header (and its local header)."""

    def mutate(data: bytes) -> bytes:
        out = bytearray(data)
        central = out.index(b"PK\x01\x02")
        struct.pack_into(fmt, out, central + field, value)
        if field in (8, 10):  # flags and method also live in the local header
            struct.pack_into(fmt, out, field - 2, value)
        return bytes(out)

    return mutate


def _seed_field(key: str, value) -> Callable[[dict], None]:
    def change(manifest: dict) -> None:
        manifest["results"]["techniques"]["baseline"]["seeds"][0][key] = value

    return change


def _many_members(data: bytes) -> bytes:
    members = _members(data)
    members.update({f"junk/{i}": b"" for i in range(20_001)})
    return _zip(members)


ZIP_CASES: dict[str, Callable[[bytes], bytes]] = {
    **{
        f"byte flipped at {p:.0%}": _flip(p)
        for p in (0.01, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.97, 0.995)
    },
    **{
        f"truncated to {p:.0%}": (lambda d, p=p: d[: int(len(d) * p)])
        for p in (0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 0.999)
    },
    "junk before the zip": lambda d: b"junk" * 10 + d,
    "encrypted flag": _central(8, "<H", 1),
    "compression method 99": _central(10, "<H", 99),
    "under-declared size": _central(24, "<I", 10),
    "20,001 extra members": _many_members,
    "one extra member": lambda d: _zip({**_members(d), "evil.txt": b"x"}),
    "empty zip": lambda d: _zip({}),
    "format version -5": _manifest_edit(lambda m: m.update(format_version=-5)),
    "format version as text": _manifest_edit(lambda m: m.update(format_version="1")),
    "format version true": _manifest_edit(lambda m: m.update(format_version=True)),
    "a newer format": _manifest_edit(lambda m: m.update(format_version=99)),
    "manifest 100k deep": _manifest_text("[" * 100_000 + "]" * 100_000),
    "manifest a list": _manifest_text("[]"),
    "manifest with NaN": _manifest_text('{"format": "imbal-comparison", "x": NaN}'),
    "manifest with 1e400": _manifest_edit(
        lambda m: m["results"]["techniques"]["baseline"].update(recall="__BIG__")
    ),
    "recall edited (pr_auc untouched)": _manifest_edit(
        lambda m: m["results"]["techniques"]["baseline"].update(
            recall=0.987, precision=0.5
        )
    ),
    "inf recall in a seed": _manifest_text("__INF__"),
    "pr_auc edited": _manifest_edit(_seed_field("pr_auc", 0.999)),
    "confusion matrix 10**30": _manifest_edit(
        lambda m: m["results"]["techniques"]["baseline"].update(
            confusion_matrix=[[10**30, 0], [0, 1]]
        )
    ),
    "params a list": _manifest_edit(lambda m: m["runs"][0].update(params=[1, 2])),
    "seed as text": _manifest_edit(lambda m: m["runs"][0].update(seed="7")),
    "warnings a string": _manifest_edit(lambda m: m["runs"][0].update(warnings="w")),
    "a run without its arrays": _manifest_edit(
        lambda m: m["runs"].append({**m["runs"][0], "name": "baseline"})
    ),
    "labels with three classes": _member("y_test.npy", np.full(600, 2, np.int8)),
    "probabilities above 1": _member(
        "runs/0000_test.npy", np.full(600, 1.5, np.float32)
    ),
    "a pickled array": _member(
        "runs/0000_test.npy", np.array([{"x": 1}] * 600, dtype=object)
    ),
    "costs a list": _manifest_edit(
        lambda m: m["results"]["config"].update(costs=[1, 2])
    ),
    "curves missing": _manifest_edit(
        lambda m: m["results"]["techniques"]["baseline"].pop("curves")
    ),
}


def _prepared(case: str, data: bytes) -> bytes:
    mutated = ZIP_CASES[case](data)
    if b'"__BIG__"' in mutated or case == "manifest with 1e400":
        members = _members(mutated)
        members["manifest.json"] = members["manifest.json"].replace(
            b'"__BIG__"', b"1e400"
        )
        mutated = _zip(members)
    if case == "inf recall in a seed":
        members = _members(data)
        text = members["manifest.json"].decode()
        members["manifest.json"] = text.replace(
            '"recall": ', '"recall": Infinity, "x": ', 1
        ).encode()
        mutated = _zip(members)
    return mutated


def _report(path, tmp_path, capsys) -> tuple[int, list[str]]:
    code = main(["report", "--results", str(path), "--out", str(tmp_path / "r.html")])
    return code, capsys.readouterr().err.strip().splitlines()


def _metrics(results: dict) -> dict:
    return {
        n: {m: s.get(m) for m in METRICS}
        for n, s in results["techniques"].items()
        if s.get("status") == "ok"
    }


@pytest.mark.parametrize("case", list(ZIP_CASES))
def test_a_mutated_saved_comparison_is_refused_in_one_line_or_tells_the_truth(
    case, original, tmp_path, capsys
):
    data, _ = original
    path = tmp_path / "night-run.zip"
    path.write_bytes(_prepared(case, data))
    code, err = _report(path, tmp_path, capsys)
    if code == 0:  # it opened: what it shows is what its arrays say
        truth = io.BytesIO(data)
        assert _metrics(saved_results(path)) == _metrics(saved_results(truth)), case
        return
    assert code == 2 and len(err) == 1, (case, err)
    assert err[0].startswith("error: night-run.zip"), (case, err)
    assert "unexpected" not in err[0] and "please report" not in err[0], (case, err)


def test_an_edited_metric_never_reaches_the_report(original, tmp_path):
    """recall edited from its true value to 0.987 inside a zip: the report showed it."""
    data, _ = original
    path = tmp_path / "edited.zip"
    path.write_bytes(_prepared("recall edited (pr_auc untouched)", data))
    shown = saved_results(path)["techniques"]["baseline"]["recall"]
    assert (
        shown != 0.987
        and shown == saved_results(io.BytesIO(data))["techniques"]["baseline"]["recall"]
    )


# ---------------------------------------------------------- results.json mutations
def _json_edit(change: Callable[[dict], None]) -> Callable[[str], str]:
    def mutate(text: str) -> str:
        results = json.loads(text)
        change(results)
        return json.dumps(results)

    return mutate


def _technique(key: str, value) -> Callable[[str], str]:
    return _json_edit(lambda r: r["techniques"]["baseline"].update({key: value}))


JSON_CASES: dict[str, Callable[[str], str]] = {
    **{
        f"truncated to {p:.0%}": (lambda t, p=p: t[: int(len(t) * p)])
        for p in (0.1, 0.5, 0.9, 0.999)
    },
    "NaN": lambda t: t.replace('"recall": ', '"recall": NaN, "x": ', 1),
    "Infinity": lambda t: t.replace('"cost": ', '"cost": Infinity, "x": ', 1),
    "1e400": lambda t: t.replace('"precision": ', '"precision": 1e400, "x": ', 1),
    "100k deep": lambda t: "[" * 100_000 + "]" * 100_000,
    "recall 1.5": _technique("recall", 1.5),
    "recall as text": _technique("recall", "high"),
    "negative cost": _technique("cost", -3),
    "mcc below -1": _technique("mcc", -2),
    "confusion matrix 10**30": _technique("confusion_matrix", [[10**30, 0], [0, 1]]),
    "confusion matrix 3 x 3": _technique("confusion_matrix", [[1, 2, 3]] * 3),
    "seeds a string": _technique("seeds", "42"),
    "curves missing": _json_edit(lambda r: r["techniques"]["baseline"].pop("curves")),
    "status maybe": _technique("status", "maybe"),
    "label a number": _technique("label", 7),
    "no techniques": _json_edit(lambda r: r.update(techniques={})),
    "costs a list": _json_edit(lambda r: r["config"].update(costs=[1])),
    "seeds as text": _json_edit(lambda r: r["config"].update(seeds=["a"])),
    "rows negative": _json_edit(lambda r: r["dataset"].update(rows=-1)),
    "recommendation of a stranger": _json_edit(
        lambda r: r.update(recommendation={**r["recommendation"], "name": "nope"})
    ),
    "not UTF-8": lambda t: "\udcff",
}


@pytest.mark.parametrize("case", list(JSON_CASES))
def test_a_mutated_results_file_is_refused_in_one_line(
    case, original, tmp_path, capsys
):
    _, text = original
    path = tmp_path / "results.json"
    mutated = JSON_CASES[case](text)
    path.write_bytes(mutated.encode("utf-8", "surrogateescape"))
    code, err = _report(path, tmp_path, capsys)
    assert code == 2 and len(err) == 1, (case, err)
    assert err[0].startswith("error: results.json"), (case, err)
    assert "unexpected" not in err[0], (case, err)


def test_the_corpus_is_large_enough():
    assert len(ZIP_CASES) + len(JSON_CASES) >= 40
