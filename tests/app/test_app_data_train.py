"""AppTest checks for the entry page, the Data page and the Train page (real training, 1 epoch)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import loaders, training
from imbal_core import data, techniques
from imbal_core.errors import InputError
from imbal_core.execution import plan_runs, run_comparison
from imbal_core.results import Comparison

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DEMO_ROWS = 3000
TIMEOUT = 180


@pytest.fixture(autouse=True)
def small_default(monkeypatch, tmp_path):
    """Open on a small demo (not 285k rows) and never find a real creditcard file."""
    monkeypatch.setenv("IMBAL_DEMO_ROWS", str(DEMO_ROWS))
    monkeypatch.delenv("IMBAL_CREDITCARD_CSV", raising=False)
    monkeypatch.chdir(tmp_path)  # data/creditcard.csv is looked up relative to the cwd


@pytest.fixture(scope="module")
def earlier_comparison(tiny_dataset) -> Comparison:
    """A one-run comparison standing for "results the user already has" (cheap to build)."""
    comparison = run_comparison(
        tiny_dataset, plan_runs(["baseline"], {"epochs": 1, "batch_size": 256}, [8])
    )
    assert comparison.ok_runs("baseline"), comparison.error("baseline")
    return comparison


def open_page(page: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


# ------------------------------------------------------------------- render
@pytest.mark.parametrize("page", [None, "pages/1_Data.py", "pages/2_Train.py"])
def test_pages_open_on_the_synthetic_demo_without_setup(page):
    at = open_page(page)
    dataset = at.session_state["dataset"]
    assert dataset.source == f"demo (synthetic, {DEMO_ROWS:,} rows)"
    assert dataset.rows == DEMO_ROWS
    assert "SYNTHETIC" in texts(at.warning)
    assert not at.error


def test_a_local_creditcard_file_is_the_default(monkeypatch, tmp_path):
    real = tmp_path / "creditcard.csv"
    data.make_demo(rows=2000, positives=40, seed=5).to_csv(real, index=False)
    monkeypatch.setenv("IMBAL_CREDITCARD_CSV", str(real))
    at = open_page("pages/1_Data.py")
    assert at.session_state["dataset"].source == "creditcard"
    assert at.session_state["dataset"].rows == 2000
    assert at.radio(key="data_source").value == "creditcard"
    assert "SYNTHETIC" not in texts(at.warning)


def test_a_broken_creditcard_file_falls_back_to_the_demo(monkeypatch, tmp_path):
    broken = tmp_path / "creditcard.csv"
    broken.write_text("a,b\n1,2\n3,4\n")
    monkeypatch.setenv("IMBAL_CREDITCARD_CSV", str(broken))
    at = open_page()
    assert at.session_state["dataset"].source.startswith("demo (synthetic")
    assert "could not be used" in texts(at.warning) and "lacks" in texts(at.warning)


def test_entry_page_says_what_is_loaded_and_links_onwards(tiny_dataset):
    at = open_page(dataset=tiny_dataset)
    body = texts(at.markdown)
    assert "3,000 rows" in body and f"{tiny_dataset.positives} positives" in body
    # An injected dataset is never replaced by the default.
    assert at.session_state["dataset"] is tiny_dataset


def test_data_page_shows_the_dataset_in_use(tiny_dataset):
    at = open_page("pages/1_Data.py", dataset=tiny_dataset)
    assert [m.value for m in at.metric][:3] == [
        "3,000",
        str(len(tiny_dataset.feature_names)),
        "60",
    ]
    assert "dropped ['Time']" in texts(at.text)
    split_table = at.dataframe[-1].value
    assert list(split_table.index) == ["train", "validation", "test"]
    assert int(split_table["Positive"].sum()) == 60
    assert at.radio(key="data_source").value == "demo"  # no real file here


def test_data_page_loads_new_settings_and_keeps_data_on_bad_input(
    tiny_dataset, earlier_comparison
):
    at = open_page(
        "pages/1_Data.py", dataset=tiny_dataset, comparison=earlier_comparison
    )
    at.slider(key="test_size").set_value(0.3)
    at.button(key="use_data").click().run()
    loaded = at.session_state["dataset"]
    assert not at.error and not at.exception
    assert (
        loaded.source.startswith("demo (synthetic")
        and loaded.fingerprint != tiny_dataset.fingerprint
    )
    assert len(loaded.y_test) == pytest.approx(0.3 * DEMO_ROWS, abs=1)
    # Results are not silently dropped when the data changes.
    assert at.session_state["comparison"] is earlier_comparison
    assert "belong to the previous data" in texts(at.info)

    # Fraud drifts: a time-ordered split is one checkbox away when a time column exists.
    at.checkbox(key="split_by_time").check().run()
    at.button(key="use_data").click().run()
    loaded = at.session_state["dataset"]
    assert loaded.split == "time-ordered by Time" and not at.error

    # A continuous column as the target is refused; the loaded data stays.
    at.selectbox(key="target_column").set_value("V1")
    at.button(key="use_data").click().run()
    assert "looks continuous" in texts(at.error)
    assert at.session_state["dataset"] is loaded
    assert at.session_state["comparison"] is earlier_comparison


def test_upload_path_reads_bytes_and_prepares_them():
    frame = data.make_demo(rows=600, positives=30, seed=3).rename(
        columns={"Class": "label"}
    )
    raw = frame.to_csv(index=False, sep=";").encode()
    digest = loaders.upload_digest(raw)
    parsed = loaders.upload_frame(digest, "mine.csv", raw)
    assert parsed.shape == frame.shape
    dataset = loaders.prepare_upload(
        digest, "mine.csv", raw, target="label", drop=("Time",)
    )
    assert (
        dataset.source == "mine.csv" and dataset.positives == 30 and dataset.rows == 600
    )
    assert loaders.time_like_columns(parsed) == ["Time"]
    with pytest.raises(InputError, match="mine.csv has one column only"):
        loaders.upload_frame(
            loaders.upload_digest(b"a\n1\n2\n"), "mine.csv", b"a\n1\n2\n"
        )
    with pytest.raises(InputError, match="target column 'Class' not found"):
        loaders.prepare_upload(digest, "mine.csv", raw, target="Class")


def test_creditcard_choice_without_a_file_says_how_to_get_it(tiny_dataset):
    at = open_page("pages/1_Data.py", dataset=tiny_dataset)
    at.radio(key="data_source").set_value("creditcard").run()
    message = texts(at.info)
    assert (
        "No local creditcard.csv found" in message and "IMBAL_CREDITCARD_CSV" in message
    )
    assert at.button(key="fetch_creditcard").label == "Fetch from OpenML"
    assert (
        at.session_state["dataset"] is tiny_dataset
    )  # choosing a source loads nothing yet


def test_data_page_starts_from_an_upload_in_use():
    frame = data.make_demo(rows=400, positives=20, seed=4)
    raw = frame.to_csv(index=False).encode()
    uploaded = loaders.prepare_upload(
        loaders.upload_digest(raw), "**bold**.csv", raw, target="Class"
    )
    at = open_page("pages/1_Data.py", dataset=uploaded)
    assert at.radio(key="data_source").value == "upload"
    assert "uploaded earlier" in texts(at.caption)
    assert "\\*\\*bold\\*\\*" in texts(at.markdown)  # a file name is shown literally
    assert "SYNTHETIC" not in texts(at.warning)


# -------------------------------------------------------------------- train
def submit(at: AppTest, techniques: list[str], seed: int, **numbers) -> AppTest:
    at.multiselect(key="techniques").set_value(techniques)
    at.number_input(key="epochs").set_value(1)
    at.number_input(key="seed").set_value(seed)
    for key, value in numbers.items():
        at.number_input(key=key).set_value(value)
    at.button[0].click().run()  # the form's only button: Train
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_train_form_shows_every_technique_and_its_declared_params(tiny_dataset):
    at = open_page("pages/2_Train.py", dataset=tiny_dataset)
    assert at.multiselect(key="techniques").value == list(techniques.DEFAULT)
    assert at.button[0].label == "Train"
    labels = {n.label for n in at.number_input}
    assert {
        "Epochs",
        "Batch size",
        "Seed",
        "Number of seeds",
        "Gamma",
        "Alpha",
        "K neighbors",
        "N estimators",
    } <= labels
    assert isinstance(at.number_input(key="param::k_neighbors").value, int)
    assert "No results yet" in texts(at.info)


def test_a_combination_typed_on_the_page_trains_and_a_bad_one_says_where(tiny_dataset):
    at = open_page("pages/2_Train.py", dataset=tiny_dataset)
    catalogue = " ".join(e.label for e in at.expander)
    assert "Technique catalogue" in catalogue
    shown = " ".join(m.value for m in at.markdown)
    for cls in techniques.REGISTRY.values():  # every technique, with its reference
        assert f"(`{cls.name}`)" in shown and cls.reference.split(" ")[0] in shown
    at.text_input(key="combinations").set_value("smote+adasyn")
    submit(at, ["baseline"], seed=9)
    assert texts(at.error) == (
        "'smote+adasyn' has 2 samplers (smote, adasyn); a recipe takes at most one "
        "sampler, one objective and one initialisation in Techniques or Add combinations."
    )
    at.text_input(key="combinations").set_value("focal_loss+smote")
    submit(at, ["baseline"], seed=9)
    comparison = at.session_state["comparison"]
    assert list(comparison.runs) == ["baseline", "smote+focal_loss"]
    assert comparison.ok_runs("smote+focal_loss"), comparison.error("smote+focal_loss")
    assert "SMOTE + focal loss" in at.dataframe[-1].value.index


def test_categorical_features_are_named_and_a_row_cap_applies():
    frame = data.make_demo(rows=1200, positives=60, seed=4)[["V1", "V2", "Class"]]
    frame["channel"] = ["web", "shop", "phone"] * 400
    dataset = data.prepare(frame, source="mixed")
    at = open_page("pages/2_Train.py", dataset=dataset)
    submit(at, ["smote", "tomek_links"], seed=12, **{"param::max_rows": 600})
    shown = " ".join(c.value for c in at.caption)
    assert "SMOTE runs as SMOTE-NC: 1 of the 3 features is categorical" in shown
    comparison = at.session_state["comparison"]
    assert list(comparison.runs) == ["smote", "tomek_links"]
    [capped] = comparison.ok_runs("tomek_links")
    assert capped.params["max_rows"] == 600
    assert sum(capped.train_class_counts.values()) <= 600


def test_train_stores_a_comparison_and_the_same_config_is_a_cache_hit(tiny_dataset):
    at = open_page("pages/2_Train.py", dataset=tiny_dataset)
    before = training.training_count()
    submit(at, ["baseline", "class_weight"], seed=7)
    comparison = at.session_state["comparison"]
    assert isinstance(comparison, Comparison)
    assert list(comparison.runs) == ["baseline", "class_weight"]
    assert all(len(comparison.ok_runs(n)) == 1 for n in comparison.runs)
    assert comparison.config["epochs"] == 1 and comparison.config["seeds"] == [7]
    assert comparison.dataset["fingerprint"] == tiny_dataset.fingerprint
    assert training.training_count() == before + 2
    assert "0 from the cache" in texts(at.success)
    table = at.dataframe[-1].value
    # A 1-epoch baseline on 1,920 rows may rightly be flagged "did not learn".
    assert all(status.startswith("ok") for status in table["Status"])
    assert table["PR-AUC"].between(0, 1).all()

    submit(at, ["baseline", "class_weight"], seed=7)
    again = at.session_state["comparison"]
    assert training.training_count() == before + 2  # nothing trained the second time
    assert again is not comparison
    assert all(again.runs[n][0] is comparison.runs[n][0] for n in comparison.runs)
    assert "2 from the cache" in texts(at.success)

    options = {"epochs": 1, "batch_size": 256, "patience": 0}
    (spec,) = plan_runs(["baseline"], options, [7]).specs
    cached = training.run_cache().get(spec.key(tiny_dataset.fingerprint))
    assert cached is comparison.runs["baseline"][0]


def test_a_failing_technique_shows_its_error_and_the_others_finish(tiny_dataset):
    at = open_page("pages/2_Train.py", dataset=tiny_dataset)
    # The training split has ~38 positives: SMOTE cannot use 50 neighbours.
    submit(at, ["smote", "baseline"], seed=7, **{"param::k_neighbors": 50})
    comparison = at.session_state["comparison"]
    assert "SMOTE needs more than k" in comparison.error("smote")
    assert comparison.ok_runs("baseline")
    assert "SMOTE, seed 7 failed" in texts(at.error)
    assert list(at.dataframe[-1].value["Status"])[0].startswith("failed: SMOTE needs")


def test_a_batch_larger_than_the_training_rows_trains_with_a_visible_note(
    tiny_dataset, earlier_comparison
):
    """Issue #10: small files were refused at the seed's batch size; now they train."""
    at = open_page(
        "pages/2_Train.py", dataset=tiny_dataset, comparison=earlier_comparison
    )
    before = training.training_count()
    submit(at, ["baseline"], seed=11, batch_size=5000)
    assert not at.error
    rows = len(tiny_dataset.y_train)
    assert f"batch size 5,000 is larger than the {rows:,} training rows" in " ".join(
        c.value for c in at.caption
    )
    comparison = at.session_state["comparison"]
    assert comparison is not earlier_comparison and comparison.ok_runs("baseline")
    assert training.training_count() == before + 1


