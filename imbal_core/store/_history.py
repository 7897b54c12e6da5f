"""The History: every finished comparison, kept in the run store as a saved-comparison file.

A comparison is recorded when its training ends (by the CLI or the dashboard) as
the same ``.zip`` the Report page downloads, so reopening it is the one validated
loader (:func:`imbal_core.results.load_comparison`) and downloading it is the file
itself. Its row says what History lists: when, the data, the techniques and
models, and the best technique at the operating point it was recorded at.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from imbal_core.errors import InputError
from imbal_core.results import Comparison, label, load_comparison, save_comparison

if TYPE_CHECKING:
    from imbal_core.store._disk import RunStore


class History:
    """The comparisons of one run store, newest first."""

    def __init__(self, store: RunStore):
        self.store = store
        self.folder = store.root / "comparisons"

    def record(self, comparison: Comparison, results: Mapping[str, Any]) -> str | None:
        """Keep ``comparison`` (at the settings of ``results``); its id, or None when
        nothing trained or the store cannot be written (then one notice says why)."""
        if not self.store.writable or not any(
            run.ok for runs in comparison.runs.values() for run in runs
        ):
            return None
        signature = _signature(comparison)
        created = time.time()
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(created))
        ident = f"{stamp}-{secrets.token_hex(3)}"
        path = self.folder / f"{ident}.zip"
        try:
            save_comparison(comparison, results, path)  # whole or not at all
            entry = _entry(comparison, results, created, signature)
            with self.store.index.write() as db:
                again = db.execute(  # the same runs again: one entry, moved to the top
                    "SELECT id FROM comparisons WHERE json_extract(entry, '$.signature')=?",
                    (signature,),
                ).fetchall()
                db.executemany("DELETE FROM comparisons WHERE id=?", again)
                db.execute(
                    "INSERT INTO comparisons VALUES (?, ?, ?, ?, ?)",
                    (ident, created, json.dumps(entry), path.stat().st_size, created),
                )
            for (old,) in again:
                (self.folder / f"{old}.zip").unlink(missing_ok=True)
            self.store.evict()
        except (OSError, sqlite3.Error) as exc:
            path.unlink(missing_ok=True)
            self.store.fault(exc)
            return None
        return ident

    def entries(self) -> list[dict[str, Any]]:
        """What History lists, newest first: ``id``, ``created`` (epoch seconds),
        ``source``, ``fingerprint``, ``techniques``, ``models``, ``best``,
        ``operating_point``, ``bytes``."""
        if not self.store.writable:
            return []
        with self.store.index.connect() as db:
            rows = db.execute(
                "SELECT id, entry, bytes FROM comparisons ORDER BY created DESC"
            ).fetchall()
        found = []
        for ident, text, size in rows:
            try:
                entry = json.loads(text)
            except ValueError:
                continue  # a damaged row: not listed (opening it would fail too)
            found.append({**entry, "id": ident, "bytes": size})
        return found

    def path(self, ident: str) -> Path:
        """The comparison's file (what "Download" sends)."""
        path = self.folder / f"{_checked(ident)}.zip"
        if not path.is_file():
            raise InputError(
                f"comparison {ident} is not in the History of {self.store.root} any more "
                "(deleted, or evicted to keep the store under its size cap)."
            )
        return path

    def open(self, ident: str) -> Comparison:
        """The comparison, read and checked like any saved file."""
        comparison = load_comparison(self.path(ident), f"comparison {ident}")
        try:
            with self.store.index.write() as db:
                db.execute(
                    "UPDATE comparisons SET used=? WHERE id=?", (time.time(), ident)
                )
        except sqlite3.Error:
            pass  # a read-only store still opens what it has
        return comparison

    def delete(self, ident: str) -> None:
        with self.store.index.write() as db:
            db.execute("DELETE FROM comparisons WHERE id=?", (_checked(ident),))
        (self.folder / f"{ident}.zip").unlink(missing_ok=True)


def _checked(ident: str) -> str:
    if not ident or not all(c.isalnum() or c == "-" for c in ident):
        raise InputError(
            f"{ident!r} is not a comparison id such as 20261201-101500-a1b2c3."
        )
    return ident


def _signature(comparison: Comparison) -> str:
    """The same data and the same runs (not their order or how they were trained)."""
    runs = sorted(
        json.dumps([name, r.model, r.technique, r.params, r.seed, r.split], default=str)
        for name, column in comparison.runs.items()
        for r in column
        if r.ok
    )
    text = json.dumps([comparison.dataset.get("fingerprint"), runs])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _entry(
    comparison: Comparison,
    results: Mapping[str, Any],
    created: float,
    signature: str,
) -> dict[str, Any]:
    techniques = results["techniques"]
    chosen = (results.get("recommendation") or {}).get("name")
    best = techniques.get(chosen) if chosen else None
    return {
        "created": created,
        "signature": signature,
        "source": comparison.dataset.get("source", ""),
        "fingerprint": comparison.dataset.get("fingerprint", ""),
        "rows": comparison.dataset.get("rows"),
        "techniques": [label(name) for name in techniques],
        "models": list(comparison.config.get("models") or []),
        "seeds": len(comparison.config.get("seeds") or []),
        "operating_point": results["config"]["operating_point"]["description"],
        "best": (
            f"{label(chosen)}: recall {best['recall']:.2f}, precision "
            f"{best['precision']:.2f}, PR-AUC {best['pr_auc']:.3f}"
            if best and best.get("status") == "ok"
            else None
        ),
    }
