"""A training session as plain data: which case and step we are on, what the trainee picked, the score.

The GUI is a view of this object: every Back/Next, every choice goes through it, so the rules (the quiz
locks the diagnosis pick before the reveal, Next waits for it, the score counts first answers only) are
tested without Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from sipsight.core.models import DiagnosisKind
from sipsight.core.scenarios import Scenario


class Step(IntEnum):
    TICKET = 1
    CHECK = 2
    TIMELINE = 3
    CODES = 4
    CALLFLOW = 5
    REPLY = 6


STEP_TITLES: dict[Step, str] = {
    Step.TICKET: "Read the ticket",
    Step.CHECK: "What would you check?",
    Step.TIMELINE: "The timeline",
    Step.CODES: "The codes explained",
    Step.CALLFLOW: "The call flow",
    Step.REPLY: "The reply to send",
}
STEP_COUNT = len(Step)


class Mode(StrEnum):
    WALKTHROUGH = "walkthrough"  # everything revealed as the trainer talks it through
    QUIZ = "quiz"  # the trainee picks the diagnosis before it is revealed; the session is scored


@dataclass(frozen=True)
class Feedback:
    correct: bool
    text: str


@dataclass
class CaseProgress:
    scenario: Scenario
    check_picks: list[int] = field(default_factory=list)  # indexes into teaching.choices, in click order
    quiz_pick: DiagnosisKind | None = None

    @property
    def check_first_correct(self) -> bool | None:
        if not self.check_picks:
            return None
        return self.scenario.teaching.choices[self.check_picks[0]].correct

    @property
    def quiz_correct(self) -> bool | None:
        return None if self.quiz_pick is None else self.quiz_pick == self.scenario.expected.kind


@dataclass(frozen=True)
class SessionScore:
    cases: int
    diagnosis_answered: int
    diagnosis_correct: int
    check_answered: int
    check_first_correct: int

    @property
    def percent(self) -> int:
        """The diagnosis score in percent of the cases (unanswered cases count as wrong)."""
        return round(100 * self.diagnosis_correct / self.cases) if self.cases else 0

    def headline(self, mode: Mode) -> str:
        if mode is Mode.QUIZ:
            return f"{self.diagnosis_correct} of {self.cases} diagnoses right ({self.percent}%)"
        return f"{self.cases} case{'s' if self.cases != 1 else ''} walked through"


class TrainingSession:
    """Cases (scenarios) x steps 1-6, then the end page (`finished`)."""

    def __init__(self, scenarios: Sequence[Scenario], mode: Mode | str = Mode.WALKTHROUGH) -> None:
        if not scenarios:
            raise ValueError("a training session needs at least one scenario")
        self.mode = Mode(mode)
        self.cases = [CaseProgress(s) for s in scenarios]
        self.case_index = 0
        self.step = Step.TICKET
        self.finished = False

    # ------------------------------------------------------------------ where we are
    @property
    def case(self) -> CaseProgress:
        return self.cases[self.case_index]

    @property
    def scenario(self) -> Scenario:
        return self.case.scenario

    @property
    def quiz(self) -> bool:
        return self.mode is Mode.QUIZ

    def position_text(self) -> str:
        if self.finished:
            return "Session complete"
        return f"Case {self.case_index + 1} of {len(self.cases)} · Step {int(self.step)} of {STEP_COUNT}"

    def diagnosis_revealed(self) -> bool:
        """In quiz mode the diagnosis stays hidden until the trainee has picked one."""
        return not self.quiz or self.case.quiz_pick is not None

    def title_revealed(self) -> bool:
        """Scenario titles name the answer ('607 Unwanted: ...'): hidden in quiz mode until the pick."""
        return self.diagnosis_revealed()

    # ------------------------------------------------------------------ navigation
    def can_go_back(self) -> bool:
        return self.finished or self.case_index > 0 or self.step > Step.TICKET

    def next_blocked_reason(self) -> str:
        """Why Next is disabled ("" when it is not)."""
        if self.finished:
            return "The session is over."
        if self.quiz and self.step is Step.TIMELINE and self.case.quiz_pick is None:
            return "Pick a diagnosis first."
        return ""

    def can_go_next(self) -> bool:
        return not self.next_blocked_reason()

    def next(self) -> bool:
        if not self.can_go_next():
            return False
        if self.step < Step.REPLY:
            self.step = Step(self.step + 1)
        elif self.case_index + 1 < len(self.cases):
            self.case_index += 1
            self.step = Step.TICKET
        else:
            self.finished = True
        return True

    def back(self) -> bool:
        if not self.can_go_back():
            return False
        if self.finished:
            self.finished = False
        elif self.step > Step.TICKET:
            self.step = Step(self.step - 1)
        else:
            self.case_index -= 1
            self.step = Step.REPLY
        return True

    def go_to_case(self, index: int) -> None:
        if not 0 <= index < len(self.cases):
            raise IndexError(index)
        self.case_index = index
        self.step = Step.TICKET
        self.finished = False

    # ------------------------------------------------------------------ answers
    def pick_check(self, index: int) -> Feedback:
        """The trainee clicks a 'what would you check' choice; every click gets its feedback."""
        choice = self.scenario.teaching.choices[index]
        if index not in self.case.check_picks:
            self.case.check_picks.append(index)
        return Feedback(choice.correct, choice.feedback)

    def pick_diagnosis(self, kind: DiagnosisKind | str) -> Feedback:
        """Quiz: the first pick counts and is locked; later calls return the feedback of that first pick."""
        kind = DiagnosisKind(kind)
        if kind not in self.scenario.teaching.quiz_choices:
            raise ValueError(f"'{kind}' is not one of this case's quiz choices")
        if self.case.quiz_pick is None:
            self.case.quiz_pick = kind
        return self.diagnosis_feedback()

    def diagnosis_feedback(self) -> Feedback:
        pick = self.case.quiz_pick
        expected = self.scenario.expected.kind
        if pick is None:
            return Feedback(False, "")
        if pick == expected:
            return Feedback(True, f"Right: {kind_words(expected)}.")
        return Feedback(False, f"Not quite: you picked {kind_words(pick)}; the answer is {kind_words(expected)}.")

    def score(self) -> SessionScore:
        return SessionScore(
            cases=len(self.cases),
            diagnosis_answered=sum(1 for c in self.cases if c.quiz_pick is not None),
            diagnosis_correct=sum(1 for c in self.cases if c.quiz_correct),
            check_answered=sum(1 for c in self.cases if c.check_picks),
            check_first_correct=sum(1 for c in self.cases if c.check_first_correct),
        )


# Plain words for the kinds, as a trainee would say them (the GUI shows these on the quiz buttons).
KIND_WORDS: dict[DiagnosisKind, str] = {
    DiagnosisKind.RECIPIENT_BLOCKED: "the recipient blocked or silences the caller",
    DiagnosisKind.CALLER_ID_FLAGGED: "the caller ID is flagged by carrier analytics",
    DiagnosisKind.LIKELY_SPAM_LABELED: "the caller ID is labeled as spam",
    DiagnosisKind.VOICEMAIL_PICKUP: "the seller lets it ring to voicemail",
    DiagnosisKind.NO_ANSWER: "nobody answers (no voicemail)",
    DiagnosisKind.BUSY: "the line is busy",
    DiagnosisKind.UNREACHABLE: "the phone is off or unreachable",
    DiagnosisKind.INVALID_NUMBER: "the number is not in service",
    DiagnosisKind.CALLER_CANCELED: "the caller hangs up too early",
    DiagnosisKind.PLATFORM_RESTRICTION: "the calling platform refuses the call",
    DiagnosisKind.CARRIER_FAULT: "a carrier or network fault",
    DiagnosisKind.NORMAL: "nothing is wrong: the calls connect",
    DiagnosisKind.NO_DATA: "there are no calls to look at",
}


def kind_words(kind: DiagnosisKind | str) -> str:
    try:
        return KIND_WORDS[DiagnosisKind(kind)]
    except ValueError:
        return str(kind).replace("_", " ")
