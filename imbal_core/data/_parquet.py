"""Read a Parquet file into a DataFrame, with the CSV reader's checks and one-line errors.

:func:`read_table` is what every caller uses: a file that starts with Parquet's
magic bytes (``PAR1``) is read here, anything else as CSV. A Parquet file has
typed columns already, so there is nothing to sniff; what is checked is what a
table for this tool needs (rows, two or more flat columns, unique names), and
what would not train is turned into what would (dates into seconds, categories
into text) with a note.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from imbal_core.data._csv import _read_bytes, read_csv
from imbal_core.errors import InputError, first_line

MAGIC = b"PAR1"
SUFFIXES = (".parquet", ".pq")


def read_table(
    source: str | os.PathLike | bytes | BinaryIO, name: str = ""
) -> pd.DataFrame:
    """A CSV or a Parquet file (told apart by its first bytes) as a DataFrame, or
    one :class:`InputError` that says what is wrong and what to do."""
    label = name or (
        Path(source).name if isinstance(source, (str, os.PathLike)) else "the file"
    )
    raw = _read_bytes(source, label)
    if raw[:4] == MAGIC:
        return read_parquet(raw, label)
    if label.lower().endswith(SUFFIXES):
        raise InputError(
            f"{label} is named like a Parquet file but does not start like one "
            "(cut short or not Parquet); export it again."
        )
    return read_csv(raw, label)


def read_parquet(raw: bytes, label: str) -> pd.DataFrame:
    """``raw`` Parquet bytes as a DataFrame (never written to disk)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(io.BytesIO(raw))
        schema = parquet.schema_arrow
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputError(_unreadable(label, exc)) from None
    names = [str(n).strip() for n in schema.names]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InputError(
            f"{label} has duplicate column names {repeated}; rename them so each is unique."
        )
    nested = [
        n
        for n, field in zip(names, schema, strict=True)
        if pa.types.is_nested(field.type)
    ]
    if nested:
        raise InputError(
            f"{label}: column {nested[0]!r} holds lists or records, not one value per "
            "row; flatten it into plain columns or drop it."
        )
    try:
        table = parquet.read()
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputError(_unreadable(label, exc)) from None
    if table.num_rows == 0:
        raise InputError(f"{label} has columns but no rows; add rows and try again.")
    if table.num_columns < 2:
        raise InputError(
            f"{label} has one column only; a table needs feature columns and a target column."
        )
    frame = table.to_pandas()
    frame.columns = names
    frame.attrs["notes"] = _plain_types(frame, label)
    return frame


def _unreadable(label: str, exc: BaseException) -> str:
    return (
        f"{label} is not a readable Parquet file ({first_line(exc, 100)}); "
        "export it again, or save the table as CSV."
    )


def _plain_types(frame: pd.DataFrame, label: str) -> list[str]:
    """Dates as seconds since 1970 (so a time split can use them), categories and
    other typed text as plain text; what changed, as notes."""
    notes: list[str] = []
    for name in frame.columns:
        column: Any = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            stamps = column.dt.tz_convert(None) if column.dt.tz else column
            seconds = (stamps - pd.Timestamp(0)).dt.total_seconds()
            frame[name] = seconds
            notes.append(f"{label}: read the dates in {name!r} as seconds since 1970")
        elif isinstance(
            column.dtype, pd.CategoricalDtype
        ) or pd.api.types.is_string_dtype(column):
            frame[name] = column.astype(object).where(column.notna(), None)
        elif pd.api.types.is_timedelta64_dtype(column):
            frame[name] = column.dt.total_seconds()
    return notes
