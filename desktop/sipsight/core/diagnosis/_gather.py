"""From attempt lists to `Facts`: outcomes classified where missing, families assigned, the destination's history
cut at its last connect and the caller's other calls split at the same hours, all in single passes; plus the
counts the stats and caveats need (`Extra`)."""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from operator import attrgetter
from statistics import median

from sipsight.core.callers import infer_caller_id
from sipsight.core.diagnosis._facts import CARRIER, START, Facts, Side
from sipsight.core.diagnosis._families import OUTCOME_FAMILY, family
from sipsight.core.diagnosis._stats import FAMILY_MEASURE, case_stats
from sipsight.core.knowledge import classify, code_families
from sipsight.core.models import Attempt, DiagnosisContext, Family, OutcomeClass
from sipsight.core.phone import pretty

log = logging.getLogger(__name__)
_UNKNOWN = OutcomeClass.UNKNOWN
_IN_PROGRESS = OutcomeClass.IN_PROGRESS
_VM, _CONNECTED, _OTHER = Family.VM, Family.CONNECTED, Family.OTHER
# The caller's other calls this long before the destination's recent run still count as "the same hours".
_OTHERS_LEAD = timedelta(hours=6)
# C-level field readers for the few whole-list scans (a generator per attempt costs more than the work)
_TO, _FROM, _STATE = attrgetter("to"), attrgetter("from_"), attrgetter("insights_state")
_ERROR, _RING, _CODE = attrgetter("provider_error_code"), attrgetter("ring_s"), attrgetter("sip_code")
_REDRESS, _AMD, _VALUE = attrgetter("redress_contact"), attrgetter("answered_by"), attrgetter("_value_")


def _has_data(a: Attempt) -> bool:
    return (
        a.provider_status is not None
        or a.sip_code is not None
        or a.q850_cause is not None
        or a.provider_error_code is not None
        or a.answered_by is not None
    )


class Classifier:
    """`classify` for the attempts that still need an outcome; one it cannot read stays unknown."""

    __slots__ = ()

    def __call__(self, a: Attempt) -> OutcomeClass:
        try:
            return classify(a)
        except Exception:  # one unreadable record must not cost the agent the whole diagnosis
            log.warning("could not classify attempt %s", a.id, exc_info=True)
            return _UNKNOWN


class Extra:
    """What the diagnosis needs beyond the rules' facts: counts for stats and caveats."""

    __slots__ = (
        "by_outcome",
        "caller_id",
        "carriers",
        "destination",
        "median_ring",
        "other_by_outcome",
        "other_codes",
        "other_finals",
        "other_sides",
        "partial",
        "pending",
        "provider_errors",
        "q850_causes",
        "sip_codes",
        "unclassified",
    )

    def __init__(self) -> None:
        self.by_outcome: dict[str, int] = {}
        self.other_by_outcome: dict[str, int] = {}
        self.sip_codes: dict[str, int] = {}
        self.q850_causes: dict[str, int] = {}
        self.provider_errors: dict[str, int] = {}
        self.other_codes: set[int] = set()
        self.other_finals: list[Attempt] = []
        self.other_sides: list[tuple[Attempt, Family]] = []  # the caller's other final calls and their families
        self.pending = 0
        self.unclassified = 0
        self.partial = 0
        self.carriers: list[str] = []
        self.caller_id: str | None = None
        self.destination: str | None = None
        self.median_ring: float | None = None


def _outcomes(seq: Sequence[Attempt], classify: Classifier) -> list[OutcomeClass]:
    outs = [a.outcome for a in seq]
    if _UNKNOWN in outs:
        for i, o in enumerate(outs):
            if o is _UNKNOWN and _has_data(seq[i]):
                outs[i] = classify(seq[i])
    return outs


def _group(seq: Sequence[Attempt], outs: list[OutcomeClass]) -> tuple[list[Attempt], list[Family], int, int]:
    """Final attempts and their families, plus how many were still in progress or carry nothing to read (left out)."""
    finals: list[Attempt] = []
    fams: list[Family] = []
    fam_of = family  # locals: looked up once per list, not once per attempt
    coded_as = code_families()
    plain = OUTCOME_FAMILY
    pending = unread = 0
    for a, o in zip(seq, outs, strict=True):
        if o is _IN_PROGRESS:
            pending += 1
            continue
        # o._value_ is the plain str: Enum.__hash__ is Python-level and slow in this loop. Attempts with
        # neither code nor machine answer (most of a big history) skip the full decision order.
        value = o._value_
        fam = plain.get(value) if a.sip_code is None and a.provider_error_code is None else None
        if fam is None or fam is _VM or (fam is _CONNECTED and a.answered_by is None):
            fam = fam_of(a, value, coded_as)
        if fam is _OTHER and o is _UNKNOWN and not _has_data(a):
            unread += 1  # nothing at all to read; a bare 'failed' still says the call did not connect, and counts
            continue
        finals.append(a)
        fams.append(fam)
    return finals, fams, pending, unread


def measures_of(attempts: Sequence[Attempt]) -> list[str | None]:
    """The measure (a CallCounts count: "connected", "straight_to_voicemail" ...) each attempt counts in, in the
    order given; None for one the counts leave out (still in progress, or nothing to read). The same families and
    measures as `stats_for`, one pass and no statistics built: for ranking hundreds of numbers at once."""
    finals, fams, _, _ = _group(list(attempts), _outcomes(attempts, Classifier()))
    measure = dict(zip(map(id, finals), (FAMILY_MEASURE[f] for f in fams), strict=True))
    return [measure.get(id(a)) for a in attempts]


