"""Educational summary: origin-ticket structure, the mermaid chart with this case's path, self-contained HTML."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from test_replies import DEST, load_attempts, make_result

from sipsight.core.models import Attempt, Diagnosis, DiagnosisKind, OutcomeClass, Query
from sipsight.core.replies import callflow, summary


def _diag(kind: DiagnosisKind, **stats) -> Diagnosis:
    return Diagnosis(kind=kind, confidence=0.8, headline="x", stats=stats)


def _attempt(i: int, **kw) -> Attempt:
    base = {"id": f"CAdemo{i:04d}flow", "start_time": datetime(2026, 11, 23, 10, i, tzinfo=UTC)}
    return Attempt.model_validate({**base, "from": "+17205550100", "to": DEST, **kw})


# --------------------------------------------------------------------------- call flow model


def test_chart_keeps_the_origin_ticket_nodes_and_edges_first() -> None:
    origin = [
        ("A", "B", ""),
        ("B", "C", "Normal"),
        ("C", "D", "Answered"),
        ("C", "E", "No Answer"),
        ("B", "F", "Blocked"),
        ("F", "G", ""),
        ("G", "H", "603"),
        ("G", "I", "607"),
        ("G", "J", "608"),
        ("F", "K", ""),
    ]
    assert [(e.source, e.target, e.label) for e in callflow.EDGES[:10]] == origin
    assert callflow.NODE_BY_ID["K"].label == "User Sees Call Goes Straight to Voicemail or Error"
    assert all(e.source in callflow.NODE_BY_ID and e.target in callflow.NODE_BY_ID for e in callflow.EDGES)
    # the layout never stacks two nodes on the same spot
    spots = [(n.layer, n.column) for n in callflow.NODES]
    assert len(spots) == len(set(spots))


@pytest.mark.parametrize(
    ("kind", "attempts", "expected"),
    [
        (DiagnosisKind.CALLER_ID_FLAGGED, [dict(sip_code=608), dict(sip_code=608), dict(sip_code=603)], "ABFGJ"),
        (DiagnosisKind.CALLER_ID_FLAGGED, [dict(sip_code=603, sip_reason="Network Blocked")], "ABFGP"),
        (DiagnosisKind.RECIPIENT_BLOCKED, [dict(sip_code=607)], "ABFGI"),
        (DiagnosisKind.RECIPIENT_BLOCKED, [dict(sip_code=603, sip_reason="Decline")], "ABFGH"),
        (DiagnosisKind.RECIPIENT_BLOCKED, [dict(provider_status="completed")], "ABFK"),
        (DiagnosisKind.VOICEMAIL_PICKUP, [dict(ring_s=1, outcome="voicemail")], "ABVE"),
        (DiagnosisKind.VOICEMAIL_PICKUP, [dict(ring_s=25, outcome="voicemail")], "ABCE"),
    ],
)
def test_path_follows_the_codes_and_ring_times(kind, attempts, expected) -> None:
    items = [_attempt(i, **kw) for i, kw in enumerate(attempts)]
    assert "".join(callflow.path_for(_diag(kind), items)) == expected


def test_every_kind_has_a_path_made_of_real_edges() -> None:
    for kind in DiagnosisKind:
        path = callflow.path_for(_diag(kind), [_attempt(1)])
        if kind is DiagnosisKind.NO_DATA:
            assert path == []
            continue
        assert path[0] == "A"
        assert len(callflow.path_edges(path)) == len(path) - 1, f"{kind.value}: {path} has a gap"
    assert callflow.path_for(None, []) == []


def test_mermaid_marks_the_path_with_styles_and_link_styles() -> None:
    path = ["A", "B", "F", "G", "J"]
    text = callflow.to_mermaid(path)
    assert text.startswith("flowchart TD")
    assert "class A,B,F,G,J casePath" in text
    for node in path:
        assert re.search(rf"^    style {node} fill:", text, re.M)
    # link indexes count the links in definition order: A->B is 0, B->F 4, F->G 5, G->J 8
    assert "linkStyle 0,4,5,8 stroke:" in text
    links = [line for line in text.splitlines() if "-->" in line]
    assert len(links) == len(callflow.EDGES)
    assert "style" not in callflow.to_mermaid([])


# --------------------------------------------------------------------------- Markdown


def test_markdown_has_the_origin_ticket_structure() -> None:
    result = make_result(DiagnosisKind.CALLER_ID_FLAGGED, 0.8, sip_code=608, sip_reason="Rejected", q850_cause=21)
    md = summary.render_markdown(result, tz="America/Denver")
    headings = [
        "## Educational Summary: What Was the Problem?",
        "**Problem:**",
        "**How to Identify:**",
        "**What Do the Codes Mean?**",
        "```mermaid",
        "> **Tip:**",
    ]
    positions = [md.index(h) for h in headings]
    assert positions == sorted(positions), "sections out of the origin ticket's order"
    assert "This could be due to:" in md
    assert "+1 303-555-0199" in md
    # codes in this case, then the rest of the blocked family
    assert re.search(r"\*\*608 Rejected:\*\* .+\*\(seen in this case\)\*", md)
    for code in ("603", "603+", "607"):
        assert f"**{code} " in md
    assert "class A,B,F,G,J casePath" in md
    assert "linkStyle 0,4,5,8" in md
    assert "Nov 21, 2026 09:00 MST" in md  # an export: every date names its year


def test_markdown_status_only_case_marks_the_origin_ticket_path() -> None:
    md = summary.render_markdown(make_result(DiagnosisKind.RECIPIENT_BLOCKED, 0.7))
    assert "class A,B,F,K casePath" in md
    assert "linkStyle 0,4,9 " in md
    assert "User Sees Call Goes Straight to Voicemail or Error" in md


def test_no_data_summary_marks_nothing_and_says_so() -> None:
    result = make_result(DiagnosisKind.NO_DATA, 0.2)
    md = summary.render_markdown(result)
    assert "casePath" not in md and "linkStyle" not in md
    assert "No path is marked" in md


# --------------------------------------------------------------------------- HTML


def test_html_is_self_contained_with_the_path_highlighted_in_svg() -> None:
    result = make_result(DiagnosisKind.CALLER_ID_FLAGGED, 0.8, sip_code=603, sip_reason="Network Blocked")
    page = summary.render_html(result, tz="America/Denver")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 1 and "</svg>" in page
    # gui/pdf.py swaps these blocks for QTextDocument: keep their markup stable
    assert re.search(r'<div class="chart"><svg.*?</svg></div>', page, re.S)
    assert '<div class="tip"><strong>Tip:</strong>' in page
    on_nodes = set(re.findall(r'<g class="node on-path" data-node="(\w+)"', page))
    assert on_nodes == {"A", "B", "F", "G", "P"}
    on_edges = re.findall(r'<g class="edge on-path" data-edge="(\d+)" data-from="(\w+)" data-to="(\w+)"', page)
    assert {(f, t) for _, f, t in on_edges} == {("A", "B"), ("B", "F"), ("F", "G"), ("G", "P")}
    assert len(re.findall(r'<g class="node[ "]', page)) == len(callflow.NODES)
    # nothing that would reach the network or run code
    lowered = page.lower()
    for banned in ("http://", "https://", "<script", "<link", "src=", "@import", "<iframe"):
        assert banned not in lowered, banned
    assert re.findall(r"url\(([^)]*)\)", page) and all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", page))
    for title in ("What Was the Problem?", "How to Identify", "What Do the Codes Mean?", "Tip:"):
        assert title in page


def test_html_escapes_text_from_the_data() -> None:
    attempts, _ = load_attempts()
    result = make_result(DiagnosisKind.NORMAL, 0.9)
    result.diagnosis = result.diagnosis.model_copy(update={"headline": "<b>not markup</b> & more"})
    result.attempts = [a.model_copy(update={"outcome": OutcomeClass.CONNECTED}) for a in attempts]
    page = summary.render_html(result)
    assert "&lt;b&gt;not markup&lt;/b&gt; &amp; more" in page
    assert "<b>not markup" not in page


def test_summary_end_to_end_from_the_pipeline() -> None:
    from sipsight.core.lookup import analyse

    attempts, others = load_attempts()
    result = analyse(
        Query(destination=DEST, since=datetime(2026, 11, 20, tzinfo=UTC)), attempts, others, provider="twilio"
    )
    md = summary.render_markdown(result)
    path = callflow.path_for(result.diagnosis, result.attempts)
    assert path and f"class {','.join(path)} casePath" in md


def test_standalone_svg_renders_with_its_own_styles() -> None:
    """A saved .svg (or Qt's renderer) gets the highlight without the page CSS."""
    import xml.etree.ElementTree as ET

    svg = summary.render_svg(["A", "XP"], standalone=True)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    style = root.find(f"{ns}style")
    assert style is not None and ".node.on-path rect" in style.text
    on = [g.get("data-node") for g in root.iter(f"{ns}g") if g.get("class") == "node on-path"]
    assert on == ["A", "XP"]
    assert "xmlns" not in summary.render_svg(["A"])


# --------------------------------------------------------------------------- every scenario: one kind of item per list


def _lists(md: str) -> dict[str, list[str]]:
    """The summary's lists by the heading (or lead-in line) above them."""
    out: dict[str, list[str]] = {}
    current = ""
    for line in md.split("```")[0].splitlines():
        if line.startswith("- ") and current:
            out.setdefault(current, []).append(line[2:])
        elif line.strip() and not line.startswith("- "):
            current = line.strip()
    return out


@pytest.mark.parametrize("name", sorted(__import__("sipsight.core.scenarios", fromlist=["x"]).load_scenarios(
    include_user=False).names()))  # fmt: skip
def test_each_list_holds_one_kind_of_item_each_once(name: str) -> None:
    from test_claims import NOW, scenario_lookup

    from sipsight.core.models import DiagnosisKind as K

    result, _ = scenario_lookup(name, NOW)
    md = summary.render_markdown(result, "America/Denver")
    lists = _lists(md)
    for heading in ("**Problem:**", "**How to Identify:**", "**In this case, the records show:**"):
        for item in lists.get(heading, []):
            starts = item[0].isupper() or item[0].isdigit() or item[0] == "+"
            assert starts and item.endswith((".", ")")), f"{heading} holds a non-sentence: {item!r}"
    for item in lists.get("This could be due to:", []):
        assert item[0].islower() and not item.endswith("."), f"a cause that is no phrase: {item!r}"
    for heading, items in lists.items():
        keys = [i.lower().rstrip(".") for i in items]
        assert len(keys) == len(set(keys)), f"{heading} repeats an item: {items}"
    causes = " ".join(lists.get("This could be due to:", [])).lower()
    assert causes.count("phone being off") <= 1
    assert not any(k.value in md for k in K if "_" in k.value), "a kind id in the summary"
    for m in re.finditer(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}\b(?!, \d{4})", md):
        pytest.fail(f"a date without its year in an export: {m.group(0)!r}")
