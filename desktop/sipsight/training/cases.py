"""A scenario as a case to look up, and what presenter mode may show of it.

The training window and `sipsight summary --demo` build the same query and context from a scenario, so a
trainee sees the diagnosis the command line gives. Presenter mode (a projector in a room) masks every
phone number to `+1 303 •••-••99` and replaces the customer's name with "the customer".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import partial

from sipsight.core.lookup.window import DEFAULT_WINDOW, clamp_to_retention, retention_of
from sipsight.core.models import Attempt, DiagnosisContext, Query
from sipsight.core.phone import InvalidNumber, to_e164
from sipsight.core.privacy import mask_presenter, mask_text
from sipsight.core.scenarios import Scenario

CUSTOMER = "the customer"

# Wide on purpose (like core.privacy): a projector that over-masks a date costs nothing, a leaked number does.
_NUMBERISH = re.compile(r"(?<![\w•])\+?\(?\d(?:[\s().\-]{0,2}\d){6,}(?![\w])")


def lookup_window(scenario: Scenario) -> timedelta:
    """How far back to look so every call of the scenario is in the window (7 to 30 days)."""
    minutes = [c.minutes_ago for c in scenario.calls]
    minutes += [s.start_minutes_ago + s.over_hours * 60 for s in scenario.other_calls]
    needed = timedelta(minutes=max(minutes, default=0) + 60)
    return clamp_to_retention(max(needed, DEFAULT_WINDOW), retention_of(scenario.provider)[0])


def scenario_query(scenario: Scenario, now: datetime | None = None) -> Query:
    now = now or datetime.now(UTC)
    return Query(destination=scenario.destination, caller_id=scenario.caller_id, since=now - lookup_window(scenario))


def scenario_context(scenario: Scenario, now: datetime | None = None) -> DiagnosisContext:
    """What the customer's message tells the diagnosis (symptoms, codes, 'it worked before'), as in the app."""
    from sipsight.core.intake import parse

    now = now or datetime.now(UTC)
    case = parse(scenario.conversation, now=now)
    # the customer's own words apart from what the pasted text only mentions; the scenario names the customer
    named = scenario.customer_name.strip()
    name = None if named.lower() in ("", "customer", CUSTOMER) else named
    return DiagnosisContext.from_case(case, now=now, customer_name=name)


# --------------------------------------------------------------------------- presenter masking


def mask_numbers(text: str, region: str = "US") -> str:
    """Every phone-number-like run in `text` in the projector-safe form ('+1 303 •••-••99')."""

    def one(match: re.Match[str]) -> str:
        raw = match.group(0)
        try:
            return mask_presenter(to_e164(raw, region))
        except (InvalidNumber, ValueError):
            digits = [c for c in raw if c.isdigit()]
            return "•" * (len(digits) - 2) + "".join(digits[-2:])

    return _NUMBERISH.sub(one, text)


def _name_pattern(name: str) -> re.Pattern[str] | None:
    parts = [p for p in re.split(r"\s+", name.strip()) if len(p) > 1]
    if not parts or name.strip().lower() in ("customer", "the customer"):
        return None
    # the full name first, then each part alone ("Hi Sarah", "Ms Whitfield")
    alternatives = [re.escape(name.strip()), *(re.escape(p) for p in sorted(parts, key=len, reverse=True))]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b(?:'s)?", re.IGNORECASE)


def mask_people(text: str, names: Sequence[str]) -> str:
    """Replace the customer's name (whole or in parts) with 'the customer' ('The customer' starting a sentence)."""
    for name in names:
        pattern = _name_pattern(name)
        if pattern is not None:
            text = pattern.sub(partial(_customer_for, text=text), text)
    return text


def _customer_for(match: re.Match[str], text: str) -> str:
    word = CUSTOMER + ("'s" if match.group(0).lower().endswith("'s") else "")
    before = text[: match.start()].rstrip(" \t")
    starts_sentence = not before or before.endswith(("\n", ".", "!", "?"))
    return word[0].upper() + word[1:] if starts_sentence else word


def presenter_text(text: str, names: Sequence[str] = (), region: str = "US") -> str:
    """What a projector may show of any text: numbers masked, the customer's name replaced, secrets redacted."""
    return mask_text(mask_numbers(mask_people(text, names), region))


def presenter_attempts(attempts: Sequence[Attempt]) -> list[Attempt]:
    """Copies with the numbers masked and the raw provider payload dropped, for the timeline and the table."""
    out = []
    for a in attempts:
        update = {"from_": mask_presenter(a.from_), "to": mask_presenter(a.to), "raw": {}}
        if a.redress_contact:
            update["redress_contact"] = mask_numbers(a.redress_contact)
        out.append(a.model_copy(update=update))
    return out
