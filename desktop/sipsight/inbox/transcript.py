"""A conversation as Intercom's API returns it (`GET /conversations/{id}`, [SPEC] schema `conversation`) -> its
messages with exact authors: the source (the first message) and every conversation part that has a body, each
author kind read from the API's `author.type` (and the Operator address bots send under), never from the words.

Kinds: a contact (user, lead, contact, or any type Intercom adds later that is not a teammate or a bot) is the
customer; an admin is an agent, a note being internal (`part_type: note`); a bot, a team or an admin with an
Operator address is a bot, and a bot's message that opens with an acknowledgement ("Thank you for your message. We're
currently out of the office ...") is an auto-reply (resources/inbox/intercom.yaml `authors`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sipsight.core.models import AuthorKind
from sipsight.inbox.data import intercom_data
from sipsight.inbox.html import html_to_text
from sipsight.inbox.models import InboxMessage

PART_LIMIT = 500  # the API returns at most the 500 most recent parts ([SPEC] retrieveConversation)


@dataclass
class Transcript:
    messages: list[InboxMessage] = field(default_factory=list)
    contact_ids: list[str] = field(default_factory=list)
    title: str | None = None
    notes: list[str] = field(default_factory=list)


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.lower().replace("’", "'").split())


@cache
def _auto_reply_starts() -> tuple[str, ...]:
    return tuple(_fold(p) for p in intercom_data().authors.auto_reply)


@cache
def _operator() -> re.Pattern[str]:
    return re.compile(intercom_data().authors.operator_email, re.IGNORECASE)


def author_kind(author: Any, text: str) -> tuple[AuthorKind, str]:
    """(kind, Intercom's author type) of a part's or the source's `author` object."""
    words = intercom_data().authors
    kind_of = author if isinstance(author, dict) else {}
    author_type = str(kind_of.get("type") or "").strip().lower() or "unknown"
    email = kind_of.get("email") if isinstance(kind_of.get("email"), str) else ""
    bot = author_type in words.bot or (author_type in words.agent and bool(_operator().match(email or "")))
    bot = bot or kind_of.get("from_ai_agent") is True or kind_of.get("is_ai_answer") is True
    if bot:
        opening = _fold(text[:300])
        return (AuthorKind.AUTO_REPLY if opening.startswith(_auto_reply_starts()) else AuthorKind.BOT), author_type
    if author_type in words.agent:
        return AuthorKind.AGENT, author_type
    return AuthorKind.CUSTOMER, author_type  # user, lead, contact, or a type Intercom adds later


def _time(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _message(raw: dict[str, Any], part_id: str, part_type: str) -> InboxMessage | None:
    body = raw.get("body")
    text = html_to_text(body if isinstance(body, str) else None)
    if not text:
        return None  # an event (assignment, close, a tag): nobody's words
    author = raw.get("author")
    kind, author_type = author_kind(author, text)
    name = author.get("name") if isinstance(author, dict) and isinstance(author.get("name"), str) else None
    note = part_type == "note"
    if note and kind is AuthorKind.CUSTOMER:
        kind = AuthorKind.AGENT  # only teammates write notes: an odd author type does not make one the customer's
    return InboxMessage(part_id=part_id, author=kind, author_type=author_type, name=name or None, part_type=part_type,
                        note=note, created_at=_time(raw.get("created_at")), text=text)


def read_conversation(body: Any) -> Transcript:
    """The messages of a retrieved conversation, oldest first, and the contacts it names."""
    out = Transcript()
    if not isinstance(body, dict):
        return out
    title = body.get("title")
    out.title = title if isinstance(title, str) and title.strip() else None
    source = body.get("source")
    if isinstance(source, dict):
        message = _message({**source, "created_at": source.get("created_at", body.get("created_at"))}, "source",
                           "source")
        if message is not None:
            out.messages.append(message)
    listed = body.get("conversation_parts")
    parts = listed.get("conversation_parts") if isinstance(listed, dict) else None
    unreadable = 0
    for raw in parts if isinstance(parts, list) else []:
        if not isinstance(raw, dict):
            unreadable += 1
            continue
        part_type = raw.get("part_type") if isinstance(raw.get("part_type"), str) else "comment"
        message = _message(raw, str(raw.get("id", "")), part_type or "comment")
        if message is not None:
            out.messages.append(message)
    count = len(parts) if isinstance(parts, list) else 0
    total = listed.get("total_count") if isinstance(listed, dict) else None
    if isinstance(total, int) and not isinstance(total, bool) and total > count:
        out.notes.append(f"Intercom returns the {count} most recent of this conversation's {total} parts "
                         f"(its API's limit is {PART_LIMIT}); the earlier ones are not read here.")
    if unreadable:
        out.notes.append(f"{unreadable} part(s) of the conversation could not be read.")
    out.messages.sort(key=lambda m: (m.created_at or datetime.min.replace(tzinfo=UTC)))
    contacts = body.get("contacts")
    listed_contacts = contacts.get("contacts") if isinstance(contacts, dict) else None
    for ref in listed_contacts if isinstance(listed_contacts, list) else []:
        if isinstance(ref, dict) and isinstance(ref.get("id"), str) and ref["id"].strip():
            out.contact_ids.append(ref["id"].strip())
    return out
