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
import json
import math
import time
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np

from imbal_core import evaluate
from imbal_core.atomic import atomic_file
from imbal_core.errors import InputError
from imbal_core.results._contract import Results, check_results, dump_results
from imbal_core.results._runs import Comparison, Run, Split

FORMAT = "imbal-comparison"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_UNPACKED = 1 << 30  # 1 GiB: far above any real comparison, far below a zip bomb
MAX_RATIO = 100  # an honest file is mostly float32 probabilities: ~1.1:1 overall
_HINT = "save one with `python -m imbal_core train ... --save comparison.zip` or the Report page"
_RUN_FIELDS = (
    "fit_seconds",
    "epochs_run",
    "best_epoch",
    "train_class_counts",
    "warnings",
)


def save_comparison(
    comparison: Comparison, results: Results, target: str | Path | IO[bytes]
) -> None:
    """Write ``comparison`` (and its ``results`` JSON) as a saved-comparison zip."""
    arrays: dict[str, np.ndarray] = {}
    runs = []
    for name, name_runs in comparison.runs.items():
        for run in name_runs:
            entry = {
                "name": name,
                "technique": run.technique,
                "seed": run.seed,
                "params": run.params,
                "error": run.error,
                **{key: getattr(run, key) for key in _RUN_FIELDS},
            }
            if run.ok:
                index = len(runs)
                arrays[f"runs/{index:04d}_val.npy"] = run.proba_val.astype(np.float32)
                arrays[f"runs/{index:04d}_test.npy"] = run.proba_test.astype(np.float32)
            runs.append(entry)
    if not arrays:
        raise InputError("nothing to save: no technique finished training.")
    (split,) = comparison.splits  # one holdout split per saved file (format 1)
    arrays["y_val.npy"] = np.asarray(split.y_val, dtype=np.int8)
    arrays["y_test.npy"] = np.asarray(split.y_test, dtype=np.int8)
    if split.amounts_test is not None:
        arrays["amounts_val.npy"] = np.asarray(split.amounts_val, np.float64)
        arrays["amounts_test.npy"] = np.asarray(split.amounts_test, np.float64)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "versions": _versions(),
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
    """A saved comparison, checked member by member; one-line :class:`InputError` if not."""
    name = name or (Path(source).name if isinstance(source, str | Path) else "the file")
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(
            f"{name} is not a saved comparison (not a zip file); {_HINT}."
        ) from None
    with archive:
        reader = _Reader(archive, name)
        manifest = reader.manifest()
        dataset = manifest["dataset"]
        y_val = reader.labels("y_val.npy", dataset.get("validation_rows"))
        y_test = reader.labels("y_test.npy", dataset.get("test_rows"))
        amounts = (
            (
                reader.numbers("amounts_val.npy", len(y_val), np.float64),
                reader.numbers("amounts_test.npy", len(y_test), np.float64),
            )
            if "amounts_val.npy" in reader.members
            else (None, None)
        )
        runs: dict[str, list[Run]] = {}
        for index, entry in enumerate(manifest["runs"]):
            run = _run(entry, name)
            if run.error is None:
                run.proba_val = reader.probabilities(
                    f"runs/{index:04d}_val.npy", len(y_val)
                )
                run.proba_test = reader.probabilities(
                    f"runs/{index:04d}_test.npy", len(y_test)
                )
            runs.setdefault(str(entry["name"]), []).append(run)
    comparison = Comparison(
        dataset, manifest["config"], runs, [Split(y_val, y_test, *amounts)]
    )
    _check_agreement(comparison, manifest["results"], name)
    comparison.config = {**comparison.config, "saved": _provenance(manifest, name)}
    return comparison


def saved_results(source: str | Path | IO[bytes], name: str = "") -> Results:
    """The results JSON inside a saved comparison (checked like the whole file)."""
    load_comparison(source, name)  # every check, or a one-line error
    with zipfile.ZipFile(source) as archive:
        return check_results(json.loads(archive.read(MANIFEST))["results"])


