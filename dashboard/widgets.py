"""Widgets every page shares: escaping, one-line errors, links, the data badge,
tables, charts, settings inputs."""

from __future__ import annotations

import contextlib
import logging
import math
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import streamlit as st
from pandas.api.types import is_numeric_dtype

from dashboard import session
from imbal_core import models, tables
from imbal_core.data import Dataset
from imbal_core.errors import InputError, first_line
from imbal_core.models.mlp import NETWORK_PARAMS
from imbal_core.params import LayersParam, Param
from imbal_core.results import is_synthetic

ROOT = Path(__file__).resolve().parents[1]
LOG = logging.getLogger("imbal_dashboard")
PRODUCT = "imbalance-compare"

# What Markdown interprets ("[" too, for :color[...]); ":" stays: readable, harmless.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")

WHERE = {
    "target": "in Target column on the Data page",
    "positive": "in Positive label on the Data page",
    "time_column": "in Time column on the Data page",
    "techniques": "in Techniques or Add combinations",
    "models": "in Models",
    "folds": "in Folds (K) on the Train page",
    "repeats": "in Repeats (R) on the Train page",
}
"""Where an engine message's fix is made in the dashboard."""


def page_setup(title: str, icon: str) -> None:
    """The browser tab's title and icon, and the wide layout, for one page."""
    st.set_page_config(page_title=f"{title} · {PRODUCT}", page_icon=icon, layout="wide")


def plain(text: Any) -> str:
    """Escape Markdown so user-supplied text (column names, file names) shows literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def error_text(exc: InputError) -> str:
    """An engine error in the dashboard's words (where to change the setting)."""
    return exc.told(WHERE)


@contextlib.contextmanager
def friendly_errors(action: str = "That") -> Iterator[None]:
    """Show an InputError as one line, anything unexpected as a short line; never a
    traceback. Session state is untouched, so the loaded data and results survive.
    Streamlit's own control flow (st.stop, st.rerun) is a BaseException and passes.
    """
    try:
        yield
    except InputError as exc:
        st.error(plain(error_text(exc)), icon="⚠️")
    except Exception as exc:  # the UI must never show a traceback
        LOG.exception("%s failed", action)
        detail = first_line(exc, 160)
        st.error(
            f"{action} failed unexpectedly ({type(exc).__name__}{': ' + plain(detail) if detail else ''}). "
            "Your data and results are kept; try again or change the settings.",
            icon="🚫",
        )


def page_link(path: str, label: str, icon: str | None = None) -> None:
    """``st.page_link``, or words when the page is not reachable (a page run on its own)."""
    if not (ROOT / path).is_file():
        st.caption(f"{label} (page not available)")
        return
    try:
        st.page_link(path, label=label, icon=icon)
    except st.errors.StreamlitPageNotFoundError:  # no navigation: say it in words
        st.markdown(
            f"Open **{plain(Path(path).stem.split('_', 1)[-1])}** in the sidebar."
        )


def stop_without_results(what: str) -> None:
    """Say there is nothing to ``what`` before training, point to Train, stop the page."""
    st.info(
        f"Nothing to {what} yet: train at least one technique first, or open a saved "
        "comparison on the Data page, then come back here.",
        icon="ℹ️",
    )
    page_link("pages/2_Train.py", label="Go to Train", icon="🏋️")
    st.stop()


def recommendation(point: dict) -> None:
    """The report's recommendation (chosen on validation, figures on test), or a tie."""
    threshold = tables.column("threshold")

    def figures(p: dict) -> str:
        return (
            f"at threshold {threshold.text(p['threshold'])} flags {p['alerts_per_1000']:.1f} "
            f"of every 1,000 test cases; {p['precision']:.1%} of its alerts are real "
            f"positives, it catches {p['recall']:.1%} of them, total cost {p['cost']:,.0f}"
        )

    how = (
        "chosen on the validation split, figures on the test split"
        if point["chosen_on"] == "validation"
        else "ranked on the test split: these results predate validation scores"
    )
    first = f"**{plain(point['label'])}**"
    runner = point["runner_up"]
    if point["indistinguishable"]:
        second = f"**{plain(runner['label'])}**"
        st.info(
            f"{first} and {second} cannot be told apart by {point['criterion']} "
            f"({plain(point['indistinguishable'])}), so neither is recommended over the "
            f"other ({how}). {first} {figures(point)}. {second} {figures(runner)}."
        )
        return
    clear = ""
    if point.get("decided_by") and runner:
        clear = f"; clearly ahead of **{plain(runner['label'])}**: {plain(point['decided_by'])}"
    st.success(f"{first} ({point['criterion']}{clear}; {how}) {figures(point)}.")


