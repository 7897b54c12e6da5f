"""Optional MLflow logging: a comparison on the team's tracking server.

One MLflow run for the comparison (its settings, the data's fingerprint, the
recommendation) and, nested under it, one per technique run (technique, model,
seed): its hyperparameters, its test metrics at the comparison's operating
point, its threshold-free metrics and, for the first seed, its curves as a JSON
artifact. Everything is logged from the results (the same numbers every other
view shows), after training, so a tracking server that is down costs a warning,
never a result. MLflow is not a requirement: without it, the option says how to
install it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from imbal_core.errors import InputError, first_line

if TYPE_CHECKING:
    from imbal_core.results import Comparison

VARIABLE = "IMBAL_MLFLOW_URI"  # the dashboard's setting (the CLI's --mlflow-uri)
EXPERIMENT = "imbalance-compare"
INSTALL = "pip install mlflow-skinny==3.17.2 (or the full mlflow)"
_SEED_METRICS = (
    "pr_auc", "roc_auc", "brier", "recall", "precision", "f1", "mcc", "cost",
    "threshold", "fit_seconds", "epochs_run", "best_epoch",
)  # fmt: skip


def configured_uri() -> str | None:
    return os.environ.get(VARIABLE, "").strip() or None


def require_mlflow(option: str = "--mlflow-uri") -> None:
    """A one-line :class:`InputError` when MLflow is not installed."""
    try:
        import mlflow  # noqa: F401
    except ImportError:
        raise InputError(
            f"{option} needs the mlflow package, which is not installed: {INSTALL}."
        ) from None


def log_comparison(
    comparison: Comparison,
    results: Mapping[str, Any],
    uri: str,
    experiment: str = EXPERIMENT,
) -> str:
    """Log ``comparison`` at the settings of its ``results`` to the tracking server
    at ``uri``; the comparison's MLflow run id. Raises :class:`InputError` (one
    line) when MLflow or the server fails."""
    require_mlflow()
    import mlflow

    try:
        client = mlflow.MlflowClient(tracking_uri=uri)
        found = client.get_experiment_by_name(experiment)
        experiment_id = (
            found.experiment_id if found else client.create_experiment(experiment)
        )
        config, dataset = results["config"], results["dataset"]
        parent = client.create_run(
            experiment_id,
            run_name=f"comparison on {dataset.get('source', '?')}",
            tags={
                "imbal.data": str(dataset.get("source", "")),
                "imbal.fingerprint": str(dataset.get("fingerprint", "")),
                "imbal.operating_point": config["operating_point"]["description"],
            },
        )
        comparison_id = parent.info.run_id
        client.log_batch(comparison_id, params=_params(_settings(config)))
        chosen = (results.get("recommendation") or {}).get("name")
        if chosen:
            client.set_tag(comparison_id, "imbal.recommended", chosen)
        for name, summary in results["techniques"].items():
            runs = comparison.ok_runs(name)  # the results' seeds, in order
            for index, seed in enumerate(summary.get("seeds") or []):
                values = {"technique": name, "model": runs[index].model}
                values.update(seed=seed["seed"], **runs[index].params)
                if "split" in seed:  # cross-validation: which fold it was
                    values.update(repeat=seed["repeat"], fold=seed["fold"])
                _log_run(client, experiment_id, comparison_id, values, summary, seed)
        client.set_terminated(comparison_id)
        return comparison_id
    except InputError:
        raise
    except Exception as exc:  # mlflow's own errors, a refused connection, a bad URI
        raise InputError(
            f"MLflow logging to {uri} failed ({first_line(exc, 120)}); the results "
            "are kept here all the same."
        ) from None


def _log_run(
    client: Any,
    experiment_id: str,
    parent: str,
    values: Mapping[str, Any],
    summary: Mapping[str, Any],
    seed: Mapping[str, Any],
) -> None:
    from mlflow.entities import Metric

    run = client.create_run(
        experiment_id,
        run_name=f"{summary.get('label', values['technique'])} · "
        + (f"fold {seed['fold']} · " if "fold" in seed else "")
        + f"seed {seed['seed']}",
        tags={"mlflow.parentRunId": parent, "imbal.technique": values["technique"]},
    )
    metrics = [
        Metric(key, float(seed[key]), 0, 0)
        for key in _SEED_METRICS
        if isinstance(seed.get(key), int | float)
    ]
    client.log_batch(
        run.info.run_id,
        metrics=metrics,
        params=_params(values),
    )
    first = seed is (summary.get("seeds") or [None])[0]
    if first and summary.get("curves"):  # the results keep the first seed's
        client.log_dict(run.info.run_id, summary["curves"], "curves.json")
    client.set_terminated(run.info.run_id)


def _settings(config: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in config.items()
        if key not in ("notes", "operating_point", "saved")
    }


def _params(values: Mapping[str, Any]) -> list[Any]:
    from mlflow.entities import Param

    return [Param(str(k), str(v)[:500]) for k, v in values.items()]
