"""The one way to read packaged data under `resources/` (shipped as `sipsight.resources`).

Going through importlib.resources keeps a non-editable wheel, an editable checkout and a
PyInstaller bundle working alike, from any current directory.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

_PACKAGE = "sipsight.resources"


def resource(*parts: str) -> Traversable:
    """A file or folder under resources/, e.g. resource("knowledge", "sip.yaml")."""
    node = resources.files(_PACKAGE)
    for part in parts:
        node = node.joinpath(part)
    return node


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")


def read_bytes(*parts: str) -> bytes:
    return resource(*parts).read_bytes()


def list_dir(*parts: str, suffixes: tuple[str, ...] = (".yaml", ".yml")) -> list[Traversable]:
    """Files in a resources folder with one of `suffixes`, sorted by name."""
    folder = resource(*parts)
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.is_file() and f.name.endswith(suffixes)), key=lambda f: f.name)


# Any: parsed YAML has whatever shape the file has; each caller validates it into its own model.
def load_yaml_text(text: str) -> Any:
    import yaml  # imported on first use: the window's stylesheet and first paint do not need it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader, chosen above


@cache
def load_yaml(*parts: str) -> Any:
    """Parsed YAML of a packaged resource; cached because packaged data never changes at run time."""
    return load_yaml_text(read_text(*parts))
