"""An Intercom inbox link -> the conversation it points to: its id (kept as text), the region and API base of its
workspace, the workspace id and the part a `#part_id=` fragment names. Every shape of the reference (§1), and a
clear InputError for anything else: another site, a look-alike host, a user name in the link, no conversation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from sipsight.core.errors import InputError
from sipsight.inbox.data import REGIONS, intercom_data

MAX_LINK = 2048
_BARE_ID = re.compile(r"^\d{1,30}$")
_WRAPPERS = "<>\"'`()[]"
_TRAILING = ".,;:!?"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+-]*):(?!\d)")  # a scheme (no dots), not a host and its port
LINK_HINT = ("Copy the link from the Intercom inbox (it looks like https://app.intercom.com/a/inbox/WORKSPACE/"
             "inbox/shared/all/conversation/ID), or give the conversation id.")


@dataclass(frozen=True)
class InboxLink:
    """Where a pasted link points: `conversation_id` (digits, as text), `region` (us, eu, au), `api_base` (the REST
    base of that region), `workspace_id` and `part_id` when the link names them, and the link as given."""

    conversation_id: str
    region: str
    api_base: str
    workspace_id: str | None = None
    part_id: str | None = None
    url: str = ""


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    links = intercom_data().links
    return re.compile(links.conversation), re.compile(links.workspace), re.compile(links.part)


def api_base(region: str) -> str:
    """The REST base of a region ('us', 'eu', 'au')."""
    bases = intercom_data().links.api_bases
    key = region.strip().lower()
    if key not in bases:
        raise InputError(f"'{region}' is not an Intercom region.", f"Use one of {', '.join(REGIONS)}.")
    return bases[key]


def _clean(text: str) -> str:
    link = text.strip().rstrip(_TRAILING)
    while len(link) > 1 and link[0] in _WRAPPERS and link[-1] in _WRAPPERS:  # <https://...>, "...", (...).
        link = link[1:-1].strip().rstrip(_TRAILING)
    return link


def parse_link(text: str, *, default_region: str = "us") -> InboxLink:
    """The conversation an Intercom link (or a bare conversation id, read in `default_region`) points to."""
    if not isinstance(text, str) or not text.strip():
        raise InputError("No Intercom link was given.", LINK_HINT)
    if len(text) > MAX_LINK:
        raise InputError(f"That is {len(text):,} characters long; an Intercom link is far shorter.", LINK_HINT)
    link = _clean(text)
    if _BARE_ID.match(link):
        return InboxLink(conversation_id=link, region=default_region, api_base=api_base(default_region), url=link)
    if _CONTROL.search(link) or any(c.isspace() for c in link):
        raise InputError("That is not one link: it holds spaces or control characters.", LINK_HINT)
    scheme = _SCHEME.match(link)
    if scheme and scheme.group(1).lower() not in ("http", "https"):  # javascript:, mailto:, data: ...
        raise InputError(f"'{link[:120]}' is not a web link (http:// or https://).", LINK_HINT)
    full = link if "://" in link else f"https://{link}"
    try:
        parts = urlsplit(full)
        port = parts.port
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        raise InputError("That is not a valid link.", LINK_HINT) from None
    shown = link if len(link) <= 120 else link[:117] + "..."
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"'{shown}' is not a web link (http:// or https://).", LINK_HINT)
    region = intercom_data().links.app_hosts.get(host)
    if region is None:
        raise InputError(f"'{shown}' is not an Intercom inbox link (its host is {host or 'missing'}).", LINK_HINT)
    if parts.username is not None or parts.password is not None or port not in (None, 443, 80):
        raise InputError(f"'{shown}' is not a plain Intercom inbox link (it carries a user name or a port).",
                         LINK_HINT)
    conversation, workspace, part = _patterns()
    found = list(conversation.finditer(parts.path))
    if not found:
        raise InputError(f"'{shown}' is an Intercom link, but not to a conversation.", LINK_HINT)
    ids = {m.group("id") for m in found}
    if len(ids) > 1:
        raise InputError(f"'{shown}' names more than one conversation ({', '.join(sorted(ids))}).", LINK_HINT)
    conversation_id = found[-1].group("id")
    ws = workspace.match(parts.path)
    part_id = None
    fragment = part.match(parts.fragment or "")
    if fragment and fragment.group("conversation") == conversation_id:
        part_id = fragment.group("part")
    return InboxLink(
        conversation_id=conversation_id,
        region=region,
        api_base=api_base(region),
        workspace_id=ws.group("workspace") if ws else None,
        part_id=part_id,
        url=link,
    )
