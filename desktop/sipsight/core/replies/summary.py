"""The educational summary of a case, in the shape of the origin ticket's trainer write-up.

Markdown (with a mermaid flowchart whose path for this case is styled) for tickets and wikis, and a
self-contained HTML page (inline CSS, the chart as inline SVG, no script, no network) for trainers.
Texts come from resources/replies/summary.yaml (the team lead's), code meanings from the knowledge base.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from sipsight.core.diagnosis import band_word, kind_label, kind_phrase
from sipsight.core.json_document import case_stats_of
from sipsight.core.knowledge import KnowledgeBase, knowledge
from sipsight.core.models import Attempt, Diagnosis, DiagnosisKind, LookupResult
from sipsight.core.replies import callflow
from sipsight.core.replies._customer import claim_flags, customer_values, effective_diagnosis, plural
from sipsight.core.replies._format import format_datetime
from sipsight.core.replies._templates import templates
from sipsight.core.timezones import zone as zone_of

BLOCKED_FAMILY = ("603", "603+", "607", "608")
TITLE = "Educational Summary: What Was the Problem?"
LABEL_AT = 0.62  # where along an edge its label sits

# The origin ticket's one-line meanings, used when the knowledge base lacks an entry.
_ORIGIN_MEANING = {
    "603": "Call blocked by network or recipient",
    "607": "Call rejected by recipient",
    "608": "Call blocked by terminating or upstream network",
}


def _case_code_refs(attempts: Sequence[Attempt]) -> list[str]:
    """Codes of this case, most frequent first, as display labels ('608', '603+', 'Q.850 21', 'twilio 21215')."""
    counts: dict[str, int] = {}
    for a in attempts:
        labels = []
        if a.sip_label:
            labels.append(a.sip_label)
        if a.q850_cause is not None:
            labels.append(f"Q.850 {a.q850_cause}")
        if a.provider_error_code:
            labels.append(f"{a.provider}:{a.provider_error_code}")
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
    return sorted(counts, key=lambda k: -counts[k])


def _meaning(label: str, kb: KnowledgeBase) -> tuple[str, str]:
    """(title, one-line meaning) of a code label."""
    if label.startswith("Q.850 "):
        entry = kb.q850(int(label.split()[1]))
    elif ":" in label:
        entry = kb.find(label)
    else:
        entry = kb.find(f"sip:{label}")
    if entry is not None:
        return f"{label} {entry.name}", entry.agent.split(". ")[0].rstrip(".")
    return label, _ORIGIN_MEANING.get(label, "")


def code_meanings(result: LookupResult) -> list[tuple[str, str, bool]]:
    """(title, meaning, seen in this case) for the case's codes, then the rest of the blocked family."""
    kb = knowledge()
    case_codes = _case_code_refs(result.attempts)
    rows = [(*_meaning(label, kb), True) for label in case_codes]
    rows += [(*_meaning(label, kb), False) for label in BLOCKED_FAMILY if label not in case_codes]
    return rows


@dataclass(frozen=True)
class _Sections:
    """What both renderings (Markdown, HTML) say, in the order of the origin ticket's write-up. Each list holds one
    kind of item: `problem`, `identify` and `evidence` are sentences, `causes` phrases; none holds an id."""

    diagnosis: Diagnosis
    problem: list[str]  # sentences
    causes: list[str]  # phrases completing "This could be due to:"
    identify: list[str]  # sentences: what to look for in any case like this one
    evidence: list[str]  # sentences: what the records of this case show
    tip: str
    codes: list[tuple[str, str, bool]]  # (title, meaning, seen in this case)
    path: list[str]  # this case's path through the call-flow chart
    values: dict[str, str]
    based_on: str  # 'Based on 8 calls to +1 303-555-0199 from Dec 1, 2026 to Dec 6, 2026.'


def _unique(items: list[str]) -> list[str]:
    """Items in order, each once (compared without case and end punctuation)."""
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.strip().rstrip(".").lower()
        if item.strip() and key not in seen:
            seen.add(key)
            out.append(item.strip())
    return out


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _sections(result: LookupResult, tz: str) -> _Sections:
    t = templates()
    diagnosis = effective_diagnosis(result)
    values = customer_values(result, tz, year=True)  # an export: every date names its year
    flags = claim_flags(result)
    kind_texts = t.summary[diagnosis.kind]
    causes: list[str] = []
    covered: set[DiagnosisKind] = set()
    for kind, template in kind_texts.causes:
        text = template.render(values, flags)
        if text:
            causes.append(text)
            covered.add(kind)
    for alt in diagnosis.alternatives:
        if alt.kind not in covered:  # one line per cause: a ranked alternative of a kind already listed adds nothing
            causes.append(f"{kind_phrase(alt.kind)} ({band_word(alt.confidence)})")
            covered.add(alt.kind)
    problem = [kind_texts.problem.render(values, flags)]
    if diagnosis.kind is not DiagnosisKind.NO_DATA:
        problem.append(f"SIPSight's reading ({band_word(diagnosis.confidence)}): {_sentence(diagnosis.headline)}")
    identify = [text for i in kind_texts.identify if (text := i.render(values, flags))]
    identify += [g.render(values, flags) for g in t.general_identify]
    stats = case_stats_of(result)
    zone = zone_of(tz)
    based_on = ""
    if stats.this_number.calls and stats.this_number.first and stats.this_number.last:
        span = (
            f"{format_datetime(stats.this_number.first, zone, year=True)} to "
            f"{format_datetime(stats.this_number.last, zone, year=True)}"
        )
        based_on = f"Based on {plural(stats.this_number.calls, 'call')} to {values['number']} from {span}."
    return _Sections(
        diagnosis=diagnosis,
        problem=_unique([_sentence(p) for p in problem]),
        causes=_unique(causes),
        identify=_unique([_sentence(i) for i in identify]),
        evidence=_unique([_sentence(e.text) for e in diagnosis.evidence[:4]]),
        tip=kind_texts.tip.render(values, flags),
        codes=code_meanings(result),
        path=callflow.path_for(result.diagnosis, result.attempts),
        values=values,
        based_on=based_on,
    )


