"""The training window, offscreen: a scenario from step 1 to 6 in walkthrough and in quiz mode (call history
from the simulator over real HTTP, in the background), keyboard navigation, the session score, presenter
mode masking every text and tooltip and the timeline's data, the scenario-file errors, the native call-flow
chart's highlight, and the summary export (Markdown, HTML, PDF)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from sipsight.core import paths
from sipsight.core.replies import callflow
from sipsight.core.scenarios import get_scenario
from sipsight.export.callflow_chart import ChartColors, callflow_image
from sipsight.gui.app import GuiOptions, create_window
from sipsight.gui.palette import is_dark
from sipsight.gui.theme import apply_theme
from sipsight.gui.training.callflow_view import CallflowView
from sipsight.gui.training.window import TrainingWindow
from sipsight.providers.http import HttpConfig
from sipsight.settings.model import Settings
from sipsight.training.session import Step

FAST = HttpConfig(connect_timeout=2, read_timeout=5, max_retries=0, backoff_base=0.01, backoff_max=0.02, budget_s=10)
LOAD_MS = 20000
FULL_NUMBER = re.compile(r"(?<![\w•])\+?\d(?:[\s().\-]{0,2}\d){6,}(?![\w])")  # call IDs (hex words) are not numbers


@pytest.fixture
def make_window(qtbot, qapp):
    if qapp.property("sipsight_dark") is None:  # re-styling the app re-polishes every widget alive: once is enough
        apply_theme(qapp, "light")
    made: list[TrainingWindow] = []

    def make(presenter: bool = False) -> TrainingWindow:
        win = TrainingWindow(presenter=presenter, tz="America/Denver", session_options={"http_config": FAST})
        qtbot.addWidget(win)
        win.resize(1280, 860)
        win.show()
        qtbot.waitExposed(win)
        made.append(win)
        return win

    yield make
    for win in made:
        win.wait_idle(10000)


def wait_loaded(qtbot, win: TrainingWindow, name: str):
    qtbot.waitUntil(lambda: name in win.loader.results or name in win.loader.errors, timeout=LOAD_MS)
    assert name not in win.loader.errors, win.loader.errors.get(name)
    return win.loader.results[name]


def key(qtbot, win: TrainingWindow, k: Qt.Key) -> None:
    qtbot.keyClick(win.focusWidget() or win, k)


def test_walkthrough_step_1_to_6_with_keys_and_buttons(qtbot, make_window) -> None:
    win = make_window()
    scenario = get_scenario("origin-ticket")
    win.start_session(["origin-ticket"], "walkthrough")
    assert win.stack.currentWidget() is win.walk and win.session.step is Step.TICKET

    # 1: the ticket: the customer's message with their real name (not presenter mode), not the company's
    # auto-reply that opens the pasted conversation; the page says what it left out
    ticket = win.pages[Step.TICKET]
    text = ticket.bubble.text()
    assert "goes straight to voicemail" in text and text in scenario.conversation
    assert "Auto Reply" not in text and "out of the office" not in text
    assert ticket.left_out.isVisible() and "auto-reply" in ticket.left_out.text()
    assert win.case_title.text() == scenario.title
    assert not win.back_button.isEnabled() and win.next_button.text().startswith("What would you check?")

    key(qtbot, win, Qt.Key.Key_Right)  # the arrow keys page through the steps
    assert win.session.step is Step.CHECK
    check = win.pages[Step.CHECK]
    assert check.question.text() == scenario.teaching.check_question
    assert [c.text.text() for c in check.cards] == [c.text for c in scenario.teaching.choices]
    wrong = next(i for i, c in enumerate(scenario.teaching.choices) if not c.correct)
    qtbot.mouseClick(check.cards[wrong], Qt.MouseButton.LeftButton)
    assert check.cards[wrong].state() == "wrong" and check.cards[wrong].feedback.isVisible()
    assert scenario.teaching.choices[wrong].feedback in check.cards[wrong].feedback.text()
    key(qtbot, win, Qt.Key.Key_1)  # number keys answer too
    assert check.cards[0].state() == ("right" if scenario.teaching.choices[0].correct else "wrong")
    assert win.session.case.check_picks == [wrong, 0]

    qtbot.mouseClick(win.next_button, Qt.MouseButton.LeftButton)
    result = wait_loaded(qtbot, win, "origin-ticket")
    # 3: the timeline revealed, with the diagnosis and the teaching points straight away (walkthrough)
    page = win.pages[Step.TIMELINE]
    assert win.session.step is Step.TIMELINE and page.stack.currentIndex() == 0
    for attempt in result.attempts + result.caller_attempts:
        assert page.timeline.attempt(attempt.id) is not None
    assert page.timeline.attempt(result.attempts[0].id).to == scenario.destination  # real numbers off-projector
    assert page.diagnosis.isVisible() and page.diagnosis.headline.text() == result.diagnosis.headline
    assert all(p.split(":")[0][:20] in page.points.text().replace("&#x27;", "'") for p in scenario.teaching.points)
    assert not page.question.isVisible()

    key(qtbot, win, Qt.Key.Key_Right)
    # 4: the codes, from the knowledge base
    codes = win.pages[Step.CODES]
    labels = [r.label for r in codes.rows]
    assert "SIP 200" in labels and "SIP 608" in labels and codes.grid.count() > len(labels)

    key(qtbot, win, Qt.Key.Key_Right)
    # 5: the native chart with this case's path, highlighted where the path's boxes are
    chart = win.pages[Step.CALLFLOW].chart
    path = callflow.path_for(result.diagnosis, result.attempts)
    assert chart.path() == path and len(path) >= 3
    assert win.pages[Step.CALLFLOW].caption.text().endswith(callflow.NODE_BY_ID[path[-1]].label)
    image = chart.grab().toImage()
    dpr = image.devicePixelRatio()
    path_fill = ChartColors.for_theme(is_dark(chart)).path_fill
    for node_id in (path[-1], "D" if "D" not in path else "Q"):
        centre = chart.node_rect(node_id).center()
        # a spot between the label lines: the box's fill
        spot = QPointF(centre.x() - chart.node_rect(node_id).width() * 0.42, centre.y())
        color = image.pixelColor(int(spot.x() * dpr), int(spot.y() * dpr))
        on_path = node_id in path
        assert (color == path_fill) is on_path, (node_id, color.name())

    key(qtbot, win, Qt.Key.Key_Right)
    # 6: the reply, copied as text and HTML
    reply = win.pages[Step.REPLY]
    assert reply.reply.text() == result.replies.customer.strip()
    assert reply.tip.text() == scenario.teaching.tip
    qtbot.mouseClick(reply.copy_button, Qt.MouseButton.LeftButton)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == result.replies.customer.strip() and "<p>" in mime.html()
    assert win.next_button.text().startswith("Finish")

    key(qtbot, win, Qt.Key.Key_Left)
    assert win.session.step is Step.CALLFLOW
    key(qtbot, win, Qt.Key.Key_Right)
    key(qtbot, win, Qt.Key.Key_Right)
    assert win.session.finished and win.pages_stack.currentWidget() is win.end_page
    assert win.end_page.score.text() == "1 case walked through"
    assert "0 of 1" in win.end_page.detail.text()  # the first check pick was wrong
    qtbot.mouseClick(win.end_page.again, Qt.MouseButton.LeftButton)
    assert win.session.step is Step.TICKET and not win.session.finished and win.session.case.check_picks == []


def test_quiz_hides_the_answer_until_the_pick_and_scores_the_session(qtbot, make_window) -> None:
    win = make_window()
    first, second = get_scenario("caller-id-608-redress"), get_scenario("busy-seller")
    win.start_session([first.name, second.name], "quiz")
    assert win.case_title.text() != first.title  # the title would give the answer away
    for _ in range(2):
        key(qtbot, win, Qt.Key.Key_Right)
    wait_loaded(qtbot, win, first.name)
    page = win.pages[Step.TIMELINE]
    assert win.session.step is Step.TIMELINE
    assert page.question.isVisible() and not page.diagnosis.isVisible() and not page.points.isVisible()
    assert not win.next_button.isEnabled() and win.status.text() == "Pick a diagnosis first."
    key(qtbot, win, Qt.Key.Key_Right)
    assert win.session.step is Step.TIMELINE  # Next is locked until a pick

    kinds = list(first.teaching.quiz_choices)
    wrong = next(i for i, k in enumerate(kinds) if k != first.expected.kind)
    qtbot.mouseClick(page.cards[wrong], Qt.MouseButton.LeftButton)
    assert page.cards[wrong].state() == "wrong"
    assert page.cards[kinds.index(first.expected.kind)].state() == "answer"
    assert page.quiz_feedback.isVisible() and "Not quite" in page.quiz_feedback.text()
    assert page.diagnosis.isVisible() and win.case_title.text() == first.title and win.next_button.isEnabled()
    qtbot.mouseClick(page.cards[kinds.index(first.expected.kind)], Qt.MouseButton.LeftButton)
    assert win.session.case.quiz_pick == kinds[wrong]  # locked

    for _ in range(4):  # 3 -> 6, then the next case
        key(qtbot, win, Qt.Key.Key_Right)
    assert (win.session.case_index, win.session.step) == (1, Step.TICKET)
    for _ in range(2):
        key(qtbot, win, Qt.Key.Key_Right)
    wait_loaded(qtbot, win, second.name)
    right = list(second.teaching.quiz_choices).index(second.expected.kind)
    key(qtbot, win, getattr(Qt.Key, f"Key_{right + 1}"))
    assert win.session.case.quiz_pick == second.expected.kind
    assert page.cards[right].state() == "right" and page.quiz_feedback.text().startswith("✓")
    for _ in range(4):
        key(qtbot, win, Qt.Key.Key_Right)
    assert win.session.finished
    assert win.end_page.score.text() == "1 of 2 diagnoses right (50%)"
    texts = [w.text() for w in win.end_page.grid_host.findChildren(QLabel)]
    assert "Your diagnosis" in texts and any(t.startswith("✗") for t in texts) and any(t.startswith("✓") for t in texts)


def _all_texts(root: QWidget, models: bool) -> list[str]:
    """Every text a widget tree can show: labels, buttons, tooltips, accessible texts, items, tabs, models."""
    out: list[str] = [root.windowTitle()]
    for w in [root, *root.findChildren(QWidget)]:
        out += [w.toolTip(), w.accessibleName(), w.accessibleDescription(), w.statusTip(), w.whatsThis()]
        if isinstance(w, (QLabel, QAbstractButton, QLineEdit)):
            out.append(w.text())
        if isinstance(w, (QPlainTextEdit, QTextEdit)):
            out.append(w.toPlainText())
        if isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QListWidget):
            out += [w.item(i).text() for i in range(w.count())] + [w.item(i).toolTip() for i in range(w.count())]
        if isinstance(w, QTabBar):
            out += [w.tabText(i) for i in range(w.count())] + [w.tabToolTip(i) for i in range(w.count())]
        if models and isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            top = QModelIndex()
            try:
                columns = model.columnCount(top)
            except TypeError:  # list models keep columnCount private: one column
                columns = 1
            for r in range(model.rowCount(top)):
                for c in range(columns):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = model.data(model.index(r, c), role)
                        if value is not None:
                            out.append(str(value))
    return [t for t in out if t]


def _assert_nothing_personal(win: TrainingWindow, where: str, data: bool = False) -> None:
    """Every text of the window; with `data`, also every cell of the calls table and the timeline's attempts."""
    scenario = win.session.scenario
    texts = _all_texts(win, models=data)
    page = win.pages[Step.TIMELINE]
    # the timeline's data and its hover texts
    for attempt_id in page.timeline.attempt_ids() if data else []:
        attempt = page.timeline.attempt(attempt_id)
        texts += [attempt.from_, attempt.to, attempt.redress_contact or "", page.timeline.attempt_tooltip(attempt)]
        assert attempt.raw == {}
    joined = "\n".join(texts)
    found = FULL_NUMBER.findall(joined)
    assert not found, f"{where}: full numbers on screen: {found[:5]}"
    for part in scenario.customer_name.split():
        assert part not in joined, f"{where}: the customer's name '{part}' is on screen"


