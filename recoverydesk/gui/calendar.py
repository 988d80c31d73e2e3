"""The Calendar view: a month of the plan, past days as lived and future days as projected.

Each past day is filled with the colour of the phase in effect that day and shows its pain
score large; markers show red flags, advances and regressions; a paused day is hatched and
today is outlined. Future days show the earliest projected schedule (core/schedule.py) in a
lighter tone with that day's prescription.

Switching months must feel instant with a 10-year history, so nothing is replayed per switch:
the engine's timeline is read once per data change and indexed by date, the projection is
computed once from today's status, and each month's cells are cached until the data changes.

Choices where DESIGN.md is silent:

- Days before the episode began, and future days while the plan is paused (no projection),
  show only their date on the plain background.
- A past day that was not logged still wears its phase colour, with "–" for the pain.
- Clicking or pressing Enter on a future day does nothing but move the focus: it cannot be
  logged yet. Days of the neighbouring months in the grid are shown faded and can be opened.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core import schedule, words
from recoverydesk.core.engine import DayStatus
from recoverydesk.core.markers import MARKERS
from recoverydesk.core.model import PHASES
from recoverydesk.gui import style
from recoverydesk.gui.session import Session

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ROWS = 6
DARK_TEXT = QColor("#1b1b1b")
LIGHT_TEXT = QColor("#ffffff")
EVENT_WORDS = {"advance": "advanced to the next phase (from the next day)",
               "regression": "stepped back a phase (from the next day)",
               "pause": "red flag: plan paused", "clearance": "cleared by a clinician"}


@dataclasses.dataclass(frozen=True, slots=True)
class DayCell:
    """What one calendar cell shows; the painter and the tests read the same thing.

    Attributes:
        day: The date.
        in_month: Whether it belongs to the month shown (else a faded neighbour).
        is_today: Whether it is today.
        future: Whether it is after today.
        phase: The phase in effect (past) or projected (future), or None.
        phase_day: The day within that phase, from 1.
        logged: Whether the day has an entry.
        pain, pain_activity, pain_morning: The day's scores, when logged.
        red_flags: The red-flag ids ticked that day.
        event: ``advance``, ``regression``, ``pause``, ``clearance`` or None.
        paused: Whether the plan was paused at the end of the day.
        label: The plan's prescription for the day ("walk 20 min"), or "".
        projected: Whether the phase and label come from the projection.
        exercises: The exercise ids that day's prescription names.
        stage: The walk–run ladder stage in force (past days in ``run``), or None.
    """

    day: datetime.date
    in_month: bool
    is_today: bool
    future: bool
    phase: str | None = None
    phase_day: int | None = None
    logged: bool = False
    pain: int | None = None
    pain_activity: int | None = None
    pain_morning: int | None = None
    red_flags: frozenset[str] = frozenset()
    event: str | None = None
    paused: bool = False
    label: str = ""
    projected: bool = False
    exercises: tuple[str, ...] = ()
    stage: int | None = None

    @property
    def markers(self) -> tuple[str, ...]:
        """The badges drawn at the top right: ``flag``, then ``advance``, ``regression`` or
        ``clearance``."""
        badges: tuple[str, ...] = ("flag",) if self.red_flags else ()
        if self.event in ("advance", "regression", "clearance"):
            badges += (self.event,)
        return badges


def blend(top: QColor, bottom: QColor, amount: float) -> QColor:
    """``amount`` of ``top`` over ``bottom``, as an opaque colour (so text can be judged on it)."""
    return QColor(round(top.red() * amount + bottom.red() * (1 - amount)),
                  round(top.green() * amount + bottom.green() * (1 - amount)),
                  round(top.blue() * amount + bottom.blue() * (1 - amount)))


def text_colour_on(fill: QColor) -> QColor:
    """Dark text on light fills, white on dark ones (perceived luminance, not HSL lightness)."""
    luminance = 0.299 * fill.red() + 0.587 * fill.green() + 0.114 * fill.blue()
    return DARK_TEXT if luminance >= 140 else LIGHT_TEXT


def first_cell_day(year: int, month: int) -> datetime.date:
    """The Monday on or before the 1st: the grid's top-left day."""
    first = datetime.date(year, month, 1)
    return first - datetime.timedelta(days=first.weekday())


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month ``months`` later (clamped to the month's length)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class _CalendarData:
    """The session's answers indexed by date, rebuilt only when the data changes."""

    def __init__(self, session: Session) -> None:
        self.today = session.today()
        timeline = session.timeline()
        self.statuses: dict[datetime.date, DayStatus] = {s.day: s for s in timeline}
        episode = session.episode
        self.logs = episode.logs if episode is not None else {}
        activity_pain: dict[datetime.date, int] = {}
        for activity in episode.activities if episode is not None else ():
            if activity.pain is not None and activity.pain > activity_pain.get(activity.day, -1):
                activity_pain[activity.day] = activity.pain
        self.activity_pain = activity_pain
        today_status = self.statuses.get(self.today)
        self.paused_now = bool(today_status and today_status.paused)
        self.projection: Mapping[datetime.date, schedule.ProjectedDay] = (
            schedule.by_day(schedule.project(
                today_status, session.rules, session.content.plan,
                ladder=[stage.label for stage in session.content.plan.ladder],
                ran_today=any(a.kind == "run" for a in (
                    episode.activities_on(self.today) if episode is not None else ()))))
            if today_status is not None else {})
        self.plan = session.content.plan
        self.months: dict[tuple[int, int], list[DayCell]] = {}

    def cell(self, day: datetime.date, year: int, month: int) -> DayCell:
        in_month = (day.year, day.month) == (year, month)
        future = day > self.today
        status = self.statuses.get(day)
        if status is not None:
            log = self.logs.get(day)
            pain_activity = None
            if log is not None:
                pain_activity = (log.pain_activity if log.pain_activity is not None
                                 else self.activity_pain.get(day))
            prescription = self.plan.phase(status.phase).prescription_for(status.phase_day)
            label = prescription.label
            if status.phase == "run" and status.run_stage is not None and self.plan.ladder:
                label = self.plan.ladder[min(status.run_stage, len(self.plan.ladder)) - 1].label
            return DayCell(
                day, in_month, day == self.today, future, status.phase, status.phase_day,
                log is not None, log.pain if log else None, pain_activity,
                log.pain_morning if log else None, log.red_flags if log else frozenset(),
                status.event, status.paused, label,
                exercises=tuple(prescription.exercises), stage=status.run_stage)
        projected = self.projection.get(day)
        if projected is not None:
            prescription = self.plan.phase(projected.phase).prescription_for(
                projected.phase_day)
            return DayCell(day, in_month, False, future, projected.phase, projected.phase_day,
                           label=projected.label, projected=True,
                           exercises=tuple(prescription.exercises))
        return DayCell(day, in_month, day == self.today, future)

    def month(self, year: int, month: int) -> list[DayCell]:
        key = (year, month)
        cells = self.months.get(key)
        if cells is None:
            first = first_cell_day(year, month)
            cells = [self.cell(first + datetime.timedelta(days=i), year, month)
                     for i in range(7 * ROWS)]
            self.months[key] = cells
        return cells


class MonthGrid(QWidget):
    """The painted 7 × 6 grid of one month; keyboard and mouse pick a day.

    Signals:
        day_activated: A day was opened (click, Enter). arg: the datetime.date.
        month_requested: The focus moved into another month. args: year, month.
    """

    day_activated = Signal(object)
    month_requested = Signal(int, int)

    def __init__(self, view: CalendarView) -> None:
        super().__init__(view)
        self._view = view
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(7 * 64, 24 + ROWS * 46)  # a whole month fits at 1024×600
        self.setAccessibleName("Plan calendar")
        self.focus_day: datetime.date = view.session.today()

    def sizeHint(self) -> QSize:  # overrides QWidget.sizeHint
        """Modest, so the month fits a small screen; the grid grows into any room there is."""
        return QSize(7 * 120, 28 + ROWS * 60)

    # --- geometry ----------------------------------------------------------------------------

    def _header_height(self) -> int:
        return QFontMetrics(self.font()).height() + 10

    def cell_rect(self, day: datetime.date) -> QRect:
        """Where ``day`` is drawn; an empty rect when it is not in the grid."""
        first = first_cell_day(self._view.year, self._view.month)
        index = (day - first).days
        if not 0 <= index < 7 * ROWS:
            return QRect()
        return self._rect_at(index)

    def _rect_at(self, index: int) -> QRect:
        top = self._header_height()
        width = self.width() / 7
        height = (self.height() - top) / ROWS
        row, column = divmod(index, 7)
        left = round(column * width)
        right = round((column + 1) * width)
        upper = top + round(row * height)
        lower = top + round((row + 1) * height)
        return QRect(left, upper, right - left, lower - upper)

    def day_at(self, point: QPoint) -> datetime.date | None:
        top = self._header_height()
        if point.y() < top or not self.rect().contains(point):
            return None
        column = min(6, int(point.x() / (self.width() / 7)))
        row = min(ROWS - 1, int((point.y() - top) / ((self.height() - top) / ROWS)))
        return (first_cell_day(self._view.year, self._view.month)
                + datetime.timedelta(days=row * 7 + column))

    # --- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # overrides QWidget.paintEvent
        """Paint the weekday header and the 42 day cells."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Window))
        header = self._header_height()
        small = QFont(self.font())
        small.setBold(True)
        painter.setFont(small)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        width = self.width() / 7
        for column, name in enumerate(WEEKDAYS):
            rect = QRectF(column * width, 0, width, header)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, name)
        cells = self._view.cells()
        clip = event.rect()
        edge = blend(palette.color(QPalette.ColorRole.WindowText),
                     palette.color(QPalette.ColorRole.Window), 0.16)
        painter.fillRect(self._rect_at(0).united(self._rect_at(7 * ROWS - 1)), edge)
        for index, cell in enumerate(cells):
            cell_rect = self._rect_at(index)
            if cell_rect.intersects(clip):
                self._paint_cell(painter, cell_rect, cell, palette)
        painter.end()

    def _fill_for(self, cell: DayCell, palette: QPalette) -> QColor:
        base = palette.color(QPalette.ColorRole.Base)
        if cell.phase is None:
            return base
        colour = QColor(style.PHASE_COLOURS.get(cell.phase, "#999999"))
        if cell.projected:
            return blend(colour, base, 0.38 if style.is_dark(palette) else 0.32)
        return colour

    def _paint_cell(self, painter: QPainter, outer: QRect, cell: DayCell,
                    palette: QPalette) -> None:
        rect = QRect(outer).adjusted(1, 1, -1, -1)
        fill = self._fill_for(cell, palette)
        text = text_colour_on(fill)
        painter.save()
        if not cell.in_month:           # faded with opaque colours: blending costs time
            fill = blend(fill, palette.color(QPalette.ColorRole.Window), 0.45)
            text = blend(text_colour_on(fill), fill, 0.6)
        # Square cells without antialiasing: a rounded, antialiased outline costs ~0.4 ms a
        # cell in the software rasteriser, which alone would blow the 16 ms month switch.
        # The cell's edge is the grid background painted once in paintEvent; a stroked
        # outline per cell is slower than the whole fill in the software rasteriser.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(rect, fill)
        if cell.paused and not cell.future:
            hatch = QColor(text)
            hatch.setAlpha(70)
            painter.fillRect(rect, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

        padding = 6
        inner = QRectF(rect).adjusted(padding, 3, -padding, -3)
        base_size = max(7.0, min(rect.height() / 9.5, rect.width() / 12.0))
        small = QFont(self.font())
        small.setPointSizeF(base_size)
        painter.setFont(small)
        painter.setPen(text)
        number_height = QFontMetrics(small).height()
        day_text = str(cell.day.day) if cell.day.day != 1 else words.date_text(cell.day, year=False)
        painter.drawText(QRectF(inner.left(), inner.top(), inner.width(), number_height),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, day_text)
        self._paint_markers(painter, inner, cell, number_height)

        lower = QRectF(inner.left(), inner.top() + number_height, inner.width(),
                       inner.height() - number_height)
        if cell.phase is not None and not cell.future:
            caption_height = number_height
            big = QFont(self.font())
            big.setBold(True)
            big.setPointSizeF(max(10.0, min(rect.height() / 3.6, rect.width() / 4.5)))
            painter.setFont(big)
            pain = str(cell.pain) if cell.pain is not None else "–"
            pain_rect = QRectF(lower.left(), lower.top(), lower.width(),
                               lower.height() - caption_height)
            painter.drawText(pain_rect, Qt.AlignmentFlag.AlignCenter, pain)
            painter.setFont(small)
            name = self._view.session.content.plan.name(cell.phase)
            caption = f"{name} · {cell.phase_day}" if cell.logged else f"{name} · not logged"
            if cell.stage is not None and cell.logged:
                caption = f"Stage {cell.stage} · day {cell.phase_day}"
            caption = QFontMetrics(small).elidedText(caption, Qt.TextElideMode.ElideRight,
                                                     round(lower.width()))
            painter.drawText(QRectF(lower.left(), lower.bottom() - caption_height, lower.width(),
                                    caption_height), Qt.AlignmentFlag.AlignCenter, caption)
        elif cell.projected:
            painter.setFont(small)
            label_rect = lower
            if cell.phase_day == 1 and cell.phase is not None:
                # The first projected day of a phase says so on its bottom line, clear of the
                # day number, elided to the cell's width.
                caption_height = number_height
                label_rect = lower.adjusted(0, 0, 0, -caption_height)
                name = self._view.session.content.plan.name(cell.phase)
                caption = QFontMetrics(small).elidedText(
                    f"{name} starts", Qt.TextElideMode.ElideRight, round(lower.width()))
                painter.drawText(QRectF(lower.left(), lower.bottom() - caption_height,
                                        lower.width(), caption_height),
                                 Qt.AlignmentFlag.AlignCenter, caption)
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             cell.label)
        if cell.is_today:
            highlight = palette.color(QPalette.ColorRole.Highlight)
            painter.setOpacity(1.0)
            for band in (QRect(rect.left(), rect.top(), rect.width(), 3),
                         QRect(rect.left(), rect.bottom() - 2, rect.width(), 3),
                         QRect(rect.left(), rect.top(), 3, rect.height()),
                         QRect(rect.right() - 2, rect.top(), 3, rect.height())):
                painter.fillRect(band, highlight)
        if cell.day == self.focus_day and self.hasFocus():
            pen = QPen(text, 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(4, 4, -5, -5))
        painter.restore()

    def _paint_markers(self, painter: QPainter, inner: QRectF, cell: DayCell,
                       size: float) -> None:
        """Badges at the top right: red flag, advance, regression, clearance."""
        diameter = max(10.0, size * 1.05)
        right = inner.right()
        for badge in cell.markers:
            box = QRectF(right - diameter, inner.top() + (size - diameter) / 2, diameter,
                         diameter)
            paint_badge(painter, box, badge)
            right -= diameter + 3

    # --- input -------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # overrides QWidget.mousePressEvent
        """Select the day under the pointer and open it."""
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        day = self.day_at(event.position().toPoint())
        if day is None:
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.set_focus_day(day)
        self._activate(day)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # overrides QWidget.keyPressEvent
        """Arrows move the focus by a day or a week; PageUp/PageDown by a month; Enter opens."""
        key = Qt.Key(event.key())
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7,
                 Qt.Key.Key_Down: 7}
        if key in steps:
            self.set_focus_day(self.focus_day + datetime.timedelta(days=steps[key]))
        elif key == Qt.Key.Key_PageUp:
            self.set_focus_day(add_months(self.focus_day, -1))
        elif key == Qt.Key.Key_PageDown:
            self.set_focus_day(add_months(self.focus_day, 1))
        elif key == Qt.Key.Key_Home:
            self.set_focus_day(self._view.session.today())
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._activate(self.focus_day)
        else:
            super().keyPressEvent(event)

    def set_focus_day(self, day: datetime.date) -> None:
        """Move the keyboard focus to ``day``, showing its month if it is another one."""
        previous = self.focus_day
        self.focus_day = day
        if (day.year, day.month) != (self._view.year, self._view.month):
            self.month_requested.emit(day.year, day.month)
        else:
            self.update(self.cell_rect(previous))
            self.update(self.cell_rect(day))
        self.setAccessibleDescription(self._view.describe(day))

    def _activate(self, day: datetime.date) -> None:
        if day <= self._view.session.today():
            self.day_activated.emit(day)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # overrides QWidget's
        """Right-click (or the Menu key) on a day: open it, or one of its exercises."""
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            day = self.day_at(event.pos())
            if day is None:
                return
            self.set_focus_day(day)
        else:
            day = self.focus_day
        self._view.day_menu(day).exec(event.globalPos())

    def event(self, event: QEvent) -> bool:  # overrides QWidget.event
        """Show a day's details as its tooltip."""
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            day = self.day_at(event.pos())
            if day is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self._view.tooltip_for(day), self,
                                  self.cell_rect(day))
            return True
        return super().event(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # overrides QWidget.focusInEvent
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # overrides QWidget.focusOutEvent
        self.update()
        super().focusOutEvent(event)


def paint_badge(painter: QPainter, box: QRectF, badge: str) -> None:
    """A small round marker: red flag (◆), advance (▲), regression (▼), clearance (✓).

    Shapes and colours are the ones every view uses (``core/markers.py``); the badge is
    white on the marker's colour, so it reads on any phase colour.
    """
    colour = QColor(MARKERS[badge].light)
    painter.save()
    painter.setOpacity(painter.opacity())
    painter.setPen(QPen(QColor("#ffffff"), 1.2))
    painter.setBrush(colour)
    painter.drawEllipse(box)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#ffffff"))
    c = box.center()
    r = box.width() * 0.26

    def at(dx: float, dy: float) -> QPointF:
        return QPointF(c.x() + dx * r, c.y() + dy * r)

    if badge == "advance":
        painter.drawPolygon(QPolygonF([at(0, -1), at(1, 0.7), at(-1, 0.7)]))
    elif badge == "regression":
        painter.drawPolygon(QPolygonF([at(0, 1), at(1, -0.7), at(-1, -0.7)]))
    elif badge == "flag":
        painter.drawPolygon(QPolygonF([at(0, -1.1), at(1.1, 0), at(0, 1.1), at(-1.1, 0)]))
    else:
        pen = QPen(QColor("#ffffff"), max(1.4, box.width() / 8))
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolyline(QPolygonF([at(-1, 0), at(-0.2, 0.8), at(1, -0.8)]))
    painter.restore()


def legend_pixmap(kind: str, palette: QPalette, ratio: float = 1.0) -> QPixmap:
    """A small swatch for the legend: a phase colour, a marker, the hatch or the outline."""
    size = 18
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = QRectF(1, 1, size - 2, size - 2)
    base = palette.color(QPalette.ColorRole.Base)
    if kind in PHASES:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(style.PHASE_COLOURS[kind]))
        painter.drawRoundedRect(box, 3, 3)
    elif kind == "projected":
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(blend(QColor(style.PHASE_COLOURS["walk"]), base,
                               0.38 if style.is_dark(palette) else 0.32))
        painter.drawRoundedRect(box, 3, 3)
    elif kind == "paused":
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(QColor(style.PHASE_COLOURS["walk"]))
        painter.drawRoundedRect(box, 3, 3)
        hatch = QColor(DARK_TEXT)
        hatch.setAlpha(110)
        painter.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        painter.drawRoundedRect(box, 3, 3)
    elif kind == "today":
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 3))
        painter.setBrush(base)
        painter.drawRoundedRect(box.adjusted(1, 1, -1, -1), 3, 3)
    else:
        paint_badge(painter, box.adjusted(1, 1, -1, -1), kind)
    painter.end()
    return pixmap


