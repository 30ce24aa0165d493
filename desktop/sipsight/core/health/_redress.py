"""The way out for a flagged caller ID: the redress contacts the 608/603+ answers carry, a filled-in review request
per analytics engine (its portal, the Free Caller Registry), and the customer reply. Every number they state comes
from the health statistics (the facts); the words are texts.yaml's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo

from sipsight.core.diagnosis import format_day
from sipsight.core.health._data import Texts, Thresholds, fill
from sipsight.core.health._models import CarrierRow, EngineRedress, Redress, RedressContact
from sipsight.core.health._stats import Counted, carrier_of
from sipsight.core.health._texts import UNNAMED, and_list, carrier_facts, carrier_names
from sipsight.core.health._verdict import Judgement
from sipsight.core.health.carriers_api import LineInfo
from sipsight.core.knowledge import engine_data, engine_for
from sipsight.core.models import Attempt


@dataclass(frozen=True)
class Requester:
    """Who the request and the reply speak for (the faces fill it from settings, options or the demo scenario)."""

    business: str | None = None  # the customer's business, as the engines should know it
    use_case: str | None = None  # what the calls are for
    customer: str | None = None  # the customer's name, for the reply's greeting
    signature: str | None = None  # who signs: the support team (settings: agent and company name)

    def values(self) -> dict[str, str]:
        return {
            "business": self.business or "[business name]",
            "use_case": self.use_case or "[what the calls are for, e.g. returning calls to leads who asked]",
            "customer": self.customer or "there",
            "signature": self.signature or "[your name]",
        }


def contacts(attempts: Iterable[Attempt], lines: dict[str, LineInfo], tx: Texts) -> list[RedressContact]:
    """The 603+ Reason and 608 Call-Info contacts as the records carry them, one per (code, carrier, contact)."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for a in attempts:
        code = a.sip_label
        if code in ("608", "603+") and a.redress_contact:
            carrier = carrier_of(a, lines)[0] or UNNAMED
            seen[(code, carrier, a.redress_contact)] += 1
    out = []
    for (code, carrier, contact), n in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0])):
        text = fill(tx.redress.contact, {"code": code, "carrier": carrier, "contact": contact, "count": str(n)})
        out.append(RedressContact(code=code, carrier=carrier, contact=contact, count=n, text=text))
    return out


def build(
    c: Counted,
    j: Judgement,
    attempts: list[Attempt],
    lines: dict[str, LineInfo],
    facts: dict[str, str],
    who: Requester,
    tx: Texts,
    t: Thresholds,
    zone: tzinfo,
) -> tuple[Redress, dict[str, str]]:
    """The redress for a flagged caller ID (blocked or likely labeled); for the others only the contacts, if any."""
    rx = tx.redress
    found = contacts(attempts, lines, tx)
    if j.status not in ("blocked", "likely_labeled"):
        return Redress(contacts=found, source=rx.source), {}
    reg = engine_data().registry
    values = facts | who.values()
    values |= {
        "registry": reg.name,
        "registry_url": reg.url,
        "registry_reaches": and_list(reg.reaches),
        "turnaround": reg.turnaround,
    }
    first_recent = format_day(c.recent_start, zone)
    engines: list[EngineRedress] = []
    by_engine: dict[str, list[CarrierRow]] = {}
    for row in j.carriers:
        engine = engine_for(row.carrier) if row.known else None
        by_engine.setdefault(engine.engine if engine else "", []).append(row)
    for name, rows in by_engine.items():
        story = _what_happened(rows, c, t, zone, tx, first_recent, customer=False, contacts=found)
        mine = values | {"carriers": carrier_names(rows), "what_happened": story}
        engine = next((e for e in engine_data().engines if e.engine == name), None)
        engines.append(
            EngineRedress(
                engine=name or "Unknown engine",
                carriers=[r.carrier for r in rows],
                status=j.status,
                portal=engine.portal if engine else None,
                portal_note=engine.portal_note if engine else fill(rx.registry, values),
                source=engine.source if engine else reg.source,
                request=fill(rx.request, mine),
            )
        )
    told = _what_happened(j.carriers, c, t, zone, tx, first_recent, customer=True)
    reply_values = values | {
        "what_happened_customer": told,
        "registry_clause": fill(rx.registry_clause, values),
        "engines": and_list([e.engine for e in engines if e.engine != "Unknown engine"]) or "the carriers",
    }
    redress = Redress(
        contacts=found,
        engines=engines,
        registry=fill(rx.registry, values),
        registry_url=reg.url,
        customer_reply=fill(rx.customer_reply, reply_values),
        source=rx.source,
    )
    stated = {k: v for k, v in reply_values.items() if k not in facts}
    return redress, stated


def _facts_of(c: Counted, t: Thresholds) -> dict[str, str]:
    return {"recent_days": str(t.recent_days)}


def _what_happened(
    rows: list[CarrierRow],
    c: Counted,
    t: Thresholds,
    zone: tzinfo,
    tx: Texts,
    first_recent: str,
    *,
    customer: bool,
    contacts: tuple[RedressContact, ...] | list[RedressContact] = (),
) -> str:
    """One sentence per carrier: the blocks (codes, numbers, since when) or the slide (answer rates before/after)."""
    rx = tx.redress
    parts = []
    for row in rows:
        values = _facts_of(c, t) | carrier_facts(row, c, t, zone)
        values |= {"carriers": row.carrier, "first_recent_day": first_recent}
        named = [x.contact for x in contacts if x.carrier == row.carrier]
        values["contact_line"] = fill(rx.contact_line, {"contact": named[0]}) if named else ""
        if row.status == "blocked":
            parts.append(fill(rx.customer_blocked if customer else rx.what_blocked, values))
        else:
            parts.append(fill(rx.customer_labeled if customer else rx.what_labeled, values))
    return " ".join(parts)
