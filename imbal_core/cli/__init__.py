"""``python -m imbal_core``: the dashboard's work, headless, for scripts and benchmarks.

Exit codes: 0 success (a failed technique is reported in its status, not by the
exit code), 1 when no technique trained at all, 2 bad input or options, with one
``error: ...`` line on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from imbal_core.cli._commands import demo_data, report, train
from imbal_core.cli._parser import build_parser
from imbal_core.errors import InputError, first_line

WHERE = {
    "target": "with --target",
    "positive": "with --positive",
    "time_column": "with --time-column",
}
"""Where an engine message's fix is made on the command line."""


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "demo-data":
            return demo_data(args)
        if args.command == "report":
            return report(args)
        return train(args)
    except InputError as exc:
        print(f"error: {exc.told(WHERE)}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
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