class CalendarView(QWidget):
    """The plan calendar: a month at a time, with navigation and a legend.

    Signals:
        day_activated: The user opened a day (click or Enter) to see it in the Log view.
            arg: the datetime.date.
        exercise_requested: The user chose one of a day's exercises (from the day's menu) to
            see how it is done. arg: the exercise id.

    Attributes:
        session: The Session it reads from.
        grid: The painted month.
    """

    day_activated = Signal(object)
    exercise_requested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarView")
        self.setAccessibleName("Calendar")
        self.session = session
        today = session.today()
        self.year = today.year
        self.month = today.month
        self._data: _CalendarData | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        header = QHBoxLayout()
        self.prev_button = QToolButton()
        self.prev_button.setText("◀")
        self.prev_button.setAccessibleName("Previous month")
        self.prev_button.setToolTip("Previous month (Page Up)")
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setAccessibleName("Next month")
        self.next_button.setToolTip("Next month (Page Down)")
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setMinimumWidth(180)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.today_button = QPushButton("Today")
        self.today_button.setAccessibleName("Show the current month")
        self.today_button.setToolTip("Back to this month (Home)")
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setAccessibleName("About the projection")
        header.addWidget(self.prev_button)
        header.addWidget(self.title_label)
        header.addWidget(self.next_button)
        header.addSpacing(8)
        header.addWidget(self.today_button)
        header.addSpacing(16)
        header.addWidget(self.note_label, 1)
        layout.addLayout(header)

        self.grid = MonthGrid(self)
        layout.addWidget(self.grid, 1)
        self.legend = QWidget()
        self.legend.setAccessibleName("Legend")
        self._legend_layout = QGridLayout(self.legend)
        self._legend_layout.setContentsMargins(0, 4, 0, 0)
        self._legend_layout.setHorizontalSpacing(14)
        self._legend_layout.setVerticalSpacing(4)
        self._legend_icons: list[tuple[QLabel, str]] = []
        items = [(phase, session.content.plan.name(phase)) for phase in PHASES]
        items += [("projected", "projected (earliest dates)")]
        markers = [("flag", "red flag"), ("advance", "advanced"), ("regression", "stepped back"),
                   ("clearance", "cleared by a clinician"), ("paused", "plan paused"),
                   ("today", "today")]
        for row, row_items in enumerate((items, markers)):
            for column, (kind, text) in enumerate(row_items):
                icon = QLabel()
                label = QLabel(text)
                pair = QHBoxLayout()
                pair.setSpacing(5)
                pair.addWidget(icon)
                pair.addWidget(label)
                pair.addStretch(1)
                self._legend_layout.addLayout(pair, row, column)
                self._legend_icons.append((icon, kind))
        self._legend_layout.setColumnStretch(7, 1)
        layout.addWidget(self.legend)
        self._paint_legend()

        self.prev_button.clicked.connect(self._on_prev_button_clicked)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.today_button.clicked.connect(self._on_today_button_clicked)
        self.grid.day_activated.connect(self.day_activated)
        self.grid.month_requested.connect(self._on_grid_month_requested)
        session.data_changed.connect(self._on_session_data_changed)
        session.episode_changed.connect(self._on_session_episode_changed)
        self.setFocusProxy(self.grid)
        QWidget.setTabOrder(self.prev_button, self.next_button)
        QWidget.setTabOrder(self.next_button, self.today_button)
        QWidget.setTabOrder(self.today_button, self.grid)
        self._update_title()

    # --- data ----------------------------------------------------------------------------------

    def _ensure_data(self) -> _CalendarData:
        if self._data is None or self._data.today != self.session.today():
            self._data = _CalendarData(self.session)
        return self._data

    def cells(self) -> list[DayCell]:
        """The 42 cells of the month shown, Monday first."""
        return self._ensure_data().month(self.year, self.month)

    def cell_for(self, day: datetime.date) -> DayCell:
        """What the calendar shows for ``day`` (any date, shown or not)."""
        data = self._ensure_data()
        return data.cell(day, self.year, self.month)

    def describe(self, day: datetime.date) -> str:
        """One line about a day, for screen readers."""
        return self.tooltip_for(day).replace("<br>", ". ").replace("<b>", "").replace("</b>", "")

    def tooltip_for(self, day: datetime.date) -> str:
        """Phase, day in phase, pains, prescription and events of ``day``, as rich text."""
        cell = self.cell_for(day)
        plan = self.session.content.plan
        lines = [f"<b>{words.date_text(day, weekday=True, long=True)}</b>"]
        if cell.phase is not None:
            prefix = "Projected: " if cell.projected else ""
            lines.append(f"{prefix}{plan.name(cell.phase)}, day {cell.phase_day}")
            lines.append(f"Plan: {cell.label}")
            if cell.stage is not None:
                lines.append(f"Walk–run ladder: stage {cell.stage}")
        if cell.logged:
            pains = [f"pain {cell.pain}"]
            if cell.pain_activity is not None:
                pains.append(f"during activity {cell.pain_activity}")
            if cell.pain_morning is not None:
                pains.append(f"morning {cell.pain_morning}")
            lines.append(", ".join(pains).capitalize())
        elif not cell.future and cell.phase is not None:
            lines.append("Not logged")
        for flag in cell.red_flags:
            red_flag = self.session.content.red_flags.get(flag)
            lines.append(f"Red flag: {red_flag.label if red_flag else flag}")
        if cell.event is not None:
            lines.append(EVENT_WORDS[cell.event].capitalize())
        elif cell.paused and not cell.future:
            lines.append("Plan paused by a red flag")
        if cell.future and cell.phase is None and self._ensure_data().paused_now:
            lines.append("No schedule while the plan is paused")
        if cell.exercises:
            lines.append("Exercises: " + ", ".join(self._exercise_name(e)
                                                   for e in cell.exercises))
        if day <= self.session.today():
            lines.append("<i>Click or press Enter to open it in the Log; right-click for "
                         "its exercises</i>")
        elif cell.exercises:
            lines.append("<i>Right-click for its exercises</i>")
        return "<br>".join(lines)

    def day_menu(self, day: datetime.date) -> QMenu:
        """The menu of a day: open it in the Log, or show one of the exercises it names."""
        cell = self.cell_for(day)
        menu = QMenu(self)
        if day <= self.session.today():
            menu.addAction(f"Open {words.date_text(day, year=False, long=True)} in the Log",
                           lambda: self.day_activated.emit(day))
        if cell.exercises:
            menu.addSection("How to do this day's exercises")
            for exercise_id in cell.exercises:
                menu.addAction(self._exercise_name(exercise_id),
                               functools.partial(self.exercise_requested.emit, exercise_id))
        return menu

    def _exercise_name(self, exercise_id: str) -> str:
        from recoverydesk.core.exercises import load_library

        library = load_library()
        return library.get(exercise_id).name if exercise_id in library else exercise_id

    # --- navigation ----------------------------------------------------------------------------

    def show_month(self, year: int, month: int) -> None:
        """Show a month; the focus day follows into it."""
        if (year, month) == (self.year, self.month):
            return
        self.year, self.month = year, month
        focus = self.grid.focus_day
        if (focus.year, focus.month) != (year, month):
            self.grid.focus_day = add_months(focus, (year - focus.year) * 12 + month - focus.month)
        self._update_title()
        self.grid.update()

    def show_day(self, day: datetime.date) -> None:
        """Show the month of ``day`` with the focus on it."""
        self.show_month(day.year, day.month)
        self.grid.set_focus_day(day)

    def _update_title(self) -> None:
        first = datetime.date(self.year, self.month, 1)
        self.title_label.setText(words.month_text(first))
        today = self.session.today()
        last = add_months(first, 1) - datetime.timedelta(days=1)
        if last > today:
            data = self._ensure_data()
            if data.paused_now:
                self.note_label.setText("The plan is paused by a red flag: there is no schedule "
                                        "until a clinician clears you.")
            elif data.projection:
                self.note_label.setText("Future days show the earliest schedule, if every day "
                                        "goes well; a flare moves it.")
            else:
                self.note_label.setText("")
        else:
            self.note_label.setText("")

    # --- slots ----------------------------------------------------------------------------------

    @Slot()
    def _on_prev_button_clicked(self) -> None:
        previous = add_months(datetime.date(self.year, self.month, 1), -1)
        self.show_month(previous.year, previous.month)

    @Slot()
    def _on_next_button_clicked(self) -> None:
        following = add_months(datetime.date(self.year, self.month, 1), 1)
        self.show_month(following.year, following.month)

    @Slot()
    def _on_today_button_clicked(self) -> None:
        self.show_day(self.session.today())

    @Slot(int, int)
    def _on_grid_month_requested(self, year: int, month: int) -> None:
        self.show_month(year, month)

    @Slot()
    def _on_session_episode_changed(self) -> None:
        self._on_session_data_changed(frozenset())

    @Slot(object)
    def _on_session_data_changed(self, _days: object) -> None:
        self._data = None
        if self.isVisible():
            self._update_title()
            self.grid.update()

    # --- Qt overrides ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # overrides QWidget.showEvent
        self._update_title()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # overrides QWidget.changeEvent
        """Redraw the legend's swatches when the palette switches between light and dark."""
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_legend_icons"):
            self._paint_legend()
        super().changeEvent(event)

    def _paint_legend(self) -> None:
        ratio = self.devicePixelRatioF()
        for icon, kind in self._legend_icons:
            icon.setPixmap(legend_pixmap(kind, self.palette(), ratio))
