"""The JSON the demo Intercom workspace serves, built to the official Intercom OpenAPI 2.16 schemas ([SPEC]
`admin_with_app`, `conversation`, `conversation_part`, `contact`, `contact_attached_companies`, `error`);
tests/integration/test_intercom_conformance.py validates them against the spec."""

from __future__ import annotations

import re
import uuid
from typing import Any

from sipsight.simulator.intercom.workspace import DEMO_ADMIN, TEAMMATES, WORKSPACE, ConversationFile, Workspace


def error_list(code: str, message: str) -> dict[str, Any]:
    return {"type": "error.list", "request_id": str(uuid.uuid4()), "errors": [{"code": code, "message": message}]}


def admin_with_app(space: Workspace) -> dict[str, Any]:
    return {
        "type": "admin",
        "id": DEMO_ADMIN["id"],
        "name": DEMO_ADMIN["name"],
        "email": DEMO_ADMIN["email"],
        "email_verified": True,
        "app": {"type": "app", "id_code": WORKSPACE, "name": "SIPSight demo workspace",
                "created_at": space.at(60 * 24 * 400), "secure": False, "identity_verification": False,
                "timezone": "America/Denver", "region": "US"},
        "avatar": {"type": "avatar", "image_url": None},
        "has_inbox_seat": True,
    }


def _author(author: str, name: str | None, data: ConversationFile) -> dict[str, Any]:
    if author in ("user", "lead", "contact"):
        return {"type": "user", "id": data.contact.id, "name": data.contact.name, "email": data.contact.email or ""}
    ident = TEAMMATES.get(name or "", "991267499")
    if author == "bot":
        return {"type": "bot", "id": ident, "name": name or "Operator", "email": f"operator+{WORKSPACE}@intercom.io",
                "from_ai_agent": False, "is_ai_answer": False}
    slug = re.sub(r"[^a-z]+", ".", (name or "teammate").lower()).strip(".")
    return {"type": author, "id": ident, "name": name, "email": f"{slug}@example.com"}


def _plain(body: str) -> str:
    from sipsight.simulator.intercom.sanitise import text_of

    return text_of(body)


def part(space: Workspace, data: ConversationFile, index: int, plaintext: bool) -> dict[str, Any]:
    message = data.messages[index]
    at = space.at(message.minutes_ago)
    return {
        "type": "conversation_part",
        "id": str(100000000 + index),
        "part_type": message.part_type,
        "body": _plain(message.body) if plaintext else message.body,
        "created_at": at,
        "updated_at": at,
        "notified_at": at,
        "assigned_to": None,
        "author": _author(message.author, message.name, data),
        "attachments": [],
        "external_id": None,
        "redacted": False,
        "email_message_metadata": None,
        "metadata": None,
        "state": "open",
        "tags": [],
        "event_details": None,
        "app_package_code": None,
    }


def conversation(space: Workspace, data: ConversationFile, *, plaintext: bool = False,
                 contact_id: str | None = None) -> dict[str, Any]:
    first = data.messages[0]
    created = space.at(first.minutes_ago)
    parts = [part(space, data, i, plaintext) for i in range(1, len(data.messages))]
    for posted in space.posted(data.conversation_id):
        parts.append({**posted, "body": _plain(posted["body"]) if plaintext else posted["body"]})
    updated = max([created, *(p["created_at"] for p in parts)])
    email = data.subject is not None
    return {
        "type": "conversation",
        "id": data.conversation_id,
        "title": data.subject,
        "created_at": created,
        "updated_at": updated,
        "waiting_since": created,
        "snoozed_until": None,
        "open": True,
        "state": "open",
        "read": False,
        "priority": "none",
        "admin_assignee_id": 0,
        "team_assignee_id": 0,  # 2.16: 0 when unassigned, like admin_assignee_id
        "tags": {"type": "tag.list", "tags": []},
        "conversation_rating": None,
        "source": {
            "type": "email" if email else "conversation",
            "id": str(400000000 + int(data.conversation_id[-6:])),
            "delivered_as": "customer_initiated",
            "subject": data.subject or "",
            "body": _plain(first.body) if plaintext else first.body,
            "author": _author(first.author, first.name, data),
            "attachments": [],
            "url": None,
            "redacted": False,
        },
        "contacts": {"type": "contact.list", "contacts": [
            {"type": "contact", "id": contact_id or data.contact.merged_from or data.contact.id, "external_id": None}]},
        "teammates": None,
        "custom_attributes": {},
        "first_contact_reply": {"created_at": created, "type": "email" if email else "conversation", "url": None},
        "sla_applied": None,
        "statistics": None,
        "conversation_parts": {"type": "conversation_part.list", "conversation_parts": parts,
                               "total_count": len(parts)},
        "linked_objects": {"type": "list", "data": [], "total_count": 0, "has_more": False},
        "ai_agent_participated": False,
        "ai_agent": None,
    }


