"""What every simulated endpoint shares: the request as an endpoint reads it, Twilio's error answer, Twilio's
paging (v2010 and v1 list envelopes), and the time and number filters of its list endpoints."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import partial
from typing import Any
from urllib.parse import urlencode

from sipsight.simulator.calls import SimCall

Answer = tuple[int, Any]  # (HTTP status, JSON body)


class RawJson(str):
    """A list item already serialized as JSON text, with the key paging reads (its SID): the scenario's records
    never change while it is served, so each is serialized once, not once per request (a 1,000-call page would
    otherwise cost the simulator more time than the client, on the same machine)."""

    key: str

    def __new__(cls, data: dict[str, Any], key: str) -> RawJson:
        item = super().__new__(cls, json.dumps(data))
        item.key = key
        return item


def dumps(body: Any) -> str:
    """The JSON text of an answer whose lists may hold RawJson items (spliced in as they are)."""
    if not isinstance(body, dict):
        return json.dumps(body)
    parts = []
    for key, value in body.items():
        if isinstance(value, list) and value and all(isinstance(v, RawJson) for v in value):
            text = "[" + ", ".join(value) + "]"
        else:
            text = json.dumps(value)
        parts.append(f"{json.dumps(key)}: {text}")
    return "{" + ", ".join(parts) + "}"


@dataclass(frozen=True)
class Request:
    """What every endpoint reads of a request: the query (as a dict and as received) and the `empty` fault."""

    params: dict[str, str]
    pairs: list[tuple[str, str]]
    empty: bool = False  # list endpoints answer an empty page
    base_url: str = ""  # the origin the client asked for (its Host header): absolute links point there


class HttpError(Exception):
    """An error answer with Twilio's body ({code, message, more_info, status}) and any extra headers."""

    def __init__(self, status: int, code: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


_ERRORS = {
    401: (20003, "Authenticate"),
    403: (20403, "Forbidden"),
    404: (20404, "The requested resource was not found"),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}


def http_error(status: int, message: str | None = None, headers: dict[str, str] | None = None) -> HttpError:
    """Twilio's error for `status`, with its own code and default message."""
    code, default = _ERRORS[status]
    return HttpError(status, code, message or default, headers)


# --------------------------------------------------------------------------- filters


def parse_time(value: str) -> tuple[datetime, bool] | None:
    """(instant, date_only) for the forms Twilio accepts: YYYY-MM-DD, ISO 8601, RFC 2822."""
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.fromisoformat(text).replace(tzinfo=UTC), True
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return (parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)), False


def _on_day(day: date, t: datetime) -> bool:
    return t.date() == day


def _on_or_after(instant: datetime, t: datetime) -> bool:
    return t >= instant


def _on_or_before(instant: datetime, t: datetime) -> bool:
    return t <= instant


def time_filter(
    params: dict[str, str], name: str, value_of: Callable[[SimCall], datetime | None]
) -> Callable[[SimCall], bool]:
    """Twilio's `Name`, `Name<` and `Name>` filters on start_time or end_time."""
    checks: list[Callable[[datetime], bool]] = []
    for suffix in ("", "<", ">"):
        raw = params.get(name + suffix)
        if raw is None or raw == "":
            continue
        parsed = parse_time(raw)
        if parsed is None:
            raise HttpError(400, 20001, f"Invalid value '{raw}' for {name}{suffix}: use YYYY-MM-DD or ISO 8601")
        instant, _date_only = parsed
        if suffix == "":
            checks.append(partial(_on_day, instant.date()))
        elif suffix == ">":  # on or after
            checks.append(partial(_on_or_after, instant))
        else:  # "on or before": a date means its midnight
            checks.append(partial(_on_or_before, instant))

    def keep(call: SimCall) -> bool:
        value = value_of(call)
        if not checks:
            return True
        return value is not None and all(check(value) for check in checks)

    return keep


def plus(value: str | None) -> str | None:
    # An unencoded '+' arrives as a space; Twilio numbers always start with '+'.
    if value and value.startswith(" ") and value[1:].strip().isdigit():
        return "+" + value[1:].strip()
    return value


