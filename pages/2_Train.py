"""Train: pick techniques and hyperparameters, train each (technique, seed) once, keep the results."""

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

with st.form("train_form"):
    names = st.multiselect(
        "Techniques",
        list(techniques.REGISTRY),
        default=list(techniques.REGISTRY),
        format_func=results.label,
        help="Every registered technique; each trains the same seed MLP on the same split.",
        key=session.TECHNIQUES,
    )
    c1, c2, c3, c4 = st.columns(4)
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
    st.markdown(
        "**Technique hyperparameters** (used only when the technique is selected)"
    )
    own_values: dict[str, float | int] = {}
    with_params = [cls for cls in techniques.REGISTRY.values() if cls.params]
    for column, cls in zip(
        st.columns(max(1, len(with_params))), with_params, strict=False
    ):
        with column.expander(cls.label, expanded=True):
            st.caption(cls.summary)
            for param in cls.params:
                key = session.param_key(cls.name, param.name)
                own_values[param.name] = widgets.number_input(param, key)
    submitted = st.form_submit_button("Train", type="primary")

if submitted:
    seeds = [int(seed) + i for i in range(int(n_seeds))]
    own_names = {p.name for name in names for p in techniques.get(name).params}
    options = {"epochs": int(epochs), "batch_size": int(batch_size)}
    options.update({k: v for k, v in own_values.items() if k in own_names})
    with widgets.friendly_errors("Training"):
        started = time.perf_counter()
        with st.status(
            f"Training {len(names)} technique(s) × {len(seeds)} seed(s)…", expanded=True
        ) as status:
            comparison, cached = training.train_comparison(
                dataset, names, options, seeds
            )
            failed = [n for n in names if not comparison.ok_runs(n)]
            status.update(
                label=f"Done in {training.elapsed(started)}: {len(names)} technique(s), "
                f"{cached} run(s) from the cache"
                + (f" · {len(failed)} failed" if failed else ""),
                state="error" if len(failed) == len(names) else "complete",
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
config = comparison.config
for note in config.get("notes", []):
    st.caption(f"Note: {widgets.plain(note)}.")
st.caption(
    f"Epochs {config.get('epochs')} · batch size {config.get('batch_size')} · seeds "
    f"{', '.join(map(str, config.get('seeds', [])))}. PR-AUC is on the test split (threshold-free)."
)
st.dataframe(training.runs_table(comparison), width="stretch", hide_index=True)
widgets.page_link("pages/3_Compare.py", "Next: compare the techniques", icon="⚖️")
