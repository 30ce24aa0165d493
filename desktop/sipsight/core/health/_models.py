"""What a caller ID health check returns (HealthReport) and its parts; the JSON document is their dump
(docs/json-schema.md, "Health document")."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from sipsight.core.health._data import Status

BLOCK_CODES = ("603", "603+", "607", "608")  # the blocked family, counted by carrier and day


class Counts(BaseModel):
    """One slice of the caller ID's calls (a day, a carrier, a stretch): counts and the rates read from them."""

    model_config = ConfigDict(frozen=True)

    calls: int = 0  # every call in the slice
    final: int = 0  # calls with a final outcome (not still in progress)
    answered: int = 0  # answered by a person
    reached: int = 0  # rang the phone or its voicemail
    completed: int = 0  # answered by a person or a machine
    short: int = 0  # completed calls shorter than the short-call line
    numbers: int = 0  # distinct numbers called
    codes: dict[str, int] = Field(default_factory=dict)  # 603, 603+, 607, 608 -> calls
    answer_rate: float | None = None  # None: fewer final calls than a rate needs
    reach_rate: float | None = None
    short_share: float | None = None


class DayRow(Counts):
    day: str  # YYYY-MM-DD in the report's time zone


class Stretch(BaseModel):
    """The baseline (the window before the recent days) or the recent days of one carrier or of all calls."""

    final: int = 0
    answered: int = 0
    answer_rate: float | None = None


class CarrierRow(Counts):
    carrier: str  # as the provider or Lookup names it; "Carrier unknown" for numbers without one
    known: bool = True
    engine: str | None = None  # the analytics engine behind it (resources/health/engines.yaml)
    engine_source: str | None = None
    line_types: dict[str, int] = Field(default_factory=dict)  # mobile / landline / ... -> numbers
    baseline: Stretch = Field(default_factory=Stretch)
    recent: Stretch = Field(default_factory=Stretch)
    block_numbers: int = 0  # distinct numbers that answered 608 or 603+
    plain_603_numbers: int = 0
    unwanted_numbers: int = 0  # distinct numbers that answered 607
    first_block: datetime | None = None
    last_block: datetime | None = None
    codes_by_day: dict[str, dict[str, int]] = Field(default_factory=dict)  # day -> code -> calls (days with codes)
    status: Status = "healthy"
    confidence: float = 0.0


class Volume(BaseModel):
    per_day_max: int = 0
    per_day_avg: float = 0.0
    busiest_day: str | None = None
    per_week_max: int = 0
    per_day_line: int
    per_week_line: int
    over_line: bool = False


class Attestation(BaseModel):
    """SHAKEN/STIR as the provider's records carry it (Twilio Voice Insights: trust.verified_caller)."""

    verified: int = 0
    unverified: int = 0
    unknown: int = 0  # calls whose record says nothing


class Verdict(BaseModel):
    status: Status
    label: str
    headline: str
    carriers: list[str] = Field(default_factory=list)  # the carriers it names (blocked or labeled there)
    engines: list[str] = Field(default_factory=list)
    confidence: float


class EarlyWarning(BaseModel):
    text: str
    days_left: float
    label_rate: float  # the answer rate a label would bring


class RedressContact(BaseModel):
    code: str  # 608 | 603+
    carrier: str
    contact: str
    count: int
    text: str


class EngineRedress(BaseModel):
    engine: str
    carriers: list[str]
    status: Status
    portal: str | None
    portal_note: str
    source: str
    request: str  # the filled-in review request, ready to copy


class Redress(BaseModel):
    contacts: list[RedressContact] = Field(default_factory=list)
    engines: list[EngineRedress] = Field(default_factory=list)
    registry: str | None = None  # the Free Caller Registry step, filled in
    registry_url: str | None = None
    customer_reply: str | None = None  # only for a flagged caller ID (likely labeled or blocked)
    source: str = ""


class LookupUse(BaseModel):
    """How the carriers were found: from the call records, the cache, or Lookup v2 (billed, capped)."""

    from_records: int = 0  # numbers whose calls carry a carrier (Voice Insights)
    cached: int = 0
    looked_up: int = 0
    capped: int = 0  # numbers past the per-check cap: 'carrier unknown'
    failed: int = 0
    cap: int = 0
    available: bool = True  # False: the provider offers no Lookup here


class HealthReport(BaseModel):
    caller_id: str
    since: datetime
    until: datetime
    window_days: int
    tz: str
    provider: str
    demo: bool = False
    scenario: str | None = None
    totals: Counts
    baseline: Stretch
    recent: Stretch
    by_day: list[DayRow]
    by_carrier: list[CarrierRow]
    volume: Volume
    attestation: Attestation
    verdict: Verdict
    evidence: list[str]
    early_warning: EarlyWarning | None = None
    redress: Redress
    caveats: list[str] = Field(default_factory=list)
    lookups: LookupUse = Field(default_factory=LookupUse)
    facts: dict[str, str] = Field(default_factory=dict)  # every value the texts state, as they state it
