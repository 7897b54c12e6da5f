"""The one error type users see: what is wrong and what to do, in one line."""


class InputError(ValueError):
    """Bad data, a bad option or a bad hyperparameter.

    The message is a single sentence meant for the user; the UI shows it with
    ``st.error`` and the CLI prints it as ``error: ...`` and exits with 2.
    """


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
