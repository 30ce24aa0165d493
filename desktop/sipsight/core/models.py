"""The core's data model: what every face (CLI, GUI, training) and every provider exchanges.

Qt-free and I/O-free. The two fixed vocabularies (OutcomeClass, DiagnosisKind) drive the
timeline colours, the JSON output and the tests, so their values never change without a
schema-version bump (see docs/json-schema.md). `Family` is the diagnosis's own finer bucket of
one attempt; it lives here, beside the outcome it refines, so that the knowledge base can check
the `family` of its entries at load (knowledge sits below the diagnosis and cannot import it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class OutcomeClass(StrEnum):
    """What happened to one call attempt."""

    CONNECTED = "connected"
    VOICEMAIL = "voicemail"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    UNREACHABLE = "unreachable"
    CALLER_CANCELED = "caller_canceled"
    DECLINED = "declined"
    NETWORK_BLOCKED = "network_blocked"
    INVALID_NUMBER = "invalid_number"
    PLATFORM_REJECTED = "platform_rejected"
    CARRIER_FAILURE = "carrier_failure"
    IN_PROGRESS = "in_progress"
    UNKNOWN = "unknown"


class DiagnosisKind(StrEnum):
    """What is going on with a case (a destination, seen from one caller ID)."""

    RECIPIENT_BLOCKED = "recipient_blocked"
    CALLER_ID_FLAGGED = "caller_id_flagged"
    LIKELY_SPAM_LABELED = "likely_spam_labeled"
    VOICEMAIL_PICKUP = "voicemail_pickup"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    UNREACHABLE = "unreachable"
    INVALID_NUMBER = "invalid_number"
    CALLER_CANCELED = "caller_canceled"
    PLATFORM_RESTRICTION = "platform_restriction"
    CARRIER_FAULT = "carrier_fault"
    NORMAL = "normal"
    NO_DATA = "no_data"


class Family(StrEnum):
    """The bucket one final attempt falls into for the diagnosis (docs/diagnosis.md, "Families"): the outcome,
    refined by the code that produced it and by ring time or duration. Rules read attempts only through these."""

    CONNECTED = "connected"
    VM_FAST = "vm_fast"  # a machine answered within ~5 s: the phone never rang
    VM_MID = "vm_mid"  # a machine answered after a short ring: someone pressed Decline
    VM_RANG = "vm_rang"  # a machine answered after a full ring
    VM = "vm"  # a machine answered, ring time unknown
    BRIEF = "brief"  # answered, no answering-machine result, shorter than a conversation
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    UNREACHABLE = "unreachable"
    CANCELED = "canceled"
    DECLINE = "decline"  # plain 603
    UNWANTED = "unwanted"  # 607
    BLOCK = "block"  # 608, 603+
    INVALID = "invalid"
    FORMAT = "format"  # 484
    PLATFORM = "platform"
    CONFIG = "config"  # the caller's setup: hidden caller ID, STIR/SHAKEN, media
    CARRIER = "carrier"
    FORBIDDEN = "forbidden"  # 403
    OTHER = "other"  # nothing readable


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# --------------------------------------------------------------------------- attempts


class Attempt(BaseModel):
    """One outbound call attempt, normalised from any provider.

    `from_` is serialised as "from" (JSON schema). Times are timezone-aware UTC.
    Every field a provider cannot supply stays None: the diagnosis treats None as
    "not known", never as "no".
    """

    model_config = ConfigDict(populate_by_name=True, frozen=True)

    id: str
    start_time: datetime
    from_: str = Field(alias="from")
    to: str
    provider: str = "twilio"
    provider_status: str | None = None
    sip_code: int | None = None
    sip_reason: str | None = None  # reason phrase as received ("Network Blocked" marks 603+)
    q850_cause: int | None = None
    provider_error_code: str | None = None  # e.g. "21215" (Twilio), "D35" (Telnyx)
    answered_by: str | None = None  # human | machine_start | machine_end_* | fax | unknown
    duration_s: float | None = None  # talk time after answer
    ring_s: float | None = None  # INVITE to answer or to final failure, when known
    pdd_ms: int | None = None
    disconnected_by: str | None = None  # caller | callee | unknown
    carrier: str | None = None  # terminating carrier name
    line_type: str | None = None  # mobile | landline | voip ...
    redress_contact: str | None = None  # from a 608 jCard or a 603+ Reason text
    insights_state: str | None = None  # complete | partial | None (no Voice Insights data)
    outcome: OutcomeClass = OutcomeClass.UNKNOWN
    raw: dict[str, Any] = Field(default_factory=dict, exclude=True)  # the provider's record as received (JSON)

    @field_validator("start_time")
    @classmethod
    def _start_time_utc(cls, value: datetime) -> datetime:
        return _utc(value)

    @property
    def is_603_plus(self) -> bool:
        return self.sip_code == 603 and (self.sip_reason or "").strip().lower() == "network blocked"

    @property
    def sip_label(self) -> str | None:
        """ "603+" for Network Blocked, else the numeric code as text."""
        if self.sip_code is None:
            return None
        return "603+" if self.is_603_plus else str(self.sip_code)

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", by_alias=True)
        return data


# --------------------------------------------------------------------------- intake


class InputKind(StrEnum):
    EMPTY = "empty"
    NUMBER = "number"
    CONVERSATION = "conversation"
    LINK = "link"


class NumberRole(StrEnum):
    DESTINATION = "destination"  # the number the customer was calling
    CALLER_ID = "caller_id"  # the customer's own outbound number / caller ID
    OTHER = "other"  # neither: a support line, a callback cell, a number the customer ruled out
    UNKNOWN = "unknown"  # not decided: the agent is asked


class AuthorKind(StrEnum):
    """Who wrote a stretch of the paste, read from the transcript's own structure (docs/intake.md, "Authorship")."""

    CUSTOMER = "customer"
    AGENT = "agent"  # a teammate or admin, internal notes included
    BOT = "bot"  # Operator, Fin and other chatbots
    AUTO_REPLY = "auto_reply"  # "This is an Auto Reply", out-of-office answers
    QUOTED = "quoted"  # an earlier message quoted in a reply; `written_by` says whose it was
    ARTICLE = "article"  # a pasted help-centre or knowledge-base article
    SIGNATURE = "signature"  # an e-mail signature; `written_by` says whose it was


