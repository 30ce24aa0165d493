"""What the inbox integration hands the faces: an Intercom conversation read into an `InboxCase` (its messages with
their exact authors, the intake `Case`, the caller-ID candidates with their sources, SIPSight's earlier notes), and
a `PostedNote`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from sipsight.core.models import AuthorKind, Case


class InboxMessage(BaseModel):
    """One message of the conversation: the source (the first message) or a conversation part with a body."""

    part_id: str  # the conversation part's id; "source" for the message that started the conversation
    author: AuthorKind  # customer, agent, bot or auto_reply: from the API's author, never guessed from the words
    author_type: str  # as Intercom says it: user, lead, contact, admin, bot, team
    name: str | None = None
    part_type: str = "comment"  # comment, note, open, ... ("source" for the first message)
    note: bool = False  # an internal note between teammates
    created_at: datetime | None = None
    text: str = ""  # the body as plain text


class CandidateKind(StrEnum):
    CONTACT_ATTRIBUTE = "contact_attribute"
    COMPANY_ATTRIBUTE = "company_attribute"
    SUBACCOUNT = "subaccount"  # a provider sub-account SID: its calls are the caller's calls
    MENTIONED = "mentioned"  # written in the conversation
    CONTACT_PHONE = "contact_phone"  # the contact's own phone: a candidate only


class CallerIdCandidate(BaseModel):
    """A number (or a sub-account) that may be the customer's caller ID, and where it came from."""

    kind: CandidateKind
    source: str  # "contact attribute dialer_caller_id", "contact phone (candidate only)", ...
    e164: str | None = None  # None for a sub-account SID
    raw: str = ""  # as Intercom or the customer wrote it
    subaccount_sid: str | None = None
    candidate_only: bool = False  # never used as the caller ID without the agent choosing it
    caveat: str = ""  # what the agent must know ("... may be their personal number, not the dialer's caller ID")
    also: list[str] = Field(default_factory=list)  # other sources that gave the same number


class ExistingNote(BaseModel):
    """A SIPSight note already on the conversation, found by its marker."""

    note_id: str
    part_id: str
    author: str | None = None
    created_at: datetime | None = None
    text: str = ""


class InboxCase(BaseModel):
    """An Intercom conversation read for a lookup: what the GUI shows and the CLI prints."""

    conversation_id: str
    link: str
    region: str
    workspace_id: str | None = None
    part_id: str | None = None  # the part a #part_id= link pointed at
    title: str | None = None
    contact_id: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    messages: list[InboxMessage] = Field(default_factory=list)
    transcript: str = ""  # the conversation as text: `case.parts` offsets point into it
    case: Case = Field(default_factory=Case)
    caller_ids: list[CallerIdCandidate] = Field(default_factory=list)
    existing_notes: list[ExistingNote] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # what the agent should know (parts left out, a merged contact ...)

    @property
    def customer_messages(self) -> list[InboxMessage]:
        """The customer's own messages, in order."""
        return [m for m in self.messages if m.author is AuthorKind.CUSTOMER]

    @property
    def caller_id(self) -> CallerIdCandidate | None:
        """The caller ID to look up: the first candidate from a named attribute, a sub-account or the customer's own
        words; never the contact's phone, which is a candidate only."""
        return next((c for c in self.caller_ids if not c.candidate_only), None)

    @property
    def latest_note(self) -> ExistingNote | None:
        return self.existing_notes[-1] if self.existing_notes else None


class PostedNote(BaseModel):
    """An internal note SIPSight posted: the API's conversation part (`part["part_type"] == "note"`)."""

    conversation_id: str
    note_id: str
    part: dict[str, Any]
    supersedes: ExistingNote | None = None
    confirmed_by_refetch: bool = False  # the POST's answer was lost; the note was found on the conversation after
