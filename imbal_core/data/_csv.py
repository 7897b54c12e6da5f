"""Read and validate a CSV into a DataFrame.

Every problem with the user's file is raised as :class:`InputError` with one
sentence that says what is wrong and what to do.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from imbal_core.errors import InputError

MAX_UPLOAD_MB = 200
MAX_COLUMNS = 50_000  # far beyond a tabular model's features; a header is read in O(n)
MAX_FIELD = csv.field_size_limit()  # 131,072 characters: longer is not a table's cell
_DELIMITERS = ",;\t|"


# ---------------------------------------------------------------------- reading
# File signatures of things people upload by mistake, named so the message can say what it is.
_SIGNATURES = {
    b"PK\x03\x04": "a zip archive or an Excel .xlsx workbook",
    b"\xd0\xcf\x11\xe0": "an Excel .xls workbook",
    b"\x1f\x8b": "a gzip archive",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PAR1": "a Parquet file",
    b"SQLite format 3": "an SQLite database",
}
# Tried in order; latin-1 decodes any byte, so it is the last resort. Values name them for users.
_ENCODINGS = {
    "utf-8-sig": "UTF-8",
    "cp1252": "Windows-1252 (latin-1)",
    "latin-1": "latin-1",
}


def read_csv(
    source: str | os.PathLike | bytes | BinaryIO, name: str = ""
) -> pd.DataFrame:
    """Read a CSV from a path, raw bytes or a file object (e.g. a Streamlit upload).

    Detects the delimiter (comma, semicolon, tab, pipe) and the encoding (UTF-8,
    UTF-16 with a BOM, else Windows-1252/latin-1), strips whitespace around column
    names and converts decimal-comma numbers in non-comma files. Bytes and file
    objects are parsed in memory; nothing is written to disk. Raises
    :class:`InputError` for anything that is not a usable table. Notes on what was
    detected are left in ``frame.attrs["notes"]`` for :func:`prepare` to report.
    """
    label = name or (
        Path(source).name if isinstance(source, (str, os.PathLike)) else "the file"
    )
    raw = _read_bytes(source, label)
    if not raw.strip():
        raise InputError(
            f"{label} is empty; choose a CSV file with a header row and data rows."
        )
    text, encoding = _decode(raw, label)
    notes = (
        []
        if encoding in ("utf-8-sig", "utf-16")
        else [f"{label} is not UTF-8: read it as {_ENCODINGS[encoding]}"]
    )
    delimiter = _sniff_delimiter(text)
    rows = (row for row in _reader(text, delimiter) if row)
    try:
        header, first = next(rows, []), next(rows, [])
    except csv.Error as exc:  # e.g. a bare carriage return inside a field
        raise InputError(_csv_error(label, exc)) from None
    if len(header) > MAX_COLUMNS:
        raise InputError(
            f"{label} has {len(header):,} columns, more than the {MAX_COLUMNS:,} this tool "
            "reads; keep the feature columns that matter (or check the delimiter)."
        )
    named = Counter(c.strip() for c in header if c.strip())
    duplicates = sorted(c for c, n in named.items() if n > 1)
    if duplicates:
        raise InputError(
            f"{label} has duplicate column names {duplicates}; rename them so each is unique."
        )
    try:
        # One chunk (low_memory=False): chunks are joined column by column, which
        # costs more than the parse on wide files, and types stay one per column.
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, skipinitialspace=True, low_memory=False
        )
    except pd.errors.ParserError as exc:
        raise InputError(
            _ragged_message(label, str(exc), len(header), delimiter)
        ) from None
    except pd.errors.EmptyDataError:
        raise InputError(
            f"{label} has no header row; the first line must name the columns."
        ) from None
    except (csv.Error, ValueError, OverflowError) as exc:
        detail = (
            str(exc).strip().splitlines()[-1][:160]
            if str(exc).strip()
            else type(exc).__name__
        )
        raise InputError(
            f"{label} could not be read as CSV ({detail}); check its format."
        ) from None
    if len(first) == len(header) + 1 and len(frame.columns) == len(header):
        # pandas silently turns the first column into the index when data rows have one extra field.
        raise InputError(
            f"{label}: every data row has one more field than the {len(header)} column names in the "
            "header; name the extra column or remove the extra field (often a trailing delimiter)."
        )
    if frame.empty:
        raise InputError(
            f"{label} has a header but no data rows; add rows and try again."
        )
    if frame.shape[1] < 2:
        raise InputError(
            f"{label} has one column only; a CSV needs feature columns and a target column "
            "separated by commas, semicolons, tabs or |."
        )
    if frame.iloc[:, -1].isna().any():
        short = _short_row(text, delimiter, len(header), label)
        if short:
            raise InputError(
                f"{label} line {short[0]} has {short[1]} fields but the header has {len(header)}; "
                "fix or remove that row."
            )
    frame.columns = [_column_name(c, i) for i, c in enumerate(frame.columns)]
    if frame.columns.duplicated().any():
        repeated = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise InputError(
            f"{label} has duplicate column names {repeated}; rename them so each is unique."
        )
    if delimiter != ",":
        notes.extend(_decimal_commas(frame))
    frame.attrs["notes"] = notes
    return frame


def _read_bytes(source: Any, label: str) -> bytes:
    max_mb = MAX_UPLOAD_MB
    limit = max_mb * 1024 * 1024
    too_big = (
        f"{label} is over the {max_mb} MB limit; use a sample of its rows (keep every "
        "positive row and a random share of the others)."
    )
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"no file at {str(path)!r}; check the path.")
        if path.stat().st_size > limit:
            raise InputError(too_big)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(
                f"cannot read {str(path)!r} ({exc.strerror or exc}); check its permissions."
            ) from None
    elif hasattr(source, "getvalue"):
        raw = source.getvalue()
    elif hasattr(source, "read"):
        raw = source.read()
    else:
        raise InputError(
            f"cannot read a CSV from a {type(source).__name__}; pass a path, bytes or a file."
        )
    if isinstance(raw, str):  # a text-mode file object
        raw = raw.encode("utf-8")
    if len(raw) > limit:
        raise InputError(too_big)
    return raw


def _decode(raw: bytes, label: str) -> tuple[str, str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(
                f"{label} starts like UTF-16 text but is not; export it as CSV."
            ) from None
    for signature, kind in _SIGNATURES.items():
        if raw.startswith(signature):
            raise InputError(
                f"{label} is {kind}, not a CSV text file; export or save it as CSV."
            )
    head = raw[:8192]
    control = sum(byte < 32 and byte not in b"\t\n\r\f" for byte in head)
    if b"\x00" in head or control > len(head) / 100:
        raise InputError(
            f"{label} is not a text CSV (it contains binary data); export it as CSV."
        )
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first rows into the most consistent number of fields (>1).

    csv.Sniffer guesses wrong on quoted text and on decimal commas; counting fields per
    row with each candidate, quote-aware, does not.
    """
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # don't score a row cut in half

    def score(delimiter: str) -> tuple[bool, float, int]:
        try:
            rows = [r for r in _reader(sample, delimiter) if r][:50]
        except csv.Error:
            return (False, 0.0, 0)
        if not rows:
            return (False, 0.0, 0)
        width = len(rows[0])
        return (width > 1, sum(len(r) == width for r in rows) / len(rows), width)

    return max(_DELIMITERS, key=score)  # ties keep the earlier (comma first)


