"""SIPSight's internal note on an Intercom conversation: its text (the lookup's internal note, or what the
conversation alone tells), its HTML body, and the marker that lets SIPSight find it again.

The marker is a line of words ("— SIPSight note sn-1a2b3c4d5e"), not markup: Intercom keeps a note's text but
sanitises its HTML, so an HTML comment or a data attribute would not come back. On the next fetch a note carrying the
marker is an `ExistingNote`. Intercom's API cannot edit or delete a conversation part ([SPEC] has no such operation),
so "updating" a note posts a new one that says which note it supersedes, after the agent confirms."""

from __future__ import annotations

import html
import re
import secrets
from datetime import datetime
from functools import cache

from sipsight.core.models import AuthorKind, LookupResult
from sipsight.inbox.data import intercom_data
from sipsight.inbox.models import ExistingNote, InboxCase, InboxMessage

MAX_NOTE_CHARS = 20_000


def new_note_id() -> str:
    """A fresh note id ("sn-" and 10 hex digits): each posted note is told apart by it."""
    return "sn-" + secrets.token_hex(5)


def marker(note_id: str) -> str:
    return intercom_data().note.marker.format(id=note_id)


@cache
def _pattern() -> re.Pattern[str]:
    return re.compile(intercom_data().note.pattern)


def note_id_in(text: str) -> str | None:
    """The id of the SIPSight note whose marker `text` carries, if any (the last marker: a superseding note names
    the one it supersedes first)."""
    found = _pattern().findall(text or "")
    return found[-1] if found else None


def find_notes(messages: list[InboxMessage]) -> list[ExistingNote]:
    """SIPSight's notes on the conversation, oldest first: internal notes by teammates that carry the marker."""
    notes = []
    for message in messages:
        if not message.note or message.author is not AuthorKind.AGENT:
            continue
        note_id = note_id_in(message.text)
        if note_id:
            notes.append(ExistingNote(note_id=note_id, part_id=message.part_id, author=message.name,
                                      created_at=message.created_at, text=message.text))
    return notes


def compose_note(case: InboxCase, result: LookupResult | None, *, lookup_needed: str | None = None) -> str:
    """The note's text: the lookup's internal note when there was one, then where the caller ID came from; without
    call data, what the conversation tells and what lookup is needed."""
    lines: list[str] = []
    if result is not None and result.replies.internal_note.strip():
        lines.append(result.replies.internal_note.strip())
    else:
        from sipsight.core.diagnosis import hypothesize  # the offline triage: what the customer's words suggest

        guess = hypothesize(case.case)
        lines.append(f"SIPSight read this conversation. {guess.headline}")
        said = [s.label for s in case.case.customer_symptoms]
        if said:
            lines.append("The customer reports: " + "; ".join(dict.fromkeys(said)) + ".")
        if lookup_needed:
            lines.append(lookup_needed)
    sources = [c for c in case.caller_ids if c.e164 or c.subaccount_sid]
    if sources:
        lines.append("Caller ID candidates:\n" + "\n".join(
            f"- {c.e164 or c.subaccount_sid}: {c.source}" + (f" ({c.caveat})" if c.caveat else "") for c in sources))
    return "\n\n".join(lines)


def note_html(text: str, note_id: str, supersedes: ExistingNote | None = None) -> str:
    """The note's body as Intercom takes it: one <p> per paragraph, <br> per line, the marker as the last paragraph."""
    body = text.strip()[:MAX_NOTE_CHARS]
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    if supersedes is not None:
        when = f"{supersedes.created_at:%Y-%m-%d %H:%M} UTC" if supersedes.created_at else "earlier"
        paragraphs.append(intercom_data().note.supersedes.format(id=supersedes.note_id, when=when))
    paragraphs.append(marker(note_id))
    return "".join("<p>" + "<br>".join(html.escape(line.strip()) for line in p.strip().splitlines()) + "</p>"
                   for p in paragraphs)


def when(note: ExistingNote) -> str:
    stamp: datetime | None = note.created_at
    return f"{stamp:%Y-%m-%d %H:%M} UTC" if stamp else "earlier"
