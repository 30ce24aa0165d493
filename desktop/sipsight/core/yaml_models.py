"""Packaged YAML read into a pydantic model, with one clear error (file, field, reason) when it does not fit."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from sipsight.core.errors import SipsightError
from sipsight.core.resources import load_yaml

M = TypeVar("M", bound=BaseModel)


def load_model(model: type[M], folder: str, name: str, error: type[SipsightError], hint: str) -> M:
    """resources/<folder>/<name> validated as `model`; a broken file raises `error` naming its first bad field."""
    try:
        return model.model_validate(load_yaml(folder, name))
    except ValidationError as err:
        # the first error is enough to fix the file; a list of 40 derived ones would bury it
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise error(f"resources/{folder}/{name} is invalid at {where}: {first['msg']}", hint) from None
