"""What the agent sends and keeps: the customer reply and the internal note (templates in resources/replies/),
the educational summary (`summary`) and its call-flow chart (`callflow`)."""

from sipsight.core.replies._render import (
    alternative_line,
    format_datetime,
    provider_error_phrase,
    q850_phrase,
    render_customer,
    render_internal_note,
    sip_phrase,
)

__all__ = [
    "alternative_line",
    "format_datetime",
    "provider_error_phrase",
    "q850_phrase",
    "render_customer",
    "render_internal_note",
    "sip_phrase",
]
