"""One lookup as the reads of its two parties, for the providers whose lists are read the same way (Telnyx, Plivo):
the destination's calls and the caller ID's calls start together; when the caller ID is not given it is inferred
from the destination's calls (`core.callers.infer_caller_id`), and its read starts as soon as those are in. A
caller-first lookup (`read_caller`) is the caller ID's read alone, to every number.

A provider hands in `read(scope, to, from_, limit) -> PartyRead`: the attempts its lists gave for that filter, and
what could not be read. This module keeps the window, the limits and the caveats that say what was left out, in the
words the Twilio lookup uses (providers/twilio/rounds.py), so every provider tells an agent the same things the same
way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from sipsight.core.callers import infer_caller_id
from sipsight.core.lookup.provider_api import LookupWindow
from sipsight.core.models import Attempt, CallerQuery, DataProfile, Query
from sipsight.core.phone import pretty
from sipsight.providers.errors import ProviderError
from sipsight.providers.http import Listing, Scope


@dataclass
class PartyRead:
    """What one party's lists read: the attempts, whether a list had more, and what was left out or cut short."""

    attempts: list[Attempt] = field(default_factory=list)
    more: bool = False
    unreadable: Counter[str] = field(default_factory=Counter)  # why -> how many records
    stopped: list[tuple[int, str]] = field(default_factory=list)  # (pages read, why) of a list that stopped early
    notes: list[str] = field(default_factory=list)  # what the provider's data could not show, in its own words

    @property
    def seen(self) -> int:
        return len(self.attempts) + sum(self.unreadable.values())

    def add(self, other: PartyRead) -> None:
        self.attempts.extend(other.attempts)
        self.more = self.more or other.more
        self.unreadable.update(other.unreadable)
        self.stopped.extend(other.stopped)
        self.notes.extend(other.notes)

    def listed(self, listing: Listing, not_an_object: str) -> None:
        """What a list read (`Scope.paginate`, `pages.read_pages`) says of itself: more, entries not objects, a stop."""
        self.more = self.more or listing.more
        if listing.unreadable:
            self.unreadable[not_an_object] += listing.unreadable
        if listing.stopped is not None:
            self.stopped.append((listing.pages, listing.stopped.message.rstrip(".")))


ReadParty = Callable[[Scope, str | None, str | None, int], PartyRead]  # (scope, to, from_, limit)


@dataclass
class Parties:
    attempts: list[Attempt]  # to the destination, in the window, newest first
    caller_attempts: list[Attempt]  # the caller ID's calls to other numbers, in the window, newest first
    caller_id: str | None
    caveats: list[str]


def in_window(attempt: Attempt, query: LookupWindow) -> bool:
    return attempt.start_time >= query.since and (query.until is None or attempt.start_time <= query.until)


def newest(attempts: Iterable[Attempt], query: LookupWindow, limit: int) -> tuple[list[Attempt], bool]:
    """The `limit` newest attempts in the window, each id once; and whether more were left out."""
    seen: set[str] = set()
    kept: list[Attempt] = []
    for attempt in sorted(attempts, key=lambda a: (a.start_time, a.id), reverse=True):
        if attempt.id in seen or not in_window(attempt, query):
            continue
        seen.add(attempt.id)
        kept.append(attempt)
    return kept[:limit], len(kept) > limit


def read_parties(scope: Scope, query: Query, read: ReadParty) -> Parties:
    """Both parties' reads, concurrently where the caller ID is known, merged into the lookup's two lists.

    The destination's read runs on the calling thread and the caller ID's on a task, so the waits nest no deeper
    than the reads themselves need (a read may wait on its own tasks: see `Scope.submit`)."""
    q = query
    caller = q.caller_id
    caller_fut = scope.submit(partial(read, scope, None, caller, q.max_caller_attempts)) if caller else None
    try:
        dest = read(scope, q.destination, caller, q.max_attempts)
        dest_attempts, dest_more = newest(
            (a for a in dest.attempts if a.to == q.destination or not a.to), q, q.max_attempts
        )
        inferred = False
        if caller is None:
            caller = infer_caller_id(dest_attempts)
            inferred = caller is not None
            if caller is not None:
                caller_fut = scope.submit(partial(read, scope, None, caller, q.max_caller_attempts))
        caller_read = _one(scope.collect([caller_fut])) if caller_fut is not None else None
    except BaseException:
        if caller_fut is not None:
            caller_fut.cancel()
        raise
    caveats: list[str] = [*dest.notes, *(caller_read.notes if caller_read is not None else [])]
    if dest_more or dest.more:
        caveats.append(
            f"Only the latest {q.max_attempts} calls to the number in the window were read; older ones were not."
        )
    caller_attempts: list[Attempt] = []
    if caller_read is not None and caller is not None:
        others = (a for a in caller_read.attempts if a.to != q.destination and a.from_ in (caller, ""))
        caller_attempts, caller_more = newest(others, q, q.max_caller_attempts)
        if caller_more or caller_read.more:
            caveats.append(f"Only the caller ID's latest {q.max_caller_attempts} calls in the window were compared.")
        if inferred:
            caveats.append(f"The caller ID {pretty(caller)} was inferred: most calls to the number came from it.")
    for party, whose in ((dest, "calls to the number"), (caller_read, "the caller ID's calls")):
        if party is not None:
            caveats.extend(reading_caveats(party, whose))
    return Parties(dest_attempts, caller_attempts, caller, list(dict.fromkeys(caveats)))


def read_caller(scope: Scope, query: CallerQuery, read: ReadParty) -> Parties:
    """A caller-first lookup's one read: every call of the caller ID in the window, to any number (the destination is
    chosen afterwards from these calls, without another request)."""
    q = query
    party = read(scope, None, q.caller_id, q.max_calls)
    mine = (a for a in party.attempts if a.from_ in (q.caller_id, ""))
    kept, more = newest(mine, q, q.max_calls)
    caveats = list(party.notes)
    if more or party.more:
        caveats.append(
            f"Only the caller ID's latest {q.max_calls} calls in the window were read; older ones were not ranked."
        )
    caveats.extend(reading_caveats(party, "the caller ID's calls"))
    return Parties([], kept, q.caller_id, list(dict.fromkeys(caveats)))


def _one(results: list[PartyRead | ProviderError]) -> PartyRead:
    result = results[0]
    if isinstance(result, ProviderError):
        raise result  # without a party's call list there is no lookup
    return result


def reading_caveats(party: PartyRead, whose: str) -> list[str]:
    """Say what could not be read, instead of letting it look like "no calls"."""
    out = []
    left_out = sum(party.unreadable.values())
    if left_out:
        why = "; ".join(reason for reason, _ in party.unreadable.most_common())
        out.append(
            f"{left_out} of {party.seen} {whose} could not be read ({why}); "
            f"{'they are' if left_out > 1 else 'it is'} left out."
        )
    for pages, why in dict.fromkeys(party.stopped):
        out.append(
            f"The list of {whose} stopped after {pages} page{'s' * (pages != 1)} ({why}); the calls on "
            f"{'those pages' if pages != 1 else 'that page'} are shown, older ones were not read."
        )
    return out


def data_profile(parties: Parties, caveats: list[str]) -> DataProfile:
    """What the attempts can show, with the provider's own caveats first and then what could not be read."""
    both = parties.attempts + parties.caller_attempts
    return DataProfile(
        has_sip_codes=any(a.sip_code is not None for a in both),
        has_answered_by=any(a.answered_by for a in both),
        has_caller_history=parties.caller_id is not None,
        partial_summaries=0,
        provider_caveats=list(dict.fromkeys([*caveats, *parties.caveats])),
    )
