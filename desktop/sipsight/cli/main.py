"""The command line: parsing and dispatching the subcommands, one clear line per error.

Each subcommand lives in its own `cmd_*.py` module exposing `add_parser(subparsers)` and `run(args)`; the
module is imported only when needed so `sipsight explain 608` never pays for Qt or httpx. The CLI knows
nothing of the desktop app: `sipsight.launcher` hands it the `gui` command as one more subcommand.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import re
import sys
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import NoReturn

from sipsight import __version__
from sipsight.core.errors import SipsightError

# subcommand -> module; order is the order shown in --help
COMMANDS: dict[str, str] = {
    "triage": "sipsight.cli.cmd_triage",
    "explain": "sipsight.cli.cmd_explain",
    "diagnose": "sipsight.cli.cmd_diagnose",
    "lookup": "sipsight.cli.cmd_lookup",
    "health": "sipsight.cli.cmd_health",
    "summary": "sipsight.cli.cmd_summary",
    "simulate": "sipsight.cli.cmd_simulate",
    "profile": "sipsight.cli.cmd_profile",
    "note": "sipsight.cli.cmd_note",
}

log = logging.getLogger("sipsight")
_DIGIT_GROUPS = re.compile(r":(?: [-+().\d]+)+$")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one clear line and exit 2, as for every usage error
        hint = f"run '{self.prog} --help' for usage"
        if message.startswith("unrecognized arguments:") and _DIGIT_GROUPS.search(message):
            # `sipsight lookup +1 303 555 0199` splits the number into several arguments
            hint = 'a number written with spaces must be in quotes, e.g. "+1 303 555 0199"; ' + hint
        self.exit(2, f"{self.prog}: error: {message}\n({hint})\n")


def build_parser(
    commands: Sequence[str] | None = None, extra: Mapping[str, ModuleType] | None = None
) -> argparse.ArgumentParser:
    """The parser with `commands` (default: all), plus `extra` subcommand modules placed first."""
    parser = _Parser(
        prog="sipsight",
        description="Why are this customer's calls failing, and what do we answer? "
        "Run without a command to open the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"sipsight {__version__}")
    parser.add_argument(
        "--self-test", action="store_true", help="start offscreen, run a demo lookup, exit 0 if it worked"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    extra = extra or {}
    names = list(commands) if commands is not None else [*extra, *COMMANDS]
    for name in names:
        module = extra[name] if name in extra else importlib.import_module(COMMANDS[name])
        module.add_parser(sub)
    return parser


def _tolerant_streams() -> None:
    # Diagnosis texts use typographic quotes and glyphs; a legacy console code page must not turn
    # them into a UnicodeEncodeError halfway through a report.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def main(
    argv: Sequence[str] | None = None,
    *,
    extra: Mapping[str, ModuleType] | None = None,
    default: str | None = None,
) -> int:
    """Run one subcommand. `extra`: subcommands from outside the CLI (the launcher's `gui`); `default`: the
    subcommand to run when none is named (its options may follow)."""
    _tolerant_streams()
    # Warnings go to the masked log file; without a handler Python would print them raw on stderr,
    # next to the one clear line each command prints itself.
    from sipsight.core.crash import setup_logging

    setup_logging(logging.WARNING)
    args_list = list(sys.argv[1:] if argv is None else argv)
    extra = extra or {}
    first = next((a for a in args_list if not a.startswith("-")), None)
    if default and (not args_list or (first is None and not {"-h", "--help", "--version"} & set(args_list))):
        args_list = [default, *args_list]
        first = default
    known = first in COMMANDS or first in extra
    parser = build_parser([first] if known and first is not None else None, extra)
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except SipsightError as err:
        print(f"sipsight: error: {err.one_line()}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("sipsight: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # last resort: never a traceback on the user's terminal
        from sipsight.core.crash import record_crash, where_saved

        print(f"sipsight: unexpected error ({type(err).__name__}); {where_saved(record_crash(err))}", file=sys.stderr)
        return 1
    finally:
        _tell_settings_notes()


def _tell_settings_notes() -> None:
    """A settings file set aside or upgraded while the command ran is said once, whatever the command did."""
    if "sipsight.settings.store" not in sys.modules:  # nothing read the settings: nothing to tell
        return
    from sipsight.settings.store import take_notes

    for note in take_notes():
        print(f"sipsight: note: {note}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
