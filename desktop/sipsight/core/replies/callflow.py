"""The call-flow chart of the origin ticket's educational summary, as data.

One model feeds three drawings: the Markdown summary's mermaid flowchart, the HTML summary's inline
SVG, and the GUI training mode's native Qt drawing. The first ten edges are the origin ticket's
chart in its order; the rest extend it with 603+, the voicemail and label paths that leave no code,
and the other failure outcomes, so every diagnosis kind has a path to mark.

Positions are a fixed layered layout: `layer` is the row (top to bottom) and `column` the slot in
it, in grid units; `pixel_layout()` turns them into pixel boxes for any renderer.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from sipsight.core.models import Attempt, Diagnosis, DiagnosisKind, OutcomeClass


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    shape: str  # "box" | "decision" (diamond) | "start"
    layer: int
    column: float


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""


NODES: tuple[Node, ...] = (
    # the origin ticket's nodes
    Node("A", "User Initiates Call", "start", 0, 4.5),
    Node("B", "Call Routing", "decision", 1, 4.5),
    Node("C", "Seller's Phone Rings", "box", 2, 2.0),
    Node("D", "Conversation", "box", 3, 2.0),
    Node("E", "Voicemail", "box", 3, 0.0),
    Node("F", "Call Blocked", "box", 2, 5.0),
    Node("G", "Why Blocked?", "decision", 3, 5.5),
    Node("H", "Blocked by Network or Recipient", "box", 4, 4.0),
    Node("I", "Rejected by Recipient", "box", 4, 6.0),
    Node("J", "Blocked by Terminating/Upstream Network", "box", 4, 7.0),
    Node("K", "User Sees Call Goes Straight to Voicemail or Error", "box", 3, 4.0),
    # extensions
    Node("P", "Network Blocked by Carrier Analytics", "box", 4, 5.0),
    Node("V", "Sent Straight to Voicemail", "box", 2, 0.0),
    Node("L", "Shown as 'Spam Likely'", "box", 2, 1.0),
    Node("Q", "Rang Out, No Voicemail", "box", 3, 1.0),
    Node("CC", "Caller Hung Up Before Answer", "box", 3, 3.0),
    Node("XP", "Refused by the Calling Provider", "box", 1, 7.5),
    Node("X", "Why Not Completed?", "decision", 2, 7.5),
    Node("XB", "Line Busy", "box", 3, 6.5),
    Node("XU", "Phone Off or Unreachable", "box", 3, 7.5),
    Node("XI", "Number Not in Service", "box", 3, 8.5),
    Node("XC", "Network or Carrier Fault", "box", 3, 9.5),
)

EDGES: tuple[Edge, ...] = (
    # the origin ticket's edges, in its order (mermaid linkStyle indexes depend on it)
    Edge("A", "B"),
    Edge("B", "C", "Normal"),
    Edge("C", "D", "Answered"),
    Edge("C", "E", "No Answer"),
    Edge("B", "F", "Blocked"),
    Edge("F", "G"),
    Edge("G", "H", "603"),
    Edge("G", "I", "607"),
    Edge("G", "J", "608"),
    Edge("F", "K"),
    # extensions
    Edge("G", "P", "603+"),
    Edge("B", "V", "Diverted"),
    Edge("V", "E"),
    Edge("B", "L", "Labeled"),
    Edge("L", "C"),
    Edge("C", "Q", "Rang Out"),
    Edge("C", "CC", "Caller Hangs Up"),
    Edge("A", "XP", "Refused"),
    Edge("B", "X", "Failed"),
    Edge("X", "XB", "Busy"),
    Edge("X", "XU", "Unreachable"),
    Edge("X", "XI", "Not in Service"),
    Edge("X", "XC", "Network Error"),
)

NODE_BY_ID: dict[str, Node] = {n.id: n for n in NODES}
_EDGE_INDEX: dict[tuple[str, str], int] = {(e.source, e.target): i for i, e in enumerate(EDGES)}

# the blocked-family code -> its node under "Why Blocked?"
BLOCK_CODE_NODE = {"603": "H", "603+": "P", "607": "I", "608": "J"}

_SIMPLE_PATHS: dict[DiagnosisKind, list[str]] = {
    DiagnosisKind.NORMAL: ["A", "B", "C", "D"],
    DiagnosisKind.NO_ANSWER: ["A", "B", "C", "Q"],
    DiagnosisKind.CALLER_CANCELED: ["A", "B", "C", "CC"],
    DiagnosisKind.LIKELY_SPAM_LABELED: ["A", "B", "L", "C", "E"],
    DiagnosisKind.BUSY: ["A", "B", "X", "XB"],
    DiagnosisKind.UNREACHABLE: ["A", "B", "X", "XU"],
    DiagnosisKind.INVALID_NUMBER: ["A", "B", "X", "XI"],
    DiagnosisKind.CARRIER_FAULT: ["A", "B", "X", "XC"],
    DiagnosisKind.PLATFORM_RESTRICTION: ["A", "XP"],
    DiagnosisKind.NO_DATA: [],
}

FAST_VOICEMAIL_RING_S = 10.0  # below this, voicemail answered before the phone could really ring


def edge_index(source: str, target: str) -> int | None:
    return _EDGE_INDEX.get((source, target))


def path_edges(path: Sequence[str]) -> list[int]:
    """Indexes into EDGES of the consecutive pairs of `path` that are edges."""
    out = []
    for a, b in itertools.pairwise(path):
        index = edge_index(a, b)
        if index is not None:
            out.append(index)
    return out


def _blocked_code(attempts: Sequence[Attempt]) -> str | None:
    counts = Counter(a.sip_label for a in attempts if a.sip_label in BLOCK_CODE_NODE)
    if not counts:
        return None
    # ties go to the most specific code (603+ over 608 over 607 over 603)
    order = ["603+", "608", "607", "603"]
    return max(counts, key=lambda c: (counts[c], -order.index(c)))


def path_for(diagnosis: Diagnosis | None, attempts: Sequence[Attempt]) -> list[str]:
    """This case's path through the chart, as node ids from "A" to the outcome ([] with no data)."""
    if diagnosis is None:
        return []
    kind = diagnosis.kind
    if kind in (DiagnosisKind.RECIPIENT_BLOCKED, DiagnosisKind.CALLER_ID_FLAGGED):
        code = _blocked_code(attempts)
        if code is not None:
            return ["A", "B", "F", "G", BLOCK_CODE_NODE[code]]
        # no code (status-only data, or a handset block answering with voicemail): what the user sees
        return ["A", "B", "F", "K"]
    if kind is DiagnosisKind.VOICEMAIL_PICKUP:
        rings = [a.ring_s for a in attempts if a.outcome is OutcomeClass.VOICEMAIL and a.ring_s is not None]
        ring = diagnosis.stats.get("median_ring_s")
        if ring is None and rings:
            ring = median(rings)
        if ring is not None and float(ring) < FAST_VOICEMAIL_RING_S:
            return ["A", "B", "V", "E"]
        return ["A", "B", "C", "E"]
    return list(_SIMPLE_PATHS.get(kind, []))


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Box:
    id: str
    x: float  # centre
    y: float  # centre
    width: float
    height: float


