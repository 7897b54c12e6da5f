"""Train: pick techniques and hyperparameters, train each (technique, seed) once, keep the results."""

from __future__ import annotations

import math
import time

import streamlit as st

import ui
from imbal_core import experiment, techniques
from imbal_core.techniques import SHARED_PARAMS, Param

st.set_page_config(page_title="Train · Imbalance lab", page_icon="🏋️", layout="wide")
ui.init_session()
st.title("Train")

dataset = ui.current_dataset()
ui.dataset_badge(dataset)
test_share = dataset.summary()["test_rows"] / dataset.rows
st.caption(
    f"Train {len(dataset.y_train):,} · validation {len(dataset.y_val):,} · test {len(dataset.y_test):,} rows "
    f"(test size {test_share:.0%}). The test size is part of the data split: change it on the Data page."
)
SHARED = {p.name: p for p in SHARED_PARAMS}


def number_input(param: Param, key: str, container=st):
    """A number input from a technique's declared range, default and help."""
    if param.integer:
        return container.number_input(
            param.label,
            int(param.low),
            int(param.high),
            int(param.default),
            1,
            help=param.help,
            key=key,
        )
    # About 100 steps across the declared range: 0.1 for gamma, 0.01 for alpha.
    step = 10 ** math.floor(math.log10((param.high - param.low) / 100))
    return container.number_input(
        param.label,
        float(param.low),
        float(param.high),
        float(param.default),
        float(step),
        help=param.help,
        key=key,
    )


with st.form("train_form"):
    names = st.multiselect(
        "Techniques",
        list(techniques.REGISTRY),
        default=list(techniques.REGISTRY),
        format_func=ui.label,
        help="Every registered technique; each trains the same seed MLP on the same split.",
        key="techniques",
    )
    c1, c2, c3, c4 = st.columns(4)
    epochs = c1.number_input(
        "Epochs",
        int(SHARED["epochs"].low),
        int(SHARED["epochs"].high),
        int(SHARED["epochs"].default),
        1,
        help=SHARED["epochs"].help,
        key="epochs",
    )
    batch_size = c2.number_input(
        "Batch size",
        int(SHARED["batch_size"].low),
        int(SHARED["batch_size"].high),
        int(SHARED["batch_size"].default),
        1,
        help=SHARED["batch_size"].help,
        key="batch_size",
    )
    seed = c3.number_input(
        "Seed",
        0,
        2**31 - 1,
        42,
        1,
        help="Seeds every random generator; the same seed gives the same model.",
        key="seed",
    )
    n_seeds = c4.number_input(
        "Number of seeds",
        1,
        10,
        1,
        1,
        help="Train each technique with seeds seed, seed+1, …; several seeds give means and 95% confidence intervals.",
        key="n_seeds",
    )
    st.markdown(
        "**Technique hyperparameters** (used only when the technique is selected)"
    )
    own_values: dict[str, float | int] = {}
    with_params = [cls for cls in techniques.REGISTRY.values() if cls.params]
    columns = st.columns(max(1, len(with_params)))
    for column, cls in zip(columns, with_params, strict=False):
        with column.expander(cls.label, expanded=True):
            st.caption(cls.summary)
            for param in cls.params:
                own_values[param.name] = number_input(
                    param, f"param::{cls.name}::{param.name}"
                )
    submitted = st.form_submit_button("Train", type="primary")

if submitted:
    seeds = [int(seed) + i for i in range(int(n_seeds))]
    own_names = {p.name for name in names for p in techniques.get(name).params}
    options = {"epochs": int(epochs), "batch_size": int(batch_size)}
    options.update({k: v for k, v in own_values.items() if k in own_names})
    with ui.friendly_errors("Training"):
        # Bad hyperparameters raise InputError here, before anything trains.
        per_technique = experiment.validate_options(dataset, names, options)
        runs: dict[str, list] = {}
        cached = 0
        started_all = time.perf_counter()
        with st.status(
            f"Training {len(names)} technique(s) × {len(seeds)} seed(s)…", expanded=True
        ) as status:
            for name in names:
                runs[name] = []
                bar = st.progress(0.0, text=f"{ui.label(name)}: waiting")
                for i, s in enumerate(seeds):
                    started = time.perf_counter()
                    prefix = f"{ui.label(name)}, seed {s}"

                    def report(
                        fraction: float,
                        message: str,
                        i=i,
                        prefix=prefix,
                        started=started,
                        bar=bar,
                    ) -> None:
                        done = (i + min(max(fraction, 0.0), 1.0)) / len(seeds)
                        bar.progress(
                            done, text=f"{prefix}: {message} · {ui.elapsed(started)}"
                        )

                    report(0.0, "starting")
                    run, hit = ui.train(dataset, name, per_technique[name], s, report)
                    runs[name].append(run)
                    cached += hit
                    if not run.ok:
                        st.error(f"{prefix} failed: {ui.plain(run.error)}", icon="⚠️")
                    state = (
                        "cached, no training"
                        if hit
                        else (
                            f"done in {run.fit_seconds:.1f} s" if run.ok else "failed"
                        )
                    )
                    bar.progress((i + 1) / len(seeds), text=f"{prefix}: {state}")
            failed = [n for n in names if not any(r.ok for r in runs[n])]
            status.update(
                label=f"Done in {ui.elapsed(started_all)}: {len(names)} technique(s), "
                f"{cached} run(s) from the cache"
                + (f" · {len(failed)} failed" if failed else ""),
                state="error" if len(failed) == len(names) else "complete",
                expanded=bool(failed),
            )
        st.session_state["comparison"] = ui.build_comparison(
            dataset, names, options, seeds, runs
        )
        st.session_state["train_log"] = [(n, r.seed) for n in names for r in runs[n]]
        total = sum(len(v) for v in runs.values())
        st.success(
            f"{total} run(s): {cached} from the cache (same data, technique, parameters and seed), "
            f"{total - cached} trained now.",
            icon="✅",
        )

comparison = st.session_state.get("comparison")
if comparison is not None:
    st.subheader("Latest results")
    if comparison.dataset.get("fingerprint") != dataset.fingerprint:
        st.info(
            f"These results belong to the previous data ({ui.plain(comparison.dataset.get('source', '?'))}); "
            "press Train to compare on the data in use.",
            icon="ℹ️",
        )
    config = comparison.config
    st.caption(
        f"Epochs {config.get('epochs')} · batch size {config.get('batch_size')} · seeds "
        f"{', '.join(map(str, config.get('seeds', [])))}. PR-AUC is on the test split (threshold-free)."
    )
    st.dataframe(ui.runs_table(comparison), width="stretch", hide_index=True)
    ui.page_link("pages/3_Compare.py", "Next: compare the techniques", icon="⚖️")
else:
    st.info("No results yet: choose techniques and press Train.", icon="ℹ️")
