"""An Intercom session: the client of the configured workspace (or of the demo simulator), and the two things a face
does with it: read a pasted link into an `InboxCase`, and post SIPSight's internal note back.

    with open_intercom(demo=False) as inbox:        # the token from the keyring, the region from settings
        case = inbox.fetch_case(link)                # InboxCase
        posted = inbox.post_note(case, text)         # PostedNote; NoteExists when SIPSight already noted it
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sipsight.core.errors import InputError, SipsightError
from sipsight.core.lookup import CancelToken
from sipsight.inbox.callerid import caller_id_candidates
from sipsight.inbox.case import build_case, transcript_text
from sipsight.inbox.client import IntercomClient
from sipsight.inbox.errors import PROVIDER, hint
from sipsight.inbox.links import InboxLink, parse_link
from sipsight.inbox.models import ExistingNote, InboxCase, PostedNote
from sipsight.inbox.note import find_notes, new_note_id, note_html, note_id_in, when
from sipsight.inbox.transcript import read_conversation
from sipsight.providers.errors import (
    AuthFailed,
    BadResponse,
    NotConfigured,
    NotFound,
    ProviderError,
    ProviderUnavailable,
    Timeout,
)
from sipsight.providers.http import HttpConfig
from sipsight.providers.url_policy import check_base_url as check_safe_base_url
from sipsight.settings import credentials
from sipsight.settings.model import IntercomSettings

TOKEN_HINT = "Store it with 'sipsight profile intercom --token-stdin' (or try the demo with --demo)."


class NoteExists(SipsightError):
    """SIPSight already noted this conversation: a second note is posted only to supersede it, when asked."""

    exit_code = 2

    def __init__(self, existing: ExistingNote) -> None:
        super().__init__(
            f"SIPSight already posted a note on this conversation ({existing.note_id}, {when(existing)}"
            + (f", by {existing.author}" if existing.author else "") + ").",
            "Intercom cannot edit a note: post a new one that supersedes it (--supersede, or answer yes when asked).",
        )
        self.existing = existing


@dataclass
class IntercomSession:
    client: IntercomClient
    settings: IntercomSettings
    label: str  # "Intercom (us)", "Demo inbox"
    demo: bool = False
    region: str = "US"  # the country numbers without a country code are read in
    scenarios: dict[str, str] = field(default_factory=dict)  # demo only: conversation id -> the scenario it tells
    _closers: list[Callable[[], None]] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def close(self) -> None:
        with self._lock:
            closers, self._closers = self._closers, []
        for close in [self.client.close, *closers]:
            close()

    def __enter__(self) -> IntercomSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ link -> InboxCase

    def fetch_case(self, link: str | InboxLink, *, cancel: CancelToken | None = None,
                   now: datetime | None = None) -> InboxCase:
        """Read the conversation a link points to: its messages, its contact's caller IDs, SIPSight's notes."""
        where = link if isinstance(link, InboxLink) else parse_link(link, default_region=self.settings.region)
        scope = self.client.scope(cancel)
        body = self.client.conversation(where.conversation_id, scope)
        case = self._case(where, body, scope, now or datetime.now(UTC))
        if not self.demo and not self.settings.api_base and where.region != self.settings.region:
            case.notes.insert(0, f"The link is from an Intercom workspace in the {where.region.upper()} region, "
                              f"but SIPSight is set to {self.settings.region.upper()}; if Intercom does not find the "
                              f"conversation, run 'sipsight profile intercom --region {where.region}'.")
        return case

    def _case(self, where: InboxLink, body: dict[str, Any], scope: Any, now: datetime) -> InboxCase:
        transcript = read_conversation(body)
        notes = list(transcript.notes)
        contact: dict[str, Any] | None = None
        companies: list[dict[str, Any]] = []
        if transcript.contact_ids:
            try:  # the conversation is worth reading without its contact: say what is missing, go on
                contact, merged_from = self.client.contact(transcript.contact_ids[0], scope)
                if merged_from:
                    notes.append(f"The conversation's contact {merged_from} was merged into {contact.get('id')}; "
                                 "the contact it went to was read.")
                if self.settings.company_attributes or self.settings.subaccount_attribute:
                    companies = self.client.contact_companies(str(contact.get("id") or transcript.contact_ids[0]),
                                                              scope)
            except (NotFound, AuthFailed) as err:
                notes.append(f"The contact could not be read, so no caller ID comes from it: {err.message}")
            if len(transcript.contact_ids) > 1:
                notes.append(f"The conversation has {len(transcript.contact_ids)} contacts; the first one was read.")
        else:
            notes.append("The conversation names no contact, so no caller ID could be read from one.")
        name = _text(contact, "name")
        case = build_case(transcript.messages, region=self.region, now=now, customer_name=name)
        text, _ = transcript_text(transcript.messages)
        candidates, candidate_notes = caller_id_candidates(contact, companies, self.settings, case,
                                                           region=self.region)
        return InboxCase(
            conversation_id=where.conversation_id,
            link=where.url or where.conversation_id,
            region=where.region,
            workspace_id=where.workspace_id,
            part_id=where.part_id,
            title=transcript.title,
            contact_id=_text(contact, "id"),
            contact_name=name,
            contact_email=_text(contact, "email"),
            messages=transcript.messages,
            transcript=text,
            case=case,
            caller_ids=candidates,
            existing_notes=find_notes(transcript.messages),
            notes=notes + candidate_notes,
        )

    # ------------------------------------------------------------------ the note back

    def admin_id(self, cancel: CancelToken | None = None) -> str:
        """Who authors the notes: the admin in settings, else the token's own (GET /me)."""
        if self.settings.admin_id:
            return self.settings.admin_id
        return str(self.client.me(self.client.scope(cancel))["id"])

    def post_note(self, case: InboxCase, text: str, *, supersede: bool = False,
                  cancel: CancelToken | None = None, note_id: str | None = None) -> PostedNote:
        """Post `text` as an internal note with SIPSight's marker, after a fresh look at the conversation: a SIPSight
        note already there raises NoteExists unless `supersede` (the new note then says which one it supersedes).
        When the POST's answer is lost (a reset, a 5xx, a timeout), the conversation is read again: a note with this
        marker there is the one posted; it is never sent twice."""
        if not text.strip():
            raise InputError("The note is empty.", "Write the note, or let SIPSight compose it.")
        scope = self.client.scope(cancel)
        admin = self.admin_id(cancel)
        fresh = find_notes(read_conversation(self.client.conversation(case.conversation_id, scope)).messages)
        latest = fresh[-1] if fresh else None
        if latest is not None and not supersede:
            raise NoteExists(latest)
        note_id = note_id or new_note_id()
        body = note_html(text, note_id, supersedes=latest)
        try:
            answer = self.client.reply_note(case.conversation_id, admin, body, scope)
        except (ProviderUnavailable, BadResponse, Timeout) as err:
            if err.status is not None and err.status < 500 and not isinstance(err, Timeout):
                raise  # Intercom answered and refused: nothing was posted
            found = self._find_posted(case.conversation_id, note_id, cancel)
            if found is None:
                err.message += " The note was not posted (the conversation was checked); try again."
                raise
            return PostedNote(conversation_id=case.conversation_id, note_id=note_id, part=found, supersedes=latest,
                              confirmed_by_refetch=True)
        part = _posted_part(answer, note_id)
        if part is None:
            found = self._find_posted(case.conversation_id, note_id, cancel)
            if found is None:
                raise BadResponse("Intercom's answer to the note does not show it, nor does the conversation.",
                                  hint("bad_response"), provider=PROVIDER)
            part = found
        return PostedNote(conversation_id=case.conversation_id, note_id=note_id, part=part, supersedes=latest)

    def _find_posted(self, conversation_id: str, note_id: str, cancel: CancelToken | None) -> dict[str, Any] | None:
        try:
            body = self.client.conversation(conversation_id, self.client.scope(cancel))
        except ProviderError:
            return None
        return _posted_part(body, note_id)


