"""The Exercises view: the library, one exercise in detail, and the way into guided mode.

The runner comes here from Today's checklist ("how do I do a bird-dog again?") or to work
through today's routine. So the view opens on the current phase, every list row already says
how much to do today, and the detail pane answers "what, how much, how, and when to stop"
without scrolling on a laptop screen. Guided mode (guided.py) replaces the browser inside the
same view, so the runner never loses their place behind a pop-up window.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core import words
from recoverydesk.core.adherence import todays_exercises, week_adherence, week_window
from recoverydesk.core.exercises import TARGETS, Exercise, Library, load_library
from recoverydesk.core.model import PHASES
from recoverydesk.gui.illustration import IllustrationCard, illustration_bytes
from recoverydesk.gui.session import Session
from recoverydesk.gui.style import FlatButton, caution_style, is_dark, muted_colour, scaled_font

_ALL = None
"""The item data of the "All phases" / "All areas" entries of the filter combos."""

def target_label(target: str) -> str:
    """A target id as the runner reads it: ``lower_back`` → "Lower back"."""
    return target.replace("_", " ").capitalize()


# --- the list --------------------------------------------------------------------------------

class ExerciseListModel(QAbstractListModel):
    """The filtered exercises, each with its dose for the phase being looked at.

    Attributes:
        ID_ROLE: The exercise id.
        DOSE_ROLE: The dose line under the name ("2 × 8", or the phases it belongs to).
        DONE_ROLE: How many times it was marked done today.
    """

    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    DOSE_ROLE = Qt.ItemDataRole.UserRole + 2
    DONE_ROLE = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[tuple[Exercise, str]] = []
        self._done: dict[str, int] = {}

    def set_items(self, items: Sequence[tuple[Exercise, str]], done: dict[str, int]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._done = dict(done)
        self.endResetModel()

    def set_done(self, done: dict[str, int]) -> None:
        """Update the done-today marks without resetting (keeps selection and scroll)."""
        self._done = dict(done)
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1),
                                  [self.DONE_ROLE])

    def row_of(self, exercise_id: str) -> int:
        for row, (exercise, _dose) in enumerate(self._items):
            if exercise.id == exercise_id:
                return row
        return -1

    def ids(self) -> list[str]:
        return [exercise.id for exercise, _dose in self._items]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        # overrides QAbstractListModel.rowCount
        return 0 if parent is not None and parent.isValid() else len(self._items)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # overrides QAbstractListModel.data
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        exercise, dose = self._items[index.row()]
        done = self._done.get(exercise.id, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            return exercise.name
        if role == self.ID_ROLE:
            return exercise.id
        if role == self.DOSE_ROLE:
            return dose
        if role == self.DONE_ROLE:
            return done
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{exercise.name}, {dose}" + (", done today" if done else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return ", ".join(target_label(t) for t in exercise.targets)
        return None


class _ExerciseDelegate(QStyledItemDelegate):
    """Two lines per exercise: the name, and the dose in a quieter tone; a tick when done."""

    PAD = 8

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        # overrides QStyledItemDelegate.sizeHint
        del index
        metrics = QFontMetrics(option.font)
        return QSize(200, metrics.height() * 2 + self.PAD * 2 + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        # overrides QStyledItemDelegate.paint
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        text = palette.color(QPalette.ColorRole.HighlightedText if selected
                             else QPalette.ColorRole.Text)
        if selected:
            quiet = QColor(text)
            quiet.setAlphaF(0.85)
        else:
            quiet = muted_colour(palette)
        rect = opt.rect.adjusted(self.PAD + 4, self.PAD, -self.PAD, -self.PAD)
        metrics = QFontMetrics(opt.font)
        done = int(index.data(ExerciseListModel.DONE_ROLE) or 0)
        tick_width = metrics.horizontalAdvance("✓ ") if done else 0
        painter.save()
        name_font = QFont(opt.font)
        name_font.setBold(True)
        painter.setFont(name_font)
        painter.setPen(text)
        name_rect = rect.adjusted(0, 0, -tick_width, -metrics.height())
        name = QFontMetrics(name_font).elidedText(str(index.data()), Qt.TextElideMode.ElideRight,
                                                  name_rect.width())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, name)
        painter.setFont(opt.font)
        painter.setPen(quiet)
        dose_rect = rect.adjusted(0, metrics.height(), 0, 0)
        dose = metrics.elidedText(str(index.data(ExerciseListModel.DOSE_ROLE) or ""),
                                  Qt.TextElideMode.ElideRight, dose_rect.width())
        painter.drawText(dose_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, dose)
        if done:
            painter.setPen(text if selected else QColor("#2e8b57") if not is_dark(palette)
                           else QColor("#6cc48f"))
            painter.setFont(name_font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, "✓")
        painter.restore()


# --- the view ---------------------------------------------------------------------------------

class ExercisesView(QWidget):
    """The exercise library with filters, a detail pane and guided mode.

    Signals:
        guided_started: A guided session began. arg: the exercise ids it runs, in order.
        guided_ended: The runner left guided mode (after its summary).

    Attributes:
        search_edit, phase_combo, target_combo, list_view: The browser's controls.
        start_button: Starts a guided session over today's exercises.
        done_button: Marks the selected exercise done today.
    """

    guided_started = Signal(object)
    guided_ended = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None, *,
                 library: Library | None = None, tick_ms: int = 1000) -> None:
        super().__init__(parent)
        self._session = session
        self._library = library or load_library()
        self._tick_ms = tick_ms
        self._phase = PHASES[0]
        self._phase_day = 1
        self._paused = False
        self._todays: list[str] = []
        self._done_today: dict[str, int] = {}
        self._week: dict[str, int] = {}
        self._follow_plan_phase = True
        self._selected: str | None = None
        self._guided: QWidget | None = None

        self._stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)
        self._browser = QWidget()
        self._stack.addWidget(self._browser)
        self._build_browser()

        self._read_session()
        self._fill_phase_combo()
        self._refilter()
        session.data_changed.connect(self._on_session_data_changed)
        session.episode_changed.connect(self._on_session_data_changed)

    # --- building ---------------------------------------------------------------------------

    def _build_browser(self) -> None:
        layout = QVBoxLayout(self._browser)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)

        # Today's routine, across the top: what guided mode will run.
        header = QFrame()
        header.setObjectName("routineHeader")
        header_layout = QHBoxLayout(header)
        header_layout.setContentsMargins(14, 10, 10, 10)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.routine_title = QLabel()
        self.routine_title.setFont(scaled_font(self, 1.15, bold=True))
        self.routine_detail = QLabel()
        self.routine_detail.setWordWrap(True)
        texts.addWidget(self.routine_title)
        texts.addWidget(self.routine_detail)
        header_layout.addLayout(texts, 1)
        self.start_button = QPushButton("Start guided session")
        self.start_button.setAccessibleName("Start guided session with today's exercises")
        self.start_button.setMinimumHeight(36)
        self.start_button.setFont(scaled_font(self, 1.0, bold=True))
        self.start_button.clicked.connect(self._on_start_button_clicked)
        header_layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self._header = header
        layout.addWidget(header)

        self.paused_note = QLabel(
            "The plan is paused by a red flag. Please check with a clinician before you "
            "exercise; if you do, keep it gentle and stop if pain rises.")
        self.paused_note.setWordWrap(True)
        self.paused_note.setVisible(False)
        layout.addWidget(self.paused_note)

        body = QHBoxLayout()
        body.setSpacing(16)
        layout.addLayout(body, 1)

        # Left: filters and the list.
        left = QVBoxLayout()
        left.setSpacing(6)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search by name")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search exercises by name")
        self.search_edit.setAccessibleDescription("Type part of a name; Enter goes to the list")
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        left.addWidget(self.search_edit)

        filters = QHBoxLayout()
        filters.setSpacing(6)
        self.phase_combo = QComboBox()
        self.phase_combo.setAccessibleName("Phase filter")
        self.phase_combo.setToolTip("Show the exercises of one phase, with that phase's dose")
        self.target_combo = QComboBox()
        self.target_combo.setAccessibleName("Body area filter")
        self.target_combo.setToolTip("Show the exercises for one part of the body")
        self.target_combo.addItem("All areas", _ALL)
        for target in TARGETS:
            self.target_combo.addItem(target_label(target), target)
        filters.addWidget(self.phase_combo, 1)
        filters.addWidget(self.target_combo, 1)
        left.addLayout(filters)
        self.phase_combo.activated.connect(self._on_phase_combo_activated)
        self.target_combo.currentIndexChanged.connect(self._on_target_combo_changed)

        self._list_stack = QStackedWidget()
        self.model = ExerciseListModel(self)
        self.list_view = QListView()
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(_ExerciseDelegate(self.list_view))
        self.list_view.setAccessibleName("Exercises")
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list_view.setUniformItemSizes(True)
        self.list_view.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.empty_label = QLabel("No exercise matches.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setWordWrap(True)
        self.empty_label.setContentsMargins(8, 24, 8, 8)
        self._list_stack.addWidget(self.list_view)
        self._list_stack.addWidget(self.empty_label)
        left.addWidget(self._list_stack, 1)
        self.count_label = QLabel()
        left.addWidget(self.count_label)

        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setFixedWidth(310)
        left.setContentsMargins(0, 0, 0, 0)
        body.addWidget(left_box)

        # Right: the detail pane, scrolling only when the window is small.
        self._detail_scroll = QScrollArea()
        self._detail_scroll.setWidgetResizable(True)
        self._detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body.addWidget(self._detail_scroll, 1)
        self._detail_scroll.viewport().installEventFilter(self)
        self._build_detail()
        self._apply_styles()

    def _build_detail(self) -> None:
        detail = QWidget()
        self._detail = detail
        column = QVBoxLayout(detail)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(12)

        top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        top.setSpacing(18)
        self._top = top
        self.illustration = IllustrationCard(QSize(330, 220))
        self.illustration.setFixedSize(330, 220)
        top.addWidget(self.illustration, 0, Qt.AlignmentFlag.AlignTop)

        summary = QVBoxLayout()
        summary.setSpacing(6)
        self.name_label = QLabel()
        self.name_label.setFont(scaled_font(self, 1.6, bold=True))
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind_label = QLabel()
        self.kind_label.setWordWrap(True)
        self.dose_label = QLabel()
        self.dose_label.setFont(scaled_font(self, 1.35, bold=True))
        self.dose_label.setWordWrap(True)
        self.dose_label.setAccessibleName("Dose")
        self.dose_note = QLabel()
        self.dose_note.setWordWrap(True)
        summary.addWidget(self.name_label)
        summary.addWidget(self.kind_label)
        summary.addSpacing(6)
        summary.addWidget(self.dose_label)
        summary.addWidget(self.dose_note)
        summary.addSpacing(8)

        done_row = QHBoxLayout()
        done_row.setSpacing(10)
        self.done_button = QPushButton("Mark done today")
        self.done_button.setAccessibleName("Mark this exercise done today")
        self.done_button.setMinimumHeight(32)
        self.done_button.clicked.connect(self._on_done_button_clicked)
        self.clear_button = FlatButton("Clear today's mark")
        self.clear_button.setAccessibleName("Clear today's done mark for this exercise")
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        done_row.addWidget(self.done_button)
        done_row.addWidget(self.clear_button)
        done_row.addStretch(1)
        summary.addLayout(done_row)
        self.done_label = QLabel()
        self.done_label.setAccessibleName("Done today")
        self.week_label = QLabel()
        self.week_label.setAccessibleName("This week's adherence")
        summary.addWidget(self.done_label)
        summary.addWidget(self.week_label)
        summary.addStretch(1)
        top.addLayout(summary, 1)
        column.addLayout(top)

        self.steps_label = self._section_label()
        self.cues_label = self._section_label()
        column.addWidget(self.steps_label)
        column.addWidget(self.cues_label)
        self.cautions_label = self._section_label()
        self.cautions_label.setObjectName("cautions")
        self.cautions_label.setAccessibleName("Cautions")
        column.addWidget(self.cautions_label)
        self.facts_label = self._section_label()
        column.addWidget(self.facts_label)
        column.addStretch(1)

        self.placeholder = QLabel("Choose an exercise on the left to see how to do it.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self._detail_stack = _DetailStack()
        self._detail_stack.addWidget(detail)
        self._detail_stack.addWidget(self.placeholder)
        self._detail_scroll.setWidget(self._detail_stack)

    @staticmethod
    def _section_label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return label

    def _apply_styles(self) -> None:
        """Set the palette-dependent colours; called again when the palette changes."""
        palette = self.palette()
        muted = muted_colour(palette).name()
        base = palette.color(QPalette.ColorRole.Base).name()
        mid = palette.color(QPalette.ColorRole.Mid).name()
        self._header.setStyleSheet(
            f"#routineHeader {{ background: {base}; border: 1px solid {mid};"
            " border-radius: 8px; }")
        for label in (self.kind_label, self.dose_note, self.routine_detail, self.count_label,
                      self.week_label, self.empty_label, self.placeholder):
            label.setStyleSheet(f"color: {muted};")
        self.cautions_label.setStyleSheet(caution_style(palette))
        self.paused_note.setStyleSheet(caution_style(palette))

    def changeEvent(self, event: QEvent) -> None:  # overrides QWidget.changeEvent
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_styles()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # overrides QObject.eventFilter: follows the detail pane's width
        if watched is self._detail_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_detail()
        return super().eventFilter(watched, event)

    def _fit_detail(self) -> None:
        """Put the drawing beside the summary when there is room, above it otherwise, and
        let it grow on wide windows: the drawing is what is read at a glance."""
        width = self._detail_scroll.viewport().width() - 8
        wide = width >= 620
        self._top.setDirection(QBoxLayout.Direction.LeftToRight if wide
                               else QBoxLayout.Direction.TopToBottom)
        card = min(420, width - 300) if wide else min(420, width)
        card = max(240, card)
        self.illustration.setFixedSize(card, round(card * 2 / 3))

    # --- reading the session -------------------------------------------------------------

    def _read_session(self) -> None:
        """Read today's phase, today's exercises and the done counts from the session."""
        status = self._session.status()
        if status is not None:
            self._phase, self._phase_day = status.phase, status.phase_day
            self._paused = status.paused
        else:
            # No episode yet: the plan would begin in its first phase, on its first day.
            self._phase, self._phase_day, self._paused = PHASES[0], 1, False
        plan = self._session.content.plan
        self._todays = [i for i in todays_exercises(plan, self._phase, self._phase_day)
                        if i in self._library]
        today = self._session.today()
        first, last = week_window(today)
        done = self._session.exercises_done(first, last)
        self._done_today = dict(done.get(today, {}))
        self._week = week_adherence(done, [e.id for e in self._library.all()], today)
        self._update_header()

    def _update_header(self) -> None:
        plan = self._session.content.plan
        self.routine_title.setText(
            f"Today's routine · {plan.name(self._phase)}, day {self._phase_day}")
        done = sum(1 for i in self._todays if self._done_today.get(i))
        names = [self._library.get(i).name for i in self._todays]
        count = len(self._todays)
        if count:
            self.routine_detail.setText(
                f"{words.count_text(count, 'exercise')} ({done} done today): "
                + ", ".join(names))
        else:
            self.routine_detail.setText("Today's plan names no exercises.")
        self.start_button.setEnabled(bool(count))
        self.paused_note.setVisible(self._paused)

    def _fill_phase_combo(self) -> None:
        self.phase_combo.clear()
        self.phase_combo.addItem("All phases", _ALL)
        plan = self._session.content.plan
        for phase in PHASES:
            suffix = " (now)" if phase == self._phase else ""
            self.phase_combo.addItem(plan.name(phase) + suffix, phase)
        self.phase_combo.setCurrentIndex(self.phase_combo.findData(self._phase))

    # --- filtering --------------------------------------------------------------------------

    def _phase_filter(self) -> str | None:
        data = self.phase_combo.currentData()
        return data if isinstance(data, str) else None

    def _target_filter(self) -> str | None:
        data = self.target_combo.currentData()
        return data if isinstance(data, str) else None

    def shown_phase(self) -> str:
        """The phase whose doses the view shows: the filter's, or the current phase."""
        return self._phase_filter() or self._phase

    def _dose_line(self, exercise: Exercise) -> str:
        """The list row's second line: the dose in the shown phase, or, when the exercise is
        not part of it, the dose of the phase it comes in next (or last came in), named."""
        shown = self.shown_phase()
        dose = exercise.dose_for(shown, self._phase_day if shown == self._phase else None)
        if dose is not None:
            return _sentence(dose.describe())
        phase = self._nearest_phase(exercise)
        return f"{self._session.content.plan.name(phase)}: {exercise.doses[phase].describe()}"

    def _nearest_phase(self, exercise: Exercise) -> str:
        """The first of the exercise's phases from the shown one on, else its last phase: the
        runner is more interested in what comes next than in what they left behind."""
        shown = PHASES.index(self.shown_phase())
        later = [p for p in exercise.phases if PHASES.index(p) >= shown]
        return later[0] if later else exercise.phases[-1]

    def _refilter(self) -> None:
        exercises = self._library.filter(phase=self._phase_filter(),
                                         target=self._target_filter(),
                                         text=self.search_edit.text())
        keep = self._selected
        self.model.set_items([(e, self._dose_line(e)) for e in exercises], self._done_today)
        total = len(self._library)
        if exercises:
            self._list_stack.setCurrentWidget(self.list_view)
            self.count_label.setText(f"{len(exercises)} of {total} exercises")
        else:
            text = self.search_edit.text().strip()
            said = f" “{html.escape(text)}”" if text else ""
            loosen = [name for name, active in (("“All phases”", self._phase_filter()),
                                                ("“All areas”", self._target_filter()))
                      if active]
            hint = "Try another word" if text else "Try other filters"
            if loosen:
                hint += ", or choose " + " and ".join(loosen)
            self.empty_label.setText(f"No exercise matches{said}.<br><br>{hint}.")
            self._list_stack.setCurrentWidget(self.empty_label)
            self.count_label.setText(f"0 of {total} exercises")
        row = self.model.row_of(keep) if keep else -1
        self._select_row(row if row >= 0 else 0)

    def _select_row(self, row: int) -> None:
        if self.model.rowCount() == 0:
            self._selected = None
            self._show_detail(None)
            return
        index = self.model.index(row)
        self.list_view.setCurrentIndex(index)
        self.list_view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self._selected = str(index.data(ExerciseListModel.ID_ROLE))
        self._show_detail(self._selected)

    # --- the detail pane ------------------------------------------------------------------

    def _show_detail(self, exercise_id: str | None) -> None:
        if exercise_id is None:
            self.placeholder.setText("" if self.model.rowCount() == 0 else
                                     "Choose an exercise on the left to see how to do it.")
            self._detail_stack.setCurrentWidget(self.placeholder)
            return
        self._detail_stack.setCurrentWidget(self._detail)
        exercise = self._library.get(exercise_id)
        plan = self._session.content.plan
        self.illustration.set_svg(illustration_bytes(self._library, exercise),
                                  f"Drawing of the {exercise.name.lower()}")
        self.name_label.setText(exercise.name)
        self.kind_label.setText(
            f"{exercise.category.capitalize()} · "
            + ", ".join(target_label(t) for t in exercise.targets))

        shown = self.shown_phase()
        phase = shown if exercise.dose_for(shown) else self._nearest_phase(exercise)
        now = phase == self._phase
        dose = exercise.dose_for(phase, self._phase_day if now else None) or exercise.doses[phase]
        self.dose_label.setText(("Today: " if now else f"In {plan.name(phase)}: ")
                                + _sentence(dose.describe(), lower=True))
        notes = [_rest_note(dose.rest_s, dose.kind)]
        if phase != shown:
            notes.append(f"Not part of {plan.name(shown)}"
                         + (", your phase now." if shown == self._phase else "."))
        if not now and shown != self._phase:
            # Looking at another phase: say what today asks, so the two are not confused.
            today_dose = exercise.dose_for(self._phase, self._phase_day)
            notes.append(f"Today, in {plan.name(self._phase)}: {today_dose.describe()}."
                         if today_dose else f"You are in {plan.name(self._phase)} now.")
        others = [p for p in exercise.phases if p not in (phase, self._phase)]
        if others:
            notes.append("Also in " + ", ".join(
                f"{plan.name(p)} ({exercise.doses[p].describe()})" for p in others) + ".")
        self.dose_note.setText(" ".join(n for n in notes if n))

        steps = "".join(f"<li>{html.escape(s)}</li>" for s in exercise.steps)
        self.steps_label.setText(f"<b>How to do it</b><ol style='margin-top:4px'>{steps}</ol>")
        cues = "".join(f"<li>{html.escape(c)}</li>" for c in exercise.cues)
        self.cues_label.setText(f"<b>Keep in mind</b><ul style='margin-top:4px'>{cues}</ul>")
        cautions = "<br>".join(html.escape(c) for c in exercise.cautions)
        self.cautions_label.setText(f"<b>Take care</b><br>{cautions}")
        equipment = ", ".join(exercise.equipment) or "nothing"
        self.facts_label.setText(
            f"<b>Works</b> {html.escape(', '.join(exercise.muscles))}<br>"
            f"<b>You need</b> {html.escape(equipment)}")
        self._update_done(exercise_id)

    def _update_done(self, exercise_id: str) -> None:
        count = self._done_today.get(exercise_id, 0)
        if count == 0:
            self.done_label.setText("Not done yet today.")
        elif count == 1:
            self.done_label.setText("✓ Done once today.")
        elif count == 2:
            self.done_label.setText("✓ Done twice today.")
        else:
            self.done_label.setText(f"✓ Done {count} times today.")
        self.clear_button.setVisible(count > 0)
        days = self._week.get(exercise_id, 0)
        self.week_label.setText(f"This week: {days} of 7 days")

    # --- public -----------------------------------------------------------------------------

    def show_exercise(self, exercise_id: str) -> None:
        """Select ``exercise_id`` in the list, loosening the filters if they hide it.

        Called when Today's checklist links to an exercise. A guided session in progress is
        left running (the exercise is selected behind it) so the runner does not lose it.
        """
        exercise = self._library.get(exercise_id)
        blockers = [self.search_edit, self.phase_combo, self.target_combo]
        for widget in blockers:
            widget.blockSignals(True)
        try:
            if self.search_edit.text() and exercise not in self._library.filter(
                    text=self.search_edit.text()):
                self.search_edit.clear()
            if self._target_filter() not in (None, *exercise.targets):
                self.target_combo.setCurrentIndex(0)
            phase = self._phase_filter()
            if phase is not None and phase not in exercise.phases:
                self.phase_combo.setCurrentIndex(0)
                self._follow_plan_phase = False
        finally:
            for widget in blockers:
                widget.blockSignals(False)
        self._selected = exercise_id
        self._refilter()
        if self._guided is None:
            self._stack.setCurrentWidget(self._browser)
            self.list_view.setFocus()

    def selected_exercise(self) -> str | None:
        """The id of the exercise shown in the detail pane."""
        return self._selected

    def todays_exercise_ids(self) -> list[str]:
        """What a guided session runs now, in order."""
        return list(self._todays)

    def guided_session(self) -> QWidget | None:
        """The running guided session, if any."""
        return self._guided

    def start_guided(self) -> None:
        """Run today's exercises in guided mode, inside this view."""
        if self._guided is not None or not self._todays:
            return
        from recoverydesk.gui.guided import GuidedSession  # loaded on first use only

        guided = GuidedSession(self._session, self._todays, self._phase,
                               library=self._library, tick_ms=self._tick_ms,
                               phase_day=self._phase_day)
        guided.dismissed.connect(self._on_guided_dismissed)
        self._guided = guided
        self._stack.addWidget(guided)
        self._stack.setCurrentWidget(guided)
        guided.setFocus()
        self.guided_started.emit(list(self._todays))

    # --- slots ------------------------------------------------------------------------------

    @Slot(str)
    def _on_search_edit_text_changed(self, text: str) -> None:
        del text
        self._refilter()

    @Slot()
    def _on_search_edit_return_pressed(self) -> None:
        if self.model.rowCount():
            self.list_view.setFocus()

    @Slot(int)
    def _on_phase_combo_activated(self, index: int) -> None:
        del index
        self._follow_plan_phase = self._phase_filter() == self._phase
        self._refilter()

    @Slot(int)
    def _on_target_combo_changed(self, index: int) -> None:
        del index
        self._refilter()

    @Slot(QModelIndex, QModelIndex)
    def _on_list_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        del previous
        if current.isValid():
            self._selected = str(current.data(ExerciseListModel.ID_ROLE))
            self._show_detail(self._selected)

    @Slot()
    def _on_done_button_clicked(self) -> None:
        if self._selected is not None:
            self._session.set_exercise_done(self._session.today(), self._selected)

    @Slot()
    def _on_clear_button_clicked(self) -> None:
        if self._selected is not None:
            self._session.set_exercise_done(self._session.today(), self._selected, False)

    @Slot()
    def _on_start_button_clicked(self) -> None:
        self.start_guided()

    @Slot(object)
    def _on_session_data_changed(self, days: Iterable[datetime.date] | None = None) -> None:
        del days
        phase_before = self._phase
        self._read_session()
        if self._phase != phase_before:
            following = self._follow_plan_phase
            current = self._phase_filter()
            self.phase_combo.blockSignals(True)
            self._fill_phase_combo()
            if not following:
                self.phase_combo.setCurrentIndex(self.phase_combo.findData(current))
            self.phase_combo.blockSignals(False)
            self._refilter()
            return
        self.model.set_done(self._done_today)
        if self._selected is not None:
            self._update_done(self._selected)

    @Slot()
    def _on_guided_dismissed(self) -> None:
        guided = self._guided
        self._guided = None
        self._stack.setCurrentWidget(self._browser)
        if guided is not None:
            self._stack.removeWidget(guided)
            guided.deleteLater()
        self.start_button.setFocus()
        self.guided_ended.emit()


class _DetailStack(QStackedWidget):
    """The detail pane's pages. Its preferred width is its minimum one: QScrollArea widens a
    height-for-width widget (word-wrapped labels) to its size hint, which would clip the
    pane on a narrow window instead of wrapping its text."""

    def sizeHint(self) -> QSize:  # overrides QStackedWidget.sizeHint
        return QSize(self.minimumSizeHint().width(), super().sizeHint().height())


def _sentence(text: str, *, lower: bool = False) -> str:
    """Capitalise a dose ("hold 20 s × 3" → "Hold 20 s × 3"), or keep it lower-case mid-line."""
    if lower:
        return text
    return text[:1].upper() + text[1:]


def _rest_note(rest_s: int | None, kind: str) -> str:
    if kind == "minutes":
        return "At an easy pace; stop early if your back complains."
    if not rest_s:
        return ""
    between = "holds" if kind == "hold" else "sets"
    return f"Rest {rest_s} s between {between}."
