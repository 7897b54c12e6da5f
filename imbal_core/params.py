"""Hyperparameters as the UI, the CLI and the results show them.

Techniques (:mod:`imbal_core.techniques`) and models (:mod:`imbal_core.models`)
declare theirs with these; nothing here imports a learning library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from imbal_core.errors import InputError


@dataclass(frozen=True)
class Param:
    """A hyperparameter as the UI and CLI show it: name, default, closed range, help."""

    name: str
    default: float
    low: float
    high: float
    help: str
    integer: bool = False

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()

    def range_text(self) -> str:
        """ "1..50, default 5" as help texts show it."""
        if self.integer:
            return f"{int(self.low)}..{int(self.high)}, default {int(self.default)}"
        return f"{self.low:g}..{self.high:g}, default {self.default:g}"

    def check(self, value: Any) -> float | int:
        """The value as the right type, or :class:`InputError` if it is out of range."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError(f"{self.name} must be a number, got {value!r}.") from None
        if self.integer and number != int(number):
            raise InputError(f"{self.name} must be a whole number, got {value!r}.")
        if not (self.low <= number <= self.high):
            low, high = (
                (int(self.low), int(self.high))
                if self.integer
                else (self.low, self.high)
            )
            raise InputError(
                f"{self.name} must be between {low} and {high}, got {value!r}."
            )
        return int(number) if self.integer else number

    @staticmethod
    def show(value: Any) -> str:
        """A value as labels and captions write it: 0.25, 10, and a shape 128,64,32
        as 128-64-32 (no comma, so it fits in a variant's name)."""
        return (
            f"{value:g}" if isinstance(value, float) else str(value).replace(",", "-")
        )


@dataclass(frozen=True)
class LayersParam(Param):
    """The hidden layers' widths as text, "128,64,32" (first layer first).

    Text, not a tuple, so it is one hashable value in cache keys and one JSON string
    in results; each width lies in ``low..high``, at most ``MOST`` layers."""

    MOST = 8

    def range_text(self) -> str:
        return (
            f"comma-separated widths {int(self.low)}..{int(self.high)}, at most "
            f"{self.MOST} layers, default {self.default}"
        )

    def check(self, value: Any) -> str:
        text = (
            ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        )
        pieces = [p.strip() for p in text.split(",") if p.strip()]
        try:
            widths = [int(p) for p in pieces]
        except ValueError:
            widths = []
        if not (0 < len(widths) <= self.MOST) or not all(
            self.low <= w <= self.high for w in widths
        ):
            raise InputError(
                f"{self.name} must be comma-separated layer widths such as 128,64,32 "
                f"(each {int(self.low)} to {int(self.high)}, at most {self.MOST} "
                f"layers), got {value!r}."
            )
        return ",".join(map(str, widths))

    def widths(self, value: Any) -> tuple[int, ...]:
        return tuple(int(w) for w in self.check(value).split(","))