def _side(pairs: Iterable[tuple[Attempt, Family]], span: tuple[datetime, datetime] | None = None) -> Side:
    by_fam: dict[Family, list[Attempt]] = {}
    for a, fam in pairs:
        group = by_fam.get(fam)
        if group is None:
            by_fam[fam] = [a]
        else:
            group.append(a)
    return Side(by_fam, span)


def _counts(values: Iterable[str | None]) -> dict[str, int]:
    return {str(k): v for k, v in Counter(values).items() if k is not None}


def _outcome_counts(outs: list[OutcomeClass]) -> dict[str, int]:
    # counted on the plain str values: a Counter over enum members would call Enum.__hash__ per item
    return dict(Counter(map(_VALUE, outs)))


def gather(
    attempts: Sequence[Attempt],
    others_in: Sequence[Attempt],
    ctx: DiagnosisContext,
    classify: Classifier,
) -> tuple[Facts | None, Extra]:
    ex = Extra()
    dest_all = sorted(attempts, key=START)
    outs = _outcomes(dest_all, classify)
    ex.by_outcome = _outcome_counts(outs)
    finals, fams, ex.pending, ex.unclassified = _group(dest_all, outs)
    # in time order (the split is a bisect, spans are the ends); a provider may include the destination's own
    # calls in the caller's history, and counting them twice would fake "the other calls fail too"
    dest_ids = {a.id for a in dest_all}
    dest_to = dest_all[-1].to if dest_all else None
    others_all = [a for a in others_in if a.to != dest_to and a.id not in dest_ids]
    others_all.sort(key=START)
    o_outs = _outcomes(others_all, classify)
    ex.other_by_outcome = _outcome_counts(o_outs)
    o_finals, o_fams, _, _ = _group(others_all, o_outs)

    tos = Counter(map(_TO, dest_all))
    ex.destination = tos.most_common(1)[0][0] if tos else None
    ex.caller_id = infer_caller_id(dest_all) or infer_caller_id(others_all)
    ex.partial = [*map(_STATE, dest_all), *map(_STATE, others_all)].count("partial")
    if not finals:
        ex.other_sides = list(zip(o_finals, o_fams, strict=True))
        return None, ex

    coded = [a for a in finals if a.sip_code is not None]
    errors = any(map(_ERROR, finals))
    ex.sip_codes = _counts(a.sip_label for a in coded)
    ex.q850_causes = _counts(None if a.q850_cause is None else str(a.q850_cause) for a in finals)
    ex.provider_errors = _counts(a.provider_error_code for a in finals)
    other_codes = set(map(_CODE, o_finals))
    other_codes.discard(None)
    o_coded = bool(other_codes)
    ex.other_codes = other_codes  # labels ("603+") only when a caveat needs them, see _disagreements
    ex.other_finals = o_finals
    rings = [r for r in map(_RING, finals) if r is not None]
    ex.median_ring = median(rings) if rings else None
    ex.carriers = [c for c in dict.fromkeys(map(CARRIER, finals)) if c]
    redress = [c for c in dict.fromkeys([*map(_REDRESS, finals), *map(_REDRESS, o_finals)]) if c]

    last_connected = len(fams) - 1 - fams[::-1].index(_CONNECTED) if _CONNECTED in fams else -1
    cut = last_connected + 1
    before = _side(zip(finals[:cut], fams[:cut], strict=True), _span(finals[:cut]))
    focus = _side(zip(finals[cut:], fams[cut:], strict=True), _span(finals[cut:]))
    whole = before.merged(focus)
    split = finals[cut if focus.n else 0].start_time - _OTHERS_LEAD  # finals are in time order
    at = bisect_left([a.start_time for a in o_finals], split)
    o_before = _side(zip(o_finals[:at], o_fams[:at], strict=True), _span(o_finals[:at]))
    o_recent = _side(zip(o_finals[at:], o_fams[at:], strict=True), _span(o_finals[at:]))
    others = o_before.merged(o_recent)

    data = ctx.data
    has_codes = bool(coded or o_coded or errors) or bool(data and data.has_sip_codes)
    has_amd = bool(data and data.has_answered_by) or any(map(_AMD, finals)) or any(map(_AMD, o_finals))
    change_at = focus.first if (before.connected and focus.n) else None
    dest = ex.destination or ""
    facts = Facts(
        destination=dest,
        destination_pretty=pretty(dest) if dest else "this number",
        caller_id=ex.caller_id,
        caller_pretty=pretty(ex.caller_id) if ex.caller_id else "the caller ID",
        attempts=finals,
        by_id={a.id: a for a in finals},
        focus=focus,
        focus_attempts=finals[cut:],
        before=before,
        whole=whole,
        others=others,
        others_recent=o_recent,
        others_before=o_before,
        has_others=bool(o_finals),
        has_codes=has_codes,
        has_answered_by=has_amd,
        change_at=change_at,
        prior_contact=ctx.prior_contact,
        redress=list(redress)[:5],
        ring_source=_ring_source(ctx.provider),
    )
    facts.stats = case_stats(
        facts,
        in_progress=ex.pending,
        unreadable=ex.unclassified,
        partial=ex.partial,
        median_ring=ex.median_ring,
        codes=(ex.sip_codes, ex.q850_causes, ex.provider_errors),
        carriers=ex.carriers,
    )
    return facts, ex


def _span(ordered: list[Attempt]) -> tuple[datetime, datetime] | None:
    return (ordered[0].start_time, ordered[-1].start_time) if ordered else None


def _ring_source(provider: str | None) -> str:
    """Where the agent reads how long a call rang, in the provider's terms (Twilio's for attempts alone)."""
    from sipsight.core.knowledge import provider_info

    return provider_info(provider or "twilio").ring_time_source
