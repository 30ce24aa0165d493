"""Packaged YAML read into a pydantic model, with one clear error (file, field, reason) when it does not fit."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from sipsight.core.errors import SipsightError
from sipsight.core.resources import load_yaml

M = TypeVar("M", bound=BaseModel)


def validate_model(model: type[M], data: object, where: str, error: type[SipsightError], hint: str) -> M:
    """Parsed YAML validated as `model`; a misfit raises `error` naming `where` (the file) and its first bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        # the first error is enough to fix the file; a list of 40 derived ones would bury it
        first = err.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise error(f"{where} is invalid at {field}: {first['msg']}", hint) from None


def load_model(model: type[M], folder: str, name: str, error: type[SipsightError], hint: str) -> M:
    """resources/<folder>/<name> validated as `model`; a broken file raises `error` naming its first bad field."""
    return validate_model(model, load_yaml(folder, name), f"resources/{folder}/{name}", error, hint)
