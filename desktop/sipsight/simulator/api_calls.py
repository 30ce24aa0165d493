"""The simulated API v2010 (Twilio) and its LaML twin (SignalWire): accounts, calls and a call's notifications."""

from __future__ import annotations

from sipsight.simulator import shapes
from sipsight.simulator.rest import (
    CALL_STATUSES,
    Answer,
    Request,
    enum_param,
    number_filter,
    time_filter,
    v2010_list,
)
from sipsight.simulator.served import SUBACCOUNT_SID, ServedScenario


def list_accounts(sim: ServedScenario, req: Request) -> Answer:
    accounts = [sim.account(sim.account_sid), sim.account(SUBACCOUNT_SID)]
    name = req.params.get("FriendlyName")
    status = req.params.get("Status")
    accounts = [a for a in accounts if name in (None, a["friendly_name"]) and status in (None, a["status"])]
    return v2010_list("accounts", "/2010-04-01/Accounts.json", accounts, req, lambda a: a["sid"])


def fetch_account(sim: ServedScenario, req: Request, sid: str) -> Answer:
    sim.check_account(sid)
    return 200, sim.account(sid)


def list_calls(sim: ServedScenario, req: Request, account: str) -> Answer:
    sim.check_account(account)
    params = req.params
    numbers = number_filter(params)
    status = enum_param(params, "Status", CALL_STATUSES)
    parent = params.get("ParentCallSid")
    starts = time_filter(params, "StartTime", lambda c: c.start_time)
    ends = time_filter(params, "EndTime", lambda c: c.end_time)  # served for every call that ended
    now = sim.clock()
    calls = [
        c
        for c in sim.calls_for(account)
        if c.start_time <= now
        and numbers(c)
        and (not status or c.status == status)
        and not parent
        and starts(c)
        and ends(c)
    ]
    items = [sim.call_text(c, account) for c in calls]
    path = f"{sim.prefix()}/Accounts/{account}/Calls.json"
    return v2010_list("calls", path, items, req, lambda c: c.key)


def fetch_call(sim: ServedScenario, req: Request, account: str, sid: str) -> Answer:
    call = sim.account_call(account, sid, f"/Accounts/{account}/Calls/{sid}.json")
    return 200, sim.call_json(call, account)


def list_notifications(sim: ServedScenario, req: Request, account: str, sid: str) -> Answer:
    call = sim.account_call(account, sid, f"/Accounts/{account}/Calls/{sid}")
    items = [shapes.notification(call, account)] if call.error_code else []
    if req.params.get("Log") not in (None, "", "0"):
        items = []
    path = f"/2010-04-01/Accounts/{account}/Calls/{sid}/Notifications.json"
    return v2010_list("notifications", path, items, req, lambda n: n["sid"])


def list_account_notifications(sim: ServedScenario, req: Request, account: str) -> Answer:
    """The account's notifications (every call's), newest first: `Log` and `MessageDate` filters, paging."""
    sim.check_account(account)
    calls = [c for c in sim.calls_for(account) if c.error_code and c.start_time <= sim.clock()]
    if req.params.get("Log") not in (None, "", "0"):
        calls = []
    dates = time_filter(req.params, "MessageDate", lambda c: c.start_time)
    items = [shapes.notification(c, account, account_level=True) for c in calls if dates(c)]
    path = f"/2010-04-01/Accounts/{account}/Notifications.json"
    return v2010_list("notifications", path, items, req, lambda n: n["sid"])
