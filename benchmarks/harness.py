"""The benchmark's harness: every measurement in a fresh interpreter, the CLI timed
end to end, the machine described, the load average kept with each figure (the
machine may be shared)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from imbal_core import package_versions

ROOT = Path(__file__).resolve().parent.parent  # the repository: every subprocess's cwd
RESULTS = ROOT / "benchmarks" / "results"  # where figures go unless --out-dir says
# The small-CSV CLI measurement: the default (seed's) techniques x CLI_SEEDS seeds, CLI_EPOCHS epochs.
CLI_ROWS, CLI_SEEDS, CLI_EPOCHS = 1500, 3, 10


def env() -> dict[str, str]:
    """A measured command's environment: no run store (a speed figure must train)."""
    return {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONHASHSEED": "0",
        "IMBAL_STORE": "off",
    }


QUIET_LOAD = 1.0  # a figure is taken once the 1-minute load average is below this


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def settled_load(settle: float) -> float:
    """Wait (at most ``settle`` seconds) for the machine to go quiet, then return the
    1-minute load average, recorded with the figure: a measurement right after
    another one would otherwise start at the load the previous one left (a
    2-core job leaves ~2)."""
    deadline = time.monotonic() + settle
    while load_average() >= QUIET_LOAD and time.monotonic() < deadline:
        time.sleep(5)
    return load_average()


def measure(spec: dict[str, Any], log: Any, settle: float = 0.0) -> dict[str, Any]:
    """Run ``spec`` in a fresh interpreter; its Keras chatter goes to ``log``."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    load = settled_load(settle)
    command = [
        sys.executable,
        "-m",
        "benchmarks.measure",
        json.dumps({**spec, "out": out}),
    ]
    done = subprocess.run(command, stdout=log, stderr=log, env=env(), cwd=ROOT)
    try:
        if done.returncode != 0:
            what = spec.get("technique") or f"{spec.get('workers')} worker(s)"
            raise RuntimeError(
                f"{spec['impl']} {what} failed (exit {done.returncode}); see the log."
            )
        result = json.loads(Path(out).read_text())
    finally:
        Path(out).unlink(missing_ok=True)
    result["load_before"] = load
    return result


def cli(arguments: list[str], log: Any) -> None:
    """``python -m imbal_core ARGUMENTS`` in a fresh interpreter; raises if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "imbal_core", *arguments],
        stdout=log or subprocess.DEVNULL,
        stderr=log or subprocess.PIPE,
        text=True,
        env=env(),
        cwd=ROOT,
    )
    if done.returncode != 0:
        lines = (done.stderr or "").strip().splitlines() or ["see the log"]
        raise RuntimeError(
            f"python -m imbal_core {arguments[0]} failed (exit {done.returncode}): "
            f"{lines[-1]}"
        )


def measure_cli(
    rows: int = CLI_ROWS,
    seeds: int = CLI_SEEDS,
    epochs: int = CLI_EPOCHS,
    log: Any = None,
    settle: float = 0.0,
) -> dict[str, Any]:
    """The default techniques (the seed's seven) x ``seeds`` on a ``rows``-row CSV through ``python -m imbal_core
    train``: the command's wall clock, interpreter start-up and imports included.
    The CSV is written first (``demo-data``), outside the clock."""
    with tempfile.TemporaryDirectory(prefix="imbal-bench-") as folder:
        csv, out = Path(folder) / "small.csv", Path(folder) / "results.json"
        cli(["demo-data", "--rows", str(rows), "--out", str(csv)], log)
        train = ["train", "--data", str(csv), "--seeds", str(seeds)]
        train += ["--epochs", str(epochs), "--out", str(out)]
        load = settled_load(settle)
        started = time.perf_counter()
        cli(train, log)
        wall_s = time.perf_counter() - started
        results = json.loads(out.read_text())["techniques"]
    return {
        "wall_s": wall_s,
        "rows": rows,
        "seeds": seeds,
        "epochs": epochs,
        "techniques": len(results),
        "failed": [n for n, r in results.items() if r.get("status") != "ok"],
        "command": f"python -m imbal_core train --data <csv> --seeds {seeds} "
        f"--epochs {epochs} --out <json>",
        "load_before": load,
    }


def measure_step(
    rows: int, repeats: int, out_dir: Path, log: Any, settle: float = 0.0
) -> dict[str, Any]:
    """``python -m benchmarks.step`` (ms per step against the matmul bound) in a
    fresh interpreter on ``rows`` rows; its step.json, also left in ``out_dir``."""
    command = [sys.executable, "-m", "benchmarks.step", "--rows", str(rows)]
    command += ["--repeats", str(repeats), "--settle", str(settle)]
    command += ["--out-dir", str(out_dir)]
    done = subprocess.run(command, stdout=log, stderr=log, env=env(), cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(
            f"benchmarks.step failed (exit {done.returncode}); see the log."
        )
    return json.loads((Path(out_dir) / "step.json").read_text())


def write_results(out_dir: str | None, name: str, found: dict, table: str) -> None:
    """``name``.json and ``name``.md in ``out_dir`` (default :data:`RESULTS`); the
    table also on stdout."""
    folder = Path(out_dir) if out_dir else RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(found, indent=2) + "\n")
    (folder / f"{name}.md").write_text(table + "\n")
    print(table)


def machine() -> dict[str, Any]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gb = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        ram_gb = round(int(meminfo.read_text().split()[1]) / 1024**2, 1)
    versions = package_versions(
        "tensorflow",
        "keras",
        "numpy",
        "pandas",
        "scikit-learn",
        "imbalanced-learn",
        "scikeras",
        "streamlit",
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
    }