@pytest.mark.parametrize("mode", ["walkthrough", "quiz"])
def test_presenter_mode_shows_no_number_and_no_name_anywhere(qtbot, make_window, mode) -> None:
    win = make_window(presenter=True)
    assert win.presenter_badge.isVisibleTo(win) is False or win.presenter
    names = ["origin-ticket", "caller-id-608-redress"]
    win.start_session(names, mode)
    for index, name in enumerate(names):
        scenario = get_scenario(name)
        for step in Step:
            assert (win.session.case_index, win.session.step) == (index, step)
            if step is Step.TIMELINE:
                wait_loaded(qtbot, win, name)
                win.refresh()
                if mode == "quiz":
                    win.pick_diagnosis(scenario.teaching.quiz_choices[0])
            if step is Step.CHECK:
                for i in range(len(scenario.teaching.choices)):
                    win.pick_check(i)  # every feedback text shown
            _assert_nothing_personal(win, f"{mode} {name} step {int(step)}", data=step is Step.TIMELINE)
            win.go_next()
    assert win.session.finished
    _assert_nothing_personal(win, "end page")
    # the masked forms are there, so the trainees still see which area code is involved
    page = win.pages[Step.TIMELINE]
    assert any(page.timeline.attempt(i).to == "+1 303 •••-••99" for i in page.timeline.attempt_ids())
    assert win.presenter_badge.isVisible()
    assert win.font().pointSizeF() > 14  # larger type