class MessagePart(BaseModel):
    """One stretch of the paste with one author: a message, a quoted earlier message, a signature, an article."""

    index: int
    author: AuthorKind
    written_by: AuthorKind  # the person behind it: the customer, an agent, a bot (for QUOTED and SIGNATURE too)
    name: str | None = None  # the author's name as the transcript writes it
    start: int = 0  # character offsets in the text intake read (after repairs), end exclusive
    end: int = 0
    note: bool = False  # an internal note between agents
    forwarded: bool = False  # a message passed on ("Forwarded message"): `written_by` is who passed it on

    @property
    def by_customer(self) -> bool:
        """The customer's own words: their messages and their earlier messages quoted later (not a signature)."""
        return self.written_by is AuthorKind.CUSTOMER and self.author in (AuthorKind.CUSTOMER, AuthorKind.QUOTED)


class RoleRule(StrEnum):
    """Which rule produced a piece of role evidence (docs/intake.md, "Roles", in their order)."""

    SUPPORT_LINE = "support_line"  # only in a bot, an auto-reply, an article or an agent's signature, or a support cue
    RULED_OUT = "ruled_out"  # "don't use the old one", "we stopped dialing that one"
    CALLBACK = "callback"  # "call me back at": where to reach the customer, not what they dial from
    CUE = "cue"  # a role phrase next to the number ("my caller ID is", "the seller's number")
    LINK_PARAMETER = "link_parameter"  # the name of the URL parameter holding it (to=, from=)
    SYMPTOM = "symptom"  # "(303) 555-0199 goes to voicemail": the number that fails is the one called
    BACK_REFERENCE = "back_reference"  # a cue next to its last digits elsewhere ("calls from the 0100 line")
    ANSWER = "answer"  # the customer's answer to an agent's question about which number
    OWN_NUMBER = "own_number"  # "my cell", the customer's signature: the caller ID unless the dialer's is named
    ONLY_NUMBER = "only_number"  # the one number in the paste, no cue: the number they could not reach
    LAST_LEFT = "last_left"  # the one number left once the caller ID is known
    AMBIGUOUS = "ambiguous"  # several numbers with equal claims: left for the agent


class RoleEvidence(BaseModel):
    """Why a number got its role: the rule, the words that decided it, and where they were written."""

    rule: RoleRule
    role: NumberRole  # the role this piece of evidence points to
    cue: str = ""  # the deciding words as written ("my caller ID is", "don't use the old one"); empty for defaults
    excerpt: str = ""  # a short excerpt around the mention, for the GUI's hover
    message: int | None = None  # index into Case.parts of the message the words are in
    author: AuthorKind | None = None  # that message's author kind
    weight: float = 0.0  # how strongly it points to `role` (0-1)