def _path_caption(path: Sequence[str]) -> str:
    if not path:
        return "No path is marked: there were not enough call records to place this case on the chart."
    labels = " → ".join(callflow.NODE_BY_ID[n].label for n in path)
    return f"This case's path is highlighted: {labels}."


def render_markdown(result: LookupResult, tz: str = "UTC") -> str:
    """Markdown in the origin ticket's structure, with this case's path styled in the mermaid chart."""
    s = _sections(result, tz)
    out = [f"## {TITLE}", "", "**Problem:**", ""]
    out += [f"- {p}" for p in s.problem]
    if s.causes:
        out += ["", "This could be due to:", ""]
        out += [f"- {c}" for c in s.causes]
    out += ["", "**How to Identify:**", ""]
    out += [f"- {i}" for i in s.identify]
    if s.evidence:
        out += ["", "**In this case, the records show:**", ""]
        out += [f"- {e}" for e in s.evidence]
    out += ["", "**What Do the Codes Mean?**", ""]
    for title, meaning, seen in s.codes:
        marker = " *(seen in this case)*" if seen else ""
        out.append(f"- **{title}:** {meaning}{marker}" if meaning else f"- **{title}**{marker}")
    out += [
        "",
        "---",
        "",
        "## Call Flow & Blocking: Visualized",
        "",
        "```mermaid",
        callflow.to_mermaid(s.path),
        "```",
        "",
    ]
    out.append(f"_{_path_caption(s.path)}_")
    if s.based_on:
        out.append(f"_{s.based_on}_")
    out += ["", "---", "", f"> **Tip:** {s.tip}", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#111827;background:#fff;
max-width:1100px;margin:24px auto;padding:0 16px;line-height:1.5}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:1.5rem}
.meta{color:#4b5563;font-size:.9rem}.seen{background:#fef3c7;border-radius:4px;padding:0 4px;font-size:.8rem}
.tip{border-left:4px solid #b45309;background:#fffbeb;padding:8px 12px;margin:16px 0}
.chart{overflow-x:auto;border:1px solid #e5e7eb;border-radius:6px;padding:8px}
@media print{.chart{overflow:visible;border:0}.chart svg{max-width:100%;height:auto}}
"""


_SVG_NS = ' xmlns="http://www.w3.org/2000/svg"'
# Inside the <svg> itself, so the chart is styled the same when saved as a file or drawn by QSvgRenderer.
_SVG_CSS = (
    "text{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}"
    ".node rect,.node polygon{fill:#f9fafb;stroke:#6b7280;stroke-width:1.5}"
    ".node.on-path rect,.node.on-path polygon{fill:#fde68a;stroke:#b45309;stroke-width:3}"
    ".node text{font-size:12px;fill:#111827}.node.on-path text{font-weight:600}"
    ".edge line{stroke:#9ca3af;stroke-width:1.5;fill:none}"
    ".edge.on-path line{stroke:#b45309;stroke-width:4}"
    ".edge text{font-size:11px;fill:#374151}.edge rect{fill:#fff;opacity:.9}"
    ".edge.on-path text{fill:#92400e;font-weight:600}"
)


def _clip(box: callflow.Box, toward_x: float, toward_y: float) -> tuple[float, float]:
    """Where the line from the box centre toward a point leaves the box (rectangle approximation)."""
    dx, dy = toward_x - box.x, toward_y - box.y
    if dx == 0 and dy == 0:
        return box.x, box.y
    sx = (box.width / 2) / abs(dx) if dx else float("inf")
    sy = (box.height / 2) / abs(dy) if dy else float("inf")
    scale = min(sx, sy)
    return box.x + dx * scale, box.y + dy * scale


def render_svg(path: Sequence[str], standalone: bool = False) -> str:
    """The call-flow chart as an SVG element with its own styles and no external references; `path` highlighted.

    `standalone=True` adds the SVG namespace declaration a separate .svg file needs (inline in HTML5 it
    is implied, and leaving it out keeps the page free of any URL).
    """
    boxes, width, height = callflow.pixel_layout()
    on_nodes = set(path)
    on_edges = set(callflow.path_edges(path))
    parts = [
        f'<svg{_SVG_NS if standalone else ""} role="img" aria-label="Call flow chart" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}">',
        f"<style>{_SVG_CSS}</style>",
        "<defs>"
        '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#9ca3af"/></marker>'
        '<marker id="arrow-on" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#b45309"/></marker>'
        "</defs>",
    ]
    for index, edge in enumerate(callflow.EDGES):
        a, b = boxes[edge.source], boxes[edge.target]
        if callflow.NODE_BY_ID[edge.target].layer > callflow.NODE_BY_ID[edge.source].layer:
            # downward: bottom centre to top centre keeps long fan-out lines clear of their neighbours
            x1, y1, x2, y2 = a.x, a.y + a.height / 2, b.x, b.y - b.height / 2
        else:
            x1, y1 = _clip(a, b.x, b.y)
            x2, y2 = _clip(b, a.x, a.y)
        on = index in on_edges
        cls = "edge on-path" if on else "edge"
        marker = "arrow-on" if on else "arrow"
        parts.append(
            f'<g class="{cls}" data-edge="{index}" data-from="{edge.source}" data-to="{edge.target}">'
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" marker-end="url(#{marker})"/>'
        )
        if edge.label:
            # nearer the target than the middle: fan-out targets are further apart than their shared source
            mx, my = x1 + (x2 - x1) * LABEL_AT, y1 + (y2 - y1) * LABEL_AT
            w = 7 * len(edge.label) + 8
            parts.append(
                f'<rect x="{mx - w / 2:.1f}" y="{my - 8:.1f}" width="{w}" height="16" rx="3"/>'
                f'<text x="{mx:.1f}" y="{my + 4:.1f}" text-anchor="middle">{html.escape(edge.label)}</text>'
            )
        parts.append("</g>")
    for node in callflow.NODES:
        box = boxes[node.id]
        on = node.id in on_nodes
        cls = "node on-path" if on else "node"
        parts.append(f'<g class="{cls}" data-node="{node.id}">')
        if node.shape == "decision":
            hw, hh = box.width / 2, box.height / 2
            corners = ((box.x, box.y - hh), (box.x + hw, box.y), (box.x, box.y + hh), (box.x - hw, box.y))
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)
            parts.append(f'<polygon points="{points}"/>')
        else:
            radius = box.height / 2 if node.shape == "start" else 6
            parts.append(
                f'<rect x="{box.x - box.width / 2:.1f}" y="{box.y - box.height / 2:.1f}" width="{box.width:.0f}" '
                f'height="{box.height:.0f}" rx="{radius:.0f}"/>'
            )
        lines = callflow.wrap_label(node.label, 16 if node.shape == "decision" else 22)
        top = box.y - (len(lines) - 1) * 7 + 4
        for i, line in enumerate(lines):
            parts.append(
                f'<text x="{box.x:.1f}" y="{top + i * 14:.1f}" text-anchor="middle">{html.escape(line)}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def render_html(result: LookupResult, tz: str = "UTC") -> str:
    """A self-contained HTML page of the summary: inline CSS and SVG, no script, no external resource."""
    s = _sections(result, tz)
    d = s.diagnosis
    e = html.escape
    v = s.values
    meta = f"{v['number']} · {v['dates']} · {kind_label(d.kind)}"
    if d.kind is not DiagnosisKind.NO_DATA:
        meta += f" · {band_word(d.confidence)}"
    body = [f"<h1>{e(TITLE)}</h1>", f'<p class="meta">{e(meta)}</p>', "<h2>Problem</h2><ul>"]
    body += [f"<li>{e(p)}</li>" for p in s.problem]
    body.append("</ul>")
    if s.causes:
        body.append("<p>This could be due to:</p><ul>" + "".join(f"<li>{e(c)}</li>" for c in s.causes) + "</ul>")
    body.append("<h2>How to Identify</h2><ul>")
    body += [f"<li>{e(i)}</li>" for i in s.identify]
    body.append("</ul>")
    if s.evidence:
        body.append("<h3>In this case, the records show</h3><ul>")
        body += [f"<li>{e(x)}</li>" for x in s.evidence]
        body.append("</ul>")
    body.append("<h2>What Do the Codes Mean?</h2><ul>")
    for title, meaning, seen in s.codes:
        mark = ' <span class="seen">seen in this case</span>' if seen else ""
        body.append(f"<li><strong>{e(title)}</strong>{': ' + e(meaning) if meaning else ''}{mark}</li>")
    body.append("</ul><h2>Call Flow &amp; Blocking: Visualized</h2>")
    body.append(f'<div class="chart">{render_svg(s.path)}</div>')
    body.append(f'<p class="meta">{e(_path_caption(s.path))}</p>')
    if s.based_on:
        body.append(f'<p class="meta">{e(s.based_on)}</p>')
    body.append(f'<div class="tip"><strong>Tip:</strong> {e(s.tip)}</div>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(TITLE)}</title><style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
