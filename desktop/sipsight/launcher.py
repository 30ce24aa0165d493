"""The `sipsight` command: the desktop app by default, the CLI's subcommands beside it.

The one module that knows both faces: it gives the CLI the desktop app's `gui` subcommand (so `sipsight
--help` lists it and plain `sipsight` opens the window) and runs the offscreen self-test of an install.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser(commands: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line: the `gui` subcommand, then the CLI's (or only `commands`)."""
    from sipsight.cli.main import build_parser as cli_parser
    from sipsight.gui import command as gui_command

    return cli_parser(commands, {"gui": gui_command})


def command_names() -> list[str]:
    from sipsight.cli.main import COMMANDS

    return ["gui", *COMMANDS]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--self-test" in args:
        from sipsight.selftest import run_self_test

        return run_self_test()
    from sipsight.cli.main import main as cli_main
    from sipsight.gui import command as gui_command  # argparse only: Qt loads when the window opens

    return cli_main(args, extra={"gui": gui_command}, default="gui")


if __name__ == "__main__":
    sys.exit(main())