def _posted_part(conversation: Any, note_id: str) -> dict[str, Any] | None:
    """The note part carrying `note_id`'s marker in a conversation (the reply's answer, or a fresh read)."""
    from sipsight.inbox.html import html_to_text

    listed = conversation.get("conversation_parts") if isinstance(conversation, dict) else None
    parts = listed.get("conversation_parts") if isinstance(listed, dict) else None
    for part in reversed(parts if isinstance(parts, list) else []):
        if (isinstance(part, dict) and part.get("part_type") == "note" and isinstance(part.get("body"), str)
                and note_id_in(html_to_text(part["body"])) == note_id):
            return part
    return None


def _text(record: dict[str, Any] | None, key: str) -> str | None:
    value = record.get(key) if isinstance(record, dict) else None
    return value.strip() or None if isinstance(value, str) else None


# ---------------------------------------------------------------------------------------------- opening

def open_intercom(
    *,
    demo: bool = False,
    settings: IntercomSettings | None = None,
    region: str | None = None,
    http_config: HttpConfig | None = None,
    fault: str | None = None,
    latency_ms: int = 0,
) -> IntercomSession:
    """The session a face uses (close it, or use `with`): the demo simulator, or the configured workspace with the
    token from the keyring. `region`: the country numbers without a country code are read in (default US)."""
    from sipsight.settings.store import load_settings

    loaded = load_settings()
    chosen = settings or loaded.intercom
    country = (region or loaded.default_region or "US").upper()
    if demo:
        return _demo(chosen, country, http_config, fault, latency_ms)
    token = credentials.get_secret(*credentials.INTERCOM_KEY)
    if not token:
        raise NotConfigured("No Intercom access token is stored.", TOKEN_HINT)
    try:
        base = check_safe_base_url(chosen.api_base)
    except ValueError as exc:
        raise NotConfigured(f"The Intercom API address is not usable: {exc}.",
                            "Fix it with 'sipsight profile intercom --api-base URL', or remove it "
                            "('--api-base \"\"') to use the region's own.") from None
    from sipsight.inbox.links import api_base

    client = IntercomClient(token, api_base=base or api_base(chosen.region), http_config=http_config,
                            override=f"{base} (Intercom api_base)" if base else None)
    return IntercomSession(client=client, settings=chosen, label=f"Intercom ({chosen.region.upper()})",
                           region=country)


def _demo(chosen: IntercomSettings, region: str, http_config: HttpConfig | None, fault: str | None,
          latency_ms: int) -> IntercomSession:
    from sipsight.simulator.intercom import IntercomSimulator

    sim = IntercomSimulator(fault=fault, latency_ms=latency_ms).start()
    try:
        client = IntercomClient(sim.token, api_base=sim.base_url, http_config=http_config,
                                override=f"{sim.base_url} (the demo inbox)")
    except BaseException:
        sim.stop()
        raise
    # the demo workspace keeps its caller IDs where the defaults look; the team's own settings are for its own
    demo_settings = IntercomSettings(region=chosen.region, offer_contact_phone=True,
                                     subaccount_attribute="twilio_subaccount_sid")
    session = IntercomSession(client=client, settings=demo_settings, label="Demo inbox (simulated Intercom)",
                              demo=True, region=region, scenarios=dict(sim.workspace.scenario_of))
    session._closers.append(sim.stop)
    return session
