"""The Intercom inbox (docs/inbox.md): a pasted conversation link -> an `InboxCase` (its messages with exact
authors, the intake Case, the caller-ID candidates of its contact, SIPSight's earlier notes), and SIPSight's internal
note posted back. Qt-free; the one HTTP layer (providers/http.py) carries every request.

    from sipsight.inbox import open_intercom, compose_note
    with open_intercom(demo=False) as inbox:
        case = inbox.fetch_case(link)                                # InboxCase
        posted = inbox.post_note(case, compose_note(case, result))  # PostedNote; NoteExists if already noted
"""

from sipsight.inbox.links import InboxLink, parse_link
from sipsight.inbox.lookup import CaseLookup, lookup_inbox_case
from sipsight.inbox.models import CallerIdCandidate, CandidateKind, ExistingNote, InboxCase, InboxMessage, PostedNote
from sipsight.inbox.note import compose_note
from sipsight.inbox.session import IntercomSession, NoteExists, open_intercom

__all__ = [
    "CallerIdCandidate",
    "CandidateKind",
    "CaseLookup",
    "ExistingNote",
    "InboxCase",
    "InboxLink",
    "InboxMessage",
    "IntercomSession",
    "NoteExists",
    "PostedNote",
    "compose_note",
    "lookup_inbox_case",
    "open_intercom",
    "parse_link",
]
