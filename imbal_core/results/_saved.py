"""A comparison as one file: train anywhere, open it on a laptop for the demo.

``comparison.zip`` holds ``manifest.json`` (format version, package versions, the
data summary with its fingerprint, the configuration, every run's metadata and the
results JSON) and plain ``.npy`` arrays — labels, amounts, and each run's validation
and test probabilities as float32 (the network's own precision, so nothing is lost).
Never a pickle: arrays load with ``allow_pickle=False``. Opening a file checks
everything before anything changes: a bad file raises one :class:`InputError`.
"""

from __future__ import annotations

import io
import math
import time
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np

from imbal_core import evaluate
from imbal_core.atomic import atomic_file
from imbal_core.errors import InputError, first_line
from imbal_core.evaluate import Costs, OperatingPoint
from imbal_core.results._archive import (
    FORMAT,
    FORMAT_VERSION,
    HINT,
    MANIFEST,
    Reader,
    entry_of,
    head,
    run_of,
    split_member,
)
from imbal_core.results._contract import Results, dump_results
from imbal_core.results._runs import Comparison, Run, Split


def save_comparison(
    comparison: Comparison, results: Results, target: str | Path | IO[bytes]
) -> None:
    """Write ``comparison`` (and its ``results`` JSON) as a saved-comparison zip."""
    arrays: dict[str, np.ndarray] = {}
    runs = []
    for name, name_runs in comparison.runs.items():
        for run in name_runs:
            entry = entry_of(run, name)
            if run.ok:
                index = len(runs)
                arrays[f"runs/{index:04d}_val.npy"] = run.proba_val.astype(np.float32)
                arrays[f"runs/{index:04d}_test.npy"] = run.proba_test.astype(np.float32)
            runs.append(entry)
    if not arrays:
        raise InputError("nothing to save: no technique finished training.")
    splits = len(comparison.splits)
    for index, split in enumerate(comparison.splits):
        parts = {"y_val": split.y_val, "y_test": split.y_test}
        if split.amounts_test is not None:
            parts.update(amounts_val=split.amounts_val, amounts_test=split.amounts_test)
        for part, values in parts.items():
            dtype = np.int8 if part.startswith("y_") else np.float64
            arrays[split_member(index, part, splits)] = np.asarray(values, dtype)
    manifest = {
        "format": FORMAT,
        # One split: format 1, which every earlier version of this tool reads.
        "format_version": (version := FORMAT_VERSION if splits > 1 else 1),
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "versions": _versions(version),
        "dataset": comparison.dataset,
        "config": comparison.config,
        "runs": runs,
        "results": results,
    }
    if isinstance(target, str | Path):
        with atomic_file(target) as handle:  # a killed save never leaves half a file
            _write(handle, manifest, arrays)
    else:
        _write(target, manifest, arrays)


def _write(target: IO[bytes], manifest: dict, arrays: dict[str, np.ndarray]) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, dump_results(manifest))
        for member, array in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, array, allow_pickle=False)
            archive.writestr(member, buffer.getvalue())


def load_comparison(source: str | Path | IO[bytes], name: str = "") -> Comparison:
    """A saved comparison, checked member by member; a one-line :class:`InputError`
    starting with the file's name if anything is wrong.

    The file is evidence, not truth: its metrics are recomputed from its
    probabilities wherever they are shown, and a results JSON that disagrees with
    them (any seed's PR-AUC) makes the file refused as changed after saving.
    """
    name = name or (Path(source).name if isinstance(source, str | Path) else "the file")
    try:
        return _load(source, name)
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise InputError(
            f"{name} is damaged ({first_line(exc, 80) or type(exc).__name__}); {HINT}."
        ) from None
    except (RuntimeError, NotImplementedError) as exc:  # encrypted, unknown compression
        raise InputError(
            f"{name} uses a zip feature this tool does not write ({first_line(exc, 80)}); {HINT}."
        ) from None


def _load(source: str | Path | IO[bytes], name: str) -> Comparison:
    if head(source) != b"PK\x03\x04":
        raise InputError(f"{name} is not a saved comparison (not a zip file); {HINT}.")
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):  # a zip's start, but no end
        raise InputError(
            f"{name} is cut short or damaged (it has no zip directory); copy or "
            "download it again."
        ) from None
    with archive:
        reader = Reader(archive, name)
        manifest = reader.manifest()
        dataset = manifest["dataset"]
        sizes = _split_sizes(dataset, manifest["format_version"], name)
        reader.only_members_of(len(manifest["runs"]), len(sizes))
        splits = [_split(reader, index, sizes) for index in range(len(sizes))]
        runs: dict[str, list[Run]] = {}
        for index, entry in enumerate(manifest["runs"]):
            run = run_of(entry, name)
            if run.split >= len(splits):
                raise InputError(
                    f"{name}: a run names data split {run.split}; the file has "
                    f"{len(splits)}; the file is damaged."
                )
            if run.error is None:
                split = splits[run.split]
                run.proba_val = reader.probabilities(
                    f"runs/{index:04d}_val.npy", len(split.y_val)
                )
                run.proba_test = reader.probabilities(
                    f"runs/{index:04d}_test.npy", len(split.y_test)
                )
            runs.setdefault(str(entry["name"]), []).append(run)
    comparison = Comparison(dataset, manifest["config"], runs, splits)
    _check_agreement(comparison, manifest["results"], name)
    comparison.config = {**comparison.config, "saved": _provenance(manifest, name)}
    return comparison