NODE_WIDTH = 150.0
NODE_HEIGHT = 52.0
COLUMN_GAP = 165.0
LAYER_GAP = 130.0
MARGIN = 20.0


def pixel_layout(
    node_width: float = NODE_WIDTH,
    node_height: float = NODE_HEIGHT,
    column_gap: float = COLUMN_GAP,
    layer_gap: float = LAYER_GAP,
    margin: float = MARGIN,
) -> tuple[dict[str, Box], float, float]:
    """Pixel boxes for every node, and the drawing's (width, height)."""
    min_col = min(n.column for n in NODES)
    boxes = {}
    for n in NODES:
        height = node_height * 1.25 if n.shape == "decision" else node_height
        x = margin + node_width / 2 + (n.column - min_col) * column_gap
        y = margin + node_height * 0.625 + n.layer * layer_gap
        boxes[n.id] = Box(n.id, x, y, node_width, height)
    width = max(b.x + b.width / 2 for b in boxes.values()) + margin
    height = max(b.y + b.height / 2 for b in boxes.values()) + margin
    return boxes, width, height


def wrap_label(label: str, width_chars: int = 20) -> list[str]:
    """Split a node label into lines of about `width_chars` for drawings without text wrapping."""
    lines: list[str] = []
    current = ""
    for word in label.split():
        candidate = f"{current} {word}".strip()
        if current and len(candidate) > width_chars:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


# --------------------------------------------------------------------------- mermaid

PATH_STYLE = "fill:#fde68a,stroke:#b45309,stroke-width:3px,color:#111827"
PATH_LINK_STYLE = "stroke:#b45309,stroke-width:4px"


def _mermaid_node(node: Node) -> str:
    label = node.label.replace('"', "'")
    if node.shape == "decision":
        return f'{node.id}{{"{label}"}}'
    if node.shape == "start":
        return f'{node.id}(["{label}"])'
    return f'{node.id}["{label}"]'


def to_mermaid(path: Sequence[str] = ()) -> str:
    """The flowchart as mermaid source; the nodes and links of `path` get the highlight style."""
    lines = ["flowchart TD"]
    declared: set[str] = set()

    def ref(node_id: str) -> str:
        if node_id in declared:
            return node_id
        declared.add(node_id)
        return _mermaid_node(NODE_BY_ID[node_id])

    for edge in EDGES:
        arrow = f"-->|{edge.label}|" if edge.label else "-->"
        lines.append(f"    {ref(edge.source)} {arrow} {ref(edge.target)}")
    if path:
        lines.append(f"    classDef casePath {PATH_STYLE}")
        lines.append(f"    class {','.join(path)} casePath")
        for node_id in path:
            lines.append(f"    style {node_id} {PATH_STYLE}")
        links = path_edges(path)
        if links:
            lines.append(f"    linkStyle {','.join(str(i) for i in links)} {PATH_LINK_STYLE}")
    return "\n".join(lines)
