"""Train: pick techniques and hyperparameters (or sweep them), train every run concurrently, keep the results."""

from __future__ import annotations

import time

import streamlit as st

from dashboard import loaders, session, training, widgets
from imbal_core import results, techniques
from imbal_core.techniques import SHARED_PARAMS

st.set_page_config(page_title="Train · Imbalance lab", page_icon="🏋️", layout="wide")
st.title("Train")

dataset = loaders.current_dataset()
widgets.dataset_badge(dataset)
st.caption(
    f"Train {len(dataset.y_train):,} · validation {len(dataset.y_val):,} · test {len(dataset.y_test):,} rows "
    f"(test size {len(dataset.y_test) / dataset.rows:.0%}). The test size is part of the data split: "
    "change it on the Data page."
)
SHARED = {p.name: p for p in SHARED_PARAMS}
sweep = st.toggle(
    "Sweep: several values per hyperparameter",
    key=session.SWEEP_MODE,
    help="Each value (or combination of values) becomes its own variant, e.g. Focal loss (γ=1, α=0.25).",
)

with st.form("train_form"):
    names = st.multiselect(
        "Techniques",
        list(techniques.REGISTRY),
        default=list(techniques.REGISTRY),
        format_func=results.label,
        help="Every registered technique; each trains the same seed MLP on the same split.",
        key=session.TECHNIQUES,
    )
    c1, c2, c3, c4, c5 = st.columns(5)
    epochs = widgets.number_input(SHARED["epochs"], session.EPOCHS, c1)
    batch_size = widgets.number_input(SHARED["batch_size"], session.BATCH_SIZE, c2)
    seed = c3.number_input(
        "Seed",
        0,
        2**31 - 1,
        42,
        1,
        help="Seeds every random generator; the same seed gives the same model.",
        key=session.SEED,
    )
    n_seeds = c4.number_input(
        "Number of seeds",
        1,
        10,
        1,
        1,
        help="Train each technique with seeds seed, seed+1, …; several seeds give means and 95% confidence intervals.",
        key=session.N_SEEDS,
    )
    run_on = c5.selectbox(
        "Run on",
        list(training.EXECUTORS),
        index=list(training.EXECUTORS).index(training.default_executor_kind()),
        format_func=training.EXECUTORS.get,
        help="This machine: one worker process per core. Ray cluster: the cluster at "
        "$IMBAL_RAY_ADDRESS (a local Ray if unset); see the README.",
        key=session.RUN_ON,
    )
    patience = widgets.early_stopping(SHARED["patience"])
    st.markdown(
        "**Technique hyperparameters** (used only when the technique is selected)"
    )
    own_values: dict[str, float | int | str] = {}
    with_params = [cls for cls in techniques.REGISTRY.values() if cls.params]
    for column, cls in zip(
        st.columns(max(1, len(with_params))), with_params, strict=False
    ):
        with column.expander(cls.label, expanded=True):
            st.caption(cls.summary)
            for param in cls.params:
                own_values[param.name] = (
                    widgets.values_input(param, session.sweep_key(cls.name, param.name))
                    if sweep
                    else widgets.number_input(
                        param, session.param_key(cls.name, param.name)
                    )
                )
    submitted = st.form_submit_button("Train", type="primary")

training.warm_up()  # workers load TensorFlow while the form is filled in
if session.get(session.CANCELLED):
    session.put(session.CANCELLED, False)
    st.warning(
        "Training cancelled: queued and running runs were stopped; the finished ones "
        "are kept below (and cached, so they won't train again).",
        icon="⏹️",
    )

if submitted:
    seeds = [int(seed) + i for i in range(int(n_seeds))]
    with widgets.friendly_errors("Training"):
        options, sweeps = training.options_and_sweeps(names, own_values, sweep)
        options.update(
            epochs=int(epochs),
            batch_size=int(batch_size),
            patience=patience,
        )
        st.button(
            "Cancel",
            on_click=session.put,
            args=(session.CANCELLED, True),
            help="Stop queued and running runs; the finished ones are kept.",
            key=session.CANCEL,
        )
        started = time.perf_counter()
        with st.status("Training…", expanded=True) as status:
            comparison, cached = training.train_comparison(
                dataset, names, options, seeds, sweeps, run_on
            )
            failed = [n for n in comparison.runs if not comparison.ok_runs(n)]
            status.update(
                label=f"Done in {training.elapsed(started)}: {len(comparison.runs)} "
                f"technique(s) or variant(s), {cached} run(s) from the cache"
                + (f" · {len(failed)} failed" if failed else ""),
                state="error" if len(failed) == len(comparison.runs) else "complete",
                expanded=bool(failed),
            )
        session.set_comparison(comparison)
        total = sum(len(v) for v in comparison.runs.values())
        st.success(
            f"{total} run(s): {cached} from the cache (same data, technique, parameters and seed), "
            f"{total - cached} trained now.",
            icon="✅",
        )

comparison = session.comparison()
if comparison is None:
    st.info("No results yet: choose techniques and press Train.", icon="ℹ️")
    st.stop()
st.subheader("Latest results")
if comparison.dataset.get("fingerprint") != dataset.fingerprint:
    st.info(
        f"These results belong to the previous data ({widgets.plain(comparison.dataset.get('source', '?'))}); "
        "press Train to compare on the data in use.",
        icon="ℹ️",
    )
widgets.config_caption(comparison.config)
st.dataframe(training.runs_table(comparison), width="stretch", hide_index=True)
widgets.page_link("pages/3_Compare.py", "Next: compare the techniques", icon="⚖️")