# ------------------------------------------------------------------- errors
def _failing_script():
    import streamlit as st

    from dashboard import widgets  # the function runs as its own script

    st.session_state.setdefault("kept", "yes")
    with widgets.friendly_errors("Loading"):
        raise RuntimeError("disk on fire\nsecond line of detail")


def test_unexpected_errors_are_one_short_line_and_state_survives():
    at = AppTest.from_function(_failing_script, default_timeout=30).run()
    assert not at.exception
    message = texts(at.error)
    assert "Loading failed unexpectedly (RuntimeError: disk on fire)" in message
    assert "second line" not in message and "Traceback" not in message
    assert at.session_state["kept"] == "yes"


def test_streamlit_config_is_locked_down():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == data.MAX_UPLOAD_MB
    assert config["server"]["enableXsrfProtection"] and config["server"]["enableCORS"]
    assert config["server"]["enableStaticServing"] is False
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False


def test_sweep_mode_trains_one_variant_per_value_and_caches_each_run(tiny_dataset):
    """Issue #11: several values per hyperparameter become labelled variants; a
    value already trained (same data, params, seed) comes from the cache."""
    at = open_page("pages/2_Train.py", dataset=tiny_dataset)
    at.toggle(key="sweep_mode").set_value(True).run()
    gamma = at.text_input(key="sweep::gamma")
    assert gamma.label == "Gamma values" and gamma.value == "2"
    at.multiselect(key="techniques").set_value(["focal_loss", "baseline"])
    at.number_input(key="epochs").set_value(1)
    at.number_input(key="seed").set_value(21)
    gamma.set_value("0.5, 1")
    before = training.training_count()
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    comparison = at.session_state["comparison"]
    assert list(comparison.runs) == [
        "focal_loss[gamma=0.5,alpha=0.25]",
        "focal_loss[gamma=1,alpha=0.25]",
        "baseline",
    ]
    assert [
        r.params["gamma"] for n in list(comparison.runs)[:2] for r in comparison.runs[n]
    ] == [0.5, 1.0]
    assert comparison.config["sweeps"] == {"gamma": [0.5, 1.0]}
    assert training.training_count() == before + 3
    table = at.dataframe[-1].value
    assert list(table.index) == [
        "Focal loss (γ=0.5, α=0.25)",
        "Focal loss (γ=1, α=0.25)",
        "Baseline",
    ]
    assert "swept gamma: 0.5, 1" in " ".join(c.value for c in at.caption)

    at.text_input(key="sweep::gamma").set_value("1, 2")
    at.button[0].click().run()
    again = at.session_state["comparison"]
    # γ=1 and the baseline were trained above: only γ=2 trains now.
    assert training.training_count() == before + 4
    assert (
        again.runs["focal_loss[gamma=1,alpha=0.25]"][0]
        is comparison.runs["focal_loss[gamma=1,alpha=0.25]"][0]
    )
    assert "2 from the cache" in texts(at.success)


