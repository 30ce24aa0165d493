"""The six step pages of a case, and the end-of-session page.

Each page shows a `CaseView`: the scenario, its lookup result (None while it loads), and the mode. In
presenter mode every text goes through `CaseView.t` (numbers masked, the customer's name replaced) and
the timeline and table get masked copies of the attempts, so nothing personal reaches the projector.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QStackedLayout,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sipsight.core.models import Attempt, LookupResult
from sipsight.core.scenarios import Scenario
from sipsight.gui.training.callflow_view import CallflowView, path_caption
from sipsight.gui.training.widgets import ChoiceCard, label, restyle
from sipsight.training.cases import presenter_attempts, presenter_text
from sipsight.training.codes import CodeRow
from sipsight.training.session import Step, TrainingSession, kind_words


@dataclass
class CaseView:
    scenario: Scenario
    result: LookupResult | None
    error: str | None
    presenter: bool
    tz: str

    def t(self, text: str) -> str:
        """Any text as it may be shown: masked in presenter mode."""
        if not self.presenter or not text:
            return text
        return presenter_text(text, [self.scenario.customer_name])

    def attempts(self) -> tuple[list[Attempt], list[Attempt]]:
        if self.result is None:
            return [], []
        if self.presenter:
            return presenter_attempts(self.result.attempts), presenter_attempts(self.result.caller_attempts)
        return list(self.result.attempts), list(self.result.caller_attempts)


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clear(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
        elif inner is not None:
            _clear(inner)


class StepPage(QWidget):
    """A scrolling page with a title; pages that need the lookup show 'loading' or the error until it is there."""

    needs_result = False
    scrolls = True

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TrStepPage")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedLayout()
        outer.addLayout(self.stack)
        self.content = QWidget(self)
        self.content.setObjectName("TrScrollBody")
        self.body = QVBoxLayout(self.content)
        self.body.setContentsMargins(28, 18, 28, 18)
        self.body.setSpacing(12)
        self.title = label(title, "TrStepTitle", self.content)
        self.body.addWidget(self.title)
        if self.scrolls:
            scroll = QScrollArea(self)
            scroll.setObjectName("TrScroll")
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(self.content)
            self.stack.addWidget(scroll)
            self.scroll_area: QScrollArea | None = scroll
        else:
            self.scroll_area = None
            self.stack.addWidget(self.content)
        self.waiting = QWidget(self)
        wait = QVBoxLayout(self.waiting)
        wait.setContentsMargins(28, 28, 28, 28)
        self.waiting_text = label("Loading the call history…", "TrStepTitle", self.waiting)
        self.waiting_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        wait.addWidget(self.waiting_text, 1)
        self.error_box = QFrame(self.waiting)
        self.error_box.setObjectName("TrErrorLoad")
        box = QVBoxLayout(self.error_box)
        self.error_text = label("", "TrBody", self.error_box)
        box.addWidget(self.error_text)
        self.retry_button = QPushButton("Try again", self.error_box)
        box.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignLeft)
        wait.addWidget(self.error_box)
        wait.addStretch(1)
        self.error_box.hide()
        self.stack.addWidget(self.waiting)

    def show_view(self, view: CaseView, session: TrainingSession) -> None:
        if self.needs_result and view.result is None:
            self.error_box.setVisible(bool(view.error))
            self.error_text.setText(view.error or "")
            self.waiting_text.setText(
                "The call history could not be loaded." if view.error else "Loading the call history…"
            )
            self.stack.setCurrentWidget(self.waiting)
            return
        self.stack.setCurrentIndex(0)
        self.fill(view, session)

    def fill(self, view: CaseView, session: TrainingSession) -> None:
        raise NotImplementedError

    def choose(self, number: int) -> None:
        """Keys 1-9 pick a choice on pages that have them."""


# --------------------------------------------------------------------------- 1 ticket


class TicketPage(StepPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("The customer writes", parent)
        self.bubble = label("", "TrBubble", self.content)
        self.bubble.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.addWidget(self.bubble)
        self.left_out = label("", "TrMuted", self.content)  # what arrived with it: the auto-reply, agents' notes
        self.body.addWidget(self.left_out)
        self.prompt = label("", "TrMuted", self.content)
        self.body.addWidget(self.prompt)
        self.body.addStretch(1)

    def fill(self, view: CaseView, session: TrainingSession) -> None:
        from sipsight.gui.training.ticket import customer_ticket

        ticket = customer_ticket(view.scenario.conversation)
        self.bubble.setText(view.t("\n\n".join(ticket.messages)))
        self.left_out.setText(ticket.left_out)
        self.left_out.setVisible(bool(ticket.left_out))
        self.prompt.setText(
            "Read it as the agent would. What is the customer telling you, and what is only a guess? "
            "Next: what would you check first?"
        )


# --------------------------------------------------------------------------- 2 check


class ChoicesPage(StepPage):
    picked = Signal(int)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.question = label("", "TrQuestion", self.content)
        self.body.addWidget(self.question)
        self.choices_box = QVBoxLayout()
        self.choices_box.setSpacing(8)
        self.body.addLayout(self.choices_box)
        self.cards: list[ChoiceCard] = []

    def _set_choices(self, texts: list[str]) -> None:
        if [c.text.text() for c in self.cards] == texts:
            return
        _clear(self.choices_box)
        self.cards = []
        for i, text in enumerate(texts):
            card = ChoiceCard(i + 1, text, self.content)
            card.clicked.connect(lambda i=i: self.picked.emit(i))
            self.choices_box.addWidget(card)
            self.cards.append(card)

    def choose(self, number: int) -> None:
        if 1 <= number <= len(self.cards) and self.cards[number - 1].isEnabled():
            self.picked.emit(number - 1)


class CheckPage(ChoicesPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("What would you check?", parent)
        self.hint = label("Pick any; each answer explains itself. The first pick is the one that counts.", "TrMuted")
        self.body.addWidget(self.hint)
        self.body.addStretch(1)

    def fill(self, view: CaseView, session: TrainingSession) -> None:
        teaching = view.scenario.teaching
        self.question.setText(view.t(teaching.check_question))
        self._set_choices([view.t(c.text) for c in teaching.choices])
        picks = session.case.check_picks if session.scenario is view.scenario else []
        for i, (card, choice) in enumerate(zip(self.cards, teaching.choices, strict=True)):
            if i in picks:
                tone = "right" if choice.correct else "wrong"
                mark = "✓ " if choice.correct else "✗ "
                card.set_state(tone, mark + view.t(choice.feedback), tone)
            else:
                card.set_state("")


# --------------------------------------------------------------------------- 3 timeline (+ quiz)


class DiagnosisCard(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TrDiagnosis")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(4)
        self.kind = label("", "TrKind", self)
        layout.addWidget(self.kind)
        self.headline = label("", "TrHeadline", self)
        layout.addWidget(self.headline)
        self.meta = label("", "TrMuted", self)
        layout.addWidget(self.meta)

    def set_view(self, view: CaseView) -> None:
        from sipsight.gui.diagnosis_panel import confidence_word, kind_title

        diagnosis = view.result.diagnosis if view.result is not None else None
        if diagnosis is None:
            self.hide()
            return
        self.kind.setText("SIPSIGHT'S DIAGNOSIS: " + kind_title(diagnosis.kind).upper())
        self.headline.setText(view.t(diagnosis.headline))
        expected = view.scenario.expected.kind
        agrees = "matches" if diagnosis.kind == expected else f"differs from the expected '{kind_words(expected)}'"
        self.meta.setText(
            f"{confidence_word(diagnosis.confidence).capitalize()} ({diagnosis.confidence:.0%}) · "
            f"the trainer's answer: {kind_words(expected)} ({agrees})"
            if diagnosis.kind != expected
            else f"{confidence_word(diagnosis.confidence).capitalize()} ({diagnosis.confidence:.0%}) · "
            "matches the trainer's answer"
        )
        self.show()


class TimelinePage(ChoicesPage):
    needs_result = True
    timeline_height = 250

    def __init__(self, parent: QWidget | None = None) -> None:
        from sipsight.gui.attempts_table import AttemptsTableView
        from sipsight.gui.legend import OutcomeLegend
        from sipsight.gui.timeline import TimelineWidget

        super().__init__("The timeline", parent)
        self.body.removeWidget(self.question)
        self.body.removeItem(self.choices_box)
        self.lead = label("", "TrMuted", self.content)
        self.body.addWidget(self.lead)
        self.tabs = QTabWidget(self.content)
        self.tabs.setObjectName("TrTabs")
        page = QWidget(self.tabs)
        col = QVBoxLayout(page)
        col.setContentsMargins(6, 6, 6, 6)
        self.legend = OutcomeLegend(page)
        col.addWidget(self.legend)
        self.timeline = TimelineWidget(page)
        # the arrow keys page through the walkthrough here; the mouse still selects and shows details
        self.timeline.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.timeline.setMinimumHeight(self.timeline_height)
        col.addWidget(self.timeline, 1)
        self.legend.filter_changed.connect(self.timeline.set_hidden_outcomes)
        self.tabs.addTab(page, "Timeline")
        self.table = AttemptsTableView(self.tabs)
        self.tabs.addTab(self.table, "Calls")
        self.body.addWidget(self.tabs)
        self.body.addWidget(self.question)
        self.body.addLayout(self.choices_box)
        self.quiz_feedback = label("", "TrFeedback", self.content)
        self.body.addWidget(self.quiz_feedback)
        self.diagnosis = DiagnosisCard(self.content)
        self.body.addWidget(self.diagnosis)
        self.points_title = label("What to notice", "TrHeading", self.content)
        self.body.addWidget(self.points_title)
        self.points = label("", "TrBody", self.content)
        self.points.setTextFormat(Qt.TextFormat.RichText)
        self.body.addWidget(self.points)
        self.body.addStretch(1)
        self._shown_for: tuple[int, bool] | None = None  # (which result, presenter mode) the views show

    def set_presenter(self, presenter: bool) -> None:
        self.timeline.setMinimumHeight(round(self.timeline_height * (1.25 if presenter else 1.0)))

    def fill(self, view: CaseView, session: TrainingSession) -> None:
        import html

        result = view.result
        assert result is not None
        key = (id(result), view.presenter)
        if self._shown_for != key:
            attempts, others = view.attempts()
            self.timeline.set_attempts(attempts, others, view.tz)
            self.table.set_attempts(attempts, others, view.tz)
            self.legend.set_attempts([*attempts, *others])
            self._shown_for = key
        n, m = len(result.attempts), len(result.caller_attempts)
        self.lead.setText(
            f"Top lane: the {n} call{'s' if n != 1 else ''} to this number. Bottom lane: the same caller ID's "
            f"{m} other call{'s' if m != 1 else ''} in the same days. Hover a mark for its details."
        )
        revealed = session.diagnosis_revealed()
        quiz = session.quiz
        self.question.setVisible(quiz)
        if quiz:
            self.question.setText("Your diagnosis: what is going on?" if not revealed else "Your diagnosis")
            kinds = list(view.scenario.teaching.quiz_choices)
            self._set_choices([_sentence_case(kind_words(k)) for k in kinds])
            pick = session.case.quiz_pick
            expected = view.scenario.expected.kind
            for card, kind in zip(self.cards, kinds, strict=True):
                card.setEnabled(pick is None)
                if pick is None:
                    card.set_state("")
                elif kind == pick:
                    card.set_state("right" if kind == expected else "wrong")
                elif kind == expected:
                    card.set_state("answer", "The answer", "right")
                else:
                    card.set_state("locked")
            feedback = session.diagnosis_feedback()
            self.quiz_feedback.setText(("✓ " if feedback.correct else "✗ ") + feedback.text if pick else "")
            self.quiz_feedback.setVisible(pick is not None)
            restyle(self.quiz_feedback, tone="right" if feedback.correct else "wrong")
        else:
            self._set_choices([])
            self.quiz_feedback.hide()
        for widget in (self.diagnosis, self.points_title, self.points):
            widget.setVisible(revealed)
        if revealed:
            self.diagnosis.set_view(view)
            points = view.scenario.teaching.points
            items = "".join(f"<li style='margin-bottom:6px'>{html.escape(view.t(p))}</li>" for p in points)
            self.points.setText(f"<ul style='margin-left:-20px'>{items}</ul>")

    def reveal(self) -> None:
        """After the quiz pick: bring the feedback and the diagnosis into view (they are below the timeline)."""
        from PySide6.QtCore import QTimer

        if self.scroll_area is not None:
            scroll = self.scroll_area
            QTimer.singleShot(0, lambda: scroll.ensureWidgetVisible(self.points_title, 0, 20))

    def choose(self, number: int) -> None:
        if not self.question.isHidden():  # quiz mode (isVisible would be False before the first paint)
            super().choose(number)


# --------------------------------------------------------------------------- 4 codes


class CodesPage(StepPage):
    needs_result = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("The codes explained", parent)
        self.intro = label("", "TrMuted", self.content)
        self.body.addWidget(self.intro)
        self.grid_host = QWidget(self.content)
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(10)
        self.grid.setColumnStretch(1, 1)
        self.body.addWidget(self.grid_host)
        self.body.addStretch(1)
        self.rows: list[CodeRow] = []

    def fill(self, view: CaseView, session: TrainingSession) -> None:
        from sipsight.training.codes import blocking_family, case_codes

        assert view.result is not None
        seen, family = case_codes(view.result), blocking_family(view.result)
        self.rows = [*seen, *family]
        _clear(self.grid)
        if not seen:
            self.intro.setText("No call to this number left a code: there were no calls to look at.")
        else:
            self.intro.setText("Every code the calls to this number carried, most frequent first.")
        row = 0
        for heading, rows in (("In this case", seen), ("The blocking codes, for comparison (not seen here)", family)):
            if not rows:
                continue
            self.grid.addWidget(label(heading, "TrHeading", self.grid_host), row, 0, 1, 2)
            row += 1
            for code in rows:
                chip = QLabel(code.label, self.grid_host)
                chip.setObjectName("TrCode")
                chip.setProperty("seen", "true" if code.seen else "false")
                chip.setTextFormat(Qt.TextFormat.PlainText)
                self.grid.addWidget(chip, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                text = QWidget(self.grid_host)
                col = QVBoxLayout(text)
                col.setContentsMargins(0, 0, 0, 0)
                col.setSpacing(2)
                count = f"  ·  {code.count} of {len(view.result.attempts)} calls" if code.seen else ""
                col.addWidget(label(code.name + count, "TrCodeName", text))
                col.addWidget(label(view.t(code.meaning), "TrBody", text))
                self.grid.addWidget(text, row, 1)
                row += 1


# --------------------------------------------------------------------------- 5 call flow


class CallflowPage(StepPage):
    needs_result = True
    scrolls = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("The call flow", parent)
        self.intro = label(
            "The origin ticket's flowchart. This case's path is highlighted and numbered.", "TrMuted", self.content
        )
        self.body.addWidget(self.intro)
        self.chart = CallflowView(self.content)
        self.body.addWidget(self.chart, 1)
        self.caption = label("", "TrHeading", self.content)
        self.body.addWidget(self.caption)

    def fill(self, view: CaseView, session: TrainingSession) -> None:
        from sipsight.core.replies import callflow

        assert view.result is not None
        path = callflow.path_for(view.result.diagnosis, view.result.attempts)
        self.chart.set_path(path)
        self.caption.setText(path_caption(path))


# --------------------------------------------------------------------------- 6 reply


class ReplyPage(StepPage):
    needs_result = True
    copy_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("The reply to send", parent)
        self.intro = label("What the agent sends the customer (editable in the app before copying):", "TrMuted")
        self.body.addWidget(self.intro)
        self.reply = label("", "TrReply", self.content)
        self.reply.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.addWidget(self.reply)
        row = QHBoxLayout()
        self.copy_button = QPushButton("Copy reply", self.content)
        self.copy_button.setObjectName("PrimaryButton")
        self.copy_button.clicked.connect(lambda: self.copy_requested.emit(self.reply.text()))
        row.addWidget(self.copy_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.tip_title = label("Tip", "TrHeading", self.content)
        self.body.addWidget(self.tip_title)
        self.tip = label("", "TrTip", self.content)
        self.body.addWidget(self.tip)
        self.body.addStretch(1)

    def fill(self, view: CaseView, session: TrainingSession) -> None:
        assert view.result is not None
        self.reply.setText(view.t(view.result.replies.customer.strip()) or "(no reply for this case)")
        tip = view.scenario.teaching.tip
        self.tip_title.setVisible(bool(tip))
        self.tip.setVisible(bool(tip))
        self.tip.setText(view.t(tip))


# --------------------------------------------------------------------------- end


class EndPage(StepPage):
    restart = Signal()
    new_session = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Session complete", parent)
        self.score = label("", "TrScore", self.content)
        self.body.addWidget(self.score)
        self.detail = label("", "TrMuted", self.content)
        self.body.addWidget(self.detail)
        self.grid_host = QWidget(self.content)
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 6, 0, 6)
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(8)
        self.grid.setColumnStretch(0, 1)
        self.body.addWidget(self.grid_host)
        row = QHBoxLayout()
        self.again = QPushButton("Same cases again", self.content)
        self.again.clicked.connect(self.restart.emit)
        self.other = QPushButton("Choose other cases", self.content)
        self.other.clicked.connect(self.new_session.emit)
        row.addWidget(self.again)
        row.addWidget(self.other)
        row.addStretch(1)
        self.body.addLayout(row)
        self.body.addStretch(1)

    def show_session(self, session: TrainingSession, title_of: Callable[[Scenario], str]) -> None:
        score = session.score()
        self.stack.setCurrentIndex(0)
        self.score.setText(score.headline(session.mode))
        self.detail.setText(
            f"'What would you check' right on the first pick: {score.check_first_correct} of {score.cases}."
        )
        _clear(self.grid)
        headers = ["Case", "What to check"] + (["Your diagnosis", "The answer"] if session.quiz else [])
        for col, text in enumerate(headers):
            self.grid.addWidget(label(text, "TrHeading", self.grid_host), 0, col)
        for r, case in enumerate(session.cases, start=1):
            self.grid.addWidget(label(title_of(case.scenario), "TrBody", self.grid_host), r, 0)
            first = case.check_first_correct
            self.grid.addWidget(label({None: "—", True: "✓ right", False: "✗ wrong"}[first], "TrBody"), r, 1)
            if session.quiz:
                pick = case.quiz_pick
                mark = "—" if pick is None else ("✓ " if case.quiz_correct else "✗ ") + kind_words(pick)
                self.grid.addWidget(label(mark, "TrBody", self.grid_host), r, 2)
                self.grid.addWidget(label(kind_words(case.scenario.expected.kind), "TrBody", self.grid_host), r, 3)


PAGE_CLASSES: dict[Step, Callable[[QWidget], StepPage]] = {
    Step.TICKET: TicketPage,
    Step.CHECK: CheckPage,
    Step.TIMELINE: TimelinePage,
    Step.CODES: CodesPage,
    Step.CALLFLOW: CallflowPage,
    Step.REPLY: ReplyPage,
}


def page_for(step: Step, parent: QWidget) -> StepPage:
    """The page that shows `step`."""
    return PAGE_CLASSES[step](parent)


__all__ = ["PAGE_CLASSES", "CaseView", "EndPage", "StepPage", "page_for"]
