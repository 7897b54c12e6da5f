"""The benchmark's figures: totals, the issues' targets, and the Markdown for the README."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks import quality, step

# Targets of issues #4 and #11.
TARGET_SPEEDUP = (
    10.0  # (issue 25) seed's serial sum / engine's whole comparison (max workers)
)
TARGET_PR_AUC_DROP = 0.03  # mean PR-AUC at most this much below the seed's
TARGET_WORKERS_SPEEDUP = 1.6  # whole comparison: max workers vs the fewest
TARGET_CLI_S = 20.0  # the small-CSV CLI run, end to end
TARGET_CACHE_S = 1.0
TARGET_SLIDER_MS = 150.0


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def mb(value: float | None) -> str:
    return "?" if value is None else f"{value:,.0f} MB"


def finish(report: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    """Totals, then latest.json and latest.md (also for an interrupted run)."""
    report["finished_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    summarise(report)
    (out_dir / "latest.json").write_text(json.dumps(report, indent=2))
    (out_dir / "latest.partial.json").unlink(missing_ok=True)
    markdown = to_markdown(report)
    (out_dir / "latest.md").write_text(markdown)
    print()
    print(markdown)
    return report


def _top(report: dict[str, Any]) -> tuple[list[int], dict[str, Any] | None]:
    """The engine's worker counts, and the comparison at the largest."""
    engine = report.get("engine", {})
    counts = sorted(int(c) for c in engine)
    return counts, engine[str(counts[-1])] if counts else None


def summarise(report: dict[str, Any]) -> None:
    """Totals and the issues' targets, each as {"target", "met"}."""
    seed = report.get("seed", {})
    counts, top = _top(report)
    total: dict[str, Any] = {}
    checks: dict[str, dict[str, Any]] = {}

    def check(key: str, target: str, met: bool) -> None:
        checks[key] = {"target": target, "met": bool(met)}

    if seed:
        total.update(
            seed_s=sum(r["wall_s"] for r in seed.values()),
            seed_peak_mb=max(r["peak_mb"] for r in seed.values()),
            seed_pr_auc_mean=statistics.mean(r["pr_auc"] for r in seed.values()),
        )
    if top:
        total.update(
            workers=counts[-1],
            engine_s=top["wall_s"],
            engine_peak_mb=top["peak_mb"],
            engine_workers_peak_mb=top["workers_peak_mb"],
            engine_pr_auc_mean=statistics.mean(
                r["pr_auc"] for r in top["techniques"].values()
            ),
        )
        if len(counts) > 1:
            fewest = report["engine"][str(counts[0])]
            total["workers_speedup"] = _ratio(fewest["wall_s"], top["wall_s"])
            check(
                "workers_speedup",
                f"≥ {TARGET_WORKERS_SPEEDUP:g}x",
                total["workers_speedup"] >= TARGET_WORKERS_SPEEDUP,
            )
    if seed and top:
        total["speedup"] = _ratio(total["seed_s"], total["engine_s"])
        check("speedup", f"≥ {TARGET_SPEEDUP:g}x", total["speedup"] >= TARGET_SPEEDUP)
        # Judged over every seed when more were trained: one seed's is mostly noise.
        if "quality" in report:
            total["quality"] = quality.summarise(report["quality"])
            seed_mean = total["quality"]["seed_mean"]
            engine_mean = total["quality"]["engine_mean"]
        else:
            seed_mean, engine_mean = (
                total["seed_pr_auc_mean"],
                total["engine_pr_auc_mean"],
            )
        check(
            "pr_auc",
            f"≥ the seed's − {TARGET_PR_AUC_DROP:g}",
            engine_mean >= seed_mean - TARGET_PR_AUC_DROP,
        )
    if "step" in report:
        ratios = [shape["ratio"] for shape in report["step"]["shapes"]]
        check("step", f"≤ {step.TARGET:g}x the bound", max(ratios) <= step.TARGET)
    if "cli_small" in report:
        cli = report["cli_small"]
        met = cli["wall_s"] <= TARGET_CLI_S and not cli["failed"]
        check("cli_small", f"≤ {TARGET_CLI_S:g} s", met)
    if "cache" in report:
        met = report["cache"]["repeat_s"] < TARGET_CACHE_S
        check("cache", f"< {TARGET_CACHE_S:g} s", met)
    if "slider" in report:
        met = report["slider"]["move_ms"] < TARGET_SLIDER_MS
        check("slider", f"< {TARGET_SLIDER_MS:g} ms", met)
    report["total"], report["checks"] = total, checks