def test_the_network_shape_is_on_the_form_and_a_shape_sweep_makes_variants(
    tiny_dataset,
):
    at = open_page("pages/2_Train.py", dataset=tiny_dataset)
    layers = at.text_input(key="param::layers")
    assert layers.label == "Hidden layers" and layers.value == "128,64,32"
    assert at.number_input(key="param::dropout").value == 0.3
    assert at.number_input(key="param::learning_rate").value == 0.001
    at.toggle(key="sweep_mode").set_value(True).run()
    at.text_input(key="sweep::layers").set_value("16; 16,8")
    at.multiselect(key="techniques").set_value(["baseline"])
    at.number_input(key="epochs").set_value(1)
    at.number_input(key="seed").set_value(23)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    comparison = at.session_state["comparison"]
    assert list(comparison.runs) == ["baseline[layers=16]", "baseline[layers=16-8]"]
    assert [
        r.params["layers"] for n in comparison.runs for r in comparison.runs[n]
    ] == [
        "16",
        "16,8",
    ]
    assert list(at.dataframe[-1].value.index) == [
        "Baseline (layers=16)",
        "Baseline (layers=16-8)",
    ]
    caption = " ".join(c.value for c in at.caption)
    assert "swept layers: 16, 16-8" in caption and "dropout 0.3" in caption


