"""The Today view: what today asks, whether the plan can move on, and a quick pain score.

A runner opens the app in pain, once or twice a day. This page answers their questions in the
order they have them: where am I in the plan, is anything wrong (red banner, amber warnings),
what should I do today, how did yesterday's activity sit overnight, and can I move on. It is
read-only except for three small writes (a tick, a pain score, an advance) and a clearance,
all made through the Session so they are undoable and every other view hears about them.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core import engine, model
from recoverydesk.core.model import PHASES, Activity, DayLog, ValidationError
from recoverydesk.gui import style
from recoverydesk.gui.session import Session
from recoverydesk.gui.style import is_dark, scaled_font

GATE_RULES = ("G1", "G2", "G3", "G4", "G5")
GATE_TITLES = {
    "G1": "Days in this phase",
    "G2": "Three logged days in a row",
    "G3": "Pain low enough",
    "G4": "Pain not rising",
    "G5": "Activity",
    "G6": "Ready-to-run test",
    "G7": "No hold on running",
}

AMBER_BG, AMBER_FG, AMBER_EDGE = "#fff3cd", "#4d3800", "#d9a400"
def describe_activity(activity: Activity, units: str) -> str:
    """"walk 25 min, pain 2" or "run 3.2 km 24 min": short words for one activity."""
    text = model.describe_activity(activity, units)
    if activity.pain is not None:
        text += f", pain {activity.pain}"
    return text


class TodayView(QWidget):
    """The Today page (DESIGN.md §1).

    Signals:
        exercise_requested: The runner asked how to do a checklist item. arg: the exercise id.

    Attributes:
        confirm: Called with the advance confirmation box; returns whether to go ahead.
            Replaceable so tests (and a future "don't ask again" setting) can answer it.
    """

    exercise_requested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.confirm: Callable[[QMessageBox], bool] = _ask
        self._checklist_key: tuple[str, ...] | None = None
        self._checkboxes: dict[str, QCheckBox] = {}
        self._build()
        session.data_changed.connect(self._on_session_data_changed)
        session.episode_changed.connect(self.reload)
        self.reload()

    # --- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.setAccessibleName("Today")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        page = QWidget()
        scroll.setWidget(page)
        centred = QHBoxLayout(page)
        body = QWidget(page)
        # A readable measure: about 80 characters, whatever the font or screen density.
        body.setMaximumWidth(self.fontMetrics().averageCharWidth() * 150)
        centred.addWidget(body)
        em = self.fontMetrics().height()
        lay = QVBoxLayout(body)
        lay.setSpacing(round(em * 0.8))
        lay.setContentsMargins(em, em, em, em)
        self._layout = lay

        self.heading = QLabel(body)
        self.heading.setFont(scaled_font(self, 1.6, bold=True))
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Phase and day")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.heading)

        self.summary = self._wrapped_label(body, "Phase summary")
        lay.addWidget(self.summary)

        # Red banner: paused by a red flag.
        self.banner = QFrame(body)
        self.banner.setObjectName("redBanner")
        self.banner.setStyleSheet(
            f"#redBanner {{ background: {style.RED_BG}; border-radius: {em // 3}px; }}"
            f"#redBanner QLabel {{ color: {style.RED_FG}; }}")
        self.banner.setAccessibleName("Plan paused by a red flag")
        banner_lay = QVBoxLayout(self.banner)
        banner_lay.setContentsMargins(em, em, em, em)
        self.banner_title = QLabel(self.banner)
        self.banner_title.setFont(scaled_font(self, 1.15, bold=True))
        self.banner_title.setWordWrap(True)
        banner_lay.addWidget(self.banner_title)
        self.banner_text = self._wrapped_label(self.banner, "Red flag advice")
        banner_lay.addWidget(self.banner_text)
        self.clearance_button = QPushButton("Record clearance…", self.banner)
        self.clearance_button.setAccessibleName("Record a clinician's clearance")
        self.clearance_button.setToolTip("After a clinician has seen you, record what they "
                                         "said so the plan can go on.")
        self.clearance_button.clicked.connect(self._on_clearance_clicked)
        row = QHBoxLayout()
        row.addWidget(self.clearance_button)
        row.addStretch(1)
        banner_lay.addLayout(row)
        lay.addWidget(self.banner)

        # Amber box: mileage warnings and notices.
        self.warnings = QLabel(body)
        self.warnings.setObjectName("amberBox")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setStyleSheet(
            f"#amberBox {{ background: {AMBER_BG}; color: {AMBER_FG}; "
            f"border: 1px solid {AMBER_EDGE}; border-radius: {em // 3}px; "
            f"padding: {em // 2}px; }}")
        self.warnings.setAccessibleName("Warnings")
        lay.addWidget(self.warnings)

        # Two columns when there is room: today's work and pain | moving on.
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns.setSpacing(em * 2)
        left_widget, right_widget = QWidget(body), QWidget(body)
        left = QVBoxLayout(left_widget)
        right = QVBoxLayout(right_widget)
        for column in (left, right):
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(round(em * 0.6))
        self.columns.addWidget(left_widget, 1)
        self.columns.addWidget(right_widget, 1)
        lay.addLayout(self.columns)
        outer_lay, lay = lay, left

        # Today's work.
        lay.addWidget(self._section_title(body, "Today"))
        self.prescription = self._wrapped_label(body, "Today's prescription")
        lay.addWidget(self.prescription)
        self.checklist_box = QWidget(body)
        self.checklist_box.setAccessibleName("Today's checklist")
        self.checklist_layout = QVBoxLayout(self.checklist_box)
        self.checklist_layout.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.checklist_box)

        # Pain: the quick entry and the 24-hour pairing.
        lay.addWidget(self._section_title(body, "Pain today"))
        pain_row = QHBoxLayout()
        self.pain_label = QLabel("&Pain now (0 none – 10 worst):", body)
        self.pain_spin = QSpinBox(body)
        self.pain_spin.setRange(0, 10)
        self.pain_spin.setAccessibleName("Pain now, 0 to 10")
        self.pain_spin.setToolTip("0 is no pain, 10 the worst imaginable.")
        self.pain_label.setBuddy(self.pain_spin)
        self.pain_save = QPushButton("&Save pain", body)
        self.pain_save.setAccessibleName("Save today's pain")
        self.pain_save.clicked.connect(self._on_pain_save_clicked)
        pain_row.addWidget(self.pain_label)
        pain_row.addWidget(self.pain_spin)
        pain_row.addWidget(self.pain_save)
        pain_row.addStretch(1)
        lay.addLayout(pain_row)
        self.pain_status = self._wrapped_label(body, "Pain entry status")
        lay.addWidget(self.pain_status)
        self.pairing = self._wrapped_label(body, "Yesterday's activity and this morning's pain")
        lay.addWidget(self.pairing)

        lay.addStretch(1)

        # The gate.
        lay = right
        lay.addWidget(self._section_title(body, "Moving on"))
        self.gate_summary = self._wrapped_label(body, "What is still needed to move on")
        self.gate_summary.setFont(scaled_font(self, 1.0, bold=True))
        lay.addWidget(self.gate_summary)
        self.gate_rows: dict[str, QLabel] = {}
        for rule in GATE_RULES:
            label = self._wrapped_label(body, GATE_TITLES[rule])
            label.setTextFormat(Qt.TextFormat.RichText)
            self.gate_rows[rule] = label
            lay.addWidget(label)
        adv_row = QHBoxLayout()
        self.advance_button = QPushButton("&Advance…", body)
        self.advance_button.setAccessibleName("Advance to the next phase")
        self.advance_button.clicked.connect(self._on_advance_clicked)
        adv_row.addWidget(self.advance_button)
        adv_row.addStretch(1)
        lay.addLayout(adv_row)
        lay.addStretch(1)
        outer_lay.addStretch(1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # overrides QWidget.resizeEvent
        """One column when narrow, two when there is room for both to stay readable."""
        wide = event.size().width() > self.fontMetrics().averageCharWidth() * 120
        self.columns.setDirection(QBoxLayout.Direction.LeftToRight if wide
                                  else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)

    @staticmethod
    def _wrapped_label(parent: QWidget, name: str) -> QLabel:
        label = QLabel(parent)
        label.setWordWrap(True)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _section_title(self, parent: QWidget, text: str) -> QLabel:
        label = QLabel(text, parent)
        label.setFont(scaled_font(self, 1.2, bold=True))
        label.setAccessibleName(text)
        return label

    # --- reading ---------------------------------------------------------------------------

    @Slot(object)
    def _on_session_data_changed(self, _days: object) -> None:
        self.reload()

    @Slot()
    def reload(self) -> None:
        """Show the session's today afresh (after any write, anywhere)."""
        session = self._session
        status = session.status()
        if session.episode is None or status is None:
            self._show_no_episode()
            return
        content = session.content
        plan = content.plan.phase(status.phase)
        today = session.today()
        log = session.episode.logs.get(today)

        self.heading.setText(self.heading_text(status))
        self.summary.setText(plan.summary)
        self.summary.show()
        self._show_banner(status)
        self._show_warnings(status)
        label = plan.prescription_for(status.phase_day).label
        self.prescription.setText(f"Day {status.phase_day} of {plan.name}: <b>{label}</b>")
        self.prescription.setTextFormat(Qt.TextFormat.RichText)
        self._show_checklist(status.phase, session.ticks(today))
        self.pain_spin.setEnabled(True)
        self.pain_save.setEnabled(True)
        if log is not None:
            self.pain_spin.setValue(log.pain)
            self.pain_status.setText(f"Today's pain is logged: {log.pain}. Change it and save to "
                                     "update it; the rest of today's entry is kept.")
        else:
            self.pain_status.setText("Not logged yet today.")
        self.pairing.setText(self.pairing_text())
        self.pairing.show()
        self._show_gate(status)

    def heading_text(self, status: engine.DayStatus) -> str:
        """"Walk — day 3 of at least 4"; "Full training — day 12"; a pause is said too."""
        name = self._session.content.plan.name(status.phase)
        minimum = self._session.rules.min_days.get(status.phase)
        if status.phase == PHASES[-1] or not minimum:
            text = f"{name} — day {status.phase_day}"
        elif status.phase_day <= minimum:
            text = f"{name} — day {status.phase_day} of at least {minimum}"
        else:
            text = f"{name} — day {status.phase_day} (the minimum of {minimum} is done)"
        if status.paused:
            text += " · paused"
        return text

    def _show_no_episode(self) -> None:
        self.heading.setText("Welcome to RecoveryDesk")
        self.summary.setText(
            "There is no recovery episode in this data folder yet. Begin one with the first-run "
            "setup (it opens when you start RecoveryDesk), or from the command line with "
            "<tt>recoverydesk start --date YYYY-MM-DD</tt>. Choose <i>Explore with demo "
            "data</i> to look around a six-week example first.")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.banner.hide()
        self.warnings.hide()
        self.prescription.setText("Once an episode has begun, this page shows what today asks "
                                  "of you, how your pain is doing, and when you can move on.")
        self._show_checklist(None, frozenset())
        self.pain_spin.setEnabled(False)
        self.pain_save.setEnabled(False)
        self.pain_status.setText("")
        self.pairing.hide()
        self.gate_summary.setText("")
        for label in self.gate_rows.values():
            label.hide()
        self.advance_button.setEnabled(False)

    def _show_banner(self, status: engine.DayStatus) -> None:
        if not status.paused:
            self.banner.hide()
            return
        flags = self.pause_flags()
        red_flags = self._session.content.red_flags
        texts = self._session.content.texts
        emergency = any(red_flags[f].emergency for f in flags if f in red_flags)
        self.banner_title.setText("Seek care now — the plan is paused" if emergency else
                                  "The plan is paused: please see a clinician")
        parts = [texts["banner_emergency" if emergency else "banner_soon"]]
        for flag in flags:
            if flag in red_flags:
                parts.append(f"• {red_flags[flag].label}: {red_flags[flag].advice}")
        self.banner_text.setText("\n\n".join(parts))
        self.banner.setAccessibleDescription(self.banner_title.text())
        self.banner.show()

    def pause_flags(self) -> list[str]:
        """The red flags logged since the current pause began, in the order of §4."""
        session = self._session
        episode = session.episode
        if episode is None:
            return []
        timeline = session.timeline()
        flagged: set[str] = set()
        for status in reversed(timeline):
            log = episode.logs.get(status.day)
            if log is not None:
                flagged |= log.red_flags
            if status.event == "pause" and not _was_paused_before(timeline, status):
                break
        from recoverydesk.core.model import RED_FLAGS

        return [f for f in RED_FLAGS if f in flagged]

    def _show_warnings(self, status: engine.DayStatus) -> None:
        lines = [g.detail for g in status.warnings]
        lines += [r.detail for r in status.reasons if r.rule == "advance" and not r.ok]
        lines += [notice.detail for notice in status.notices]
        if not lines:
            self.warnings.hide()
            return
        items = "".join(f"<li>{_escape(line)}</li>" for line in lines)
        self.warnings.setText(f"<b>Take care</b><ul style='margin-left:0'>{items}</ul>")
        self.warnings.show()

    def _show_checklist(self, phase: str | None, ticks: frozenset[str]) -> None:
        items = self._session.content.plan.phase(phase).checklist if phase else ()
        key = tuple(item.id for item in items) + ((phase,) if phase else ())
        if key != self._checklist_key:
            self._checklist_key = key
            while self.checklist_layout.count():
                child = self.checklist_layout.takeAt(0)
                widget = child.widget() if child is not None else None
                if widget is not None:
                    widget.hide()
                    widget.deleteLater()
            self._checkboxes = {}
            for item in items:
                row = QWidget(self.checklist_box)
                row_lay = QHBoxLayout(row)
                row_lay.setContentsMargins(0, 0, 0, 0)
                box = QCheckBox(row)
                box.setAccessibleName(item.text)
                box.toggled.connect(self._make_tick_slot(item.id))
                row_lay.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
                row_lay.addWidget(_CheckLabel(item.text, box, row), 1, Qt.AlignmentFlag.AlignTop)
                if item.exercise:
                    how = QPushButton("How to…", row)
                    how.setAccessibleName(f"How to do: {item.text}")
                    how.setToolTip("Open this exercise in the Exercises view")
                    how.setFlat(True)
                    how.clicked.connect(self._make_exercise_slot(item.exercise))
                    row_lay.addWidget(how, 0, Qt.AlignmentFlag.AlignTop)
                self.checklist_layout.addWidget(row)
                self._checkboxes[item.id] = box
        for item_id, box in self._checkboxes.items():
            box.blockSignals(True)
            box.setChecked(item_id in ticks)
            box.blockSignals(False)

    def _make_tick_slot(self, item_id: str) -> Callable[[bool], None]:
        def on_toggled(checked: bool) -> None:
            self._session.set_tick(self._session.today(), item_id, checked)
        return on_toggled

    def _make_exercise_slot(self, exercise_id: str) -> Callable[[], None]:
        def on_clicked() -> None:
            self.exercise_requested.emit(exercise_id)
        return on_clicked

    def checkbox(self, item_id: str) -> QCheckBox:
        """The checkbox of a checklist item (for tests and keyboard focus)."""
        return self._checkboxes[item_id]

    def pairing_text(self) -> str:
        """The 24-hour rule in one line: yesterday's activity against this morning's pain."""
        session = self._session
        episode = session.episode
        if episode is None:
            return ""
        today = session.today()
        yesterday = today - datetime.timedelta(days=1)
        if yesterday < episode.start:
            return "Yesterday was before this episode began; tomorrow this line will pair " \
                   "today's activity with tomorrow morning's pain."
        acts = episode.activities_on(yesterday)
        if acts:
            did = "Yesterday: " + "; ".join(describe_activity(a, session.units) for a in acts)
            if all(a.pain is None for a in acts):
                pain = episode.pain_activity(yesterday)
                if pain is not None:
                    did += f", pain {pain}"
        elif yesterday in episode.logs:
            did = "Yesterday: no activity logged"
        else:
            did = "Yesterday: nothing logged"
        log = episode.logs.get(today)
        if log is not None and log.pain_morning is not None:
            return f"{did} → this morning {log.pain_morning}"
        return (f"{did} → this morning's pain is not logged yet (add it in the Log view, "
                "under morning pain).")

    def _show_gate(self, status: engine.DayStatus) -> None:
        session = self._session
        plan = session.content.plan
        reasons = {r.rule: r for r in status.reasons}
        last = status.phase == PHASES[-1]
        for rule, label in self.gate_rows.items():
            result = reasons.get(rule)
            if result is None or last:
                label.hide()
                continue
            mark = "✓" if result.ok else "✗"
            dark = is_dark(self.palette())
            colour = (("#81c784" if dark else "#2e7d32") if result.ok
                      else ("#ef9a9a" if dark else "#b3261e"))
            label.setText(f"<span style='color:{colour}; font-weight:bold'>{mark}</span>&nbsp; "
                          f"<b>{GATE_TITLES[rule]}.</b> {_escape(result.detail)}")
            label.setAccessibleDescription(("met: " if result.ok else "not yet: ") + result.detail)
            label.show()
        advanced = status.event == "advance"
        next_name = plan.name(status.next_phase)
        if last:
            text = f"{plan.name(status.phase)} is the last phase: there is nothing to advance to."
        elif advanced:
            text = f"You have moved on: {next_name} starts tomorrow."
        elif status.paused:
            text = "Moving on waits until a clinician has cleared you."
        elif status.can_advance:
            text = f"The gate is open: you can move on to {plan.name(_next(status.phase))}."
        else:
            text = "Still needed: " + "; ".join(self.missing(status)) + "."
        self.gate_summary.setText(text)
        self.advance_button.setEnabled(status.can_advance and not advanced and not status.paused)
        self.advance_button.setText("Advanced today" if advanced else "&Advance…")

    def missing(self, status: engine.DayStatus) -> list[str]:
        """What the gate still needs, in short words, from the engine's figures."""
        out: list[str] = []
        for r in status.reasons:
            if r.ok or not r.rule.startswith("G"):
                continue
            left = r.facts.get("left")
            if r.rule == "G1":
                out.append(f"{left} more {'day' if left == 1 else 'days'} in this phase")
            elif r.rule == "G2":
                out.append(f"{left} more logged {'day' if left == 1 else 'days'} in a row")
            elif r.rule == "G3":
                out.append(f"pain {r.facts['threshold']} or less on {r.facts['window']} days "
                           "in a row")
            elif r.rule == "G4" and r.why == "rising":
                out.append("pain not rising over three days")
            elif r.rule == "G5" and r.why == "ladder":
                out.append(f"{left} more ladder {'stage' if left == 1 else 'stages'}")
            elif r.rule == "G5":
                out.append(f"activity on {left} more {'day' if left == 1 else 'days'}")
            elif r.rule == "G6":
                out.append("a passed ready-to-run test")
            elif r.rule == "G7":
                out.append("a clinician's check before running")
        if not out:
            out.append("see the rules below")
        return out

    def _last_clearance(self) -> datetime.date | None:
        episode = self._session.episode
        if episode is None:
            return None
        days = [s.day for s in self._session.timeline() if s.event == "clearance"]
        return days[-1] if days else None

    # --- writing ---------------------------------------------------------------------------

    def advance_confirmation(self) -> QMessageBox:
        """The question asked before advancing, with what the next phase asks."""
        status = self._session.status()
        assert status is not None
        plan = self._session.content.plan
        current = plan.phase(status.phase)
        nxt = plan.phase(_next(status.phase))
        box = QMessageBox(QMessageBox.Icon.Question, f"Move on to {nxt.name}?",
                          f"Move on from {current.name} to {nxt.name} tomorrow?", parent=self)
        box.setInformativeText(current.advance_hint)
        box.setDetailedText(nxt.summary)
        go = box.addButton(f"Move on to {nxt.name}", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not yet", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(go)
        return box

    @Slot()
    def _on_advance_clicked(self) -> None:
        box = self.advance_confirmation()
        if not self.confirm(box):
            return
        decision = self._session.advance(self._session.today())
        if decision.accepted:
            status = self._session.status()
            name = self._session.content.plan.name(status.next_phase) if status else ""
            self._session.notify(f"Moving on: {name} starts tomorrow.")
        else:
            QMessageBox.information(self, "Not yet", "\n".join(r.detail for r in
                                                                decision.reasons))

    @Slot()
    def _on_clearance_clicked(self) -> None:
        self.clearance_dialog().open()

    def clearance_dialog(self) -> QDialog:
        """A dialog recording today's clearance (not yet shown)."""
        from recoverydesk.gui.dialogs import ClearanceDialog

        return ClearanceDialog(self._session, self._session.today(), self)

    @Slot()
    def _on_pain_save_clicked(self) -> None:
        self.save_pain(self.pain_spin.value())

    def save_pain(self, pain: int) -> None:
        """Save today's pain; an existing entry keeps everything but ``pain``."""
        session = self._session
        today = session.today()
        episode = session.episode
        old = episode.logs.get(today) if episode else None
        log = dataclasses.replace(old, pain=pain) if old else DayLog(today, pain)
        try:
            session.save_day(log, replace_activities=False, text=f"Pain {pain} today")
        except ValidationError as error:
            self.pain_status.setText(f"Not saved: {error}")
            return
        self.pain_status.setText(f"Saved: pain {pain} today.")


class _CheckLabel(QLabel):
    """A checkbox's text that wraps (QCheckBox's own does not) and toggles it when clicked."""

    def __init__(self, text: str, box: QCheckBox, parent: QWidget) -> None:
        super().__init__(text, parent)
        self._box = box
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setBuddy(box)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # overrides QWidget
        if event.button() == Qt.MouseButton.LeftButton:
            self._box.toggle()
            self._box.setFocus()
        super().mouseReleaseEvent(event)


def _next(phase: str) -> str:
    index = PHASES.index(phase)
    return PHASES[min(index + 1, len(PHASES) - 1)]


def _was_paused_before(timeline: list[engine.DayStatus], status: engine.DayStatus) -> bool:
    index = (status.day - timeline[0].day).days
    return index > 0 and timeline[index - 1].paused


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _ask(box: QMessageBox) -> bool:
    box.exec()
    return box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.AcceptRole