def dataset_badge(dataset: Dataset) -> None:
    """One line: where the data comes from, its size and positives; SYNTHETIC when demo."""
    rate = dataset.positives / dataset.rows if dataset.rows else 0.0
    if is_synthetic(dataset.source):
        st.warning(
            "**SYNTHETIC data** — generated stand-in for the creditcard data (same schema and "
            "class ratio; nothing here is real). Use the Data page for the real file or your own CSV.",
            icon="🧪",
        )
    st.markdown(
        f"**Data:** {plain(dataset.source)} · {dataset.rows:,} rows · {len(dataset.feature_names)} features · "
        f"{dataset.positives:,} positives ({rate:.3%}) · split: {plain(dataset.split)}"
    )


def show(figure: Any, key: str) -> None:
    """A plotly figure at full width in its own look (the HTML report's): Streamlit's
    theme would swap the colour scales."""
    st.plotly_chart(
        figure, width="stretch", theme=None, key=key, config={"displaylogo": False}
    )


BEST_CELL = "font-weight: 700; background-color: #e3ecfb"


def table(
    frame: Any,
    *,
    best: bool = False,
    height: int | str = "auto",
    key: str | None = None,
) -> None:
    """A table from :mod:`imbal_core.tables` at full width, each column formatted and
    explained by the one column spec (the HTML report and the CLI use it too).
    ``best``: highlight each column's best value (:func:`tables.best_per_column`)."""
    config: dict[str, Any] = {}
    for label in [frame.index.name, *frame.columns]:
        spec = tables.BY_LABEL.get(str(label))
        if spec is None:
            continue
        text = spec.kind == "text" or (  # written-out cells ("0.81 (0.74 to 0.87)")
            label in frame.columns and not is_numeric_dtype(frame[label])
        )
        config[str(label)] = (
            st.column_config.TextColumn(help=spec.help or None)
            if text
            else st.column_config.NumberColumn(
                format=spec.streamlit_format, help=spec.help or None
            )
        )
    data = frame
    if best and not frame.empty:
        winners = tables.best_per_column(frame)
        data = frame.style.apply(
            lambda column: [
                BEST_CELL if row == winners.get(column.name) else ""
                for row in column.index
            ]
        )
    st.dataframe(data, width="stretch", height=height, column_config=config, key=key)


def number_input(
    param: Param, key: str, container: Any = st, owners: Sequence[str] = ()
) -> float | int | str:
    """A number input from a declared hyperparameter's range, default and help
    (and the techniques that take it); a text input for the network's layers."""
    if isinstance(param, LayersParam):
        return container.text_input(
            "Hidden layers",
            help=f"{param.help} Comma-separated widths ({param.range_text()}).",
            **session.keep(key, param.default),
        )
    kind: dict[str, Any] = {}
    if param.integer:
        low, high, value, step = int(param.low), int(param.high), int(param.default), 1
    elif param.low > 0 and param.high / param.low >= 1e4:
        # A range over many decades (a learning rate): steps of a tenth of the default.
        low, high, value = float(param.low), float(param.high), float(param.default)
        step, kind = value / 10, {"format": "%g"}
    else:
        # About 100 steps across the declared range: 0.1 for gamma, 0.01 for alpha.
        step = float(10 ** math.floor(math.log10((param.high - param.low) / 100)))
        low, high, value = float(param.low), float(param.high), float(param.default)
    return container.number_input(
        param.label,
        low,
        high,
        step=step,
        help=_owned(param.help, owners),
        **kind,
        **session.keep(key, value),
    )


def values_input(
    param: Param, key: str, container: Any = st, owners: Sequence[str] = ()
) -> str:
    """Comma-separated values of a hyperparameter, for a sweep (parsed on submit);
    for the network's layers, shapes separated by ;."""
    if isinstance(param, LayersParam):
        return container.text_input(
            "Hidden layers values",
            help=f"{param.help} Several shapes, separated by ; (e.g. 64,32; 128,64,32), "
            f"make one variant per shape ({param.range_text()}).",
            **session.keep(key, param.default),
        )
    return container.text_input(
        f"{param.label} values",
        help=_owned(
            f"{param.help} Several values, comma-separated (e.g. 0.5, 1, 2), make one "
            f"variant per value; allowed {param.low:g} to {param.high:g}.",
            owners,
        ),
        **session.keep(key, f"{param.default:g}"),
    )


def _owned(text: str, owners: Sequence[str]) -> str:
    if not owners:
        return text
    from imbal_core import techniques

    return f"{text} Used by: {', '.join(techniques.label(n) for n in owners)}."