def _split_sizes(dataset: Mapping[str, Any], version: int, name: str) -> list[Any]:
    """(validation, test) rows of each data split the file holds: the holdout
    split's (format 1), or each cross-validation fold's (format 2)."""
    if version == 1:
        return [(dataset.get("validation_rows"), dataset.get("test_rows"))]
    rows = (dataset.get("cv") or {}).get("rows")
    if not (
        isinstance(rows, list)
        and rows
        and all(
            isinstance(r, list)
            and len(r) == 3
            and all(isinstance(v, int) and not isinstance(v, bool) for v in r)
            for r in rows
        )
    ):
        raise InputError(f"{name}: the manifest does not list its folds' rows; {HINT}.")
    return [(val, test) for _, val, test in rows]


def _split(reader: Reader, index: int, sizes: list[Any]) -> Split:
    """One data split's labels (and amounts), checked against its sizes."""
    val_rows, test_rows = sizes[index]

    def member(part: str) -> str:
        return split_member(index, part, len(sizes))

    y_val = reader.labels(member("y_val"), val_rows)
    y_test = reader.labels(member("y_test"), test_rows)
    if member("amounts_val") not in reader.members:
        return Split(y_val, y_test)
    return Split(
        y_val,
        y_test,
        reader.numbers(member("amounts_val"), len(y_val), np.float64),
        reader.numbers(member("amounts_test"), len(y_test), np.float64),
    )


def saved_results(source: str | Path | IO[bytes], name: str = "") -> Results:
    """The results of a saved comparison at the settings it was saved at, computed
    from its probabilities (not read from the JSON inside: that is only evidence)."""
    from imbal_core.results._summary import results_json

    comparison = load_comparison(source, name)
    saved = comparison.config["saved"]
    point = saved.get("operating_point") or {}
    costs = saved.get("costs") or {}
    missed = costs.get("missed", "amount")
    return results_json(
        comparison,
        OperatingPoint(point.get("mode", "threshold"), point.get("value", 0.5)),
        Costs(
            missed=None if missed in (None, "amount") else float(missed),
            review=float(costs.get("review", 5.0)),
        ),
        saved.get("threshold_objective") or "f1",
    )


def _check_agreement(
    comparison: Comparison, results: Mapping[str, Any], name: str
) -> None:
    """The JSON must say what the arrays say: every seed's test PR-AUC of every
    technique is recomputed from its probabilities (a changed file fails here)."""
    stored = results.get("techniques") or {}
    if set(stored) != set(comparison.runs):
        raise InputError(f"{name}: its results and its runs name different techniques.")
    for technique, summary in stored.items():
        runs = comparison.ok_runs(technique)
        if (summary.get("status") == "ok") != bool(runs):
            raise InputError(
                f"{name}: its results and its runs disagree on {technique}."
            )
        claimed = [s.get("pr_auc") for s in summary.get("seeds") or []]
        if runs and len(claimed) != len(runs):
            raise InputError(f"{name}: its results and its runs count different seeds.")
        for run, value in zip(runs, claimed, strict=False):
            actual = evaluate.average_precision(run.y_test, run.proba_test)
            if not isinstance(value, int | float) or not math.isclose(
                value, actual, abs_tol=1e-6
            ):
                raise InputError(
                    f"{name}: the results say {technique} scored PR-AUC {value}, its stored "
                    f"probabilities give {actual:.6f}; the file was changed after saving."
                )


def _provenance(manifest: Mapping[str, Any], name: str) -> dict[str, Any]:
    """Where the file came from, and the settings it was saved at (so a reopened
    comparison shows what was exported: its operating point, costs, objective)."""
    config = manifest["results"]["config"]
    return {
        "file": name,
        "created_utc": manifest.get("created_utc"),
        "versions": manifest.get("versions") or {},
        "operating_point": config.get("operating_point"),
        "costs": config.get("costs"),
        "threshold_objective": config.get("threshold_objective"),
    }


def _versions(version: int) -> dict[str, str | None]:
    from imbal_core import __version__, package_versions

    return {
        "imbalance-compare": __version__,
        **package_versions("tensorflow", "keras", "scikit-learn", "imbalanced-learn"),
        "format": str(version),
    }
