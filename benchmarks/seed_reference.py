"""A faithful re-implementation of the seed notebook's code, for benchmarking only.

Everything here follows ``reference/seed_notebook.md`` cell by cell: drop ``Time``,
StandardScaler on ``Amount`` over the whole frame (the seed's leak, kept), an
unstratified ``train_test_split(test_size=0.2, random_state=42)`` on DataFrames,
``build_model`` compiled with ``metrics=['accuracy']``, ``fit(..., epochs, batch_size,
validation_split=0.2)``, ``predict`` at Keras' default batch size, the ``evaluate`` /
``score`` / repeated ``predict`` calls the notebook makes, the hand-written focal
loss, and BalancedBaggingClassifier over a scikeras KerasClassifier.

Two deliberate, cost-neutral differences: the notebook's ``model.predict(X_test) > 0.5``
keeps the probabilities (needed for PR-AUC) before thresholding them, and
``bbc.predict`` becomes ``bbc.predict_proba`` + argmax (what ``predict`` does inside).
``keras.utils.set_random_seed(seed)`` makes runs repeatable (the notebook sets none);
``seed`` also replaces the samplers' and the bagging's ``random_state=42`` (42 by
default, as there), while the split keeps its 42: other seeds retrain, same test set.
Printing is replaced by building the same report strings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

TECHNIQUES = (
    "baseline",
    "undersampling",
    "oversampling",
    "smote",
    "balanced_bagging",
    "focal_loss",
)


def prepare(
    frame: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, pd.Series]:
    """Cells 55-56: drop Time, scale Amount, unstratified 80/20 split."""
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    df = frame.drop("Time", axis=1)
    df["Amount"] = StandardScaler().fit_transform(df["Amount"].values.reshape(-1, 1))
    X = df.drop("Class", axis=1)
    y = df["Class"]
    return train_test_split(X, y, test_size=0.2, random_state=42)


def build_model(input_dim: int) -> Any:
    """Cell 57, verbatim."""
    from tensorflow import keras

    model = keras.Sequential(
        [
            keras.layers.Input(shape=(input_dim,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def focal_loss(gamma: float = 2.0, alpha: float = 0.25) -> Any:
    """Cell 85, verbatim (a sum over the batch, not a mean)."""
    import tensorflow as tf
    from tensorflow.keras import backend as K

    def focal_loss_fixed(y_true, y_pred):
        y_true = tf.cast(y_true, tf.float32)
        epsilon = K.epsilon()
        y_pred = K.clip(y_pred, epsilon, 1.0 - epsilon)
        pt_1 = tf.where(tf.equal(y_true, 1), y_pred, tf.ones_like(y_pred))
        pt_0 = tf.where(tf.equal(y_true, 0), y_pred, tf.zeros_like(y_pred))
        loss = -K.sum(alpha * K.pow(1.0 - pt_1, gamma) * K.log(pt_1)) - K.sum(
            (1 - alpha) * K.pow(pt_0, gamma) * K.log(1.0 - pt_0)
        )
        return loss

    return focal_loss_fixed


def _report(y_test: pd.Series, y_pred: np.ndarray) -> None:
    """The notebook prints these two after every model; computing them costs the same."""
    from sklearn.metrics import classification_report, confusion_matrix

    classification_report(y_test, y_pred)
    confusion_matrix(y_test, y_pred)


def _fit_resampled(
    sampler: Any, X_train, y_train, X_test, y_test, epochs: int, batch_size: int
) -> np.ndarray:
    """Cells 60-64 / 65-69 / 70-74: resample, fit, predict, evaluate, report."""
    X_res, y_res = sampler.fit_resample(X_train, y_train)
    model = build_model(X_res.shape[1])
    model.fit(
        X_res,
        y_res,
        epochs=epochs,
        batch_size=batch_size,
        validation_split=0.2,
        verbose=0,
    )
    proba = model.predict(X_test)
    y_pred = (proba > 0.5).astype("int32")
    model.evaluate(X_test, y_test)
    _report(y_test, y_pred)
    return proba.ravel()


def run_technique(
    name: str,
    frame: pd.DataFrame,
    *,
    epochs: int = 10,
    batch_size: int = 256,
    n_estimators: int = 10,
    seed: int = 42,
) -> tuple[np.ndarray, np.ndarray]:
    """Prepare ``frame`` and run one of the notebook's sections; returns (y_test, proba_test)."""
    import keras

    keras.utils.set_random_seed(seed)
    X_train, X_test, y_train, y_test = prepare(frame)
    if name == "baseline":  # cells 58-59 (no evaluate call for the baseline)
        model = build_model(X_train.shape[1])
        model.fit(
            X_train,
            y_train,
            epochs=epochs,
            batch_size=batch_size,
            validation_split=0.2,
            verbose=0,
        )
        proba = model.predict(X_test)
        _report(y_test, (proba > 0.5).astype("int32"))
        proba = proba.ravel()
    elif name in ("undersampling", "oversampling", "smote"):
        from imblearn.over_sampling import SMOTE, RandomOverSampler
        from imblearn.under_sampling import RandomUnderSampler

        sampler = {
            "undersampling": RandomUnderSampler,
            "oversampling": RandomOverSampler,
            "smote": SMOTE,
        }[name](random_state=seed)
        proba = _fit_resampled(
            sampler, X_train, y_train, X_test, y_test, epochs, batch_size
        )
    elif name == "balanced_bagging":  # cells 75-78
        from imblearn.ensemble import BalancedBaggingClassifier
        from scikeras.wrappers import KerasClassifier

        def create_keras_model(input_dim):
            return build_model(input_dim)

        keras_clf = KerasClassifier(
            model=create_keras_model,
            model__input_dim=X_train.shape[1],
            epochs=epochs,
            batch_size=batch_size,
            verbose=0,
        )
        bbc = BalancedBaggingClassifier(
            estimator=keras_clf,
            n_estimators=n_estimators,
            sampling_strategy="auto",
            random_state=seed,
        )
        bbc.fit(X_train, y_train)
        bbc.score(X_test, y_test)
        proba = bbc.predict_proba(X_test)[:, 1]  # bbc.predict == argmax of this
        _report(y_test, bbc.classes_[(proba > 0.5).astype(int)])
    elif name == "focal_loss":  # cells 85-89
        focal_model = build_model(X_train.shape[1])
        focal_model.compile(
            optimizer="adam",
            loss=focal_loss(gamma=2.0, alpha=0.25),
            metrics=["accuracy"],
        )
        focal_model.fit(
            X_train,
            y_train,
            epochs=epochs,
            batch_size=batch_size,
            validation_split=0.2,
            verbose=0,
        )
        proba = focal_model.predict(X_test)
        focal_model.evaluate(X_test, y_test)
        proba = focal_model.predict(X_test)  # cell 88 predicts again
        _report(y_test, (proba > 0.5).astype("int32"))
        proba = proba.ravel()
    else:
        raise ValueError(
            f"the seed notebook has no technique {name!r}; choose from {', '.join(TECHNIQUES)}."
        )
    return np.asarray(y_test), np.asarray(proba, dtype=np.float64)
