"""Compare class-imbalance techniques for a Keras MLP on binary tabular data.

The engine behind the Streamlit dashboard and ``python -m imbal_core``; it never
imports streamlit.
"""

import os

# Before TensorFlow loads anywhere: keep its C++ info, warnings and CPU-only "errors" off the CLI and logs.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from imbal_core.errors import InputError  # noqa: E402

__all__ = ["InputError", "package_versions"]
__version__ = "0.1.0"


def package_versions(*packages: str) -> dict[str, str | None]:
    """Installed versions of ``packages`` (None where one is missing): what a saved
    comparison and a benchmark record about the software they ran on."""
    from importlib import metadata

    found: dict[str, str | None] = {}
    for package in packages:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    return found
