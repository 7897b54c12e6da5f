"""Train: pick techniques and hyperparameters (or sweep them), train every run concurrently, keep the results."""

from __future__ import annotations

import streamlit as st

from dashboard import evaluation, loaders, session, training, widgets
from imbal_core import models, results, tables, techniques

widgets.page_setup("Train", "🏋️")
st.title("Train")

dataset = loaders.current_dataset()
widgets.dataset_badge(dataset)
st.caption(
    f"Train {len(dataset.y_train):,} · validation {len(dataset.y_val):,} · test {len(dataset.y_test):,} rows "
    f"(test size {len(dataset.y_test) / dataset.rows:.0%}). The test size is part of the data split: "
    "change it on the Data page."
)
SHARED = {p.name: p for p in models.get(models.DEFAULT).params}  # the network's
live = st.container()  # progress and its outcome, on the first screen
sweep = st.toggle(
    "Sweep: several values per hyperparameter",
    help="Each value (or combination of values) becomes its own variant, e.g. Focal loss (γ=1, α=0.25).",
    **session.keep(session.SWEEP_MODE, False),
)

widgets.technique_catalogue()
with st.form("train_form"):
    names = st.multiselect(
        "Techniques",
        list(techniques.REGISTRY),
        format_func=results.label,
        help="The seed notebook's seven are selected; the catalogue above describes every "
        "one. Each trains every chosen model on the same split.",
        **session.keep(session.TECHNIQUES, list(techniques.DEFAULT)),
    )
    left, right = st.columns(2)  # one row: the form's Train button stays in view
    combinations = left.text_input(
        "Add combinations",
        placeholder="smote+focal_loss, adasyn+class_balanced+prior_bias",
        help="Recipes of parts joined with +, comma-separated: at most one sampler, one "
        "objective and one initialisation each (names as in the catalogue).",
        **session.keep(session.COMBINATIONS, ""),
    )
    chosen_models = right.multiselect(
        "Models",
        list(models.REGISTRY),
        format_func=models.label,
        help="The seed's MLP (its shape below) takes every technique. Reference models "
        "beside it: "
        + "; ".join(
            f"{m.label} ({m.summary.rstrip('.')}) takes {m.takes()}"
            for m in models.REGISTRY.values()
            if not m.network
        )
        + ". A pair a model cannot train is skipped, with its reason.",
        **session.keep(session.MODELS, [models.DEFAULT]),
    )
    c1, c2, c3, c4, c5 = st.columns(5)
    epochs = widgets.number_input(SHARED["epochs"], session.EPOCHS, c1)
    batch_size = widgets.number_input(SHARED["batch_size"], session.BATCH_SIZE, c2)
    seed = c3.number_input(
        "Seed",
        0,
        2**31 - 1,
        step=1,
        help="Seeds every random generator; the same seed gives the same model.",
        **session.keep(session.SEED, 42),
    )
    n_seeds = c4.number_input(
        "Number of seeds",
        1,
        10,
        step=1,
        help="Train each technique with seeds seed, seed+1, …; several seeds give means and 95% confidence intervals.",
        **session.keep(session.N_SEEDS, 1),
    )
    run_on = c5.selectbox(
        "Run on",
        list(training.EXECUTORS),
        format_func=training.EXECUTORS.get,
        help="This machine: one worker process per core. Ray cluster: the cluster at "
        "$IMBAL_RAY_ADDRESS (a local Ray if unset); see the README.",
        **session.keep(session.RUN_ON, training.default_executor_kind()),
    )
    patience = widgets.early_stopping(SHARED["patience"])
    folds, repeats = evaluation.choice()
    own_values = widgets.hyperparameters(sweep)
    submitted = st.form_submit_button("Train", type="primary")

training.warm_up()  # workers load TensorFlow while the form is filled in
if session.get(session.CANCEL_REQUESTED):
    session.put(session.CANCEL_REQUESTED, False)
    live.warning(
        "Training cancelled: queued and running runs were stopped; the finished ones "
        "are kept below (and cached, so they won't train again).",
        icon="⏹️",
    )

if submitted:
    seeds = [int(seed) + i for i in range(int(n_seeds))]
    shared = {
        "epochs": int(epochs),
        "batch_size": int(batch_size),
        "patience": patience,
    }
    with live, widgets.friendly_errors("Training"):
        chosen = names + training.combinations(combinations)
        splits = evaluation.splits(dataset, folds, repeats)
        plan = training.plan(
            chosen, own_values, sweep, shared, seeds, chosen_models, len(splits)
        )
        cancel = st.empty()
        cancel.button(
            "Cancel",
            on_click=session.put,
            args=(session.CANCEL_REQUESTED, True),
            help="Stop queued and running runs; the finished ones are kept.",
            key=session.CANCEL,
        )
        with st.status("Training…", expanded=True) as status:
            comparison, cached = training.train(splits, plan, run_on)
        cancel.empty()
        training.report(status, comparison, cached)  # below the box, which may fold

comparison = session.comparison()
if comparison is None:
    st.info("No results yet: choose techniques and press Train.", icon="ℹ️")
    st.stop()
st.subheader("Latest results")
if not session.of_data(comparison, dataset):
    st.info(
        f"These results belong to the previous data ({widgets.plain(comparison.dataset.get('source', '?'))}); "
        "press Train to compare on the data in use.",
        icon="ℹ️",
    )
widgets.config_caption(comparison.config)
widgets.table(tables.runs_table(comparison))
widgets.page_link("pages/3_Compare.py", "Next: compare the techniques", icon="⚖️")
