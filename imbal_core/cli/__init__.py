"""``python -m imbal_core``: the dashboard's work, headless, for scripts and benchmarks.

Exit codes: 0 success (a failed technique is reported in its status, not by the
exit code), 1 when no technique trained at all, 2 bad input or options, with one
``error: ...`` line on stderr.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Sequence

from imbal_core.cli._commands import (
    demo_data,
    history,
    list_techniques,
    report,
    train,
)
from imbal_core.cli._parser import build_parser
from imbal_core.errors import InputError, first_line

WHERE = {
    "target": "with --target",
    "positive": "with --positive",
    "time_column": "with --time-column",
    "techniques": "in --techniques",
    "suite": "with --suite",
    "folds": "with --cv",
    "repeats": "with --repeats",
}
"""Where an engine message's fix is made on the command line."""
OUT_OF_MEMORY = "out of memory; try fewer rows, fewer workers or a smaller batch"
FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}  # the disk (or a quota) is full


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "demo-data":
            return demo_data(args)
        if args.command == "report":
            return report(args)
        if args.command == "techniques":
            return list_techniques()
        if args.command == "history":
            return history(args)
        if args.command == "benchmark":
            from imbal_core.cli._benchmark import benchmark

            return benchmark(args)
        return train(args)
    except InputError as exc:
        print(f"error: {exc.told(WHERE)}", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"error: {OUT_OF_MEMORY}", file=sys.stderr)
        return 1
    except ImportError as exc:  # a library that cannot map its code: memory again
        if "failed to map" not in str(exc) and "allocate" not in str(exc):
            raise
        print(f"error: {OUT_OF_MEMORY} ({first_line(exc, 100)})", file=sys.stderr)
        return 1
    except OSError as exc:
        if exc.errno in FULL and exc.filename:
            print(
                f"error: cannot write {exc.filename}: {exc.strerror}; free disk space "
                "or write it elsewhere.",
                file=sys.stderr,
            )
            return 2
        print(
            f"error: {first_line(exc, 10_000) or type(exc).__name__}", file=sys.stderr
        )
        return 2
    except ValueError as exc:
        print(
            f"error: {first_line(exc, 10_000) or type(exc).__name__}", file=sys.stderr
        )
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: still one line, never a traceback
        print(
            f"error: unexpected {type(exc).__name__}: {first_line(exc)}; please report it with the command you ran",
            file=sys.stderr,
        )
        return 1


__all__ = ["WHERE", "build_parser", "main"]
