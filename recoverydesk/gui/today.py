"""The Today view: what today asks, whether the plan can move on, and a quick pain score.

A runner opens the app in pain, once or twice a day. This page answers their questions in the
order they have them: where am I in the plan, is anything wrong (red banner, amber warnings),
what should I do today, how did yesterday's activity sit overnight, and can I move on. It is
read-only except for three small writes (a tick, a pain score, an advance) and a clearance,
all made through the Session so they are undoable and every other view hears about them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QMouseEvent, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core.today_words import BANNER_TITLES, GATE_RULES, GATE_TITLES
from recoverydesk.gui import style
from recoverydesk.gui.session import Session
from recoverydesk.gui.spinboxes import OptionalSpinBox
from recoverydesk.gui.style import (
    FlatButton,
    allow_selection,
    card_layout,
    is_dark,
    scaled_font,
    selectable_later,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QMessageBox

    from recoverydesk.core.today_face import Banner, CheckIn, Face, Item


def _focus_chain(widget: QWidget) -> list[QWidget]:
    """The widgets inside ``widget`` that Tab stops at, in the order they were built (which
    is the order they read in: each card is built top to bottom, left to right)."""
    return [w for w in widget.findChildren(QWidget)
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not isinstance(w.parentWidget(), QSpinBox)]

class TodayView(QWidget):
    """The Today page (DESIGN.md §1).

    Signals:
        exercise_requested: The runner asked how to do a checklist item. arg: the exercise id.

    Attributes:
        confirm: Called with the advance confirmation box; returns whether to go ahead.
            Replaceable so tests (and a future "don't ask again" setting) can answer it.
    """

    exercise_requested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None, *,
                 face: Face | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.confirm: Callable[[QMessageBox], bool] = _ask
        self._checklist_key: tuple[str, ...] | None = None
        self._checkboxes: dict[str, QCheckBox] = {}
        self.face: Face | None = None
        """What the view shows (core/today_face.py)."""
        self._selection: str = "not yet"  # "asked" after the first paint, then "allowed"
        self._build()
        session.data_changed.connect(self._on_session_data_changed)
        session.episode_changed.connect(self.reload)
        if face is None:
            self.reload()
        else:
            self.show_face(face)  # worked out before the session's data file is open

    # --- building --------------------------------------------------------------------------

    def _build(self) -> None:
        """Heading, red banner, the morning check-in, warnings, then the cards.

        The cards (today's work, moving on, and any a later feature adds with ``add_card``)
        flow into one, two or three columns by the width there is (DESIGN §1.1).
        """
        self.setAccessibleName("Today")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        em = self.fontMetrics().height()
        lay = QVBoxLayout(body)
        lay.setSpacing(round(em * 0.8))
        lay.setContentsMargins(em, em, em, em)
        self._layout = lay

        self.heading = QLabel(body)
        self.heading.setFont(scaled_font(self, 1.6, bold=True))
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Phase and day")
        selectable_later(self.heading)
        lay.addWidget(self.heading)

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

        lay.addWidget(self._build_check_in(body, em))

        # Amber box: mileage warnings and notices.
        self.warnings = QLabel(body)
        self.warnings.setObjectName("amberBox")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setStyleSheet(
            f"#amberBox {{ background: {style.AMBER_BG}; color: {style.AMBER_FG}; "
            f"border: 1px solid {style.AMBER_EDGE}; border-radius: {em // 3}px; "
            f"padding: {em // 2}px; }}")
        self.warnings.setAccessibleName("Warnings")
        lay.addWidget(self.warnings)
        from recoverydesk.gui.notices import NoticeBox

        self.notice_box = NoticeBox(self._session, body)
        lay.addWidget(self.notice_box)

        self.cards: list[QWidget] = []
        self._card_columns = 0
        self.card_grid = QGridLayout()
        self.card_grid.setHorizontalSpacing(em * 2)
        self.card_grid.setVerticalSpacing(em)
        lay.addLayout(self.card_grid)
        lay.addStretch(1)

        # Today's work.
        work, work_lay = self._card(body, "Today")
        self.summary = self._wrapped_label(work, "Phase summary")
        work_lay.addWidget(self.summary)
        self.prescription = self._wrapped_label(work, "Today's prescription")
        work_lay.addWidget(self.prescription)
        self.checklist_box = QWidget(work)
        self.checklist_box.setAccessibleName("Today's checklist")
        self.checklist_layout = QVBoxLayout(self.checklist_box)
        self.checklist_layout.setContentsMargins(0, 0, 0, 0)
        work_lay.addWidget(self.checklist_box)
        work_lay.addStretch(1)
        self.add_card(work)

        # The gate.
        gate, gate_lay = self._card(body, "Moving on")
        self.gate_summary = self._wrapped_label(gate, "What is still needed to move on")
        self.gate_summary.setFont(scaled_font(self, 1.0, bold=True))
        gate_lay.addWidget(self.gate_summary)
        self.gate_rows: dict[str, QLabel] = {}
        for rule in GATE_RULES:
            label = self._wrapped_label(gate, GATE_TITLES[rule])
            label.setTextFormat(Qt.TextFormat.RichText)
            self.gate_rows[rule] = label
            gate_lay.addWidget(label)
        adv_row = QHBoxLayout()
        self.advance_button = QPushButton("&Advance…", gate)
        self.advance_button.setAccessibleName("Advance to the next phase")
        self.advance_button.clicked.connect(self._on_advance_clicked)
        adv_row.addWidget(self.advance_button)
        self._build_engine_buttons(gate, adv_row)
        adv_row.addStretch(1)
        gate_lay.addLayout(adv_row)
        gate_lay.addStretch(1)
        self.add_card(gate)

        # Function (PSFS, DESIGN §3.1): naming the activities, then the weekly scores.
        from recoverydesk.gui.psfs import PsfsCard

        function, function_lay = self._card(body, "Function")
        self.psfs_card = PsfsCard(self._session, function)
        function_lay.addWidget(self.psfs_card)
        function_lay.addStretch(1)
        self.add_card(function)

        # Running: the walk–run ladder in `run`, the weekly guide in `full` (§5.3, §5.4).
        from recoverydesk.gui.ladder_card import GuideCard, LadderCard

        self.ladder_card = LadderCard(body)
        self.guide_card = GuideCard(body)
        self.cards[:0] = [self.ladder_card, self.guide_card]  # first when shown
        self._card_columns = 0

    def _build_check_in(self, parent: QWidget, em: int) -> QWidget:
        """The morning check-in card: pain now, morning pain (and leg pain), Save.

        Every score starts at "—" (empty) on a new day, so nothing records 0 by accident.
        """
        card, lay = self._card(parent, "Morning check-in")
        card.setObjectName("checkInCard")
        self.check_in = card
        row = QHBoxLayout()
        row.setSpacing(round(em * 0.6))
        self.pain_label = QLabel("&Pain now", card)
        self.pain_spin = OptionalSpinBox(0, 10, parent=card)
        self.pain_spin.setAccessibleName("Pain now, 0 to 10")
        self.pain_spin.setAccessibleDescription(
            "Empty until you choose: 0 is no pain, 10 the worst imaginable.")
        self.pain_spin.setToolTip("0 is no pain, 10 the worst imaginable. Needed to save.")
        self.pain_label.setBuddy(self.pain_spin)
        self.morning_label = QLabel("&Morning pain", card)
        self.morning_spin = OptionalSpinBox(0, 10, parent=card)
        self.morning_spin.setAccessibleName("Morning pain or stiffness, 0 to 10")
        self.morning_spin.setAccessibleDescription(
            "On waking, 0 to 10; leave it at the dash if you did not note it.")
        self.morning_label.setBuddy(self.morning_spin)
        spins: list[tuple[QLabel, QSpinBox]] = [(self.pain_label, self.pain_spin),
                                                (self.morning_label, self.morning_spin)]
        leg_label = QLabel("&Leg pain", card)
        self.leg_spin = OptionalSpinBox(0, 10, parent=card)
        self.leg_spin.setAccessibleName("Leg pain, 0 to 10")
        self.leg_spin.setAccessibleDescription(
            "Pain spreading into a leg, 0 to 10; leave it at the dash if there is none to note.")
        leg_label.setBuddy(self.leg_spin)
        spins.append((leg_label, self.leg_spin))
        for label, spin in spins:
            spin.setMinimumWidth(em * 4)
            row.addWidget(label)
            row.addWidget(spin)
            row.addSpacing(em // 2)
        self.pain_save = QPushButton("&Save check-in", card)
        self.pain_save.setAccessibleName("Save this morning's check-in")
        self.pain_save.setToolTip("Saves these scores for today; the rest of today's entry "
                                  "is kept.")
        self.pain_save.clicked.connect(self._on_pain_save_clicked)
        row.addWidget(self.pain_save)
        row.addStretch(1)
        lay.addLayout(row)
        self.pain_status = self._wrapped_label(card, "Check-in status")
        lay.addWidget(self.pain_status)
        self.pairing = self._wrapped_label(card, "Yesterday's activity and this morning's pain")
        lay.addWidget(self.pairing)
        self._check_in_loaded: tuple[int, ...] = ()
        return card

    def _build_engine_buttons(self, parent: QWidget, row: QHBoxLayout) -> None:
        """The ready-to-run test (`low_impact`) and "mark recovered" (§5.1, §5.3)."""
        self.ready_button = QPushButton("&Ready to run?…", parent)
        self.ready_button.setAccessibleName("Answer the ready-to-run test")
        self.ready_button.setToolTip("The morning after the six-check test: record a pass.")
        self.ready_button.clicked.connect(self._on_ready_clicked)
        row.addWidget(self.ready_button)
        self.recovered_button = QPushButton("Mark this episode &recovered…", parent)
        self.recovered_button.setAccessibleName("Mark this episode recovered")
        self.recovered_button.clicked.connect(self._on_recovered_clicked)
        row.addWidget(self.recovered_button)

    def _show_engine_cards(self, face: Face) -> None:
        """The notices, the ladder or guide card, and the buttons only some days have."""
        self.notice_box.show_notices(face["notices"])
        shown = (self.ladder_card.isHidden(), self.guide_card.isHidden())
        self.ladder_card.show_card(face["ladder"])
        self.guide_card.show_card(face["guide"])
        if shown != (self.ladder_card.isHidden(), self.guide_card.isHidden()):
            self._card_columns = 0  # lay the cards out afresh
            self._flow_cards(self.width())
        self.ready_button.setVisible(face["ready"])
        self.recovered_button.setVisible(face["recovered"])
        self.recovered_button.setToolTip(face["recovered_text"])
    def ready_dialog(self) -> QDialog:
        """The "Ready to run?" dialog (not yet shown)."""
        from recoverydesk.gui.ready_dialog import ReadyDialog

        return ReadyDialog(self._session, self)

    @Slot()
    def _on_ready_clicked(self) -> None:
        self.ready_dialog().open()

    def recovered_confirmation(self) -> QMessageBox:
        from PySide6.QtWidgets import QMessageBox

        from recoverydesk.core.today_face import card_text

        box = QMessageBox(QMessageBox.Icon.Question, "Mark this episode recovered?",
                          card_text("recovered"), parent=self)
        box.addButton("Mark recovered", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(box.addButton("Not yet", QMessageBox.ButtonRole.RejectRole))
        return box

    @Slot()
    def _on_recovered_clicked(self) -> None:
        if self.confirm(self.recovered_confirmation()):
            self._session.mark_recovered()
            self._session.notify("Episode marked recovered and kept in your history.")

    def _card(self, parent: QWidget, title: str) -> tuple[QFrame, QVBoxLayout]:
        """A titled, framed box: the unit Today is made of."""
        card = QFrame(parent)
        card.setAccessibleName(title)
        lay = card_layout(card)
        lay.addWidget(self._section_title(card, title))
        return card, lay

    def add_card(self, card: QWidget) -> None:
        """Add a card after the others; it takes its place in the columns."""
        self.cards.append(card)
        self._card_columns = 0  # lay out afresh
        self._flow_cards(self.width())

    def _flow_cards(self, width: int) -> None:
        """One column when narrow, two when there is room, three on a wide screen.

        Not before the view has a width of its own: laid out at the default width first, every
        wrapped line would be measured twice before the first frame.
        """
        if not self.testAttribute(Qt.WidgetAttribute.WA_Resized) and not self.isVisible():
            self._card_columns = 0
            return
        char = self.fontMetrics().averageCharWidth()
        columns = 1 if width < char * 110 else 2 if width < char * 200 else 3
        shown = [card for card in self.cards if not card.isHidden()]  # hidden: no empty cell
        columns = max(1, min(columns, len(shown)))
        if columns == self._card_columns:
            return
        self._card_columns = columns
        for card in self.cards:
            self.card_grid.removeWidget(card)
        for index, card in enumerate(shown):
            self.card_grid.addWidget(card, index // columns, index % columns)
        for column in range(3):
            self.card_grid.setColumnStretch(column, 1 if column < columns else 0)
        self._fix_tab_order()

    def _fix_tab_order(self) -> None:
        """Tab in reading order: the check-in, then the cards row by row."""
        chain: list[QWidget] = [self.clearance_button, self.pain_spin, self.morning_spin,
                                self.leg_spin, self.pain_save]
        for card in self.cards:
            chain += [w for w in _focus_chain(card) if w not in chain]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def focus_check_in(self) -> None:
        """Put the keyboard on the check-in's pain score (the window's shortcut)."""
        self.pain_spin.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.pain_spin.selectAll()

    def resizeEvent(self, event: QResizeEvent) -> None:  # overrides QWidget.resizeEvent
        self._flow_cards(event.size().width())
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # overrides QWidget.paintEvent
        """Once the first frame is painted, let the runner select Today's text (see
        ``style.selectable_later``: allowed before, it would slow that frame)."""
        if self._selection == "not yet":
            self._selection = "asked"
            QTimer.singleShot(0, self, self._allow_selection)  # dropped if the view is gone
        super().paintEvent(event)

    def _allow_selection(self) -> None:
        self._selection = "allowed"
        allow_selection(self)

    def changeEvent(self, event: QEvent) -> None:  # overrides QWidget.changeEvent
        """The desktop turned light or dark: the gate's marks take the new palette's colours
        (the face is the same, so nothing else is shown again)."""
        if event.type() == QEvent.Type.PaletteChange and self.face is not None:
            self._show_gate(self.face)
        super().changeEvent(event)

    @staticmethod
    def _wrapped_label(parent: QWidget, name: str) -> QLabel:
        label = QLabel(parent)
        label.setWordWrap(True)
        label.setAccessibleName(name)
        return selectable_later(label)

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
        from recoverydesk.core import today_face

        self.show_face(today_face.face(self._session,
                                       force_psfs_prompt=self.psfs_card.force_prompt))

    def show_face(self, face: Face) -> None:
        """Show what ``face`` says (worked out by core/today_face.py); the same face again
        changes nothing (the first frame's, once the data file is open)."""
        if face == self.face:
            return
        self.face = face
        self.heading.setText(face["heading"])
        self.summary.setText(face["summary"])
        self.summary.setTextFormat(Qt.TextFormat.AutoText if face["episode"]
                                   else Qt.TextFormat.RichText)
        self.summary.show()
        self._show_banner(face["banner"])
        self._show_warnings(face["warnings"])
        self._show_engine_cards(face)
        self.prescription.setText(face["prescription"])
        self.prescription.setTextFormat(Qt.TextFormat.RichText if face["episode"]
                                        else Qt.TextFormat.AutoText)
        self._show_checklist(face["phase"], face["checklist"])
        self._show_check_in(face["check_in"], enabled=face["episode"])
        self.psfs_card.show_face(face["psfs"])
        self.pairing.setText(face["pairing"])
        self.pairing.setVisible(face["episode"])
        self._show_gate(face)
        if self._selection == "allowed":
            allow_selection(self)  # labels made for this face

    def _check_in_inputs(self) -> list[OptionalSpinBox]:
        return [self.pain_spin, self.morning_spin, self.leg_spin]

    def _show_check_in(self, check_in: CheckIn, *, enabled: bool) -> None:
        """Show today's saved scores, unless the runner is part-way through changing them."""
        spins: list[Any] = self._check_in_inputs()
        for spin in spins:
            spin.setEnabled(enabled)
        self.pain_save.setEnabled(enabled)
        shown = tuple(spin.value() for spin in spins)
        if enabled and (not self._check_in_loaded or shown == self._check_in_loaded):
            values = [check_in["pain"], check_in["morning"], check_in["leg"]]
            for spin, value in zip(spins, values, strict=True):
                with QSignalBlocker(spin):
                    spin.set_value_or_none(value)
            self._check_in_loaded = tuple(spin.value() for spin in spins)
        self.pain_status.setText(check_in["status"])

    def _show_banner(self, banner: Banner | None) -> None:
        """A pause or a hold, by tier (§4): red for emergency and urgent, amber otherwise."""
        if banner is None:
            self.banner.hide()
            return
        tier = banner["tier"]
        red = tier in ("emergency", "urgent")
        em = self.fontMetrics().height()
        bg, fg = (style.RED_BG, style.RED_FG) if red else (style.AMBER_BG, style.AMBER_FG)
        self.banner.setStyleSheet(
            f"#redBanner {{ background: {bg}; border: 1px solid {bg if red else style.AMBER_EDGE};"
            f" border-radius: {em // 3}px; }} #redBanner QLabel {{ color: {fg}; }}")
        self.banner.setProperty("tier", tier)
        self.banner_title.setText(banner["title"])
        self.banner_text.setText(banner["text"])
        self.banner.setAccessibleName(BANNER_TITLES[tier])
        self.banner.setAccessibleDescription(self.banner_text.text())
        self.banner.show()

    def _show_warnings(self, lines: list[str]) -> None:
        if not lines:
            self.warnings.hide()
            return
        items = "".join(f"<li>{_escape(line)}</li>" for line in lines)
        self.warnings.setText(f"<b>Take care</b><ul style='margin-left:0'>{items}</ul>")
        self.warnings.show()

    def _show_checklist(self, phase: str | None, items: list[Item]) -> None:
        key = tuple(item["id"] for item in items) + ((phase,) if phase else ())
        if key != self._checklist_key:
            self._checklist_key = key
            style.clear_layout(self.checklist_layout)
            self._checkboxes = {}
            for item in items:
                row = QWidget(self.checklist_box)
                row_lay = QHBoxLayout(row)
                row_lay.setContentsMargins(0, 0, 0, 0)
                box = QCheckBox(row)
                box.setAccessibleName(item["text"])
                box.toggled.connect(self._make_tick_slot(item["id"]))
                row_lay.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
                row_lay.addWidget(_CheckLabel(item["text"], box, row), 1,
                                  Qt.AlignmentFlag.AlignTop)
                if item["exercise"]:
                    how = FlatButton("How to…", row)
                    how.setAccessibleName(f"How to do: {item['text']}")
                    how.setToolTip("Open this exercise in the Exercises view")
                    how.clicked.connect(self._make_exercise_slot(item["exercise"]))
                    row_lay.addWidget(how, 0, Qt.AlignmentFlag.AlignTop)
                self.checklist_layout.addWidget(row)
                self._checkboxes[item["id"]] = box
            self._fix_tab_order()
        for item in items:
            box = self._checkboxes[item["id"]]
            box.blockSignals(True)
            box.setChecked(item["ticked"])
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

    def _show_gate(self, face: Face) -> None:
        rows = {row["rule"]: row for row in face["gate"]}
        dark = is_dark(self.palette())
        for rule, label in self.gate_rows.items():
            row = rows.get(rule)
            if row is None:
                label.hide()
                continue
            ok = row["ok"]
            mark = "✓" if ok else "✗"
            colour = (("#81c784" if dark else "#2e7d32") if ok
                      else ("#ef9a9a" if dark else "#b3261e"))
            label.setText(f"<span style='color:{colour}; font-weight:bold'>{mark}</span>&nbsp; "
                          f"<b>{GATE_TITLES[rule]}.</b> {_escape(row['detail'])}")
            label.setAccessibleDescription(("met: " if ok else "not yet: ") + row["detail"])
            label.show()
        self.gate_summary.setText(face["gate_summary"])
        self.advance_button.setEnabled(face["can_advance"])
        self.advance_button.setText("Advanced today" if face["advanced"] else "&Advance…")
    # --- writing ---------------------------------------------------------------------------

    def advance_confirmation(self) -> QMessageBox:
        """The question asked before advancing, with what the next phase asks."""
        from PySide6.QtWidgets import QMessageBox

        from recoverydesk.core.today_face import next_phase

        status = self._session.status()
        assert status is not None
        plan = self._session.content.plan
        current = plan.phase(status.phase)
        nxt = plan.phase(next_phase(status.phase))
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
        from PySide6.QtWidgets import QMessageBox

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
        self.save_check_in()

    def save_check_in(self) -> bool:
        """Save the check-in's scores for today; an empty pain now saves nothing."""
        pain = self.pain_spin.value_or_none()
        if pain is None:
            self.pain_status.setText("Not saved: choose your pain now first (0 no pain – 10 "
                                     "the worst imaginable).")
            self.pain_spin.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        import dataclasses

        from recoverydesk.core.model import DayLog, ValidationError

        session = self._session
        today = session.today()
        episode = session.episode
        old = episode.logs.get(today) if episode else None
        changes: dict[str, Any] = {"pain": pain,
                                   "pain_morning": self.morning_spin.value_or_none(),
                                   "leg_pain": self.leg_spin.value_or_none()}
        log = dataclasses.replace(old, **changes) if old else DayLog(today, **changes)
        self._check_in_loaded = ()  # show what was saved
        try:
            session.save_day(log, replace_activities=False, text=f"Check-in: pain {pain} today")
        except ValidationError as error:
            self.pain_status.setText(f"Not saved: {error}")
            return False
        return True

    def save_pain(self, pain: int) -> None:
        """Save today's pain; an existing entry keeps everything but ``pain``."""
        import dataclasses

        from recoverydesk.core.model import DayLog, ValidationError

        session = self._session
        today = session.today()
        episode = session.episode
        old = episode.logs.get(today) if episode else None
        log = dataclasses.replace(old, pain=pain) if old else DayLog(today, pain)
        self._check_in_loaded = ()  # show what was saved
        try:
            session.save_day(log, replace_activities=False, text=f"Pain {pain} today")
        except ValidationError as error:
            self.pain_status.setText(f"Not saved: {error}")


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


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _ask(box: QMessageBox) -> bool:
    from PySide6.QtWidgets import QMessageBox

    box.exec()
    return box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.AcceptRole
