"""The one error type users see: what is wrong and what to do, in one line."""


class InputError(ValueError):
    """Bad data, a bad option or a bad hyperparameter.

    The message is a single sentence meant for the user; the UI shows it with
    ``st.error`` and the CLI prints it as ``error: ...`` and exits with 2.
    """
