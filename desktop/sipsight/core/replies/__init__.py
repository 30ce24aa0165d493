"""What the agent sends and keeps: the customer reply and the internal note (templates in resources/replies/),
the educational summary (`summary`) and its call-flow chart (`callflow`)."""

from sipsight.core.replies._customer import claim_flags, customer_values, render_customer
from sipsight.core.replies._format import format_date, format_datetime, provider_error_phrase, q850_phrase, sip_phrase
from sipsight.core.replies._note import (
    alternative_line,
    confidence_words,
    counted,
    internal_values,
    other_calls_line,
    render_internal_note,
)
from sipsight.core.replies._templates import ReplyTemplateError, ReplyTemplates, load_templates, templates

__all__ = [
    "ReplyTemplateError",
    "ReplyTemplates",
    "alternative_line",
    "claim_flags",
    "confidence_words",
    "counted",
    "customer_values",
    "format_date",
    "format_datetime",
    "internal_values",
    "load_templates",
    "other_calls_line",
    "provider_error_phrase",
    "q850_phrase",
    "render_customer",
    "render_internal_note",
    "sip_phrase",
    "templates",
]
