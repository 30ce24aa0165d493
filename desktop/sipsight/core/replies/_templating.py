"""A deliberately tiny template language for the team lead's reply templates.

Why not str.format or Jinja: str.format reaches into attributes (`{x.__class__}`) and Jinja is a
programming language; a team lead editing YAML needs neither. The whole syntax:

- `{name}`: a placeholder, filled with plain text (letters, digits and `_` only in the name);
- `{{` and `}}`: literal braces;
- `[[ ... ]]`: an optional part, dropped when any placeholder inside it is empty
  (e.g. `[[ Their carrier is {carrier}. ]]`). Optional parts do not nest.
- `[[?claim ... ]]` / `[[!claim ... ]]`: a part kept only when the named claim of the statistics holds (does not
  hold), and its placeholders are not empty (e.g. `[[?others_fine ... your line itself looks fine.]]`): a word
  such as "normally" reaches a customer only when the numbers say so.

Templates are parsed once at load, so an unknown placeholder or a stray brace is reported
with its position before any reply is rendered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_CONDITION = re.compile(r"([?!])([A-Za-z_][A-Za-z0-9_]*)(?=\s)")


class TemplateSyntaxError(ValueError):
    """A template that cannot be parsed; the message says where and why."""


@dataclass(frozen=True)
class _Text:
    text: str


@dataclass(frozen=True)
class _Slot:
    name: str


@dataclass(frozen=True)
class _Optional:
    parts: tuple[_Text | _Slot, ...]
    flag: str | None = None  # a claim the part needs (or, with `negated`, must not hold)
    negated: bool = False


class Template:
    """A parsed template; `render(values)` never evaluates anything, it only substitutes text."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._parts = _parse(source)

    @property
    def placeholders(self) -> set[str]:
        names: set[str] = set()
        for part in self._parts:
            if isinstance(part, _Slot):
                names.add(part.name)
            elif isinstance(part, _Optional):
                names.update(p.name for p in part.parts if isinstance(p, _Slot))
        return names

    @property
    def unguarded(self) -> set[str]:
        """Placeholders used outside an optional part (an empty value there leaves a hole in the text)."""
        return {p.name for p in self._parts if isinstance(p, _Slot)}

    @property
    def flags(self) -> set[str]:
        """The claims the template's conditional parts name."""
        return {p.flag for p in self._parts if isinstance(p, _Optional) and p.flag is not None}

    def check(self, allowed: Iterable[str]) -> list[str]:
        """The placeholders this template uses that are not in `allowed` (sorted)."""
        return sorted(self.placeholders - set(allowed))

    def render(self, values: Mapping[str, object], flags: Mapping[str, bool] | None = None) -> str:
        """The text with `values` filled in; a conditional part is kept when its claim in `flags` holds (an unknown
        claim never holds)."""
        out: list[str] = []
        for part in self._parts:
            if isinstance(part, _Text):
                out.append(part.text)
            elif isinstance(part, _Slot):
                out.append(_value(values, part.name))
            else:
                if part.flag is not None and bool((flags or {}).get(part.flag, False)) is part.negated:
                    continue
                pieces = []
                for inner in part.parts:
                    if isinstance(inner, _Text):
                        pieces.append(inner.text)
                        continue
                    value = _value(values, inner.name)
                    if not value:
                        pieces = []
                        break
                    pieces.append(value)
                out.extend(pieces)
        return _tidy("".join(out))


def _value(values: Mapping[str, object], name: str) -> str:
    value = values.get(name)
    return "" if value is None else str(value)


def _tidy(text: str) -> str:
    """Collapse the double spaces a dropped optional part leaves behind; keep paragraph breaks."""
    lines = [re.sub(r"[ \t]{2,}", " ", line).rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r" +([.,;:!?])", r"\1", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _parse(source: str) -> tuple[_Text | _Slot | _Optional, ...]:
    if not isinstance(source, str):
        raise TemplateSyntaxError("a template must be text")
    parts: list[_Text | _Slot | _Optional] = []
    current: list[_Text | _Slot] = []
    in_optional = False
    flag: str | None = None
    negated = False
    buf: list[str] = []
    i = 0
    n = len(source)

    def flush() -> None:
        if buf:
            current.append(_Text("".join(buf)))
            buf.clear()

    while i < n:
        pair = source[i : i + 2]
        ch = source[i]
        if pair in ("{{", "}}"):
            buf.append(ch)
            i += 2
        elif pair == "[[":
            if in_optional:
                raise TemplateSyntaxError(f"optional parts '[[ ]]' cannot nest (at character {i + 1})")
            flush()
            parts.extend(current)
            current = []
            in_optional = True
            i += 2
            flag, negated = None, False
            if i < n and source[i] in "?!":
                match = _CONDITION.match(source, i)
                if match is None:
                    raise TemplateSyntaxError(
                        f"'[[{source[i]}' at character {i - 1} needs a claim name and a space ('[[?others_fine ...]]')"
                    )
                flag, negated = match.group(2), match.group(1) == "!"
                i = match.end()
        elif pair == "]]" and in_optional:
            flush()
            parts.append(_Optional(tuple(current), flag, negated))
            current = []
            in_optional = False
            i += 2
        elif ch == "{":
            end = source.find("}", i + 1)
            if end < 0:
                raise TemplateSyntaxError(f"'{{' at character {i + 1} is never closed (write '{{{{' for a brace)")
            name = source[i + 1 : end].strip()
            if not _NAME.match(name):
                raise TemplateSyntaxError(
                    f"'{{{source[i + 1 : end]}}}' at character {i + 1} is not a placeholder name "
                    "(letters, digits and _ only)"
                )
            flush()
            current.append(_Slot(name))
            i = end + 1
        elif ch == "}":
            raise TemplateSyntaxError(f"'}}' at character {i + 1} has no opening '{{' (write '}}}}' for a brace)")
        else:
            buf.append(ch)
            i += 1
    if in_optional:
        raise TemplateSyntaxError("an optional part '[[' is never closed with ']]'")
    flush()
    parts.extend(current)
    return tuple(parts)