class CandidateNumber(BaseModel):
    e164: str
    raw: str
    role: NumberRole = NumberRole.UNKNOWN
    role_confidence: float = 0.0
    extension: str | None = None
    region: str | None = None  # ISO country the number belongs to
    context: str = ""  # a short excerpt around the mention, for the GUI
    role_evidence: list[RoleEvidence] = Field(default_factory=list)  # the deciding evidence first
    message: int | None = None  # index into Case.parts of the first mention
    author: AuthorKind | None = None  # the author kind of that message
    mentions: int = 1  # how many times the number is written in the paste


class CodeMention(BaseModel):
    """A code the customer or agent mentioned, normalised to a knowledge-base reference."""

    ref: str  # e.g. "sip:608", "sip:603+", "q850:21", "twilio:21215"
    raw: str
    message: int | None = None  # index into Case.parts of the message it was read from
    author: AuthorKind = AuthorKind.CUSTOMER  # that message's author kind
    by_customer: bool = True  # False: only an agent, a bot, an auto-reply or an article wrote it


class SymptomMention(BaseModel):
    id: str  # from resources/intake/symptoms.yaml, e.g. "straight_to_voicemail"
    label: str
    raw: str
    message: int | None = None  # index into Case.parts of the message it was read from
    author: AuthorKind = AuthorKind.CUSTOMER  # that message's author kind
    by_customer: bool = True  # False: "mentioned in the pasted text" (an agent's question, an article, a bot)


class TimeHint(BaseModel):
    raw: str
    hours_ago: float | None = None  # best estimate of how long ago, when one can be made


class ConversationLink(BaseModel):
    url: str
    platform: str  # intercom | zendesk | front | helpscout | hubspot | unknown
    conversation_id: str | None = None
    api_host: str | None = None


class Case(BaseModel):
    """What intake understood from whatever was pasted. Never raises; may be empty."""

    kind: InputKind = InputKind.EMPTY
    text_length: int = 0
    numbers: list[CandidateNumber] = Field(default_factory=list)
    codes: list[CodeMention] = Field(default_factory=list)
    symptoms: list[SymptomMention] = Field(default_factory=list)
    time_hints: list[TimeHint] = Field(default_factory=list)
    links: list[ConversationLink] = Field(default_factory=list)
    prior_contact: bool = False  # "I spoke with them before, now..." : something changed
    messages: list[str] = Field(default_factory=list)  # clear, user-facing notes ("No phone number found")
    parts: list[MessagePart] = Field(default_factory=list)  # who wrote what, in the order of the paste
    customer: str | None = None  # the customer's name, when the paste names it

    @property
    def destination(self) -> CandidateNumber | None:
        dests = [n for n in self.numbers if n.role is NumberRole.DESTINATION]
        if dests:
            return max(dests, key=lambda n: n.role_confidence)
        unknown = [n for n in self.numbers if n.role is NumberRole.UNKNOWN]
        return unknown[0] if unknown else None

    @property
    def caller_id(self) -> CandidateNumber | None:
        ids = [n for n in self.numbers if n.role is NumberRole.CALLER_ID]
        return max(ids, key=lambda n: n.role_confidence) if ids else None

    @property
    def other_numbers(self) -> list[CandidateNumber]:
        """Numbers that are neither: support lines, callback cells, numbers the customer ruled out."""
        return [n for n in self.numbers if n.role is NumberRole.OTHER]

    @property
    def customer_symptoms(self) -> list[SymptomMention]:
        """Only what the customer said happens (not an agent's question, a bot's menu or a pasted article)."""
        return [s for s in self.symptoms if s.by_customer]

    @property
    def customer_codes(self) -> list[CodeMention]:
        """Only the codes the customer wrote or pasted themselves."""
        return [c for c in self.codes if c.by_customer]


# --------------------------------------------------------------------------- diagnosis


class Evidence(BaseModel):
    text: str
    attempt_ids: list[str] = Field(default_factory=list)
    weight: float = 0.0  # how much it moved the conclusion (-1..1); for ordering and display


class Alternative(BaseModel):
    kind: DiagnosisKind
    confidence: float
    why: str
    how_to_tell: str = ""


class DataProfile(BaseModel):
    """What the attempts could show at all; drives caveats and caps confidence."""

    has_sip_codes: bool = False
    has_answered_by: bool = False
    has_caller_history: bool = False
    partial_summaries: int = 0
    provider_caveats: list[str] = Field(default_factory=list)  # from the provider ("Voice Insights is off")


