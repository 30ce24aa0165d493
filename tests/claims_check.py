"""Every text a person reads, held to the one statistics object of its diagnosis (CaseStats).

`texts_of(result)` renders everything SIPSight writes for one lookup: the headline, each evidence line, each next
step, each caveat, each alternative's why and how-to-tell, the customer reply, the internal note, the summary
(Markdown and HTML) and the CLI text. `problems(result)` checks each of them, independently of the code that wrote
them:
- every "N of M" is a count and its total in the statistics, and a "(P%)" beside it is their rounded ratio;
- every "N calls", "N numbers", "N times" ... is a count the statistics hold, and every other percentage is a
  ratio of two of them or a confidence;
- every date is the date of a call, of the change, or of the searched window (in UTC or the display zone), and
  carries its year in exports, in the diagnosis's texts and wherever the calls span two years;
- every qualitative claim ("normally", "your line looks fine", "only this number", "the phone rang each time",
  "something changed" ...) appears only when the statistics' claims say so, and those claims hold against the
  thresholds in resources/diagnosis/claims.yaml;
- no internal id (a diagnosis kind, an outcome class, a rule id) reaches a person.
The call log of the internal note and the CLI timeline are the records themselves (one line per call) and are not
claims about them; they are left out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sipsight.core.diagnosis import claims_data
from sipsight.core.json_document import case_stats_of
from sipsight.core.models import CallCounts, CaseStats, DiagnosisContext, DiagnosisKind, LookupResult, OutcomeClass

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DATE = re.compile(rf"\b({'|'.join(MONTHS)}) (\d{{1,2}})(?:, (\d{{4}}))?\b")
PAIR = re.compile(r"\b(\d+) of (?:the |your |their |those |these )?(\d+)\b(?: \((\d+)%\))?")
ALL_N = re.compile(r"\ball (\d+) (?:calls|numbers)\b")
COUNTED = re.compile(
    r"(?<![\d.:/+-])\b(\d+) (?:other |different |earlier |recent )?"
    r"(?:calls?|numbers?|times|attempts?|call summar(?:y|ies)|partial summar(?:y|ies)|were answered)\b"
)
PERCENT = re.compile(r"(?<![\d.])(\d+)%")
SECTIONS = ("headline", "evidence", "next_steps", "caveats", "alternatives")
# what the diagnosis's own words may claim, and the statistic that must say so
CLAIM_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bnormally\b", "others_fine"),
    (r"\bline (?:itself )?(?:looks|is) fine\b", "others_fine"),
    (r"\bother calls (?:connect|go through|went through)\b", "others_fine"),
    (r"\bonly this number\b", "only_this_number"),
    (r"\brang each time\b", "all_rang"),
    (r"\bsomething changed\b|\bused to (?:connect|be conversations)\b", "changed"),
    (r"\bwent straight to voicemail\b", "went_straight"),
    (r"\blatest (?:call|one)\b(?: to \S+ \S+)? (?:was answered(?: \(|\.)|went through|connected)", "latest_connected"),
    (r"\bNo network or phone rejected\b", "none_refused"),
    (r"\brejected your calls the same way\b|\bblocked them too\b", "others_blocked"),
    (r"\bOnly \d+ of your\b|\brarely reach a person either\b", "others_failing"),
    (r"\bno call to another number failed\b", "none_failing_nearby"),
)
INTERNAL_IDS = re.compile(
    r"\b(?:"
    + "|".join(
        [
            *(k.value for k in DiagnosisKind if "_" in k.value),
            "platform_rejected",
            "carrier_failure",
            "network_blocked",
            "invalid_number",
            "caller_canceled",
        ]
    )
    + r")\b"
)


@dataclass
class Text:
    where: str  # 'headline', 'customer reply', 'summary (md)' ...
    text: str
    export: bool = False  # an export: every date names its year
    diagnosis_words: bool = False  # written by the diagnosis (UTC, with the year)
    hypothetical: bool = False  # an alternative's "why"/"how to tell": a possibility, not a claim about this case
    reply: bool = False  # the customer reply: no number may be left unexplained
    quoted: list[str] = field(default_factory=list)  # hypothetical texts it quotes (the alternatives), not its claims


@dataclass
class Facts:
    """What the texts may state: the statistics, and the moments the calls and the window span."""

    stats: CaseStats
    pairs: set[tuple[int, int]] = field(default_factory=set)
    counts: set[int] = field(default_factory=set)
    ratios: set[int] = field(default_factory=set)
    moments: list[datetime] = field(default_factory=list)
    confidences: set[int] = field(default_factory=set)
    crosses_year: bool = False


def _sides(cs: CaseStats) -> list[CallCounts]:
    return [cs.this_number, cs.this_number_before, cs.this_number_recent, cs.other_numbers, cs.other_numbers_before,
            cs.other_numbers_window, cs.all_numbers]  # fmt: skip


def _ints(side: CallCounts) -> list[int]:
    values = [v for v in side.model_dump().values() if isinstance(v, int) and not isinstance(v, bool)]
    return values + list(side.by_family.values()) + list(side.numbers_by_family.values())


def facts_of(result: LookupResult, now: datetime) -> Facts:
    cs = case_stats_of(result)
    f = Facts(cs)
    for side in _sides(cs):
        values = _ints(side)
        f.counts.update(values)
        for total in (side.calls, side.numbers, side.voicemail, side.connected):
            f.pairs.update((v, total) for v in values if v <= total)
    carriers = cs.other_numbers_by_carrier
    for name, c in carriers.items():
        f.pairs.update({(c.connected, c.calls), (c.calls - c.connected, c.calls)})
        rest_calls = sum(o.calls for n, o in carriers.items() if n != name)
        rest_ok = sum(o.connected for n, o in carriers.items() if n != name)
        f.pairs.add((rest_ok, rest_calls))
        f.counts.update({c.calls, c.connected})
    blocked_total = sum(cs.blocked_by_carrier.values())
    f.pairs.update((v, blocked_total) for v in cs.blocked_by_carrier.values())
    f.counts.update([cs.in_progress, cs.unreadable, cs.partial_summaries, cs.other_numbers_blocking,
                     cs.numbers_blocking, cs.calls_blocking, cs.other_numbers_failing_nearby, *cs.sip_codes.values(),
                     *cs.q850_causes.values(), *cs.provider_errors.values(), *cs.blocked_by_carrier.values(),
                     cs.this_number.calls + cs.in_progress + cs.unreadable])  # fmt: skip
    f.counts.add(len(result.attempts))  # the note and the CLI count the records they list
    if cs.calls_per_day is not None:
        f.counts.add(round(cs.calls_per_day))
    f.ratios = {round(100 * x / n) for x, n in f.pairs if n}
    d = result.diagnosis
    if d is not None:
        f.confidences = {round(100 * d.confidence), *(round(100 * a.confidence) for a in d.alternatives)}
    f.moments = [a.start_time for a in [*result.attempts, *result.caller_attempts]]
    f.moments += [t for t in (cs.change_at, result.query.since, result.query.until, now) if t is not None]
    return f


# --------------------------------------------------------------------------- the texts


def _strip_html(page: str) -> str:
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def _summary_claims(markdown: str) -> str:
    """The summary without its code meanings and its chart: those define codes in general, not this case."""
    head = markdown.split("**What Do the Codes Mean?**")[0]
    tail = markdown.split("> **Tip:**")[-1] if "> **Tip:**" in markdown else ""
    captions = "\n".join(line for line in markdown.splitlines() if line.startswith("_Based on"))
    return "\n".join([head, captions, tail])


def texts_of(result: LookupResult, tz: str, context: DiagnosisContext | None = None) -> Iterator[Text]:
    from sipsight.cli.text_report import render_result
    from sipsight.core.replies import render_customer, render_internal_note
    from sipsight.core.replies.summary import render_html, render_markdown

    d = result.diagnosis
    if d is not None:
        yield Text("headline", d.headline, diagnosis_words=True)
        for e in d.evidence:
            yield Text("evidence", e.text, diagnosis_words=True)
        for s in d.next_steps:
            yield Text("next step", s, diagnosis_words=True)
        for c in d.caveats:
            yield Text("caveat", c, diagnosis_words=True)
        for a in d.alternatives:
            yield Text("alternative why", a.why, diagnosis_words=True, hypothetical=True)
            yield Text("alternative how to tell", a.how_to_tell, diagnosis_words=True, hypothetical=True)
    yield Text("customer reply", render_customer(result, tz, context), reply=True)
    note = render_internal_note(result, tz).split("Call log (newest first):")[0]
    maybes = [x for a in (d.alternatives if d else []) for x in (a.why, a.how_to_tell) if x]
    yield Text("internal note", note, quoted=maybes)
    md = render_markdown(result, tz)
    yield Text("summary (md)", _summary_claims(md), export=True)
    yield Text("summary (html)", _summary_claims(_strip_html(render_html(result, tz)).replace("Tip:", "> **Tip:**")),
               export=True)  # fmt: skip
    report = render_result(result, tz, color=False)
    # the timeline lines are the records themselves (one call each); the rest of the report states claims
    body = [line for line in report.splitlines() if not re.match(r"^  \w{3} \d", line)]
    yield Text("CLI text", "\n".join(body).split("== Reply to the customer ==")[0], quoted=maybes)


# --------------------------------------------------------------------------- the checks


def _claim_holds(name: str, f: Facts, context: DiagnosisContext | None) -> bool:
    cs = f.stats
    c = cs.claims
    prior = bool(context and context.prior_contact)
    return {
        "others_fine": c.others_fine,
        "only_this_number": c.only_this_number,
        "all_rang": c.all_rang,
        "changed": c.changed or prior,
        "went_straight": cs.this_number.straight_to_voicemail > 0 or cs.other_numbers.straight_to_voicemail > 0,
        "latest_connected": c.latest_connected,
        "none_refused": c.none_refused,
        "others_blocked": c.others_blocked,
        "others_failing": c.others_failing,
        "none_failing_nearby": cs.other_numbers_failing_nearby == 0,
    }[name]


def claims_consistent(cs: CaseStats) -> list[str]:
    """The claims against the counts and the thresholds of claims.yaml, recomputed here in plain terms."""
    t = claims_data().thresholds
    o, recent, c = cs.other_numbers, cs.this_number_recent, cs.claims
    out = []
    if c.others_fine and not (
        o.calls >= t.min_other_calls.value
        and o.reached_phone / o.calls >= t.normal_reach_rate.value
        and o.conversations / o.calls >= t.normal_conversation_rate.value
    ):
        out.append(f"others_fine without the numbers: {o.reached_phone}/{o.calls} reached, {o.conversations} talks")
    if c.others_failing and not (
        o.calls >= t.min_other_calls.value and o.conversations / o.calls < t.failing_conversation_rate.value
    ):
        out.append("others_failing without the numbers")
    if c.only_this_number and not (
        c.others_fine and recent.calls >= t.min_recent_calls.value and recent.connected == 0
    ):
        out.append("only_this_number without the numbers")
    if c.changed != (cs.this_number_before.connected > 0 and recent.calls > 0 and recent.connected == 0):
        out.append("changed disagrees with the counts")
    if c.all_rang and recent.reached_phone != recent.calls:
        out.append("all_rang although some recent calls did not ring")
    if c.latest_connected != (cs.this_number.calls > 0 and recent.calls == 0):
        out.append("latest_connected disagrees with the counts")
    if c.none_refused and (cs.this_number.declined or cs.this_number.blocked):
        out.append("none_refused although calls were declined or blocked")
    if c.pattern is not None and c.pattern_count != getattr(recent, c.pattern):
        out.append("the pattern count is not the recent count of its measure")
    return out


def _date_known(month: int, day: int, year: str | None, f: Facts, zone: ZoneInfo) -> bool:
    for t in f.moments:
        for z in (ZoneInfo("UTC"), zone):
            local = t.astimezone(z)
            if (local.month, local.day) == (month, day) and (year is None or int(year) == local.year):
                return True
    return False


def check_text(t: Text, f: Facts, tz: str, context: DiagnosisContext | None) -> list[str]:
    out: list[str] = []
    zone = ZoneInfo("UTC") if tz == "UTC" else ZoneInfo(tz)
    text = t.text
    where = t.where

    def fail(message: str) -> None:
        out.append(f"{where}: {message} in {text!r}")

    # dates, with their years
    for m in DATE.finditer(text):
        month, day, year = MONTHS.index(m.group(1)) + 1, int(m.group(2)), m.group(3)
        if not _date_known(month, day, year, f, zone):
            fail(f"the date {m.group(0)!r} is no call's, no change's and not the window's")
        if year is None and (t.export or t.diagnosis_words or f.crosses_year):
            fail(f"the date {m.group(0)!r} has no year")
    plain = DATE.sub("<date>", text)
    plain = re.sub(r"\+?\d[\d\s().-]{8,}\d", "<number>", plain)  # phone numbers
    plain = re.sub(r"\b\d{4}-\d{2}-\d{2}\b", "<day>", plain)
    # N of M (P%)
    paired: set[tuple[int, int]] = set()
    for m in PAIR.finditer(plain):
        x, n = int(m.group(1)), int(m.group(2))
        paired.add((m.start(), m.end()))
        if (x, n) not in f.pairs:
            fail(f"'{m.group(0)}' is not a count and its total in the statistics")
        if m.group(3) is not None and n and int(m.group(3)) != round(100 * x / n):
            fail(f"'{m.group(0)}': {x} of {n} is not {m.group(3)}%")
    for m in ALL_N.finditer(plain):
        if int(m.group(1)) not in f.counts:
            fail(f"'{m.group(0)}' is no count in the statistics")
    for m in COUNTED.finditer(plain):
        if any(a <= m.start() < b for a, b in paired):
            continue
        if int(m.group(1)) not in f.counts:
            fail(f"'{m.group(0)}' is no count in the statistics")
    for m in PERCENT.finditer(plain):
        if any(a <= m.start() < b for a, b in paired):
            continue
        p = int(m.group(1))
        if p not in f.ratios and p not in f.confidences:
            fail(f"{p}% is neither a ratio of two counts nor a confidence")
    # qualitative claims
    claimed = text
    for quote in t.quoted:
        claimed = claimed.replace(quote, " ")
    if not t.hypothetical:
        for pattern, claim in CLAIM_WORDS:
            if re.search(pattern, claimed, re.IGNORECASE) and not _claim_holds(claim, f, context):
                fail(f"claims {claim} ({pattern}) but the statistics do not")
    if INTERNAL_IDS.search(text):
        fail(f"an internal id ({INTERNAL_IDS.search(text).group(0)}) reaches a person")
    if t.reply:
        out += _reply_numbers(t, f, plain)
    return out


def _reply_numbers(t: Text, f: Facts, plain: str) -> list[str]:
    """The customer reply states no number the statistics do not hold (durations of advice aside)."""
    rest = re.sub(r"\b\d+(?:\s*(?:to|-)\s*\d+)?\s*(?:seconds?|minutes?|hours?|days?)\b", " ", plain)
    rest = re.sub(r"https?://\S+|tel:\S+", " ", rest)
    out = []
    for m in re.finditer(r"(?<![\w.])(\d+)(?![\w%])", rest):
        if int(m.group(1)) not in f.counts:
            out.append(f"{t.where}: the number {m.group(1)} is no count of the statistics in {t.text!r}")
    return out


def problems(result: LookupResult, tz: str, now: datetime, context: DiagnosisContext | None = None) -> list[str]:
    """Every statement of every text of one lookup that the statistics do not support."""
    from sipsight.core.diagnosis import crosses_year

    f = facts_of(result, now)
    zone = ZoneInfo("UTC") if tz == "UTC" else ZoneInfo(tz)
    whole = f.stats.this_number
    times = [t for t in (whole.first, whole.last) if t] or [a.start_time for a in result.attempts]
    times = times or [result.query.since]
    # the reply and the note write local dates; the year whenever they span two, or are not the year of writing
    f.crosses_year = crosses_year([*times, result.query.until or now], zone)
    out = claims_consistent(f.stats)
    for t in texts_of(result, tz, context):
        out += check_text(t, f, tz, context)
    return out


def outcome_words_only(result: LookupResult) -> list[str]:
    """The outcome ids never reach the CLI text: each outcome is shown by its label."""
    from sipsight.cli.text_report import render_result

    text = render_result(result, "UTC", color=False)
    return [o.value for o in OutcomeClass if "_" in o.value and o.value in text]