class _Reader:
    """Reads members of an open archive within the size limits, or says what is wrong."""

    def __init__(self, archive: zipfile.ZipFile, name: str):
        self.archive, self.name = archive, name
        infos = archive.infolist()
        self.members = {info.filename: info for info in infos}
        total = sum(info.file_size for info in infos)
        packed = sum(info.compress_size for info in infos) or 1
        if total > MAX_UNPACKED or total / packed > MAX_RATIO:
            raise InputError(
                f"{name} would unpack to {total / 2**20:,.0f} MB from {packed / 2**20:,.1f} MB: "
                "refused (a saved comparison is a few MB); open a file saved by this tool."
            )

    def read(self, member: str) -> bytes:
        info = self.members.get(member)
        if info is None:
            raise InputError(
                f"{self.name} is incomplete: {member} is missing; {_HINT}."
            )
        with self.archive.open(info) as handle:
            data = handle.read(
                info.file_size + 1
            )  # a lying header cannot make it bigger
        if len(data) > info.file_size:
            raise InputError(f"{self.name}: {member} is bigger than it says; refused.")
        return data

    def manifest(self) -> dict[str, Any]:
        try:
            manifest = json.loads(self.read(MANIFEST))
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise InputError(
                f"{self.name}: {MANIFEST} is not valid JSON; {_HINT}."
            ) from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise InputError(f"{self.name} is not a saved comparison; {_HINT}.")
        version = manifest.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise InputError(
                f"{self.name} was saved by a newer version (format {version}; this one reads "
                f"up to {FORMAT_VERSION}); update imbalance-compare to open it."
            )
        for key, kind in (
            ("dataset", dict),
            ("config", dict),
            ("runs", list),
            ("results", dict),
        ):
            if not isinstance(manifest.get(key), kind):
                raise InputError(
                    f"{self.name}: the manifest has no valid {key!r}; {_HINT}."
                )
        check_results(manifest["results"])
        return manifest

    def array(self, member: str) -> np.ndarray:
        try:
            return np.load(io.BytesIO(self.read(member)), allow_pickle=False)
        except ValueError as exc:  # a pickled object array, or not an .npy at all
            raise InputError(
                f"{self.name}: {member} is not a plain array ({exc})."
            ) from None

    def numbers(self, member: str, length: Any, dtype: Any) -> np.ndarray:
        array = self.array(member)
        if array.dtype != dtype or array.ndim != 1 or len(array) != length:
            raise InputError(
                f"{self.name}: {member} should be {length} values of {np.dtype(dtype).name}, "
                f"found {array.shape} of {array.dtype}; the file is damaged."
            )
        return array

    def labels(self, member: str, length: Any) -> np.ndarray:
        array = self.numbers(member, length, np.int8)
        if not np.isin(array, (0, 1)).all() or len(np.unique(array)) < 2:
            raise InputError(
                f"{self.name}: {member} must hold both classes as 0 and 1."
            )
        return array.astype(np.int64)

    def probabilities(self, member: str, length: int) -> np.ndarray:
        array = self.numbers(member, length, np.float32)
        if not (np.isfinite(array).all() and (array >= 0).all() and (array <= 1).all()):
            raise InputError(f"{self.name}: {member} has values outside 0..1.")
        return array.astype(np.float64)


def _run(entry: Any, name: str) -> Run:
    if not isinstance(entry, Mapping) or not {"name", "technique", "seed"} <= set(
        entry
    ):
        raise InputError(
            f"{name}: a run in the manifest has no name, technique or seed."
        )
    run = Run(
        str(entry["technique"]),
        int(entry["seed"]),
        dict(entry.get("params") or {}),
        error=entry.get("error"),
    )
    for key in _RUN_FIELDS:
        if entry.get(key) is not None:
            setattr(run, key, entry[key])
    return run


def _check_agreement(
    comparison: Comparison, results: Mapping[str, Any], name: str
) -> None:
    """The JSON must say what the arrays say: each technique's first-seed test PR-AUC
    is recomputed from its probabilities (a tampered file fails here)."""
    stored = results.get("techniques") or {}
    if set(stored) != set(comparison.runs):
        raise InputError(f"{name}: its results and its runs name different techniques.")
    for technique, summary in stored.items():
        runs = comparison.ok_runs(technique)
        if summary.get("status") != "ok" or not runs:
            continue
        claimed = (summary.get("seeds") or [{}])[0].get("pr_auc")
        actual = evaluate.average_precision(runs[0].y_test, runs[0].proba_test)
        if not isinstance(claimed, int | float) or not math.isclose(
            claimed, actual, abs_tol=1e-6
        ):
            raise InputError(
                f"{name}: the results say {technique} scored PR-AUC {claimed}, its stored "
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


def _versions() -> dict[str, str | None]:
    from imbal_core import __version__, package_versions

    return {
        "imbalance-compare": __version__,
        **package_versions("tensorflow", "keras", "scikit-learn", "imbalanced-learn"),
        "format": str(FORMAT_VERSION),
    }
