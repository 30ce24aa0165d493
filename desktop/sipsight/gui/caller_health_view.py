"""The Caller ID view (docs/health.md): is the customer's caller ID labeled or blocked, on which carriers, and the
way out. One click from a lookup (the results' "Caller ID health" link): a window beside the panel, as narrow as it,
with the verdict, a chart by day, a table by carrier with the engine behind each, the evidence, and the redress
drafts with copy buttons. The check runs in the background (BackgroundOp): the window never waits on the network."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sipsight.core.diagnosis import band_word
from sipsight.core.phone import pretty
from sipsight.gui.background import BackgroundOp
from sipsight.gui.clipboard import set_clipboard
from sipsight.gui.health_chart import HealthChart, _pct
from sipsight.gui.palette import is_dark

if TYPE_CHECKING:
    from sipsight.core.health import HealthReport

TONE = {"healthy": "good", "watch": "warn", "likely_labeled": "bad", "blocked": "bad"}
WIDTH = 440


@dataclass(frozen=True)
class HealthSource:
    """Where the caller ID's calls come from: the same account (or demo scenario) as the lookup it was opened from."""

    demo: bool = True
    scenario: str | None = None
    profile: str | None = None
    tz: str = "UTC"
    session_options: dict[str, Any] = field(default_factory=dict)


def check(caller_id: str, days: int, source: HealthSource) -> HealthReport:
    """Runs on a pool thread: open the provider, read the calls, name the carriers, assess."""
    from sipsight.core.health import Requester, run_health
    from sipsight.providers.factory import open_provider
    from sipsight.providers.line_lookup import carrier_source
    from sipsight.settings.store import load_settings

    settings = load_settings()
    signer = " / ".join(x for x in (settings.agent_name, settings.company_name) if x) or None
    with open_provider(
        profile=None if source.demo else source.profile,
        demo=source.demo,
        scenario=source.scenario if source.demo else None,
        **source.session_options,
    ) as session:
        business = use_case = customer = None
        if session.demo:
            from sipsight.core.scenarios import get_scenario

            scenario = get_scenario(session.scenario)
            business, use_case = scenario.business, scenario.use_case
            customer = scenario.customer_name.split()[0] if scenario.customer_name else None
        requester = Requester(business=business, use_case=use_case, customer=customer, signature=signer)
        carriers = carrier_source(session, demo_scenario=session.scenario if session.demo else None)
        return run_health(session, caller_id, days=days, carriers=carriers, requester=requester, tz=source.tz)