def test_presenter_toggle_re_renders_the_current_step(qtbot, make_window) -> None:
    win = make_window()
    scenario = get_scenario("origin-ticket")
    win.start_session([scenario.name], "walkthrough")
    assert "Sarah" in win.pages[Step.TICKET].bubble.text()
    win.set_presenter(True)
    assert "Sarah" not in win.pages[Step.TICKET].bubble.text() and win.start_page.presenter.isChecked()
    win.set_presenter(False)
    assert "Sarah" in win.pages[Step.TICKET].bubble.text()


def test_bad_scenario_files_are_listed_and_the_others_load(qtbot, make_window, monkeypatch) -> None:
    folder = paths.user_scenarios_dir()
    folder.mkdir(parents=True)
    good = get_scenario("busy-seller").model_dump(mode="json", by_alias=True, exclude_none=True)
    good.update(name="my-busy-case", title="My own busy case", order=200)
    import yaml

    (folder / "mine.yaml").write_text(yaml.safe_dump(good), encoding="utf-8")
    (folder / "broken.yaml").write_text(
        "name: broken-one\ntitle: Broken\nsummary: x\ndestination: '+13035550199'\ncaller_id: 12345\n", encoding="utf-8"
    )
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    win = make_window()
    start = win.start_page
    assert start.errors.isVisible()
    text = start.errors_text.text()
    assert "broken.yaml" in text and "caller_id" in text and "line 5" in text
    titles = [start.list.item(i).text() for i in range(start.list.count())]
    assert any("My own busy case" in t and "(your file)" in t for t in titles)
    assert any(t.startswith("The origin ticket") for t in titles)
    qtbot.mouseClick(start.folder_button, Qt.MouseButton.LeftButton)
    assert opened and Path(opened[0].toLocalFile()) == folder

    # fix the file, reload: the error goes, the new case appears ticked
    (folder / "broken.yaml").unlink()
    qtbot.mouseClick(start.reload_button, Qt.MouseButton.LeftButton)
    assert not start.errors.isVisible()
    qtbot.mouseClick(start.none_button, Qt.MouseButton.LeftButton)
    assert not start.start_button.isEnabled() and start.selected() == []
    start.list.item(0).setCheckState(Qt.CheckState.Checked)
    assert start.start_button.isEnabled() and start.start_button.text() == "Start session (1 case)"
    start.quiz.setChecked(True)
    qtbot.mouseClick(start.start_button, Qt.MouseButton.LeftButton)
    assert win.session is not None and win.session.quiz and len(win.session.cases) == 1