class DiagnosisContext(BaseModel):
    """Optional hints beyond the attempts: what the customer said, the clock, and who signs the reply.

    `symptoms` and `codes` are the customer's own words (their message); `mentioned_symptoms` and `mentioned_codes`
    are only in the pasted text around it (an agent's answer, a quoted article). The diagnosis weighs the first as
    a weak prior and words both apart ("the customer wrote" / "mentioned in the pasted text"). Faces split intake's
    mentions by `SymptomMention.by_customer` / `CodeMention.by_customer` (`split_mentions`); a mention without that
    field counts as the customer's."""

    now: datetime | None = None
    symptoms: list[str] = Field(default_factory=list)  # SymptomMention ids the customer wrote
    codes: list[str] = Field(default_factory=list)  # CodeMention refs the customer wrote
    mentioned_symptoms: list[str] = Field(default_factory=list)  # ... only in the pasted text around it
    mentioned_codes: list[str] = Field(default_factory=list)
    prior_contact: bool = False
    data: DataProfile | None = None  # None: derive from the attempts
    # the catalog name of the provider the attempts came from (the lookup sets it): caveats name its own features
    provider: str | None = None
    # who signs the customer reply (Settings.agent_name / company_name); None: the templates' neutral wording
    agent_name: str | None = None
    company_name: str | None = None
    customer_name: str | None = None  # for the greeting, when the face knows it

    @field_validator("agent_name", "company_name", "customer_name")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @classmethod
    def from_case(cls, case: Case, **fields: Any) -> DiagnosisContext:
        """What intake found, split by who said it: the customer's own symptoms and codes, and those only mentioned
        in the pasted text (`by_customer` False on the mention). `fields` sets the rest (now, data, agent_name ...)."""
        said = [s.id for s in case.symptoms if said_by_customer(s)]
        quoted = [c.ref for c in case.codes if said_by_customer(c)]
        return cls(
            symptoms=list(dict.fromkeys(said)),
            codes=list(dict.fromkeys(quoted)),
            mentioned_symptoms=[i for i in dict.fromkeys(s.id for s in case.symptoms) if i not in said],
            mentioned_codes=[r for r in dict.fromkeys(c.ref for c in case.codes) if r not in quoted],
            prior_contact=case.prior_contact,
            **fields,
        )


def said_by_customer(mention: SymptomMention | CodeMention) -> bool:
    """True when the customer's own message said it (intake marks each mention with its author)."""
    return mention.by_customer


class CallCounts(BaseModel):
    """One set of calls, counted by the measures every text uses (docs/diagnosis.md, "Measures").

    Each final call falls into exactly one of the first fourteen counts (`connected` ... `other`); `voicemail`,
    `reached_phone` and `never_rang` add some of them up; `conversations` and `short_hangups` split `connected`."""

    model_config = ConfigDict(frozen=True)

    calls: int = 0  # final calls (in progress and unreadable ones are left out)
    numbers: int = 0  # distinct numbers they went to
    connected: int = 0  # a person answered (detection said human, or a call of 15 s or more without detection)
    answered_briefly: int = 0  # answered, no answering-machine detection, shorter than 15 s: voicemail or a person
    straight_to_voicemail: int = 0  # a machine answered within 5 s: the phone did not ring
    voicemail_after_ringing: int = 0  # a machine answered after more than 5 s of ringing
    voicemail_ring_unknown: int = 0  # a machine answered, ring time not recorded
    rang_no_answer: int = 0  # rang, and nobody (no person, no voicemail) answered
    busy: int = 0
    unreachable: int = 0  # the network could not reach the phone (off, no coverage)
    declined: int = 0  # refused by the person or their phone (603, 607, 403)
    blocked: int = 0  # blocked by a network's spam analytics (608, 603+)
    not_in_service: int = 0  # the number is not assigned or incomplete (404, 410, 604, 484)
    refused_by_platform: int = 0  # stopped by the caller's own provider or setup before it left
    network_failure: int = 0  # failed in a carrier's network (5xx)
    canceled: int = 0  # the caller's side hung up before an answer
    other: int = 0  # nothing readable about how it ended
    voicemail: int = 0  # straight_to_voicemail + voicemail_after_ringing + voicemail_ring_unknown
    reached_phone: int = (
        0  # rang or was answered: connected + answered_briefly + voicemail_after_ringing + rang_no_answer
    )
    never_rang: int = (
        0  # straight_to_voicemail + busy + unreachable + blocked + not_in_service + refused + network_failure
    )
    conversations: int = 0  # connected and lasting 6 s or more
    short_hangups: int = 0  # connected, and the person hung up within 6 s
    first: datetime | None = None  # the first and last call, UTC
    last: datetime | None = None
    by_family: dict[str, int] = Field(default_factory=dict)  # the diagnosis's finer buckets (docs/diagnosis.md)
    numbers_by_family: dict[str, int] = Field(default_factory=dict)  # distinct numbers per family

    @field_validator("first", "last")
    @classmethod
    def _when_utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else _utc(value)

    def share(self, measure: str) -> float | None:
        """count / calls for one measure (None without calls)."""
        value = getattr(self, measure)
        return value / self.calls if self.calls and isinstance(value, int) else None


