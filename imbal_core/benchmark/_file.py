"""A benchmark as one file: ``bench.zip`` holds ``benchmark.json`` (format, versions,
settings, every data set with its status) and each data set's saved comparison
(``comparisons/0001.zip``, the format :func:`~imbal_core.results.save_comparison`
writes). Opening it checks every comparison as a saved comparison is checked, so
its statistics are recomputed from the stored probabilities, never trusted."""

from __future__ import annotations

import io
import time
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from imbal_core.atomic import atomic_file
from imbal_core.benchmark._run import Benchmark
from imbal_core.errors import InputError, first_line
from imbal_core.results import load_comparison, results_json, save_comparison
from imbal_core.results._archive import Reader
from imbal_core.results._contract import dump_results
from imbal_core.results._validate import parse_json

FORMAT = "imbal-benchmark"
FORMAT_VERSION = 1
MANIFEST = "benchmark.json"
HINT = "write one with `python -m imbal_core benchmark ... --out bench.zip`"


def save_benchmark(benchmark: Benchmark, target: str | Path) -> None:
    """Write ``benchmark`` as one zip, atomically (a killed save leaves no half file)."""
    from imbal_core import __version__

    members: dict[str, bytes] = {}
    for index, name in enumerate(benchmark.comparisons, start=1):
        comparison = benchmark.comparisons[name]
        buffer = io.BytesIO()
        try:
            save_comparison(comparison, results_json(comparison, "suggested"), buffer)
        except InputError:  # nothing trained on this data set: its status says so
            continue
        members[f"comparisons/{index:04d}.zip"] = buffer.getvalue()
        for entry in benchmark.datasets:
            if entry["name"] == name:
                entry["member"] = f"comparisons/{index:04d}.zip"
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "version": __version__,
        "config": benchmark.config,
        "datasets": benchmark.datasets,
    }
    with atomic_file(target) as handle:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr(MANIFEST, dump_results(manifest))
            for member, payload in members.items():  # each is deflated already
                archive.writestr(member, payload)


def is_benchmark(source: str | Path | IO[bytes]) -> bool:
    """Whether a zip holds a benchmark (not a saved comparison)."""
    try:
        with zipfile.ZipFile(source) as archive:
            return MANIFEST in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


def load_benchmark(source: str | Path | IO[bytes], name: str = "") -> Benchmark:
    """A benchmark file, each of its comparisons checked; one :class:`InputError`
    starting with the file's name if anything is wrong."""
    name = name or (Path(source).name if isinstance(source, str | Path) else "the file")
    try:
        with zipfile.ZipFile(source) as archive:
            reader = Reader(archive, name)
            manifest = parse_json(reader.read(MANIFEST), f"{name}: {MANIFEST}")
            _check(manifest, name)
            comparisons = {}
            for entry in manifest["datasets"]:
                member = entry.get("member")
                if entry.get("status") == "ok" and member:
                    payload = io.BytesIO(reader.read(str(member)))
                    comparisons[str(entry["name"])] = load_comparison(
                        payload, f"{name}: {entry['name']}"
                    )
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise InputError(
            f"{name} is damaged ({first_line(exc, 80) or type(exc).__name__}); {HINT}."
        ) from None
    return Benchmark(manifest["config"], manifest["datasets"], comparisons)


def _check(manifest: Any, name: str) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(f"{name} is not a benchmark file; {HINT}.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise InputError(
            f"{name} has benchmark format {str(manifest.get('format_version'))[:20]}; "
            f"this version reads {FORMAT_VERSION}; update imbalance-compare to open it."
        )
    datasets = manifest.get("datasets")
    if not isinstance(manifest.get("config"), dict) or not (
        isinstance(datasets, list)
        and all(
            isinstance(d, dict) and isinstance(d.get("name"), str) for d in datasets
        )
    ):
        raise InputError(f"{name}: its settings or data sets are damaged; {HINT}.")
