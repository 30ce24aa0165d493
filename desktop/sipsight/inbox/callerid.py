"""Where the customer's caller ID comes from: the contact (and its companies) custom attributes the team names in
settings, a provider sub-account SID (a sub-account's calls are then the caller's calls), the numbers the customer
wrote, and the contact's own phone, offered as a candidate only: it is often the person's own cell, not the number
their dialer calls from."""

from __future__ import annotations

import re
from typing import Any

from sipsight.core.models import Case, NumberRole
from sipsight.core.phone import InvalidNumber, to_e164
from sipsight.inbox.data import intercom_data
from sipsight.inbox.models import CallerIdCandidate, CandidateKind
from sipsight.settings.model import IntercomSettings, is_subaccount_sid

CONTACT_PHONE_CAVEAT = "the contact's phone, which may be their personal number, not the dialer's caller ID"
SUBACCOUNT_CAVEAT = "a sub-account's calls are the caller's calls: its calls are read, whatever number they came from"
_SPLIT = re.compile(r"[,;/\n]+|\s+or\s+")


def contact_attributes(settings: IntercomSettings) -> list[str]:
    """The contact attributes read for caller IDs: the team's, or the defaults when it named none."""
    if settings.contact_attributes is not None:
        return settings.contact_attributes
    return list(intercom_data().attributes.contact_defaults)


def _attributes(record: Any) -> dict[str, Any]:
    attrs = record.get("custom_attributes") if isinstance(record, dict) else None
    return attrs if isinstance(attrs, dict) else {}


def _numbers(value: Any, region: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(e164, raw) pairs of an attribute's value (one number, or several separated by commas), and what did not
    read as a number."""
    if isinstance(value, bool) or value is None:
        return [], []
    texts = [str(v) for v in value] if isinstance(value, list) else _SPLIT.split(str(value))
    found: list[tuple[str, str]] = []
    bad: list[str] = []
    for raw in (t.strip() for t in texts):
        if not raw:
            continue
        try:
            found.append((to_e164(raw, region), raw))
        except InvalidNumber:
            bad.append(raw[:40])
    return found, bad


class _Collector:
    def __init__(self) -> None:
        self.candidates: list[CallerIdCandidate] = []
        self.notes: list[str] = []

    def add(self, candidate: CallerIdCandidate) -> None:
        key = candidate.e164 or candidate.subaccount_sid
        same = next((c for c in self.candidates if (c.e164 or c.subaccount_sid) == key), None)
        if same is None:
            self.candidates.append(candidate)
        elif candidate.source not in same.also and candidate.source != same.source:
            same.also.append(candidate.source)


def caller_id_candidates(
    contact: dict[str, Any] | None,
    companies: list[dict[str, Any]],
    settings: IntercomSettings,
    case: Case,
    *,
    region: str = "US",
) -> tuple[list[CallerIdCandidate], list[str]]:
    """The candidates, most trustworthy first, and notes (an attribute that holds no number, ...)."""
    out = _Collector()
    attrs = _attributes(contact)
    for name in contact_attributes(settings):
        numbers, bad = _numbers(attrs.get(name), region)
        for e164, raw in numbers:
            out.add(CallerIdCandidate(kind=CandidateKind.CONTACT_ATTRIBUTE, source=f"contact attribute {name}",
                                      e164=e164, raw=raw))
        if bad:
            out.notes.append(f"The contact attribute {name} holds {', '.join(repr(b) for b in bad)}, not a phone "
                             "number.")
    for company in companies:
        label = company.get("name") if isinstance(company.get("name"), str) else company.get("id")
        for name in settings.company_attributes:
            numbers, bad = _numbers(_attributes(company).get(name), region)
            for e164, raw in numbers:
                out.add(CallerIdCandidate(kind=CandidateKind.COMPANY_ATTRIBUTE,
                                          source=f"company attribute {name} ({label})", e164=e164, raw=raw))
            if bad:
                out.notes.append(f"The company attribute {name} ({label}) holds {', '.join(repr(b) for b in bad)}, "
                                 "not a phone number.")
    if settings.subaccount_attribute:
        _subaccount(out, settings.subaccount_attribute, attrs, companies)
    for number in case.numbers:
        if number.role is NumberRole.CALLER_ID:
            cue = next((e.cue for e in number.role_evidence if e.cue), "")
            out.add(CallerIdCandidate(kind=CandidateKind.MENTIONED, e164=number.e164, raw=number.raw,
                                      source="mentioned by the customer as their caller ID" + (
                                          f" ('{cue}')" if cue else "")))
    phone = contact.get("phone") if isinstance(contact, dict) else None
    if settings.offer_contact_phone and isinstance(phone, str) and phone.strip():
        numbers, _ = _numbers(phone, region)
        for e164, raw in numbers[:1]:
            out.add(CallerIdCandidate(kind=CandidateKind.CONTACT_PHONE, source="contact phone (candidate only)",
                                      e164=e164, raw=raw, candidate_only=True, caveat=CONTACT_PHONE_CAVEAT))
    for number in case.numbers:
        if number.role is NumberRole.UNKNOWN:
            out.add(CallerIdCandidate(kind=CandidateKind.MENTIONED, e164=number.e164, raw=number.raw,
                                      source="mentioned in the conversation (whose number is not clear)",
                                      candidate_only=True))
    return out.candidates, out.notes


def _subaccount(out: _Collector, name: str, contact_attrs: dict[str, Any], companies: list[dict[str, Any]]) -> None:
    holders = [("contact", contact_attrs)] + [
        (f"company {c.get('name') or c.get('id')}", _attributes(c)) for c in companies]
    for holder, attrs in holders:
        value = attrs.get(name)
        if value is None or value == "":
            continue
        if is_subaccount_sid(value):
            sid = str(value).strip()
            out.add(CallerIdCandidate(kind=CandidateKind.SUBACCOUNT, source=f"sub-account SID ({holder} attribute "
                                      f"{name})", subaccount_sid=sid, raw=sid, caveat=SUBACCOUNT_CAVEAT))
        else:
            out.notes.append(f"The {holder} attribute {name} holds {str(value)[:40]!r}, not an account SID "
                             "(AC and 32 hex digits).")