class CarrierCounts(BaseModel):
    model_config = ConfigDict(frozen=True)
    calls: int = 0
    connected: int = 0


class Claims(BaseModel):
    """What the words of every text may claim, decided once from the counts and the thresholds in
    resources/diagnosis/claims.yaml. A text says "normally", "your line looks fine" or "only this number" only when
    the claim holds (docs/diagnosis.md, "Claims")."""

    model_config = ConfigDict(frozen=True)

    others_fine: bool = False  # the caller's other calls in the same hours ring and connect as usual
    others_failing: bool = False  # ... rarely reach a person either
    others_blocked: bool = False  # several other numbers blocked or declined the caller ID with a code
    only_this_number: bool = False  # others fine, and this number's recent calls all fail
    changed: bool = False  # this number connected before, and nothing has since
    latest_connected: bool = False  # the latest call to this number was answered by a person
    none_refused: bool = False  # no call to this number was declined or blocked with a code (603, 607, 608, 403)
    all_rang: bool = False  # every recent call to this number rang or was answered after ringing
    straight_to_voicemail: bool = False  # most recent calls to this number went to voicemail without ringing
    pattern: str | None = None  # the measure most recent calls to this number share (a CallCounts field)
    pattern_count: int = 0  # how many of them


class CaseStats(BaseModel):
    """Every count, rate and date the texts of one diagnosis state, computed once from the attempts (docs/diagnosis.md,
    "Measures" and "Claims"; the JSON document carries it as `diagnosis.case_stats`)."""

    model_config = ConfigDict(frozen=True)

    destination: str | None = None
    caller_id: str | None = None
    this_number: CallCounts = Field(default_factory=CallCounts)  # every final call to the number in the window
    this_number_before: CallCounts = Field(default_factory=CallCounts)  # up to the last one that connected
    this_number_recent: CallCounts = Field(default_factory=CallCounts)  # since then (all, if none connected)
    change_at: datetime | None = None  # the first call after the last connected one (None: no change seen)
    other_numbers: CallCounts = Field(default_factory=CallCounts)  # the caller's other calls: the comparison
    other_numbers_scope: Literal["same_hours", "window", "none"] = "none"  # which of the other calls that is
    other_numbers_before: CallCounts = Field(default_factory=CallCounts)  # other calls before the same hours
    other_numbers_window: CallCounts = Field(default_factory=CallCounts)  # every other call in the window
    all_numbers: CallCounts = Field(default_factory=CallCounts)  # the caller ID's calls, this number included
    other_numbers_by_carrier: dict[str, CarrierCounts] = Field(default_factory=dict)  # window, known carriers
    other_numbers_blocking: int = 0  # distinct other numbers (window) that answered 608, 603+, 603 or 607
    numbers_blocking: int = 0  # distinct numbers, this one included, that answered 608, 603+ or plain 603
    calls_blocking: int = 0  # the calls, to this number and the others, answered 608, 603+ or plain 603
    other_numbers_failing_nearby: int = 0  # other numbers failing in the network within 2 h of this one's failures
    blocked_by_carrier: dict[str, int] = Field(default_factory=dict)  # 608/603+/603/607 per carrier, every number
    calls_per_day: float | None = None  # all_numbers.calls per day over their span (at least one day)
    in_progress: int = 0  # calls to the number still in progress, left out of every count
    unreadable: int = 0  # calls to the number with neither status nor code, left out
    partial_summaries: int = 0  # Voice Insights summaries still partial (this number and the others)
    median_ring_s: float | None = None  # this number's calls where the ring time is known
    sip_codes: dict[str, int] = Field(default_factory=dict)  # this number: {"608": 3, "603+": 1}
    q850_causes: dict[str, int] = Field(default_factory=dict)  # this number: {"21": 3}
    provider_errors: dict[str, int] = Field(default_factory=dict)  # this number: {"21215": 4}
    carriers: list[str] = Field(default_factory=list)  # this number's terminating carriers
    redress_contacts: list[str] = Field(default_factory=list)
    window_crosses_year: bool = False  # the calls span two calendar years (UTC): every date names its year
    claims: Claims = Field(default_factory=Claims)

    @field_validator("change_at")
    @classmethod
    def _change_utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else _utc(value)


