"""The simulator, checked with a client nobody here wrote: Twilio's official Python SDK (`twilio`, in the test
extra) pages every endpoint SIPSight's client uses, at page size 2, against a running Simulator, and reads back
exactly the scenario's calls.

The SDK is pointed at the simulator through its own extension point, `Client(..., http_client=...)`: an
`http_client` that sends each request to the simulator's origin instead of *.twilio.com (the SDK builds every URL,
query and next-page link itself; only the origin changes). The SDK's `requests` session reuses connections, so
paging also exercises keep-alive, and the Insights links (absolute, from the request's Host) must lead back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from sipsight.simulator import Simulator

twilio_rest = pytest.importorskip("twilio.rest", reason="the official twilio SDK is in the test extra")
from twilio.base.exceptions import TwilioException  # noqa: E402
from twilio.http.http_client import TwilioHttpClient  # noqa: E402

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
DEST, CALLER = "+13035550199", "+17205550100"


class SimulatorHttpClient(TwilioHttpClient):
    """The SDK's own HTTP client, with every *.twilio.com origin replaced by the simulator's."""

    def __init__(self, base_url: str) -> None:
        super().__init__(timeout=10)
        self.base_url = base_url
        self.seen: list[tuple[str, str]] = []  # (path, query) of every request, as the SDK built it

    def request(self, method, url, params=None, data=None, headers=None, auth=None, timeout=None, allow_redirects=False):  # noqa: E501
        parts = urlsplit(url)
        if parts.hostname and parts.hostname.endswith(".twilio.com"):
            url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        self.seen.append((urlsplit(url).path, urlsplit(url).query))
        return super().request(method, url, params, data, headers, auth, timeout, allow_redirects)


@pytest.fixture(scope="module")
def sdk():
    with Simulator("origin-ticket", now=NOW) as sim:
        http = SimulatorHttpClient(sim.base_url)
        client = twilio_rest.Client(sim.api_key_sid, sim.api_key_secret, sim.account_sid, http_client=http)
        yield client, sim, http
        if http.session is not None:
            http.session.close()


def test_the_call_list_pages_with_filters_like_the_scenario(sdk) -> None:
    client, sim, http = sdk
    since = NOW - timedelta(days=7)
    calls = client.calls.list(to=DEST, start_time_after=since, page_size=2)
    expected = [c for c in sim.destination_calls if c.start_time >= since.replace(hour=0, minute=0)]
    assert [c.sid for c in calls] == [c.sid for c in expected] and len(calls) > 2  # several pages
    assert any("StartTime%3E=" in q and "Page=1" in q for _, q in http.seen)  # the SDK's own next-page links
    busy = client.calls.list(status="busy", page_size=2, limit=6)
    assert busy and all(c.status == "busy" for c in busy)
    assert all(c.end_time is not None and c.duration == "0" for c in busy)  # served like live accounts
    with pytest.raises(TwilioException, match="HTTP 400") as info:  # as Twilio answers an unknown status
        client.calls.list(status="no_answer", page_size=2)
    assert "20001" in str(info.value)


def test_a_call_and_its_notifications(sdk) -> None:
    client, sim, _ = sdk
    first = sim.destination_calls[0]
    call = client.calls(first.sid).fetch()
    assert (call.sid, call.to, call._from, call.status) == (first.sid, DEST, CALLER, first.status)
    assert call.start_time == first.start_time
    assert client.calls(first.sid).notifications.list(page_size=2) == []  # a completed call has none


def test_insights_summaries_list_and_one_summary(sdk) -> None:
    client, sim, _ = sdk
    summaries = client.insights.v1.call_summaries.list(to=DEST, start_time="7d", processing_state="all", page_size=2)
    assert {s.call_sid for s in summaries} == {c.sid for c in sim.destination_calls}
    assert len(summaries) > 2  # followed meta.next_page_url (absolute, on the Host the SDK asked for)
    one = client.insights.v1.calls(sim.destination_calls[0].sid).summary().fetch()
    assert one.call_sid == sim.destination_calls[0].sid and one.properties["last_sip_response_num"] == 200
    assert one.to["country_code"] == "US"


def test_lookup_v2_line_type(sdk) -> None:
    client, _, _ = sdk
    number = client.lookups.v2.phone_numbers(DEST).fetch(fields="line_type_intelligence")
    assert number.valid and number.phone_number == DEST and number.country_code == "US"
    lti = number.line_type_intelligence
    assert lti["type"] == "mobile" and lti["carrier_name"] == "Verizon Wireless" and "error_code" in lti
    national = client.lookups.v2.phone_numbers("3035550199").fetch(country_code="US")
    assert national.phone_number == DEST


def test_accounts_and_sub_accounts(sdk) -> None:
    client, sim, _ = sdk
    accounts = client.api.v2010.accounts.list(page_size=1)  # two accounts, one per page
    assert accounts[0].sid == sim.account_sid and len(accounts) == 2
    sub = accounts[1]
    assert client.api.v2010.accounts(sub.sid).fetch().friendly_name == sub.friendly_name
    sub_calls = client.api.v2010.accounts(sub.sid).calls.list(limit=3, page_size=2)  # the demo sub-account's calls
    assert len(sub_calls) == 3 and {c.account_sid for c in sub_calls} == {sub.sid}
    assert client.api.v2010.accounts.list(status="active", page_size=2)


def test_notifications_page_for_an_account_with_errors() -> None:
    with Simulator("geo-permissions-21215", now=NOW) as sim:
        http = SimulatorHttpClient(sim.base_url)
        client = twilio_rest.Client(sim.account_sid, sim.auth_token, http_client=http)  # Account SID + token
        failed = [c for c in sim.calls if c.error_code]
        assert len(failed) > 2
        notes = client.notifications.list(log=0, page_size=2)
        assert sorted(n.call_sid for n in notes) == sorted(c.sid for c in failed)
        assert {n.error_code for n in notes} == {"21215"}
        one = client.calls(failed[0].sid).notifications.list(page_size=2)
        assert [n.error_code for n in one] == ["21215"]
        call = client.calls(failed[0].sid).fetch()
        assert call.status == "failed" and call.duration == "0" and call.end_time >= call.start_time
        if http.session is not None:
            http.session.close()
