"""Load, validate, encode and split a binary classification data set.

Every problem with the user's data is raised as :class:`InputError` with one
sentence that says what is wrong and what to do. Splitting happens here, before
any technique sees the data, so resampling can only ever touch the training split.

The code lives in private modules: ``_csv`` reads and validates CSVs
(``_parquet`` Parquet files, and :func:`read_table` tells them apart),
``_prepare`` builds a :class:`Dataset` (``_folds`` one per cross-validation fold) (with ``_features``: encode, impute,
scale on the training rows) and ``_sources`` loads the named sources.
"""

from imbal_core.data._csv import MAX_UPLOAD_MB, read_csv
from imbal_core.data._features import CLIP_SD, MAX_CATEGORIES
from imbal_core.data._folds import (
    MAX_FOLDS,
    MAX_REPEATS,
    check_folds,
    folds_summary,
    prepare_folds,
)
from imbal_core.data._parquet import read_table
from imbal_core.data._prepare import (
    MIN_ROWS_PER_CLASS,
    SPLIT_SEED,
    VALIDATION_SIZE,
    Dataset,
    prepare,
)
from imbal_core.data._sources import (
    CREDITCARD_COLUMNS,
    CREDITCARD_HELP,
    CREDITCARD_POSITIVES,
    CREDITCARD_ROWS,
    NAMED_SOURCES,
    available_creditcard_path,
    demo_frame,
    load_creditcard,
    load_folds,
    load_source,
    make_demo,
    source_frame,
    source_label,
)

__all__ = [
    "CLIP_SD",
    "CREDITCARD_COLUMNS",
    "CREDITCARD_HELP",
    "CREDITCARD_POSITIVES",
    "CREDITCARD_ROWS",
    "MAX_CATEGORIES",
    "MAX_FOLDS",
    "MAX_REPEATS",
    "MAX_UPLOAD_MB",
    "MIN_ROWS_PER_CLASS",
    "NAMED_SOURCES",
    "SPLIT_SEED",
    "VALIDATION_SIZE",
    "Dataset",
    "available_creditcard_path",
    "check_folds",
    "folds_summary",
    "load_folds",
    "prepare_folds",
    "demo_frame",
    "load_creditcard",
    "load_source",
    "make_demo",
    "prepare",
    "read_csv",
    "read_table",
    "source_frame",
    "source_label",
]
