"""Reading a saved comparison's members safely: within size limits, only the
members this tool writes, plain arrays of the right length and type, a manifest
that is strict JSON with every value checked."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np

from imbal_core import models
from imbal_core.errors import InputError
from imbal_core.results._contract import check_results
from imbal_core.results._runs import Run
from imbal_core.results._validate import check_values, parse_json

FORMAT = "imbal-comparison"
FORMAT_VERSION = 2  # 2: several data splits (cross-validation folds); 1: one
MANIFEST = "manifest.json"
MAX_UNPACKED = 1 << 30  # 1 GiB: far above any real comparison, far below a zip bomb
MAX_RATIO = 100  # an honest file is mostly float32 probabilities: ~1.1:1 overall
MAX_MEMBERS = 20_000  # 2 arrays a run: ~10,000 runs; a file of more is not ours
HINT = "save one with `python -m imbal_core train ... --save comparison.zip` or the Report page"


def head(source: str | Path | IO[bytes]) -> bytes:
    """The first four bytes (a zip made by this tool starts with a local header)."""
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            return handle.read(4)
    position = source.tell()
    head = source.read(4)
    source.seek(position)
    return head


class Reader:
    """Reads members of an open archive within the size limits, or says what is wrong."""

    def __init__(self, archive: zipfile.ZipFile, name: str):
        self.archive, self.name = archive, name
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InputError(
                f"{name} holds {len(infos):,} members, more than a saved comparison has; refused."
            )
        for info in infos:  # what this tool never writes: say so before reading
            if info.flag_bits & 0x1:
                raise InputError(f"{name} is encrypted (password-protected); {HINT}.")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise InputError(
                    f"{name} uses compression method {info.compress_type}, which this "
                    f"tool never writes; {HINT}."
                )
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
            raise InputError(f"{self.name} is incomplete: {member} is missing; {HINT}.")
        with self.archive.open(info) as handle:
            data = handle.read(
                info.file_size + 1
            )  # a lying header cannot make it bigger
        if len(data) > info.file_size:
            raise InputError(f"{self.name}: {member} is bigger than it says; refused.")
        return data

    def manifest(self) -> dict[str, Any]:
        manifest = parse_json(self.read(MANIFEST), f"{self.name}: {MANIFEST}")
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise InputError(f"{self.name} is not a saved comparison; {HINT}.")
        version = manifest.get("format_version")
        if (
            isinstance(version, int)
            and not isinstance(version, bool)
            and version > FORMAT_VERSION
        ):
            raise InputError(
                f"{self.name} was saved by a newer version (format {version}; this one reads "
                f"up to {FORMAT_VERSION}); update imbalance-compare to open it."
            )
        if version not in range(1, FORMAT_VERSION + 1) or isinstance(version, bool):
            raise InputError(
                f"{self.name} has format version {str(repr(version))[:20]}, which this tool never "
                f"wrote; {HINT}."
            )
        for key, kind in (
            ("dataset", dict),
            ("config", dict),
            ("runs", list),
            ("results", dict),
        ):
            if not isinstance(manifest.get(key), kind):
                raise InputError(
                    f"{self.name}: the manifest has no valid {key!r}; {HINT}."
                )
        try:
            check_results(manifest["results"])
        except InputError as exc:
            raise InputError(f"{self.name}: {exc}") from None
        check_values(manifest["results"], self.name)
        return manifest

    def only_members_of(self, runs: int, splits: int = 1) -> None:
        """Refuse a file holding members this tool did not write (nothing else is read)."""
        allowed = {MANIFEST} | {
            split_member(split, part, splits)
            for split in range(splits)
            for part in SPLIT_PARTS
        }
        allowed |= {
            f"runs/{i:04d}_{part}.npy" for i in range(runs) for part in ("val", "test")
        }
        extra = sorted(set(self.members) - allowed)
        if extra:
            raise InputError(
                f"{self.name} holds {len(extra):,} member(s) this tool did not write (such "
                f"as {extra[0][:40]!r}); refused."
            )

    def array(self, member: str) -> np.ndarray:
        data = self.read(member)
        try:
            return np.load(io.BytesIO(data), allow_pickle=False)
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


SPLIT_PARTS = ("y_val", "y_test", "amounts_val", "amounts_test")


def split_member(split: int, part: str, splits: int) -> str:
    """The member holding ``part`` of a data split: ``y_val.npy`` with one split
    (format 1), ``splits/0003_y_val.npy`` with several."""
    return f"{part}.npy" if splits == 1 else f"splits/{split:04d}_{part}.npy"


RUN_FIELDS = (
    "fit_seconds",
    "epochs_run",
    "best_epoch",
    "train_class_counts",
    "warnings",
)


def entry_of(run: Run, name: str) -> dict[str, Any]:
    """A run's record (everything but its probabilities) as plain JSON values:
    what a saved comparison's manifest and the run store's index keep."""
    return {
        "name": name,
        "technique": run.technique,
        "model": run.model,
        "seed": run.seed,
        "split": run.split,
        "params": run.params,
        "error": run.error,
        **{key: getattr(run, key) for key in RUN_FIELDS},
    }


def run_of(entry: Any, name: str) -> Run:
    """A run's record from the manifest, every field's type checked."""
    where = f"{name}: a run in the manifest"
    if not isinstance(entry, Mapping) or not {"name", "technique", "seed"} <= set(
        entry
    ):
        raise InputError(f"{where} has no name, technique or seed.")
    if not (isinstance(entry["name"], str) and isinstance(entry["technique"], str)):
        raise InputError(f"{where} has a name or technique that is not text.")
    seed, params = entry["seed"], entry.get("params") or {}
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise InputError(f"{where} has a seed that is not a whole number.")
    if not isinstance(params, Mapping) or not all(
        isinstance(v, str | int | float | bool | type(None)) for v in params.values()
    ):
        raise InputError(f"{where} has hyperparameters that are not plain values.")
    error = entry.get("error")
    if error is not None and not isinstance(error, str):
        raise InputError(f"{where} has an error that is not text.")
    model = entry.get("model", models.DEFAULT)  # files before models: the MLP
    if not isinstance(model, str):
        raise InputError(f"{where} has a model that is not text.")
    split = entry.get("split", 0)  # files before folds: the holdout split
    if not isinstance(split, int) or isinstance(split, bool) or split < 0:
        raise InputError(f"{where} has a data split that is not a whole number.")
    run = Run(
        entry["technique"], seed, dict(params), error=error, model=model, split=split
    )
    for key in ("fit_seconds", "epochs_run", "best_epoch"):
        value = entry.get(key)
        if value is not None and not (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and 0 <= value < 1e9
        ):
            raise InputError(f"{where} has {key} {str(value)[:20]}, not a number.")
        if value is not None:
            setattr(run, key, value)
    counts, warnings = (
        entry.get("train_class_counts") or {},
        entry.get("warnings") or [],
    )
    if not isinstance(counts, Mapping) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0
        for v in counts.values()
    ):
        raise InputError(f"{where} has training class counts that are not counts.")
    if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
        raise InputError(f"{where} has warnings that are not text.")
    run.train_class_counts, run.warnings = dict(counts), list(warnings)
    return run
