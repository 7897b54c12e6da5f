"""The one error type users see: what is wrong and what to do, in one line."""

from __future__ import annotations

from collections.abc import Mapping


class InputError(ValueError):
    """Bad data, a bad option or a bad hyperparameter.

    The message is a single sentence meant for the user; the UI shows it with
    ``st.error`` and the CLI prints it as ``error: ...`` and exits with 2.

    The engine speaks of the data, never of a flag or a widget. When the fix is
    to change one setting, ``option`` names it (``"target"``, ``"positive"``, …)
    and the message ends in what to do without saying where ("choose the
    positive one"); each caller says where in its own terms (:meth:`told`).
    """

    def __init__(self, message: str, option: str | None = None):
        self.option = option
        self.message = message.rstrip(".") if option else message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message + ("." if self.option else "")

    def told(self, where: Mapping[str, str]) -> str:
        """The message with where to make the change, from a caller's ``{option:
        "with --target"}``; the plain message when the option is not there."""
        place = where.get(self.option or "")
        return f"{self.message} {place}." if place else str(self)


def first_line(exc: BaseException, limit: int = 200) -> str:
    """An exception's first non-empty line, cut to ``limit`` characters ('' if none).

    The one rule for showing an unexpected error in one line, in the CLI, the UI
    and a failed run's reason.
    """
    text = str(exc).strip()
    return text.splitlines()[0][:limit] if text else ""


CANCELLED = "cancelled before it finished"  # a cancelled run's error


class Cancelled(Exception):
    """Raised inside a run (between epochs) when the user cancelled the comparison."""