class Diagnosis(BaseModel):
    kind: DiagnosisKind
    confidence: float = Field(ge=0.0, le=1.0)
    headline: str
    evidence: list[Evidence] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    caveats: list[str] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)
    stats: dict[str, Any] = Field(default_factory=dict)  # the 1.0 summary keys, derived from case_stats
    case_stats: CaseStats | None = None  # every number the texts state (None: a hand-built diagnosis)


# --------------------------------------------------------------------------- lookups


class Query(BaseModel):
    # E.164. Empty only in the result of a caller-first lookup where no number stood out (nothing was looked up);
    # a provider refuses to fetch an empty destination.
    destination: str
    caller_id: str | None = None  # E.164; inferred from the attempts when None
    since: datetime
    until: datetime | None = None
    max_attempts: int = 50
    max_caller_attempts: int = 500

    @field_validator("since", "until")
    @classmethod
    def _times_utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else _utc(value)


class CallerQuery(BaseModel):
    """A caller-first lookup: every call of one caller ID, or of one sub-account (`account_sid`), in a window, to
    find which number the customer meant (the provider's `fetch_caller`; docs/providers.md)."""

    caller_id: str | None = None  # E.164
    account_sid: str | None = None  # a Twilio sub-account SID: its calls are the caller's, whatever the number
    since: datetime
    until: datetime | None = None
    max_calls: int = 1000  # the caller ID's newest calls read (one page of each list at the providers' page size)

    @field_validator("since", "until")
    @classmethod
    def _times_utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else _utc(value)

    @model_validator(mode="after")
    def _whose_calls(self) -> CallerQuery:
        if not (self.caller_id or self.account_sid):
            raise ValueError("a caller-first lookup needs the caller ID or a sub-account SID")
        return self


class Candidate(BaseModel):
    """One number a caller ID called, ranked by how well it fits "the number they meant" (core/lookup/candidates.py).
    Counts are the diagnosis's measures (CallCounts), so "connected" means what it means everywhere."""

    number: str  # E.164
    attempts: int  # final calls to it in the window (in progress and unreadable ones left out)
    connected: int  # of those, answered by a person
    last_outcome: OutcomeClass  # the outcome of the latest call
    last_call: datetime  # UTC
    change: str  # its story in one line ("Connected 3 times until Jun 12, then 5 calls went straight to voicemail")
    score: float = Field(ge=0.0, le=1.0)
    reason: str  # why it ranks where it does, in words
    signals: dict[str, float] = Field(default_factory=dict)  # each signal's strength (0-1), for the curious

    @field_validator("last_call")
    @classmethod
    def _last_utc(cls, value: datetime) -> datetime:
        return _utc(value)


class Replies(BaseModel):
    customer: str = ""
    internal_note: str = ""


class LookupResult(BaseModel):
    """Everything one lookup produced; `sipsight.core.json_document` turns it into the JSON document."""

    query: Query
    provider: str
    profile: str | None = None
    demo: bool = False
    scenario: str | None = None
    caller_id: str | None = None  # as used (given, or inferred)
    attempts: list[Attempt] = Field(default_factory=list)  # to the destination
    caller_attempts: list[Attempt] = Field(default_factory=list)  # same caller ID, other numbers
    data: DataProfile = Field(default_factory=DataProfile)
    line_type: str | None = None  # Lookup v2 line type of the destination, when fetched
    diagnosis: Diagnosis | None = None
    replies: Replies = Field(default_factory=Replies)
    request_count: int = 0
    elapsed_s: float = 0.0
    # how the destination was known: given (typed, or read from the conversation), or chosen by ranking the caller
    # ID's calls (a caller-first lookup; `candidates` then holds the ranking, best first)
    destination_source: Literal["given", "caller_ranking"] = "given"
    candidates: list[Candidate] | None = None  # None: not a caller-first lookup
    message: str | None = None  # what the agent reads first: the ranking's decision (caller-first lookups)
