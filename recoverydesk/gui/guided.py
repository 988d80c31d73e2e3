"""Guided mode: today's exercises one at a time, with a countdown or a rep counter.

A runner mid-exercise is on the floor, away from the keyboard's finer keys and in some pain,
so everything here is big and few: one drawing, one dose, one huge number, one main button.
The whole session runs from four keys (Space, Right, Left, Esc) and the buttons say which.

Each exercise becomes a short list of steps built from its dose:

- sets × reps: count the reps of a set (Space per rep, or "Set done"), rest, next set;
- hold × reps: a countdown per hold, a short rest, the next hold, running on by itself;
- minutes: one countdown that may be finished early.

Finishing the last step, "Finish early" or "Mark done" records the exercise on today's entry
(Session.set_exercise_done). Skipping (Right) or stopping (Esc) records nothing: the log must
only say what was actually done.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QHideEvent, QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core import words
from recoverydesk.core.exercises import Dose, Exercise, Library, load_library
from recoverydesk.gui.illustration import IllustrationCard, illustration_bytes
from recoverydesk.gui.session import Session
from recoverydesk.gui.style import caution_style, muted_colour, scaled_font

SET_REST_S = 30
"""Rest between sets when the content gives none: enough to breathe, short enough to stay warm."""
HOLD_REST_S = 10
"""Rest between holds when the content gives none: a few breaths before the next one."""


@dataclasses.dataclass(frozen=True, slots=True)
class Step:
    """One stage of an exercise in guided mode.

    Attributes:
        kind: ``reps`` (count), ``hold`` (count down), ``rest`` (count down, between sets or
            holds), ``timer`` (a minutes-based countdown) or ``free`` (no dose: at one's pace).
        seconds: Length of a countdown.
        reps: Reps to count in a ``reps`` step.
        number: Which set or hold this is (or, for a rest, the one that follows it).
        of: How many sets or holds there are.
    """

    kind: str
    seconds: int = 0
    reps: int = 0
    number: int = 1
    of: int = 1


def steps_for(dose: Dose | None) -> list[Step]:
    """Turn a dose into the steps guided mode walks through."""
    if dose is None:
        return [Step("free")]
    if dose.minutes is not None:
        return [Step("timer", seconds=dose.minutes * 60)]
    if dose.hold_s is not None:
        count, rest = dose.reps or 1, dose.rest_s or HOLD_REST_S
        work = [Step("hold", seconds=dose.hold_s, number=n, of=count)
                for n in range(1, count + 1)]
    else:
        count, rest = dose.sets or 1, dose.rest_s or SET_REST_S
        work = [Step("reps", reps=dose.reps or 1, number=n, of=count)
                for n in range(1, count + 1)]
    steps: list[Step] = []
    for step in work:
        if steps:
            steps.append(Step("rest", seconds=rest, number=step.number, of=step.of))
        steps.append(step)
    return steps


def _clock(seconds: int) -> str:
    return words.duration_text(seconds)


class GuidedSession(QWidget):
    """Runs a list of exercises one at a time, then shows what was done.

    Keys: Space starts, pauses and resumes a countdown (and counts a rep while counting
    reps), Right skips to the next exercise, Left goes back one, Esc stops.

    Signals:
        exercise_recorded: An exercise was recorded as done today. arg: its id.
        ended: The session ended (all done, or stopped). arg: tuple of the ids recorded.
        dismissed: The runner left the summary.

    Attributes:
        primary_button: Start / Pause / Resume / Rep done, the Space key's twin.
        context_button: Set done / Skip rest / Finish early, depending on the step.
        done_button, next_button, previous_button, stop_button: As labelled.
    """

    exercise_recorded = Signal(str)
    ended = Signal(object)
    dismissed = Signal()

    def __init__(self, session: Session, exercise_ids: Sequence[str], phase: str, *,
                 library: Library | None = None, tick_ms: int = 1000,
                 phase_day: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if not exercise_ids:
            raise ValueError("a guided session needs at least one exercise")
        self._session = session
        self._library = library or load_library()
        self._exercises: list[Exercise] = [self._library.get(i) for i in exercise_ids]
        self._phase = phase
        self._phase_day = phase_day
        self._recorded: list[str] = []
        self._index = 0
        self._steps: list[Step] = []
        self._step = 0
        self._remaining = 0
        self._reps = 0
        self._finished = False
        self._stopped = False

        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_timeout)

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Guided exercise session")
        self._pages = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._pages)
        self._build_run_page()
        self._build_summary_page()
        self._apply_styles()
        self._enter_exercise(0)

    # --- building ---------------------------------------------------------------------------

    def _button(self, text: str, accessible: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        # The session is driven by its keys; buttons taking focus would swallow Space.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumHeight(34)
        button.clicked.connect(slot)
        return button

    def _build_run_page(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(12)

        top = QHBoxLayout()
        self.position_label = QLabel()
        self.position_label.setFont(scaled_font(self, 1.0, bold=True))
        self.message_label = QLabel()
        self.message_label.setAccessibleName("Last event")
        self.stop_button = self._button("Stop  (Esc)", "Stop the guided session",
                                        self._on_stop_button_clicked)
        top.addWidget(self.position_label)
        top.addSpacing(16)
        top.addWidget(self.message_label, 1)
        top.addWidget(self.stop_button)
        layout.addLayout(top)

        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.progress.setAccessibleName("Exercises completed")
        layout.addWidget(self.progress)

        middle = QHBoxLayout()
        middle.setSpacing(28)
        left = QVBoxLayout()
        left.setSpacing(10)
        self.illustration = IllustrationCard(QSize(300, 200))
        self.illustration.setMaximumSize(480, 320)
        left.addWidget(self.illustration)
        self.cues_label = QLabel()
        self.cues_label.setWordWrap(True)
        self.cues_label.setMaximumWidth(480)
        self.cues_label.setTextFormat(Qt.TextFormat.RichText)
        left.addWidget(self.cues_label)
        self.caution_label = QLabel()
        self.caution_label.setWordWrap(True)
        self.caution_label.setMaximumWidth(480)
        left.addWidget(self.caution_label)
        middle.addLayout(left)

        right = QVBoxLayout()
        right.setSpacing(6)
        self.name_label = QLabel()
        self.name_label.setFont(scaled_font(self, 1.8, bold=True))
        self.name_label.setWordWrap(True)
        self.dose_label = QLabel()
        self.dose_label.setFont(scaled_font(self, 1.25))
        right.addWidget(self.name_label)
        right.addWidget(self.dose_label)
        right.addSpacing(18)
        self.stage_label = QLabel()
        self.stage_label.setFont(scaled_font(self, 1.0, bold=True))
        self.big_label = QLabel()
        self.big_label.setFont(scaled_font(self, 6.0, bold=True))
        self.big_label.setAccessibleName("Countdown")
        self.big_label.setMinimumHeight(110)
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        self.detail_label.setFont(scaled_font(self, 1.1))
        right.addWidget(self.stage_label)
        right.addWidget(self.big_label)
        right.addWidget(self.detail_label)
        right.addSpacing(14)
        actions = QHBoxLayout()
        actions.setSpacing(10)
        self.primary_button = self._button("Start", "Start, pause or count",
                                           self._on_primary_button_clicked)
        self.primary_button.setFont(scaled_font(self, 1.25, bold=True))
        self.primary_button.setMinimumSize(180, 52)
        self.context_button = self._button("Set done", "", self._on_context_button_clicked)
        self.context_button.setFont(scaled_font(self, 1.1))
        self.context_button.setMinimumSize(130, 52)
        actions.addWidget(self.primary_button)
        actions.addWidget(self.context_button)
        actions.addStretch(1)
        right.addLayout(actions)
        right.addStretch(1)
        middle.addLayout(right, 1)
        layout.addStretch(1)
        layout.addLayout(middle)
        layout.addStretch(1)

        bottom = QHBoxLayout()
        self.previous_button = self._button("‹  Previous", "Previous exercise",
                                            self._on_previous_button_clicked)
        self.done_button = self._button("✓  Mark done, next", "Mark this exercise done and "
                                        "go to the next", self._on_done_button_clicked)
        self.next_button = self._button("Skip  ›", "Skip to the next exercise",
                                        self._on_next_button_clicked)
        self.keys_label = QLabel("Space start / pause / count · → skip · ← back · Esc stop")
        bottom.addWidget(self.previous_button)
        bottom.addStretch(1)
        bottom.addWidget(self.keys_label)
        bottom.addStretch(1)
        bottom.addWidget(self.done_button)
        bottom.addWidget(self.next_button)
        layout.addLayout(bottom)
        self._run_page = page
        self._pages.addWidget(page)

    def _build_summary_page(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.setSpacing(14)
        self.summary_title = QLabel()
        self.summary_title.setFont(scaled_font(self, 1.8, bold=True))
        self.summary_title.setWordWrap(True)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setFont(scaled_font(self, 1.15))
        self.summary_note = QLabel()
        self.summary_note.setWordWrap(True)
        self.back_button = QPushButton("Back to exercises")
        self.back_button.setAccessibleName("Leave the summary and go back to the exercises")
        self.back_button.setMinimumSize(200, 40)
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self._on_back_button_clicked)
        layout.addWidget(self.summary_title)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.summary_note)
        layout.addSpacing(10)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self._summary_page = page
        self._pages.addWidget(page)

    def _apply_styles(self) -> None:
        palette = self.palette()
        muted = muted_colour(palette).name()
        for label in (self.keys_label, self.dose_label, self.detail_label, self.stage_label,
                      self.cues_label, self.summary_note, self.message_label):
            label.setStyleSheet(f"color: {muted};")
        self.caution_label.setStyleSheet(caution_style(palette))
        accent = palette.color(QPalette.ColorRole.Highlight).name()
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        track = QColor(round(window.red() * 0.85 + text.red() * 0.15),
                       round(window.green() * 0.85 + text.green() * 0.15),
                       round(window.blue() * 0.85 + text.blue() * 0.15)).name()
        self.progress.setStyleSheet(
            f"QProgressBar {{ border: none; border-radius: 3px; background: {track}; }}"
            f"QProgressBar::chunk {{ border-radius: 3px; background: {accent}; }}")

    def resizeEvent(self, event: QResizeEvent) -> None:  # overrides QWidget.resizeEvent
        super().resizeEvent(event)
        # The drawing takes what the countdown column leaves, between a legible minimum
        # and a size that still leaves the big number the eye's first stop.
        # Only the maximum is set, so the window can still shrink below today's size.
        card = max(300, min(560, self.width() - 48 - 28 - 360))
        self.illustration.setMaximumSize(card, round(card * 2 / 3))
        self.cues_label.setMaximumWidth(card)
        self.caution_label.setMaximumWidth(card)

    def changeEvent(self, event: QEvent) -> None:  # overrides QWidget.changeEvent
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_styles()
        super().changeEvent(event)

    # --- state, for the view and the tests --------------------------------------------------

    @property
    def current_index(self) -> int:
        return self._index

    @property
    def current_exercise_id(self) -> str:
        return self._exercises[self._index].id

    @property
    def step(self) -> Step:
        """The step being done now."""
        return self._steps[self._step]

    @property
    def remaining_s(self) -> int:
        """Seconds left in the current countdown."""
        return self._remaining

    @property
    def reps_done(self) -> int:
        return self._reps

    @property
    def is_running(self) -> bool:
        """Whether a countdown is ticking."""
        return self._timer.isActive()

    @property
    def is_finished(self) -> bool:
        """Whether the session has ended and shows its summary."""
        return self._finished

    def recorded(self) -> tuple[str, ...]:
        """The exercises recorded as done during this session, in order."""
        return tuple(self._recorded)

    # --- actions (buttons and keys share them) --------------------------------------------

    def primary(self) -> None:
        """Space: start, pause or resume a countdown; count a rep; finish a free exercise."""
        if self._finished:
            return
        kind = self.step.kind
        if kind == "reps":
            self._reps += 1
            if self._reps >= self.step.reps:
                self._complete_step()
            else:
                self._refresh()
        elif kind == "free":
            self._finish_exercise()
        elif self._timer.isActive():
            self._timer.stop()
            self._refresh()
        else:
            if self._remaining <= 0:
                self._remaining = self.step.seconds
            self._timer.start()
            self._refresh()

    def next_exercise(self) -> None:
        """Right: skip to the next exercise without recording this one."""
        if self._finished:
            return
        self._timer.stop()
        if self._index + 1 < len(self._exercises):
            self._enter_exercise(self._index + 1)
            self.message_label.setText("")
        else:
            self._end(stopped=False)

    def previous_exercise(self) -> None:
        """Left: go back one exercise (or start this one again when it is the first)."""
        if self._finished:
            return
        self._timer.stop()
        self._enter_exercise(max(0, self._index - 1))
        self.message_label.setText("")

    def stop(self) -> None:
        """Esc: end the session now; the exercise under way is not recorded."""
        if self._finished:
            return
        self._end(stopped=True)

    def mark_done(self) -> None:
        """Record the current exercise as done (the runner did it their own way) and go on."""
        if not self._finished:
            self._finish_exercise()

    # --- the steps --------------------------------------------------------------------------

    def _dose(self, exercise: Exercise) -> Dose | None:
        """The dose for the session's phase and day; another phase's when the plan names an exercise
        outside its phases (so the runner still gets a sensible amount)."""
        dose = exercise.dose_for(self._phase, self._phase_day)
        if dose is None and exercise.doses:
            dose = next(iter(exercise.doses.values()))
        return dose

    def _enter_exercise(self, index: int) -> None:
        self._index = index
        exercise = self._exercises[index]
        self._steps = steps_for(self._dose(exercise))
        self._step = 0
        self._enter_step(auto=False)

        self.illustration.set_svg(illustration_bytes(self._library, exercise),
                                  f"Drawing of the {exercise.name.lower()}")
        self.name_label.setText(exercise.name)
        dose = self._dose(exercise)
        self.dose_label.setText(dose.describe().capitalize() if dose else "At your own pace")
        self.cues_label.setText("<br>".join(f"•&nbsp;{html.escape(c)}" for c in exercise.cues))
        self.caution_label.setText(exercise.cautions[-1])
        self.previous_button.setEnabled(index > 0)
        last = index + 1 == len(self._exercises)
        self.next_button.setText("Finish  ›" if last else "Skip  ›")
        self.done_button.setText("✓  Mark done, finish" if last else "✓  Mark done, next")
        self._refresh()

    def _enter_step(self, *, auto: bool) -> None:
        step = self._steps[self._step]
        self._remaining = step.seconds
        self._reps = 0
        # Rests always run on by themselves, and so does a hold that follows a rest; the
        # first countdown of an exercise waits for Space, so the runner can get into position.
        if step.kind == "rest" or (auto and step.kind == "hold"):
            self._timer.start()
        else:
            self._timer.stop()

    def _complete_step(self) -> None:
        self._timer.stop()
        if self._step + 1 >= len(self._steps):
            self._finish_exercise()
            return
        self._step += 1
        self._enter_step(auto=True)
        self._refresh()

    def _finish_exercise(self) -> None:
        self._timer.stop()
        exercise = self._exercises[self._index]
        self._session.set_exercise_done(self._session.today(), exercise.id)
        self._recorded.append(exercise.id)
        self.exercise_recorded.emit(exercise.id)
        if self._index + 1 < len(self._exercises):
            self._enter_exercise(self._index + 1)
            self.message_label.setText(f"✓ {exercise.name} recorded for today.")
        else:
            self._end(stopped=False)

    def _end(self, *, stopped: bool) -> None:
        self._timer.stop()
        self._finished = True
        self._stopped = stopped
        self._fill_summary()
        self._pages.setCurrentWidget(self._summary_page)
        self.ended.emit(tuple(self._recorded))

    # --- showing ------------------------------------------------------------------------------

    def _refresh(self) -> None:
        step = self.step
        running = self._timer.isActive()
        self.position_label.setText(f"Exercise {self._index + 1} of {len(self._exercises)}")
        self.progress.setRange(0, len(self._exercises))
        self.progress.setValue(len(set(self._recorded)))
        context = ""
        if step.kind == "reps":
            self.stage_label.setText(f"SET {step.number} OF {step.of}")
            self.big_label.setText(f"{self._reps} / {step.reps}")
            self.detail_label.setText("Press Space after each rep, or “Set done” at the end.")
            self.primary_button.setText("Rep done  (Space)")
            context = "Set done"
        elif step.kind == "hold":
            self.stage_label.setText(f"HOLD {step.number} OF {step.of}")
            self.big_label.setText(f"{self._remaining} s")
            if running:
                self.detail_label.setText("Hold steadily and keep breathing.")
            elif self._remaining == step.seconds:
                self.detail_label.setText("Get into position, then press Space to start.")
            else:
                self.detail_label.setText("Paused. Press Space to carry on.")
            self.primary_button.setText(self._countdown_button_text(running, step))
        elif step.kind == "rest":
            what = "hold" if self._steps[self._step + 1].kind == "hold" else "set"
            self.stage_label.setText("REST")
            self.big_label.setText(f"{self._remaining} s")
            self.detail_label.setText(
                f"Relax. Next: {what} {step.number} of {step.of}."
                + ("" if running else " Paused."))
            self.primary_button.setText("Pause  (Space)" if running else "Resume  (Space)")
            context = "Skip rest"
        elif step.kind == "timer":
            self.stage_label.setText("TIMER")
            self.big_label.setText(_clock(self._remaining))
            if running:
                self.detail_label.setText("At an easy pace. Finish early whenever you need to.")
            elif self._remaining == step.seconds:
                self.detail_label.setText("Press Space to start the timer.")
            else:
                self.detail_label.setText("Paused. Press Space to carry on.")
            self.primary_button.setText(self._countdown_button_text(running, step))
            context = "Finish early"
        else:
            self.stage_label.setText("AT YOUR OWN PACE")
            self.big_label.setText("—")
            self.detail_label.setText("Follow the steps, then press Space when you are done.")
            self.primary_button.setText("Done  (Space)")
        self.context_button.setText(context)
        self.context_button.setVisible(bool(context))
        self.context_button.setAccessibleName(context)
        self.big_label.setAccessibleDescription(self.detail_label.text())

    def _countdown_button_text(self, running: bool, step: Step) -> str:
        if running:
            return "Pause  (Space)"
        if self._remaining == step.seconds:
            return "Start  (Space)"
        return "Resume  (Space)"

    def _fill_summary(self) -> None:
        total = len(self._exercises)
        today = self._session.today()
        earlier = set(self._session.exercises_done(today, today).get(today, {}))
        done = set(self._recorded) | earlier  # done today, in this session or before it
        count = len(done & {e.id for e in self._exercises})
        if count == total:
            self.summary_title.setText("Well done: today's routine is complete.")
        elif self._stopped:
            self.summary_title.setText("Session stopped.")
        else:
            self.summary_title.setText("Session finished.")
        rows = []
        for exercise in self._exercises:
            name = html.escape(exercise.name)
            if exercise.id in self._recorded:
                rows.append(f"<li>✓ {name}: recorded for today</li>")
            elif exercise.id in done:
                rows.append(f"<li>✓ {name}: already done earlier today</li>")
            else:
                rows.append(f"<li>– {name}: not done yet today</li>")
        self.summary_label.setText(
            f"<p>{count} of {total} exercises recorded for today.</p>"
            f"<ul style='list-style-type:none; margin-left:-20px'>{''.join(rows)}</ul>")
        self.summary_note.setText(
            "If your back feels worse later today or tomorrow morning, note it in the log; "
            "the plan adjusts to how you respond.")

    # --- events and slots ----------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # overrides QWidget.keyPressEvent
        key = event.key()
        if self._finished:
            if key in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
                self.dismissed.emit()
                return
        elif key == Qt.Key.Key_Space:
            self.primary()
            return
        elif key == Qt.Key.Key_Right:
            self.next_exercise()
            return
        elif key == Qt.Key.Key_Left:
            self.previous_exercise()
            return
        elif key == Qt.Key.Key_Escape:
            self.stop()
            return
        super().keyPressEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # overrides QWidget.hideEvent
        # Another view took over the window: stop counting rather than run on unseen.
        if self._timer.isActive():
            self._timer.stop()
            self._refresh()
        super().hideEvent(event)

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._remaining -= 1
        if self._remaining <= 0:
            self._remaining = 0
            self._complete_step()
        else:
            self._refresh()

    @Slot()
    def _on_primary_button_clicked(self) -> None:
        self.primary()

    @Slot()
    def _on_context_button_clicked(self) -> None:
        kind = self.step.kind
        if kind in ("reps", "rest"):
            self._complete_step()
        elif kind == "timer":
            self._finish_exercise()

    @Slot()
    def _on_done_button_clicked(self) -> None:
        self.mark_done()

    @Slot()
    def _on_next_button_clicked(self) -> None:
        self.next_exercise()

    @Slot()
    def _on_previous_button_clicked(self) -> None:
        self.previous_exercise()

    @Slot()
    def _on_stop_button_clicked(self) -> None:
        self.stop()

    @Slot()
    def _on_back_button_clicked(self) -> None:
        self.dismissed.emit()
