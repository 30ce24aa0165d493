"""SignalWire: the Twilio-compatible ("LaML"/cXML) API, which puts the SIP code on the call itself.

Same Calls.json paths and paging as Twilio under https://{space}.signalwire.com/api/laml/2010-04-01,
Basic auth with Project ID + API token, `sip_result_code` on each call, and no Voice Insights.
"""

from __future__ import annotations

import httpx

from sipsight.core.models import Attempt
from sipsight.providers.errors import NotConfigured
from sipsight.providers.http import HttpConfig, Scope
from sipsight.providers.twilio.account import TwilioCredentials
from sipsight.providers.twilio.client import TwilioClient
from sipsight.providers.twilio.records import Record, as_int, call_to_attempt
from sipsight.providers.url_policy import UnsafeUrl, check_space


def space_url(space: str) -> str:
    """'example' or 'example.signalwire.com' or an https:// URL -> https://example.signalwire.com

    A plain http:// space off this machine is refused (the API token would travel unencrypted)."""
    if not (space or "").strip():
        raise NotConfigured(
            "This SignalWire profile has no space name.",
            "Set it with 'sipsight profile add NAME --provider signalwire --space YOURSPACE ...'.",
        )
    try:
        return check_space(space)
    except UnsafeUrl as exc:
        raise NotConfigured(
            f"The SignalWire space is not usable: {exc}.",
            "Set --space to the space name (example for example.signalwire.com) or its https:// address.",
        ) from None


class SignalWireClient(TwilioClient):
    """The SignalWire provider: Twilio's client on the Compatibility API, with SignalWire's own catalog entry
    (resources/providers/signalwire.yaml), so its label, hints and status page are SignalWire's."""

    name = "signalwire"
    api_prefix = "/api/laml/2010-04-01"
    has_insights = False
    reads_subaccounts = False  # a project's calls are read by caller ID only

    def __init__(
        self,
        project_id: str,
        api_token: str,
        *,
        space: str | None = None,
        base_url: str | None = None,
        base_url_source: str | None = None,
        http_config: HttpConfig | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        root = base_url or space_url(space or "")
        super().__init__(
            TwilioCredentials.auth_token(project_id, api_token),
            base_url=root,
            base_url_source=base_url_source if base_url else None,
            subaccounts="this",
            line_type_lookup=False,
            http_config=http_config,
            transport=transport,
        )

    def _insights_probe(self, scope: Scope) -> str:
        return ""

    def provider_hosts(self) -> list[str]:
        return []  # SignalWire's links are relative: only the space itself is allowed

    def to_attempt(self, call: Record, summary: Record | None, notes: list[Record] | None) -> Attempt:
        attempt = call_to_attempt(call, None, notes, provider=self.name)
        sip = as_int(call.get("sip_result_code"), 100, 699)
        return attempt.model_copy(update={"sip_code": sip}) if sip is not None else attempt