def _label(text: str = "", name: str | None = None, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class CallerHealthView(QWidget):
    shown = Signal(object)  # the HealthReport now on screen
    failed = Signal(object)

    def __init__(
        self,
        caller_id: str,
        source: HealthSource,
        parent: QWidget | None = None,
        redact: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        from sipsight.core.health import thresholds

        self.caller_id, self.source = caller_id, source
        # presenter mode: every number on screen masked (privacy.mask_text); the copy buttons copy the real drafts
        self.redact: Callable[[str], str] = redact or (lambda text: text)
        self.report: HealthReport | None = None
        self._generation = 0
        self.setWindowTitle(self.redact(f"Caller ID health: {pretty(caller_id)}"))
        self.resize(WIDTH, 820)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        title = _label(f"<b>{self.redact(pretty(caller_id))}</b>", None, self)
        title.setTextFormat(Qt.TextFormat.RichText)
        bar.addWidget(title, 1)
        self.window_box = QComboBox(self)
        t = thresholds()
        for days in t.windows:
            self.window_box.addItem(f"Last {days} days", days)
        self.window_box.setCurrentIndex(t.windows.index(t.default_window))
        self.window_box.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.window_box)
        outer.addLayout(bar)
        self.status = _label("", "Caption", self)
        outer.addWidget(self.status)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget(scroll)
        self.lay = QVBoxLayout(self.body)
        self.lay.setContentsMargins(0, 0, 4, 0)
        scroll.setWidget(self.body)
        outer.addWidget(scroll, 1)
        self._build_body()

    def _build_body(self) -> None:
        lay, body = self.lay, self.body
        self.card = QFrame(body)
        self.card.setObjectName("HeadlineCard")
        card = QVBoxLayout(self.card)
        self.kind = _label("", "KindLabel", self.card)
        self.headline = _label("", "Headline", self.card)
        self.warning = _label("", None, self.card)
        card.addWidget(self.kind)
        card.addWidget(self.headline)
        card.addWidget(self.warning)
        lay.addWidget(self.card)
        self.chart = HealthChart(body)
        lay.addWidget(self.chart)
        self.legend = _label("", "Caption", body)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.legend)
        self.table = QTableWidget(0, 4, body)
        self.table.setHorizontalHeaderLabels(["Carrier", "Engine", "Answered", "Status"])
        if (answered := self.table.horizontalHeaderItem(2)) is not None:
            answered.setToolTip("A person answered: before the recent days → in them")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.table)
        self.evidence = _label("", None, body)
        self.evidence.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.evidence)
        self.redress_box = QVBoxLayout()
        lay.addLayout(self.redress_box)
        self.caveats = _label("", "Caption", body)
        lay.addWidget(self.caveats)
        lay.addStretch(1)
        self.card.hide()

    # ----------------------------------------------------------------- the check

    def refresh(self) -> None:
        self._generation += 1
        generation, days = self._generation, int(self.window_box.currentData())
        self.status.setText(self.redact(f"Reading {days} days of calls from {pretty(self.caller_id)} ..."))
        BackgroundOp(op=partial(check, self.caller_id, days, self.source), success=partial(self._arrived, generation)) \
            .failure(partial(self._failed, generation)).run_in_background()  # fmt: skip

    def _arrived(self, generation: int, report: HealthReport) -> None:
        if generation == self._generation:  # a newer window choice supersedes this one
            self.show_report(report)

    def _failed(self, generation: int, err: BaseException) -> None:
        if generation != self._generation:
            return
        from sipsight.gui.lookup_controller import failure_text

        message, hint = failure_text(err)
        self.status.setText(f"{message} {hint}".strip())
        self.failed.emit(err)

    # ----------------------------------------------------------------- showing it

    def show_report(self, report: HealthReport) -> None:
        self.report = report
        v = report.verdict
        lk = report.lookups
        self.status.setText(
            f"{report.totals.calls} calls in {report.window_days} days · carriers: {lk.from_records} from the records, "
            f"{lk.cached + lk.looked_up} from Lookup" + (" · demo data" if report.demo else "")
        )
        self.card.setProperty("tone", TONE[v.status])
        self.card.style().unpolish(self.card)
        self.card.style().polish(self.card)
        self.kind.setText(f"{v.label.upper()} · {band_word(v.confidence)} ({v.confidence:.0%})")
        self.headline.setText(self.redact(v.headline))
        self.warning.setText(self.redact(report.early_warning.text) if report.early_warning else "")
        self.warning.setVisible(report.early_warning is not None)
        self.card.show()
        self.chart.set_days(report.by_day)
        self.legend.setText(_legend(is_dark(self)))
        self._fill_table(report)
        self.evidence.setText("<b>Evidence</b><ul style='margin-left:-20px'>" + "".join(
            f"<li>{_escape(self.redact(e))}</li>" for e in report.evidence) + "</ul>")  # fmt: skip
        self._fill_redress(report)
        self.caveats.setText(self.redact("\n".join(report.caveats)))
        self.caveats.setVisible(bool(report.caveats))
        self.shown.emit(report)

    def _fill_table(self, report: HealthReport) -> None:
        self.table.setRowCount(len(report.by_carrier))
        for row, r in enumerate(report.by_carrier):
            codes = " ".join(f"{k}×{n}" for k, n in r.codes.items())
            cells = [
                r.carrier,
                r.engine or "–",
                f"{_pct(r.baseline.answer_rate)}→{_pct(r.recent.answer_rate)}",
                r.status.replace("_", " ") + (f"\n{codes}" if codes else ""),
            ]
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(f"{r.carrier}: {r.calls} calls to {r.numbers} numbers; {r.engine_source or ''}")
                self.table.setItem(row, col, cell)
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(i) for i in range(self.table.rowCount()))
        self.table.setFixedHeight(rows + self.table.horizontalHeader().height() + 4)

    def _fill_redress(self, report: HealthReport) -> None:
        while self.redress_box.count():
            item = self.redress_box.takeAt(0)
            if item is not None and (w := item.widget()) is not None:
                w.deleteLater()
        rx = report.redress
        if not (rx.contacts or rx.engines):
            return
        add = self.redress_box.addWidget
        add(_label("<b>Redress</b>", None, self.body))
        for c in rx.contacts:
            add(_label(self.redact(c.text), None, self.body))
        if rx.registry:
            add(_label(self.redact(rx.registry), None, self.body))
        for e in rx.engines:
            where = f"<a href='{e.portal}'>{e.portal}</a>" if e.portal else "no portal in our reference"
            head = _label(f"<b>{_escape(e.engine)}</b> ({_escape(', '.join(e.carriers))}): {where}", None, self.body)
            head.setTextFormat(Qt.TextFormat.RichText)
            head.setOpenExternalLinks(True)
            add(head)
            add(_label(e.portal_note, "Caption", self.body))
            self._draft(f"Copy {e.engine} request", e.request)
        if rx.customer_reply:
            add(_label("<b>Customer reply</b>", None, self.body))
            self._draft("Copy customer reply", rx.customer_reply, primary=True)

    def _draft(self, button_text: str, text: str, *, primary: bool = False) -> None:
        edit = QPlainTextEdit(self.redact(text), self.body)
        edit.setReadOnly(True)
        edit.setFixedHeight(150)
        button = QPushButton(button_text, self.body)
        button.setObjectName("PrimaryButton" if primary else "CopyButton")
        button.clicked.connect(lambda _=False, t=text: self.copy(t))
        self.redress_box.addWidget(edit)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(button)
        holder = QWidget(self.body)
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.redress_box.addWidget(holder)

    def copy(self, text: str) -> None:
        mime = QMimeData()
        mime.setText(text)
        set_clipboard(mime)
        self.status.setText("Copied.")


def _legend(dark: bool) -> str:
    from sipsight.core.models import OutcomeClass
    from sipsight.gui.palette import outcome_hex

    def swatch(outcome: OutcomeClass) -> str:
        return f"<span style='color:{outcome_hex(outcome, dark)}'>■</span>"

    return (
        f"Calls per day: {swatch(OutcomeClass.CONNECTED)} a person answered, "
        f"{swatch(OutcomeClass.NETWORK_BLOCKED)} 603, 603+, 607 or 608, ■ the rest (grey)."
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def open_caller_health(window: Any, caller_id: str) -> CallerHealthView | None:
    """The one-click hook: the caller ID of the lookup on screen, read from the same account or demo scenario."""
    request = window.lookups.last_request
    if not caller_id or request is None:
        return None
    source = HealthSource(
        demo=request.demo,
        scenario=request.scenario,
        profile=request.profile,
        tz=request.tz,
        session_options=dict(request.session_options),
    )
    view = CallerHealthView(caller_id, source, window, redact=window.results.diagnosis.redact)
    geo = window.frameGeometry()
    view.move(geo.right() + 8, geo.top())
    window.caller_health_view = view
    view.show()
    view.refresh()
    return view