def _ragged_message(label: str, error: str, header_fields: int, delimiter: str) -> str:
    # pandas: "Error tokenizing data. C error: Expected 3 fields in line 5, saw 4"
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", error)
    if match:
        expected, line, saw = match.groups()
        return (
            f"{label} line {line} has {saw} fields but the header has {expected}; fix that row "
            f"(quote values that contain {_DELIMITER_NAMES[delimiter]})."
        )
    detail = error.strip().splitlines()[-1].split("error: ")[-1][:160]
    return f"{label} has rows of different lengths ({detail}); fix those rows."


def _reader(text: str, delimiter: str, **options: Any) -> Any:
    """csv's reader over text (``newline=""``: a lone carriage return ends a line, as
    it does for pandas, instead of an error inside a field)."""
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, **options)


def _csv_error(label: str, exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return (
            f"{label} has a field longer than {MAX_FIELD:,} characters; a table's cells "
            "are short, so check that it is the right file and that its quotes are balanced."
        )
    return f"{label} could not be read as CSV ({exc}); check its format."


def _short_row(
    text: str, delimiter: str, width: int, label: str
) -> tuple[int, int] | None:
    """The first data row with fewer fields than the header (pandas pads those silently)."""
    reader = _reader(text, delimiter, skipinitialspace=True)
    try:
        next(reader, None)
        for row in reader:
            if row and len(row) < width:
                return reader.line_num, len(row)
    except csv.Error as exc:
        raise InputError(_csv_error(label, exc)) from None
    return None


def _column_name(name: Any, position: int) -> str:
    name = str(name).strip()
    return name or f"Unnamed: {position}"


_DECIMAL_COMMA = re.compile(r"^[+-]?((\d{1,3}(\.\d{3})+|\d+)(,\d+)?|,\d+)$")


def _decimal_commas(frame: pd.DataFrame) -> list[str]:
    """Turn text columns that are all numbers like ``1.234,5`` into floats (European exports)."""
    converted = []
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        values = series.dropna().astype(str).str.strip()
        if (
            len(values)
            and values.str.contains(",").any()
            and values.str.match(_DECIMAL_COMMA).all()
        ):
            frame[column] = pd.to_numeric(
                series.astype("string")
                .str.strip()
                .str.replace(".", "", regex=False)
                .str.replace(",", ".", regex=False),
                errors="coerce",
            )
            converted.append(str(column))
    return (
        [
            f"read decimal commas as numbers in {converted[:10]}{' …' if len(converted) > 10 else ''}"
        ]
        if converted
        else []
    )


_DELIMITER_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab", "|": "a |"}