def number_filter(params: dict[str, str]) -> Callable[[SimCall], bool]:
    """Twilio's `To` and `From` filters (exact E.164 match), shared by Calls and Voice Insights."""
    to, from_ = plus(params.get("To")), plus(params.get("From"))
    return lambda c: (not to or c.to == to) and (not from_ or c.from_ == from_)


# --------------------------------------------------------------------------- paging


def page(items: list[Any], req: Request, key_of: Callable[[Any], str]) -> tuple[list[Any], dict[str, Any]]:
    """Twilio paging: PageSize (1-1000, default 50), Page, PageToken (PA<sid> after, PB<sid> before)."""
    params = req.params
    try:
        size = int(params.get("PageSize") or 50)
        page_no = int(params.get("Page") or 0)
    except ValueError:
        raise HttpError(400, 20001, "PageSize and Page must be integers") from None
    if not 1 <= size <= 1000 or page_no < 0:
        raise HttpError(400, 20001, "PageSize must be between 1 and 1000 and Page at least 0")
    if req.empty:
        items = []
    token = params.get("PageToken") or ""
    keys = [key_of(item) for item in items]
    if token[:2] == "PA" and token[2:] in keys:
        start = keys.index(token[2:]) + 1
    elif token[:2] == "PB" and token[2:] in keys:
        start = max(0, keys.index(token[2:]) - size)
    else:
        start = page_no * size
    chunk = items[start : start + size]
    filters = [(k, v) for k, v in req.pairs if k not in ("PageSize", "Page", "PageToken")]

    def query(number: int, page_token: str | None) -> str:
        extra = [("PageSize", str(size)), ("Page", str(number))]
        if page_token:
            extra.append(("PageToken", page_token))
        return urlencode(filters + extra)

    meta = {
        "page": page_no,
        "page_size": size,
        "start": start,
        "end": start + len(chunk) - 1 if chunk else start,
        "uri": query(page_no, token or None),
        "first": query(0, None),
        "next": query(page_no + 1, "PA" + key_of(chunk[-1])) if chunk and start + size < len(items) else None,
        "previous": query(max(page_no - 1, 0), "PB" + key_of(chunk[0])) if chunk and start > 0 else None,
    }
    return chunk, meta


def v2010_list(key: str, path: str, items: list[Any], req: Request, key_of: Callable[[Any], str]) -> Answer:
    """A v2010 list page: relative URIs beside the items."""
    chunk, meta = page(items, req, key_of)
    return 200, {
        key: chunk,
        "end": meta["end"],
        "first_page_uri": f"{path}?{meta['first']}",
        "next_page_uri": f"{path}?{meta['next']}" if meta["next"] else None,
        "page": meta["page"],
        "page_size": meta["page_size"],
        "previous_page_uri": f"{path}?{meta['previous']}" if meta["previous"] else None,
        "start": meta["start"],
        "uri": f"{path}?{meta['uri']}",
    }


def v1_list(
    key: str, base_url: str, path: str, items: list[Any], req: Request, key_of: Callable[[Any], str]
) -> Answer:
    """A v1 list page (Voice Insights, Monitor): absolute URLs under `meta`."""
    chunk, meta = page(items, req, key_of)
    url = f"{base_url}{path}?"
    return 200, {
        key: chunk,
        "meta": {
            "first_page_url": url + meta["first"],
            "key": key,
            "next_page_url": url + meta["next"] if meta["next"] else None,
            "page": meta["page"],
            "page_size": meta["page_size"],
            "previous_page_url": url + meta["previous"] if meta["previous"] else None,
            "url": url + meta["uri"],
        },
    }


# API v2010's call status enum (call_enum_status), the values its Status filter takes
CALL_STATUSES = ("queued", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled")


def enum_param(params: dict[str, str], name: str, allowed: tuple[str, ...]) -> str | None:
    """A filter whose value must be one of `allowed`: Twilio answers 400 (code 20001) for anything else."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if value not in allowed:
        raise HttpError(400, 20001, f"Invalid {name} '{value}': must be one of {', '.join(allowed)}")
    return value