def test_a_bad_sweep_list_is_one_clear_error_and_keeps_the_results(
    tiny_dataset, earlier_comparison
):
    at = open_page(
        "pages/2_Train.py", dataset=tiny_dataset, comparison=earlier_comparison
    )
    at.toggle(key="sweep_mode").set_value(True).run()
    at.multiselect(key="techniques").set_value(["focal_loss"])
    at.text_input(key="sweep::gamma").set_value("1, two")
    at.button[0].click().run()
    assert not at.exception
    assert "'1, two' is not a list of numbers" in " ".join(e.value for e in at.error)
    assert at.session_state["comparison"] is earlier_comparison


def test_early_stopping_checkbox_trains_with_patience_and_reports_epochs(tiny_dataset):
    """Issue #12: the fair-budget option; the runs table says how far each run went."""
    at = open_page("pages/2_Train.py", dataset=tiny_dataset)
    assert at.checkbox(key="early_stopping").value is False  # the seed's fixed epochs
    at.checkbox(key="early_stopping").check()
    at.number_input(key="patience").set_value(2)
    submit(at, ["baseline", "oversampling"], seed=31, epochs=25)
    comparison = at.session_state["comparison"]
    assert comparison.config["patience"] == 2 and comparison.config["epochs"] == 25
    table = at.dataframe[-1].value
    for _, row in table.iterrows():
        assert 1 <= row["Best epoch"] <= row["Epochs run"] <= 25
        assert row["Epochs run"] == 25 or row["Epochs run"] == row["Best epoch"] + 2


