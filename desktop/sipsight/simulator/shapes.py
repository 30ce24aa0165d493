"""The JSON shapes the simulator serves, built to the official Twilio OpenAPI schemas (and SignalWire's
Compatibility API), so a client written against the simulator works against the real service.

tests/test_simulator_conformance.py validates every builder's output against the official spec.
Fields the real service may leave null but the spec declares non-nullable are omitted, not nulled.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import lru_cache
from typing import Any

import phonenumbers

from sipsight.simulator.calls import SimCall

API_VERSION = "2010-04-01"

# Twilio call status -> Voice Insights call_state (spec enum summary_enum_call_state)
CALL_STATE = {
    "completed": "completed",
    "busy": "busy",
    "failed": "fail",
    "no-answer": "noanswer",
    "canceled": "canceled",
    "in-progress": "answered",
    "ringing": "ringing",
    "queued": "undialed",
}

# Line type as Lookup v2 names it, from the connection type Insights reports.
LINE_TYPE = {"mobile": "mobile", "landline": "landline", "voip": "nonFixedVoip"}
# Mobile country/network codes of the big three US wireless carriers (public MCC/MNC assignments).
MCC_MNC = {"Verizon Wireless": ("311", "480"), "T-Mobile USA, Inc.": ("310", "260"), "AT&T Wireless": ("310", "410")}

# Notification text for the Twilio error codes scenarios use (twilio.com/docs/api/errors/<code>).
ERROR_TEXT = {
    "21215": "Account not authorized to call {to}. Perhaps you need to enable some international permissions: "
    "https://www.twilio.com/console/voice/calls/geo-permissions/low-risk",
    "21216": "Call blocked by Twilio",
    "21217": "Phone number does not appear to be valid",
    "13224": "Dial: Twilio does not support calling this number or the number is invalid",
    "13227": "Dial: No International Authorization",
    "10001": "Account is not active",
}


def rfc2822(value: datetime | None) -> str | None:
    return None if value is None else format_datetime(value.astimezone(UTC))


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hex_sid(prefix: str, *parts: object) -> str:
    return prefix + hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:32]


def formatted(number: str) -> str:
    """Twilio's display form: '(303) 555-0199' for NANP numbers, E.164 otherwise."""
    digits = number[2:] if number.startswith("+1") else ""
    if len(digits) == 10 and digits.isdigit():
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return number