def _cell(row: dict[str, Any] | None, key: str, spec: str) -> str:
    return "–" if row is None else format(row[key], spec)


def _load_note(*results: dict[str, Any]) -> str:
    loads = sorted(r["load_before"] for r in results if "load_before" in r)
    if not loads:
        return ""
    span = (
        f"{loads[0]:.2f}"
        if loads[0] == loads[-1]
        else f"{loads[0]:.2f}–{loads[-1]:.2f}"
    )
    return f" [load before: {span}]"


def to_markdown(report: dict[str, Any]) -> str:
    m, total, checks = report["machine"], report["total"], report["checks"]
    seed = report.get("seed", {})
    counts, top = _top(report)

    def verdict(key: str) -> str:
        found = checks.get(key)
        if not found:
            return ""
        return f" (target {found['target']}: {'met' if found['met'] else 'NOT met'})"

    lines = [
        f"Measured {report['finished_utc']} on {m['cpu']}, {m['cores']} cores, "
        f"{m['ram_gb']} GB RAM; Python {m['python']}, TensorFlow "
        f"{m['versions']['tensorflow']}, Keras {m['versions']['keras']}. "
        f"Data: {report['data']}; {report['epochs']} epochs, batch 256.",
        "",
        "Seed code: each of the notebook's techniques in its own fresh process, one "
        "after another (their sum is the notebook's serial time). Engine: the same "
        "techniques as one comparison in one fresh process, through a local executor "
        "of worker processes (one TensorFlow thread each). Clocks start after the "
        "same heavy imports on both sides and include data preparation; the "
        "engine's also includes starting its workers (a fresh fork server loads "
        "TensorFlow and forks them, while the data is prepared, as the CLI does), "
        "training, prediction, the dashboard's "
        "metrics and shutting the workers down. "
        "The machine may be shared, so seconds are noisy: the 1-minute load average "
        "before each measurement is in brackets (`load_before` in latest.json).",
        "",
    ]
    engine_runs = top["techniques"] if top else {}
    names = list(dict.fromkeys([*seed, *engine_runs]))
    if names:
        workers = f"{counts[-1]} workers" if top else "–"
        lines += [
            f"| Technique | Seed code (s) | Engine fit (s), concurrent ({workers}) "
            "| Seed PR-AUC | Engine PR-AUC |",
            "|---|---:|---:|---:|---:|",
        ]
        for name in names:
            s, e = seed.get(name), engine_runs.get(name)
            lines.append(
                f"| {name} | {_cell(s, 'wall_s', '.1f')} | "
                f"{_cell(e, 'fit_seconds', '.1f')} | {_cell(s, 'pr_auc', '.3f')} | "
                f"{_cell(e, 'pr_auc', '.3f')} |"
            )
        lines.append("")
    if "speedup" in total:
        lines.append(
            f"- **Total: seed code {total['seed_s']:.1f} s (sum of its processes"
            f"{_load_note(*seed.values())}) vs engine {total['engine_s']:.1f} s (the "
            f"whole comparison, {counts[-1]} workers{_load_note(top)}): "
            f"{total['speedup']:.1f}x**{verdict('speedup')}. Mean PR-AUC "
            f"{total['seed_pr_auc_mean']:.3f} (seed) vs "
            f"{total['engine_pr_auc_mean']:.3f} (engine)"
            + (
                " at seed 42 (over more seeds: below)."
                if "quality" in total
                else f"{verdict('pr_auc')}."
            )
        )
    elif top:
        lines.append(
            f"- Engine: the whole comparison in {total['engine_s']:.1f} s with "
            f"{counts[-1]} workers{_load_note(top)}; no seed side measured."
        )
    if top:
        walls = ", ".join(
            f"{report['engine'][str(c)]['wall_s']:.1f} s with {c} worker(s)"
            f"{_load_note(report['engine'][str(c)])}"
            for c in counts
        )
        speedup = (
            f": **{total['workers_speedup']:.2f}x** with {counts[-1]} vs {counts[0]}"
            f"{verdict('workers_speedup')}"
            if "workers_speedup" in total
            else ""
        )
        lines.append(
            f"- Workers: the whole comparison took {walls}{speedup}. Of the "
            f"{counts[-1]}-worker time, the first {top['ready_s']:.1f} s went to "
            "starting the workers (forked from a server that loads TensorFlow "
            "once), and data preparation "
            f"({top['prepare_s']:.1f} s) ran meanwhile."
        )
        workers_mb, server_mb = top["workers_peak_mb"], top.get("server_peak_mb")
        server = (
            f" + {mb(server_mb)} in the fork server they came from (shared with "
            "them copy-on-write)"
            if server_mb is not None
            else ""
        )
        engine_mb = (
            f"{mb(top['peak_mb'])} in the measuring process (it imports TensorFlow "
            f"like the seed's, unused) + {mb(workers_mb)} in its {counts[-1]} workers "
            f"(each worker's peak, summed){server}"
            if workers_mb is not None
            else f"{mb(top['peak_mb'])} (the measuring process only; its workers' "
            "memory could not be read)"
        )
        seed_mb = (
            f"seed code {mb(total['seed_peak_mb'])} (the largest of its processes); "
            if seed
            else ""
        )
        lines.append(f"- Peak memory: {seed_mb}engine {engine_mb}.")
    if "cli_small" in report:
        c = report["cli_small"]
        failed = f"; failed: {', '.join(c['failed'])}" if c["failed"] else ""
        lines.append(
            f"- Small CSV, CLI end to end: {c['techniques']} techniques x {c['seeds']} "
            f"seeds on a {c['rows']:,}-row CSV, {c['epochs']} epochs "
            f"(`{c['command']}`, wall clock including interpreter start-up): "
            f"**{c['wall_s']:.1f} s**"
            f"{verdict('cli_small')}{failed}{_load_note(c)}."
        )
    if "cache" in report:
        c = report["cache"]
        lines.append(
            f"- Same configuration trained again, a cache hit ({c['how']}, in "
            f"{c['first_s']:.1f} s): **{c['repeat_s'] * 1000:.2f} ms**"
            f"{verdict('cache')}{_load_note(c)}."
        )
    if "slider" in report:
        s = report["slider"]
        figures = ", ".join(s["figures"]) or "none"
        lines.append(
            f"- Threshold move: every metric for {s['techniques']} techniques on "
            f"{s['test_rows']:,} test rows (+ figures: {figures}): "
            f"**{s['move_ms']:.1f} ms** median{verdict('slider')}, "
            f"{s['move_max_ms']:.1f} ms worst (metrics alone "
            f"{s['metrics_only_ms']:.1f} ms; first view, curves computed once: "
            f"{s['first_ms']:.0f} ms){_load_note(s)}."
        )
    imports = [
        r["import_s"] for r in [*seed.values(), *report.get("engine", {}).values()]
    ]
    if imports:
        lines.append(
            f"- Heavy imports (excluded above): {statistics.median(imports):.1f} s "
            "per process (median)."
        )
    if "step" in report:
        lines += [
            "",
            "Training step: a warm network's epoch per step against the step's matrix "
            "multiplies alone (`benchmarks.step`, in a fresh process):",
            "",
            step.markdown(report["step"]),
        ]
    if "quality" in total:
        lines += ["", *quality.to_markdown(total["quality"], verdict("pr_auc"))]
    scaling = report.get("scaling", {})
    if scaling.get("points"):
        names = scaling["techniques"]
        lines += [
            "",
            f"Scaling (engine only, one comparison with {scaling['workers']} workers; "
            f"engine fit per technique, concurrent; {scaling['data']}):",
            "",
            "| Rows | "
            + " | ".join(names)
            + " | Comparison (s) | Peak (MB) | Load before |",
            "|---:|" + "---:|" * (len(names) + 3),
        ]
        for p in scaling["points"]:
            cells = " | ".join(
                f"{p['techniques'][n]['fit_seconds']:.1f} s" for n in names
            )
            peak = p["peak_mb"] + (p["workers_peak_mb"] or 0)
            lines.append(
                f"| {p['rows']:,} ({p['factor']}x) | {cells} | {p['wall_s']:.1f} | "
                f"{peak:,.0f} | {p['load_before']:.2f} |"
            )
        lines.append("")
        lines.append("Peak = the measuring process's plus its workers' (summed).")
    return "\n".join(lines) + "\n"