def test_models_on_the_train_page_train_each_technique_they_take(tiny_dataset):
    """Issue #22: the default is the seed's MLP alone; a reference model beside it
    trains the techniques it takes, skips a network objective with its reason, and
    every table names each row's model; Compare weighs the best of each kind."""
    at = open_page("pages/2_Train.py", dataset=tiny_dataset)
    assert at.multiselect(key="models").value == ["mlp"]
    at.multiselect(key="techniques").set_value(["baseline", "focal_loss"])
    at.multiselect(key="models").set_value(["mlp", "lightgbm"])
    at.number_input(key="epochs").set_value(1)
    at.number_input(key="param::trees").set_value(20)
    at.number_input(key="seed").set_value(29)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    comparison = at.session_state["comparison"]
    assert list(comparison.runs) == ["baseline", "focal_loss", "lightgbm:baseline"]
    assert comparison.runs["lightgbm:baseline"][0].params["trees"] == 20
    table = at.dataframe[-1].value
    assert list(table["Model"]) == ["MLP", "MLP", "LightGBM"]
    captions = " ".join(c.value for c in at.caption)
    assert (
        "LightGBM · Focal loss skipped: Focal loss is a network objective" in captions
    )
    assert "LightGBM: trees 20" in captions

    at.switch_page("pages/3_Compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    duel = " ".join(i.value for i in at.info)
    assert (
        "Best network — " in duel
        and "Best reference model — LightGBM · Baseline" in duel
    )
    assert list(at.dataframe[0].value["Model"]) == ["MLP", "MLP", "LightGBM"]