def contact(space: Workspace, data: ConversationFile) -> dict[str, Any]:
    person = data.contact
    created = space.at(60 * 24 * 200)
    domain = person.email.split("@", 1)[1] if person.email and "@" in person.email else None
    companies = [data.company] if data.company else []
    return {
        "type": "contact",
        "id": person.id,
        "external_id": None,
        "workspace_id": WORKSPACE,
        "role": "user",
        "email": person.email,
        "email_domain": domain,
        "phone": person.phone,
        "name": person.name,
        "owner_id": None,
        "has_hard_bounced": False,
        "marked_email_as_spam": False,
        "unsubscribed_from_emails": False,
        "created_at": created,
        "updated_at": space.at(data.messages[0].minutes_ago),
        "signed_up_at": created,
        "last_seen_at": space.at(data.messages[0].minutes_ago),
        "last_replied_at": space.at(data.messages[0].minutes_ago),
        "last_contacted_at": None,
        "last_email_opened_at": None,
        "last_email_clicked_at": None,
        "language_override": None,
        "browser": None,
        "browser_version": None,
        "browser_language": None,
        "os": None,
        "custom_attributes": dict(person.custom_attributes),
        "avatar": None,
        "tags": {"data": [], "url": f"/contacts/{person.id}/tags", "total_count": 0, "has_more": False},
        "notes": {"data": [], "url": f"/contacts/{person.id}/notes", "total_count": 0, "has_more": False},
        "companies": {"data": [{"id": c.id, "type": "company", "url": f"/companies/{c.id}"} for c in companies],
                      "url": f"/contacts/{person.id}/companies", "total_count": len(companies), "has_more": False},
        "location": {"type": "location", "country": "United States", "region": "Colorado", "city": "Denver"},
        "social_profiles": {"data": []},
    }


def companies(space: Workspace, data: ConversationFile) -> dict[str, Any]:
    found = [data.company] if data.company else []
    created = space.at(60 * 24 * 300)
    return {
        "type": "list",
        "data": [{
            "type": "company",
            "id": c.id,
            "name": c.name,
            "app_id": WORKSPACE,
            "company_id": c.id[-6:],
            "remote_created_at": created,
            "created_at": created,
            "updated_at": created,
            "monthly_spend": 0,
            "session_count": 0,
            "user_count": 1,
            "custom_attributes": {k: v for k, v in c.custom_attributes.items() if v is not None},
            "tags": {"type": "tag.list", "tags": []},
            "segments": {"type": "segment.list", "segments": []},
        } for c in found],
        "pages": {"type": "pages", "next": None, "page": 1, "per_page": 50, "total_pages": 1},
        "total_count": len(found),
    }


def note_part(space: Workspace, body: str, author: dict[str, Any], message_type: str) -> dict[str, Any]:
    at = int(space.now.timestamp()) + len(space.received) + 1
    return {
        "type": "conversation_part",
        "id": "",
        "part_type": message_type,
        "body": body,
        "created_at": at,
        "updated_at": at,
        "notified_at": at,
        "assigned_to": None,
        "author": author,
        "attachments": [],
        "external_id": None,
        "redacted": False,
        "email_message_metadata": None,
        "metadata": None,
        "state": "open",
        "tags": [],
        "event_details": None,
        "app_package_code": "sipsight-demo",
    }
