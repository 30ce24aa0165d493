"""The scenario as the simulated provider account holds it: its calls, its demo credentials and accounts, and the
clock its relative time filters count from. The endpoints (api_calls.py, api_insights.py) read it; the server
(server.py) adds the HTTP side."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sipsight.core.errors import InputError
from sipsight.core.scenarios import Scenario, resolve
from sipsight.simulator import shapes
from sipsight.simulator.calls import SimCall, materialize
from sipsight.simulator.rest import HttpError, RawJson, http_error, parse_time

LAML = f"/api/laml/{shapes.API_VERSION}"
SUBACCOUNT_SID = "AC" + "0" * 31 + "1"
# the providers whose API the simulator serves: Twilio's and SignalWire's here, the others' in flavours/
PROVIDERS = ("twilio", "signalwire", "telnyx", "plivo", "vonage", "bandwidth")
_RELATIVE = re.compile(r"^(\d+)([mhdw])$")


def demo_credentials(provider: str) -> dict[str, str]:
    """Obviously fake demo credentials, built by expression (never a literal SID in the source)."""
    if provider == "signalwire":
        project = "00000000-0000-4000-8000-" + "0" * 12
        return {
            "account_sid": project,
            "auth_token": "PT" + "demo" * 10,
            "api_key_sid": project,
            "api_key_secret": "PT" + "demo" * 10,
        }
    return {
        "account_sid": "AC" + "0" * 32,
        "auth_token": "demo" + "0" * 28,
        "api_key_sid": "SK" + "0" * 32,
        "api_key_secret": "demo" + "1" * 28,
    }


class ServedScenario:
    """A scenario's calls as one provider account holds and serves them (Twilio's and SignalWire's shapes here; the
    other providers' in simulator/flavours/)."""

    def __init__(self, scenario: str | Scenario | None, provider: str | None, now: datetime | None) -> None:
        self.scenario = resolve(scenario)
        self.provider = (provider or self.scenario.provider).lower()
        if self.provider not in PROVIDERS:
            raise InputError(f"Unknown simulator provider '{provider}'.", hint=f"Use one of {', '.join(PROVIDERS)}.")
        self.now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        creds = demo_credentials(self.provider)
        self.account_sid = creds["account_sid"]
        self.auth_token = creds["auth_token"]
        self.api_key_sid = creds["api_key_sid"]
        self.api_key_secret = creds["api_key_secret"]
        self.destination_calls, self.other_calls = materialize(self.scenario, self.now)
        everything = self.destination_calls + self.other_calls
        self.calls = sorted(everything, key=lambda c: (c.start_time, c.sid), reverse=True)
        self.by_sid = {c.sid: c for c in self.calls}
        if self.provider == "signalwire":
            self.by_sid.update({shapes.signalwire_sid(c.sid): c for c in self.calls})
        self.base_url = ""
        self._started_at = time.monotonic()
        self._texts: dict[tuple[str, str, str], RawJson] = {}  # (kind, sid, account or origin) -> the record's JSON

    def clock(self) -> datetime:
        """The scenario's 'now', moving forward while the simulator runs."""
        return self.now + timedelta(seconds=time.monotonic() - self._started_at)

    # ----------------------------------------------------------------- accounts and credentials

    def authorized(self, user: str | None, password: str | None) -> bool:
        return (user, password) in ((self.account_sid, self.auth_token), (self.api_key_sid, self.api_key_secret))

    def check_account(self, sid: str) -> None:
        allowed = {self.account_sid} if self.provider == "signalwire" else {self.account_sid, SUBACCOUNT_SID}
        if sid not in allowed:
            raise http_error(404, f"The requested resource /Accounts/{sid} was not found")

    def account(self, sid: str) -> dict[str, Any]:
        name = "SIPSight demo account" if sid == self.account_sid else "SIPSight demo - dialer team"
        data = shapes.account(sid, name, self.auth_token, self.account_sid, self.now - timedelta(days=400))
        if self.provider == "signalwire":
            data["uri"] = f"{LAML}/Accounts/{sid}.json"
            data["subresource_uris"] = {"calls": f"{LAML}/Accounts/{sid}/Calls.json"}
        return data

    def calls_for(self, account: str) -> list[SimCall]:
        """The account's calls. The demo's sub-account (the dialer team's) holds the scenario's calls too, so that a
        lookup by sub-account SID (an inbox contact's attribute) finds them; a search of every account reads each
        call once all the same (by its SID)."""
        return self.calls if account in (self.account_sid, SUBACCOUNT_SID) else []

    def account_call(self, account: str, sid: str, resource: str) -> SimCall:
        """The call `sid` of `account`, or Twilio's 404 naming `resource`."""
        self.check_account(account)
        call = self.by_sid.get(sid)
        if call is None or account not in (self.account_sid, SUBACCOUNT_SID):
            raise http_error(404, f"The requested resource {resource} was not found")
        return call

    # ----------------------------------------------------------------- the flavour's shapes

    def prefix(self) -> str:
        return LAML if self.provider == "signalwire" else f"/{shapes.API_VERSION}"

    def call_json(self, call: SimCall, account: str) -> dict[str, Any]:
        if self.provider == "signalwire":
            return shapes.signalwire_call(call, account)
        return shapes.twilio_call(call, account)

    def call_text(self, call: SimCall, account: str) -> RawJson:
        """`call_json` serialized once per call and account: a list page splices these in (rest.dumps)."""
        key = ("call", call.sid, account)
        text = self._texts.get(key)
        if text is None:
            data = self.call_json(call, account)
            text = self._texts[key] = RawJson(data, str(data["sid"]))
        return text

    def summary_text(self, call: SimCall, origin: str) -> RawJson:
        """A Voice Insights summary serialized once per call and origin (its `url` names the origin)."""
        key = ("summary", call.sid, origin)
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = RawJson(shapes.summary(call, self.account_sid, origin), call.sid)
        return text

    def relative(self, raw: str | None, default: str) -> datetime:
        """A v1 time parameter: 30m, 4h, 7d, 1w back from the scenario's clock, or an ISO 8601 datetime."""
        text = (raw or default).strip()
        match = _RELATIVE.match(text)
        if match:
            unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[match[2]]
            return self.clock() - timedelta(**{unit: int(match[1])})
        parsed = parse_time(text)
        if parsed is None:
            raise HttpError(400, 20001, f"Invalid time '{text}': use 30m, 4h, 7d, 1w or an ISO 8601 datetime")
        return parsed[0]
