"""The documentation names only what exists: every `sipsight ...` command line and `--option` in docs/cli.md
against the real parsers, and every module in docs/architecture.md against the package tree."""

from __future__ import annotations

import argparse
import re

import pytest

import project_paths
from sipsight.launcher import build_parser, command_names

COMMANDS = command_names()

ROOT = project_paths.ROOT
DOCS = ROOT / "docs"
PACKAGE = ROOT / "desktop" / "sipsight"
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> set[str]:
    """Every option string of a parser and of its nested subcommands (`profile add --account-sid`)."""
    found = {s for action in parser._actions for s in action.option_strings}
    for child in _subparsers(parser).values():
        found |= _options(child)
    return found


@pytest.fixture(scope="module")
def parser() -> argparse.ArgumentParser:
    return build_parser()


@pytest.fixture(scope="module")
def cli_doc() -> str:
    return (DOCS / "cli.md").read_text(encoding="utf-8")


def _command_lines(text: str) -> list[str]:
    """`sipsight ...` lines in code blocks and in inline code, comments dropped."""
    lines = []
    for block in FENCE.findall(text):
        lines += [line.split("#")[0].strip() for line in block.splitlines()]
    lines += re.findall(r"`(sipsight [^`]*)`", text)
    # "sipsight lookup: error: ..." shows an error message, not a command to run
    return [line for line in lines if line.startswith("sipsight ") and ": error:" not in line]


def _command_of(line: str, commands: dict[str, argparse.ArgumentParser]) -> tuple[str | None, list[str]]:
    """The subcommand a documented line runs (`sipsight [gui] ...` counts as gui) and the words after it."""
    words = line.split()[1:]
    for i, word in enumerate(words):
        name = word.strip("[]")
        if name in commands:
            return name, words[i + 1 :]
        if name.isupper() or name == "...":  # COMMAND, ...: a placeholder for any subcommand
            return "*", words[i + 1 :]
        if not word.startswith(("-", "[")):
            return word, words[i + 1 :]  # a word that is no command: reported by the caller
    return None, words


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    return {part.split("\n", 1)[0].strip(): part for part in parts[1:]}


@pytest.mark.parametrize("doc", ["docs/cli.md", "README.md"])
def test_documented_command_lines_use_real_subcommands_and_options(parser: argparse.ArgumentParser, doc: str) -> None:
    commands = _subparsers(parser)
    top = {s for action in parser._actions for s in action.option_strings}
    lines = _command_lines((ROOT / doc).read_text(encoding="utf-8"))
    assert len(lines) > 5, "the parser of this test no longer finds the documented command lines"
    problems = []
    for line in lines:
        name, rest = _command_of(line, commands)
        if name is not None and name != "*" and name not in commands:
            problems.append(f"{line!r}: no subcommand {name!r}")
            continue
        if name == "*":
            known = top.union(*(_options(c) for c in commands.values()))
        else:
            known = top | (_options(commands[name]) if name else set())
        if name == "profile" and rest and rest[0] in _subparsers(commands["profile"]):
            known = top | _options(_subparsers(commands["profile"])[rest[0]])
        problems += [f"{line!r}: {opt} does not exist" for opt in OPTION.findall(" ".join(rest)) if opt not in known]
    assert not problems, "\n".join(problems)


def test_every_command_section_documents_only_its_own_options(parser: argparse.ArgumentParser, cli_doc: str) -> None:
    commands = _subparsers(parser)
    sections = _sections(cli_doc)
    assert set(COMMANDS) <= set(sections), f"commands without a section: {set(COMMANDS) - set(sections)}"
    problems = []
    for name in COMMANDS:
        # command lines (fenced, or inline as in "see `sipsight simulate --list`") are checked by the test above;
        # what remains is the tables and the prose, which speak of this command's options
        text = FENCE.sub("", re.sub(r"`sipsight [^`]*`", "", sections[name]))
        known = _options(commands[name]) | {"--help", "--version", "--self-test"}
        problems += [f"## {name}: {opt} does not exist" for opt in sorted(set(OPTION.findall(text)) - known)]
    assert not problems, "\n".join(problems)


def test_every_subcommand_is_documented(parser: argparse.ArgumentParser, cli_doc: str) -> None:
    sections = _sections(cli_doc)
    for name, sub in _subparsers(parser).items():
        documented = set(OPTION.findall(sections.get(name, "")))
        missing = {o for o in _options(sub) if o.startswith("--") and o != "--help"} - documented
        assert not missing, f"## {name} does not mention {sorted(missing)}"


def test_the_checker_catches_a_made_up_option(parser: argparse.ArgumentParser) -> None:
    commands = _subparsers(parser)
    name, _ = _command_of("sipsight lookup +13035550199 --frobnicate", commands)
    assert name == "lookup" and "--frobnicate" not in _options(commands[name])
    assert _command_of("sipsight frobnicate --demo", commands)[0] == "frobnicate"


# --------------------------------------------------------------------------- architecture


def _tree_block() -> str:
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    block = next((b for b in FENCE.findall(text) if b.startswith("desktop/sipsight/")), None)
    assert block is not None, "docs/architecture.md lost its module tree"
    return block


def _named_modules() -> list[str]:
    """Paths under desktop/sipsight/ that the tree names: `dir/` lines set the folder of the names below them."""
    folders: list[tuple[int, str]] = []
    named: list[str] = []
    for line in _tree_block().splitlines()[1:]:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        first = line.split()[0]
        folders = [(i, f) for i, f in folders if i < indent]
        if first == "resources/":
            break
        if first.endswith("/"):  # a folder line: its description names modules in it
            folders.append((indent, first))
            named.append("".join(f for _, f in folders))
            names = line
        else:  # a module line: the name column ends at the first double space
            names = line.strip().split("  ")[0]
        base = "".join(f for _, f in folders)
        named += [base + name for name in re.findall(r"\b[a-z_0-9]+\.py\b", names)]
    return named


def test_architecture_names_only_modules_that_exist() -> None:
    named = _named_modules()
    assert len(named) > 60
    missing = [path for path in named if not (PACKAGE / path).exists()]
    assert not missing, f"docs/architecture.md names modules that do not exist: {missing}"


def test_architecture_lists_every_qt_free_module() -> None:
    named = set(_named_modules())
    skip = {"__init__.py"}
    actual = {
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if p.name not in skip and not p.relative_to(PACKAGE).as_posix().startswith(("gui/", "cli/"))
    }
    assert not actual - named, f"modules missing from docs/architecture.md: {sorted(actual - named)}"


def test_architecture_dotted_names_exist() -> None:
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    for dotted in set(re.findall(r"`(sipsight(?:\.[a-z_]+)+)`", text)):
        path = PACKAGE.parent / dotted.replace(".", "/")
        resource = ROOT / dotted.split(".", 1)[1].replace(".", "/")  # sipsight.resources ships resources/
        assert path.with_suffix(".py").exists() or path.is_dir() or resource.is_dir(), dotted