def technique_catalogue() -> None:
    """Every technique by group, with its summary and reference (as `techniques` prints)."""
    from imbal_core import techniques

    with st.expander(
        "Technique catalogue: what each one does, and where it comes from"
    ):
        groups = list(techniques.catalogue().items())
        # Groups in order, filling three columns about equally.
        columns, total, done = st.columns(3), sum(len(e) for _, e in groups), 0
        for heading, entries in groups:
            column = columns[min(2, done * 3 // total)]
            done += len(entries)
            column.markdown(
                f"**{heading}**\n\n"
                + "\n".join(
                    f"- **{plain(cls.label)}** (`{cls.name}`): {plain(cls.summary)}"
                    + (f" *{plain(cls.reference)}*" if cls.reference else "")
                    for cls in entries
                )
            )
        st.caption(
            "Join parts with + in *Add combinations* for a recipe: at most one sampler "
            "(over, under or combined), one objective and one initialisation, e.g. "
            "smote+focal_loss."
        )


def hyperparameters(sweep: bool) -> dict[str, Any]:
    """The network's shape, then the other hyperparameters (one value, or several)."""
    from imbal_core import techniques

    box = values_input if sweep else number_input
    key = session.sweep_key if sweep else session.param_key
    values: dict[str, Any] = {}
    for column, param in zip(st.columns(3), NETWORK_PARAMS, strict=True):
        values[param.name] = box(param, key(param.name), column)
    with st.expander(
        "Technique and reference-model hyperparameters (each used only by those that "
        "take it)"
    ):
        owned = list(techniques.params_and_owners().items())
        owned += [
            (p, []) for m in models.REGISTRY.values() if not m.network for p in m.params
        ]
        for start in range(0, len(owned), 4):
            row = zip(st.columns(4), owned[start : start + 4], strict=False)
            for column, (param, owners) in row:
                values[param.name] = box(param, key(param.name), column, owners)
    return values


def early_stopping(patience: Param) -> int:
    """The early-stopping checkbox and its patience; 0 when off (the seed's fixed epochs).

    Inside the Train form, so the patience box cannot follow the checkbox until
    submitted: it is always editable and used only when early stopping is on.
    """
    left, right = st.columns([3, 1])
    on = left.checkbox(
        "Early stopping on validation PR-AUC (a fair training budget)",
        help="Fixed epochs are not a fixed budget: oversampling doubles the rows, so it gets "
        "twice the gradient steps. With early stopping each run trains until its validation "
        "PR-AUC stops improving (Epochs is then the maximum) and keeps its best epoch.",
        **session.keep(session.EARLY_STOPPING),
    )
    value = right.number_input(
        "Patience (epochs)",
        1,
        int(patience.high),
        step=1,
        help="Used with early stopping: " + patience.help,
        **session.keep(session.PATIENCE),
    )
    return int(value) if on else 0


def config_caption(config: dict[str, Any]) -> None:
    """The training settings of a comparison, and any notes about them, as captions."""
    for note in config.get("notes", []):
        st.caption(f"Note: {plain(note)}.")
    sweeps = config.get("sweeps") or {}
    swept = "".join(
        f" · swept {name.replace('_', ' ')}: {', '.join(map(Param.show, values))}"
        for name, values in sweeps.items()
    )
    patience = config.get("patience") or 0
    stopping = (
        f" · early stopping (patience {patience})" if patience else " · fixed epochs"
    )
    network = "".join(
        f" · {param.label.lower()} {Param.show(config[param.name])}"
        for param in NETWORK_PARAMS
        if param.name in config and param.name not in sweeps
    )
    named = config.get("models") or [models.DEFAULT]
    chosen = [m for m in map(models.REGISTRY.get, named) if m is not None]
    references = "".join(
        f" · {m.label}: " + ", ".join(_value(config, p) for p in m.params)
        for m in chosen
        if not m.network
    )
    training = (  # the network's settings only when a network trained
        f"Epochs {config.get('epochs')} · batch size {config.get('batch_size')}"
        f"{stopping}{network} · seeds"
        if any(m.network for m in chosen)
        else "With seeds"
    )
    st.caption(
        f"{training} {', '.join(map(str, config.get('seeds', [])))}{swept}{references}. "
        "PR-AUC is on the test split (threshold-free)."
    )


def _value(config: dict[str, Any], param: Param) -> str:
    value = config.get(param.name)
    return (
        f"{param.label.lower()} {Param.show(param.default if value is None else value)}"
    )


def provenance(config: dict[str, Any], dataset: dict[str, Any]) -> None:
    """Where an opened comparison came from: file, data, when and with what it was trained."""
    saved = config.get("saved")
    if not saved:
        return
    versions = saved.get("versions") or {}
    tools = ", ".join(
        f"{name} {version}"
        for name, version in versions.items()
        if version and name != "format"
    )
    st.info(
        f"Opened from **{plain(saved.get('file', '?'))}**: data {plain(dataset.get('source', '?'))} "
        f"({dataset.get('rows', 0):,} rows, fingerprint {plain(dataset.get('fingerprint', '?'))}), "
        f"trained {plain(saved.get('created_utc') or '?')} with {plain(tools or 'unknown versions')}. "
        "Nothing was retrained.",
        icon="📂",
    )