def _parsed(number: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None


@lru_cache(maxsize=4096)  # a page of 1,000 summaries names a few hundred numbers; parsing is the slow part
def country_of(number: str) -> str | None:
    """The ISO country of a number as its numbering plan says (+1 876 is JM, +1 604 is CA), not "US" for every +1."""
    parsed = _parsed(number)
    return phonenumbers.region_code_for_number(parsed) if parsed is not None else None


UNANSWERED = ("busy", "failed", "no-answer", "canceled")


def error_body(code: int, message: str, status: int) -> dict[str, Any]:
    """Twilio's REST error body (the spec's error schema: code, message, more_info, status)."""
    more_info = f"https://www.twilio.com/docs/errors/{code}"
    return {"code": code, "message": message, "more_info": more_info, "status": status}


# --------------------------------------------------------------------------- API v2010


def call_uri(prefix: str, account: str, sid: str) -> str:
    return f"{prefix}/Accounts/{account}/Calls/{sid}.json"


def twilio_call(call: SimCall, account: str, prefix: str = f"/{API_VERSION}", sid: str | None = None) -> dict[str, Any]:
    answered = call.status == "completed"
    ended = answered or call.status in UNANSWERED
    sid = sid or call.sid
    base = call_uri(prefix, account, sid)[: -len(".json")]
    return {
        "sid": sid,
        "date_created": rfc2822(call.start_time),
        "date_updated": rfc2822(call.end_time or call.start_time),
        "parent_call_sid": None,
        "account_sid": account,
        "to": call.to,
        "to_formatted": formatted(call.to),
        "from": call.from_,
        "from_formatted": formatted(call.from_),
        "phone_number_sid": hex_sid("PN", account, call.from_),
        "status": call.status,
        "start_time": rfc2822(call.start_time),
        # as live accounts show them: a call that ended has its end time, and an unanswered one lasted "0" seconds
        "end_time": rfc2822(call.end_time) if ended else None,
        "duration": (str(call.duration_s or 0) if answered else "0") if ended else None,
        "price": f"-{0.014 * max(1, -(-(call.duration_s or 0) // 60)):.5f}" if answered else None,
        "price_unit": "USD",
        "direction": "outbound-api",
        "answered_by": call.answered_by,
        "api_version": API_VERSION,
        "forwarded_from": None,
        "group_sid": None,
        "caller_name": None,
        "queue_time": "0",
        "trunk_sid": None,
        "uri": f"{base}.json",
        "subresource_uris": {
            name: f"{base}/{path}.json"
            for name, path in (
                ("notifications", "Notifications"),
                ("recordings", "Recordings"),
                ("payments", "Payments"),
                ("events", "Events"),
                ("siprec", "Siprec"),
                ("streams", "Streams"),
                ("transcriptions", "Transcriptions"),
                ("user_defined_message_subscriptions", "UserDefinedMessageSubscriptions"),
                ("user_defined_messages", "UserDefinedMessages"),
            )
        },
    }


def signalwire_call(call: SimCall, project: str) -> dict[str, Any]:
    """SignalWire's Compatibility API call: Twilio's shape plus sip_result_code, UUID SIDs, direction 'outbound'."""
    data = twilio_call(call, project, prefix=f"/api/laml/{API_VERSION}", sid=signalwire_sid(call.sid))
    data.update(
        {
            "phone_number_sid": str(uuid.UUID(hex=hex_sid("", project, call.from_))),
            "direction": "outbound",
            "caller_name": None,
            "forwarded_from": None,
            "sip_result_code": str(call.sip_code) if call.sip_code is not None else None,
            "audio_in_mos": None,
            "audio_rtt_avg": None,
            "audio_rtt_min": None,
            "audio_rtt_max": None,
            "audio_out_jitter_min": None,
            "audio_out_jitter_max": None,
            "audio_out_jitter_avg": None,
            "audio_out_lost": None,
        }
    )
    return data


def signalwire_sid(twilio_sid: str) -> str:
    return str(uuid.UUID(hex=twilio_sid[2:]))


def notification(call: SimCall, account: str, *, account_level: bool = False) -> dict[str, Any]:
    code = call.error_code or ""
    sid = hex_sid("NO", call.sid, code)
    owner = f"/{API_VERSION}/Accounts/{account}" + ("" if account_level else f"/Calls/{call.sid}")
    return {
        "account_sid": account,
        "api_version": API_VERSION,
        "call_sid": call.sid,
        "date_created": rfc2822(call.start_time),
        "date_updated": rfc2822(call.start_time),
        "error_code": code,
        "log": "0",  # 0 = ERROR
        "message_date": rfc2822(call.start_time),
        "message_text": ERROR_TEXT.get(code, "Call failed").format(to=call.to),
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "request_method": "POST",
        "request_url": f"https://api.twilio.com/{API_VERSION}/Accounts/{account}/Calls.json",
        "sid": sid,
        "uri": f"{owner}/Notifications/{sid}.json",
    }


def account(sid: str, friendly_name: str, auth_token: str, owner: str, created: datetime) -> dict[str, Any]:
    base = f"/{API_VERSION}/Accounts/{sid}"
    return {
        "auth_token": auth_token,
        "date_created": rfc2822(created),
        "date_updated": rfc2822(created),
        "friendly_name": friendly_name,
        "owner_account_sid": owner,
        "sid": sid,
        "status": "active",
        "subresource_uris": {
            "calls": f"{base}/Calls.json",
            "notifications": f"{base}/Notifications.json",
            "incoming_phone_numbers": f"{base}/IncomingPhoneNumbers.json",
        },
        "type": "Full",
        "uri": f"{base}.json",
    }


# --------------------------------------------------------------------------- Voice Insights


def _number_prefix(number: str) -> str:
    return number[1:5] if number.startswith("+1") else number[1:3]


def summary(call: SimCall, account_sid: str, base_url: str) -> dict[str, Any]:
    """A Voice Insights call summary; SIP facts go in `properties` as on the real service.

    Beyond the documented properties (last_sip_response_num, pdd_ms, disconnected_by, direction),
    the simulator adds `q850_cause` (as Twilio's Event Streams payload carries it),
    `last_sip_response_reason` and `redress_contact`, so a client can see 603+ and 608 redress details.
    """
    answered = call.status == "completed"
    partial = call.processing_state == "partial"
    ring = call.ring_s or 0.0
    props: dict[str, Any] = {"direction": "outbound_api", "queue_time": 0}
    if call.sip_code is not None:
        props["last_sip_response_num"] = call.sip_code
    if call.sip_reason:
        props["last_sip_response_reason"] = call.sip_reason
    if call.q850_cause is not None:
        props["q850_cause"] = call.q850_cause
    if call.redress_contact:
        props["redress_contact"] = call.redress_contact
    if not partial:  # a partial summary has not been assembled yet: some facts are still missing
        if call.pdd_ms is not None:
            props["pdd_ms"] = call.pdd_ms
        if call.disconnected_by:
            props["disconnected_by"] = call.disconnected_by
    to: dict[str, Any] = {"callee": call.to, "number_prefix": _number_prefix(call.to)}
    country = country_of(call.to)
    if country:
        to["country_code"] = country
    if call.carrier:
        to["carrier"] = call.carrier
    if call.connection:
        to["connection"] = call.connection
    return {
        "account_sid": account_sid,
        "call_sid": call.sid,
        "call_type": "carrier",
        "call_state": CALL_STATE.get(call.status, "completed"),
        "answered_by": call.answered_by,
        "processing_state": call.processing_state,
        "created_time": iso(call.start_time),
        "start_time": iso(call.start_time),
        "end_time": iso(call.end_time),
        "duration": round(ring + (call.duration_s or 0)) if call.end_time else None,
        "connect_duration": call.duration_s if answered else None,
        "from": {
            "caller": call.from_,
            "number_prefix": _number_prefix(call.from_),
            "country_code": country_of(call.from_) or "US",
            "connection": "voip",
            "carrier": "Twilio",
        },
        "to": to,
        "carrier_edge": {"properties": {"direction": "outbound", "media_region": "us1", "signaling_region": "us1"}},
        "client_edge": None,
        "sdk_edge": None,
        "sip_edge": None,
        "tags": [],
        "url": f"{base_url}/v1/Voice/{call.sid}/Summary",
        "attributes": {"conference_participant": False},
        "properties": props,
        "trust": {"verified_caller": {"verified": True}},
        "annotation": None,
    }


def lookup(number: str, call: SimCall | None, fields: list[str], base_url: str) -> dict[str, Any]:
    parsed = _parsed(number)
    valid = parsed is not None and phonenumbers.is_valid_number(parsed)
    data: dict[str, Any] = {
        "calling_country_code": str(parsed.country_code) if parsed is not None else None,
        "country_code": country_of(number),
        "phone_number": number,
        "national_format": phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        if parsed is not None
        else None,
        "valid": valid,
        "validation_errors": [] if valid else ["INVALID_BUT_POSSIBLE"],
        "url": f"{base_url}/v2/PhoneNumbers/{number}",
    }
    if "line_type_intelligence" in fields:
        kind = LINE_TYPE.get((call.connection if call else None) or "", "unknown")
        # Every key is there, as the live service sends it; the carrier fields are null when unknown, and always
        # for the types without a carrier (unknown, tollFree, personal, ...: twilio-and-signalwire.md §3)
        carrier = call.carrier if call and call.carrier and kind in LINE_TYPE.values() else None
        mcc, mnc = MCC_MNC.get(carrier or "", (None, None))
        data["line_type_intelligence"] = {
            "mobile_country_code": mcc,
            "mobile_network_code": mnc,
            "carrier_name": carrier,
            "type": kind,
            "error_code": None,
        }
    return data


def invalid_lookup(raw: str, base_url: str) -> dict[str, Any]:
    return {
        "calling_country_code": None,
        "country_code": None,
        "phone_number": raw,
        "national_format": None,
        "valid": False,
        "validation_errors": ["NOT_A_NUMBER"],
        "url": f"{base_url}/v2/PhoneNumbers/{raw}",
    }


def alert(call: SimCall, account_sid: str, base_url: str) -> dict[str, Any]:
    code = call.error_code or ""
    sid = hex_sid("NO", "alert", call.sid, code)
    return {
        "account_sid": account_sid,
        "alert_text": ERROR_TEXT.get(code, "Call failed").format(to=call.to),
        "api_version": API_VERSION,
        "date_created": iso(call.start_time),
        "date_generated": iso(call.start_time),
        "date_updated": iso(call.start_time),
        "error_code": code,
        "log_level": "error",
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "request_method": "POST",
        "request_url": f"https://api.twilio.com/{API_VERSION}/Accounts/{account_sid}/Calls.json",
        "resource_sid": call.sid,
        "sid": sid,
        "url": f"{base_url}/v1/Alerts/{sid}",
        "service_sid": None,
    }