def test_export_summary_from_the_window(qtbot, make_window, tmp_path) -> None:
    win = make_window()
    win.start_session(["caller-id-608-redress"], "walkthrough")
    assert not win.export_button.isEnabled() or "caller-id-608-redress" in win.loader.results
    result = wait_loaded(qtbot, win, "caller-id-608-redress")
    assert win.export_button.isEnabled()
    md = win.export_summary(tmp_path / "case.md")
    assert md.read_text(encoding="utf-8").startswith("## Educational Summary") and "```mermaid" in md.read_text()
    page = win.export_summary(tmp_path / "case.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    pdf = win.export_summary(tmp_path / "case.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/Image" in pdf and len(pdf) > 20000
    from sipsight.core.errors import SipsightError

    with pytest.raises(SipsightError, match="does not exist"):
        win.export_summary(tmp_path / "missing" / "x.pdf")
    assert result.diagnosis is not None


def test_callflow_image_highlights_the_path(qapp) -> None:
    path = ["A", "B", "F", "G", "J"]
    view = CallflowView()
    view.resize(1200, 560)
    view.set_path(path)
    assert "Blocked by Terminating/Upstream Network" in view.accessibleDescription()
    image = callflow_image(path, 1600)
    assert image.width() == 1600 and image.height() > 400
    colors = ChartColors.for_theme(False)
    from PySide6.QtCore import QRectF

    from sipsight.export.callflow_chart import node_rects

    rects = node_rects(QRectF(0, 0, image.width(), image.height()))
    for node_id in ("J", "D", "XB"):
        rect = rects[node_id]
        spot = QColor(image.pixelColor(int(rect.left() + rect.width() * 0.08), int(rect.center().y())))
        assert (spot == colors.path_fill) is (node_id in path), node_id


def test_open_training_follows_the_presenter_setting(qtbot, qapp) -> None:
    settings = Settings(presenter_mode=True, timezone="Europe/Berlin")
    parent = create_window(GuiOptions(demo=True, theme="light"), settings, install_hooks=False)
    qtbot.addWidget(parent)
    parent.lookups.session_options = {"http_config": FAST}
    parent.open_training()
    win = parent.training_window
    assert isinstance(win, TrainingWindow) and win.isVisible() and win.presenter and win.tz == "Europe/Berlin"
    assert win.loader.session_options == {"http_config": FAST}
    assert win.parent() is parent and win.isWindow()
    assert win.windowTitle() == "SIPSight Training (presenter)"
    win.close()
    QApplication.processEvents()


def test_a_failed_lookup_says_so_and_try_again_recovers(qtbot, make_window) -> None:
    win = make_window()
    win.loader.session_options = {"http_config": FAST, "fault": "401"}
    win.start_session(["busy-seller"], "walkthrough")
    qtbot.waitUntil(lambda: "busy-seller" in win.loader.errors, timeout=LOAD_MS)
    win.go_next()
    win.go_next()
    page = win.pages[Step.TIMELINE]
    assert page.stack.currentWidget() is page.waiting and not page.error_box.isHidden()
    assert page.error_text.text() and "Traceback" not in page.error_text.text()
    assert not win.export_button.isEnabled()
    win.loader.session_options = {"http_config": FAST}
    qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, win, "busy-seller")
    assert page.stack.currentIndex() == 0 and page.diagnosis.isVisible() and win.export_button.isEnabled()
