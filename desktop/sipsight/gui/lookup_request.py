"""What one lookup asks for, captured on the main thread so the worker reads no widget (Qt-free: tested without
a window).

`LookupForm` is what the panel says (numbers, time window, account); `build_request` turns it into a
`LookupRequest` (the core's Query and DiagnosisContext, checked by the core's one window check);
`run_request` is the pool thread's work: open the provider, run the core's one entry point (`lookup_case`: a
destination lookup, or a caller-first one when the form names no destination), close the provider.

The core's models load after the first frame (pydantic models cost start-up time), so they are imported
where they are used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from sipsight.core.lookup import CancelToken
    from sipsight.core.models import Case, DiagnosisContext, LookupResult, Query
    from sipsight.providers.http import HttpConfig

# key, what the window picker says, how far back (None: the custom dates)
WINDOWS: tuple[tuple[str, str, timedelta | None], ...] = (
    ("24h", "Last 24 hours", timedelta(hours=24)),
    ("7d", "Last 7 days", timedelta(days=7)),
    ("30d", "Last 30 days", timedelta(days=30)),
    ("custom", "Custom…", None),
)
CUSTOM = "custom"


class SessionOptions(TypedDict, total=False):
    """How the demo provider behaves (training, screenshots, tests): added latency, an injected fault, HTTP limits,
    and which provider's API it serves."""

    latency_ms: int
    fault: str | None
    http_config: HttpConfig
    demo_provider: str | None  # the provider whose API the demo serves (Settings.demo_provider)


@dataclass(frozen=True)
class TimeWindow:
    """A preset window ("24h", "7d", "30d") or, for "custom", the first and last day (inclusive, display zone)."""

    key: str = "7d"
    first_day: date | None = None
    last_day: date | None = None

    def time_range(self, now: datetime, zone: tzinfo, provider: str = "twilio") -> tuple[datetime, datetime | None]:
        """(since, until) in UTC; until None means "up to now". An InputError when `provider` (its catalog name)
        cannot answer it: an empty window, or one reaching back further than it keeps call data."""
        from sipsight.core.lookup.window import check_window, retention_of

        span = next((delta for key, _, delta in WINDOWS if key == self.key), None)
        if span is not None or self.first_day is None or self.last_day is None:
            since, until = now - (span or timedelta(days=7)), None
            what = "The time window"
        else:
            first, last = sorted((self.first_day, self.last_day))
            start = datetime.combine(first, time.min, zone)
            end = datetime.combine(last, time.max, zone)
            since, until = start.astimezone(UTC), min(end.astimezone(UTC), now)
            what = "The custom range"
        retention, note = retention_of(provider)
        check_window(
            since,
            until,
            now=now,
            retention=retention,
            retention_note=note,
            what=what,
            hint="Pick a first day before the last one, up to today.",
        )
        return since, until


@dataclass(frozen=True)
class LookupForm:
    """What the panel shows when the agent presses Look up (numbers already checked, in E.164).

    An empty `destination` asks for a caller-first lookup: which number did the customer mean, from the calls of the
    caller ID (typed, read from the conversation, the inbox contact's `contact_caller_id`, or the demo customer's)."""

    destination: str
    caller_id: str | None
    window: TimeWindow
    profile: str | None = None  # None: the demo data
    scenario: str | None = None  # demo only
    provider: str = "twilio"  # the catalog name of the account's provider (the demo: its scenario's)
    input_text: str = ""
    case: Case | None = None  # what intake read (symptoms and codes inform the diagnosis)
    agent_name: str | None = None  # who signs the customer reply (Settings); None: "The support team"
    company_name: str | None = None
    contact_caller_id: str | None = None  # the inbox contact's caller ID (a conversation link's case)
    account: tuple[str, str] | None = None  # else its sub-account: (SID, where it came from); its calls are read
    customer_name: str | None = None  # the inbox contact's name, for the reply's greeting

    @property
    def demo(self) -> bool:
        return self.profile is None


@dataclass
class LookupRequest:
    """Everything one lookup needs; `input_text` and `window` go to the history with its result."""

    query: Query
    context: DiagnosisContext
    profile: str | None = None
    demo: bool = False
    scenario: str | None = None
    tz: str = "UTC"
    input_text: str = ""
    window: str = "7d"
    session_options: SessionOptions = field(default_factory=lambda: SessionOptions())
    case: Case | None = None  # what intake read, with the roles as the form has them (see `case_for_lookup`)
    contact_caller_id: str | None = None
    account: tuple[str, str] | None = None

    @property
    def caller_first(self) -> bool:
        """No destination: the lookup finds which number the customer meant."""
        return not self.query.destination


def build_request(
    form: LookupForm, *, now: datetime, tz: str, zone: tzinfo, session_options: SessionOptions | None = None
) -> LookupRequest:
    """The request for `form` at `now`; an InputError (with a hint) when its time window cannot be looked up."""
    from sipsight.core.models import DiagnosisContext, Query

    # the demo serving another provider's API is held to that provider's retention (Bandwidth: 7 days)
    demo_provider = (session_options or {}).get("demo_provider") if form.demo else None
    since, until = form.window.time_range(now, zone, demo_provider or form.provider)
    case = form.case
    signer = {"agent_name": form.agent_name, "company_name": form.company_name}
    # the customer's own symptoms and codes apart from those only mentioned in the paste (an agent, a bot, an article)
    context = (
        DiagnosisContext.from_case(case, now=now, customer_name=form.customer_name or case.customer, **signer)
        if case is not None
        else DiagnosisContext(now=now, **signer)
    )
    return LookupRequest(
        query=Query(destination=form.destination, caller_id=form.caller_id, since=since, until=until),
        context=context,
        profile=form.profile,
        demo=form.demo,
        scenario=form.scenario if form.demo else None,
        tz=tz,
        input_text=form.input_text,
        window=form.window.key,
        session_options=SessionOptions(**(session_options or {})),
        case=case_for_lookup(case, form.caller_id) if case is not None else None,
        contact_caller_id=form.contact_caller_id,
        account=form.account,
    )


def case_for_lookup(case: Case, caller_id: str | None) -> Case:
    """The case as the form has it: the agent's boxes are what counts, so intake's numbers are left out, except the
    caller ID it read when the box still shows it (the lookup then says the caller ID came from the conversation)."""
    kept = [n for n in case.numbers if str(n.role) == "caller_id" and n.e164 == caller_id]
    return case.model_copy(update={"numbers": kept[:1]})


def run_request(request: LookupRequest, token: CancelToken) -> LookupResult:
    """Runs in a pool thread: open the provider, run the lookup (`lookup_case`), close the provider."""
    from sipsight.core.lookup import lookup_case
    from sipsight.core.models import Case
    from sipsight.providers.factory import open_provider

    with open_provider(
        profile=None if request.demo else request.profile,
        demo=request.demo,
        scenario=request.scenario if request.demo else None,
        **request.session_options,
    ) as session:
        query = request.query
        case = request.case if request.case is not None else Case()
        read = case.caller_id.e164 if case.caller_id is not None else None
        return lookup_case(
            session,
            case,
            destination=query.destination or None,
            caller_id=None if query.caller_id == read else query.caller_id,
            contact_caller_id=request.contact_caller_id,
            account_sid=request.account[0] if request.account else None,
            account_source=request.account[1] if request.account else None,
            since=query.since,
            until=query.until,
            context=request.context,
            cancel=token,
            tz=request.tz,
        )
