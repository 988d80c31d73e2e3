"""The body map: where it hurt, on a drawing of the back and legs (DESIGN.md §3).

Two views side by side, the back (the runner's left on the left) and the front (mirrored, so
the runner's left is on the right), with the nine regions of ``model.BODY_SITES``. A click on
a region marks or unmarks it; hovering names it. The drawing is for the mouse: every region is
also a real check box (``BodyMapPicker.boxes``) with an accessible name, so the keyboard and
screen readers use the map as a list of check boxes.

``BodyMapDrawing`` also draws a heat map (``set_counts``): how often each region was marked
over a period, for the Charts' "Where it hurt" tab.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from recoverydesk.core.model import BODY_SITES
from recoverydesk.core.outcomes import site_names
from recoverydesk.gui import style

FIGURE_W, FIGURE_H = 120.0, 262.0
"""One figure's drawing box; the widget scales two of them to fit."""

# Each region as a rectangle in the back view's figure box (the runner's left on the left).
_BACK: dict[str, QRectF] = {
    "low_back_left": QRectF(33, 96, 18, 24),
    "low_back_centre": QRectF(51, 96, 18, 24),
    "low_back_right": QRectF(69, 96, 18, 24),
    "buttock_left": QRectF(33, 120, 27, 28),
    "buttock_right": QRectF(60, 120, 27, 28),
    "thigh_left": QRectF(35, 150, 23, 48),
    "thigh_right": QRectF(62, 150, 23, 48),
    "below_knee_left": QRectF(37, 204, 20, 50),
    "below_knee_right": QRectF(63, 204, 20, 50),
}
_FRONT_SITES = ("thigh_left", "thigh_right", "below_knee_left", "below_knee_right")
"""The front view shows the legs' regions only: the back's regions have no front."""

_ROWS: tuple[tuple[str, tuple[str | None, str | None, str | None]], ...] = (
    ("Low back", ("low_back_left", "low_back_centre", "low_back_right")),
    ("Buttock", ("buttock_left", None, "buttock_right")),
    ("Thigh", ("thigh_left", None, "thigh_right")),
    ("Below the knee", ("below_knee_left", None, "below_knee_right")),
)
"""The check boxes' grid: one row per part of the body, columns left, middle, right."""


def _mirrored(rect: QRectF) -> QRectF:
    return QRectF(FIGURE_W - rect.x() - rect.width(), rect.y(), rect.width(), rect.height())


_CAPTION_H = 34.0
"""Room above the figures for their two-line captions (view and side)."""


class BodyMapDrawing(QWidget):
    """The drawing: marked regions filled, or a heat map of counts.

    Signals:
        site_clicked: A region was clicked. arg: its id.
        site_hovered: The mouse is over a region (its id) or over none (empty text).
    """

    site_clicked = Signal(str)
    site_hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, interactive: bool = True) -> None:
        super().__init__(parent)
        self._interactive = interactive
        self._marked: frozenset[str] = frozenset()
        self._counts: dict[str, int] = {}
        self._count_of = 0
        self._hover = ""
        self.setMouseTracking(True)
        self.setMinimumSize(180, 190)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # The check boxes carry the meaning for the keyboard and screen readers.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName("Body map drawing")
        self.setAccessibleDescription("Back and front views of the back and legs; each region "
                                      "is also a check box")

    def sizeHint(self) -> QSize:  # overrides QWidget.sizeHint
        return QSize(260, 260)

    def set_marked(self, sites: Iterable[str]) -> None:
        self._marked = frozenset(sites)
        self.update()

    def set_counts(self, counts: Mapping[str, int], out_of: int) -> None:
        """Draw a heat map: each region shaded by how many of ``out_of`` days marked it."""
        self._counts = dict(counts)
        self._count_of = out_of
        self.update()

    # --- geometry --------------------------------------------------------------------------

    def _scale(self) -> tuple[float, QPointF]:
        label_h = _CAPTION_H
        scale = min(self.width() / (2 * FIGURE_W + 10), (self.height() - label_h) / FIGURE_H)
        used_w = scale * (2 * FIGURE_W + 10)
        return scale, QPointF((self.width() - used_w) / 2, label_h)

    def _figures(self) -> list[tuple[str, float]]:
        """(title, x offset in figure units) of the back and front views."""
        return [("Back", 0.0), ("Front", FIGURE_W + 10)]

    def regions(self) -> list[tuple[str, QRectF]]:
        """Every clickable region in widget pixels, back view first."""
        scale, origin = self._scale()
        out: list[tuple[str, QRectF]] = []
        for title, dx in self._figures():
            for site, rect in _BACK.items():
                if title == "Front" and site not in _FRONT_SITES:
                    continue
                r = rect if title == "Back" else _mirrored(rect)
                out.append((site, QRectF(origin.x() + (r.x() + dx) * scale,
                                         origin.y() + r.y() * scale,
                                         r.width() * scale, r.height() * scale)))
        return out

    def site_at(self, point: QPointF) -> str:
        for site, rect in self.regions():
            if rect.contains(point):
                return site
        return ""

    # --- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # overrides QWidget.paintEvent
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.windowText().color()
        outline = QColor(text)
        outline.setAlpha(150)
        skin = QColor(palette.base().color())
        scale, origin = self._scale()
        for title, dx in self._figures():
            painter.save()
            painter.translate(origin.x() + dx * scale, origin.y())
            painter.scale(scale, scale)
            painter.setPen(QPen(outline, 1.2))
            painter.setBrush(skin)
            painter.drawPath(_silhouette())
            painter.restore()
            painter.setPen(text)
            # Two short lines centred over the figure, as wide as the gap between the two
            # figures' centres allows, so a small map never clips them.
            width = (FIGURE_W + 10) * scale
            centre = origin.x() + (dx + FIGURE_W / 2) * scale
            caption = QRectF(centre - width / 2, 0, width, _CAPTION_H - 2)
            side = "your left ←" if title == "Back" else "→ your left"
            metrics = painter.fontMetrics()
            lines = [metrics.elidedText(line, Qt.TextElideMode.ElideRight, int(width))
                     for line in (title, side)]
            painter.drawText(caption, Qt.AlignmentFlag.AlignCenter, "\n".join(lines))
        accent = style.error_colour(palette)
        for site, rect in self.regions():
            fill = QColor(accent)
            if self._count_of:
                fraction = self._counts.get(site, 0) / self._count_of
                fill.setAlphaF(0.08 + 0.82 * fraction)
            else:
                fill.setAlphaF(0.75 if site in self._marked else 0.0)
            painter.setBrush(fill)
            pen = QPen(outline, 2.5 if site == self._hover else 1.0,
                       Qt.PenStyle.SolidLine if site == self._hover else Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.drawRoundedRect(rect, 4, 4)
        painter.end()

    # --- mouse -----------------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # overrides QWidget.mouseMoveEvent
        site = self.site_at(event.position())
        if site != self._hover:
            self._hover = site
            self.setToolTip(self._tip(site))
            self.setCursor(Qt.CursorShape.PointingHandCursor if site and self._interactive
                           else Qt.CursorShape.ArrowCursor)
            self.site_hovered.emit(site)
            self.update()

    def leaveEvent(self, event: object) -> None:  # overrides QWidget.leaveEvent
        del event
        self._hover = ""
        self.site_hovered.emit("")
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # overrides QWidget.mousePressEvent
        site = self.site_at(event.position())
        if site and self._interactive and event.button() == Qt.MouseButton.LeftButton:
            self.site_clicked.emit(site)

    def _tip(self, site: str) -> str:
        if not site:
            return ""
        if self._count_of:
            return f"{site_names()[site]}: {self._counts.get(site, 0)} of {self._count_of} days"
        return site_names()[site]


def _silhouette() -> QPainterPath:
    """A plain outline of a body from the head to the feet, in figure units."""
    path = QPainterPath()
    path.addEllipse(QPointF(60, 20), 13, 15)
    path.addRoundedRect(QRectF(54, 33, 12, 9), 3, 3)
    path.addRoundedRect(QRectF(31, 40, 58, 110), 12, 12)        # torso and pelvis
    path.addRoundedRect(QRectF(17, 44, 13, 92), 6, 6)           # arms
    path.addRoundedRect(QRectF(90, 44, 13, 92), 6, 6)
    path.addRoundedRect(QRectF(33, 146, 26, 56), 8, 8)          # thighs
    path.addRoundedRect(QRectF(61, 146, 26, 56), 8, 8)
    path.addRoundedRect(QRectF(35, 200, 23, 56), 8, 8)          # lower legs
    path.addRoundedRect(QRectF(62, 200, 23, 56), 8, 8)
    path.setFillRule(Qt.FillRule.WindingFill)
    return path.simplified()


class BodyMapPicker(QWidget):
    """The drawing plus one check box per region, kept in step both ways.

    Signals:
        sites_changed: The marked regions changed. arg: the frozenset of ids.

    Attributes:
        drawing: The BodyMapDrawing.
        boxes: {region id: its QCheckBox}, in BODY_SITES order.
        hover_label: Names the region under the mouse.
    """

    sites_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Where it hurt")
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(12)
        self.drawing = BodyMapDrawing()
        self.hover_label = QLabel(" ")
        self.hover_label.setAccessibleName("Region under the mouse")
        left = QVBoxLayout()
        left.addWidget(self.drawing, 1)
        left.addWidget(self.hover_label)
        layout.addLayout(left, 0, 0)
        grid = QGridLayout()
        grid.setVerticalSpacing(2)
        grid.setHorizontalSpacing(10)
        for column, heading in enumerate(("left", "middle", "right"), start=1):
            grid.addWidget(QLabel(heading), 0, column)
        self.boxes: dict[str, QCheckBox] = {}
        names = site_names()
        for row, (part, sites) in enumerate(_ROWS, start=1):
            grid.addWidget(QLabel(part), row, 0)
            for column, site in enumerate(sites, start=1):
                if site is None:
                    continue
                box = QCheckBox()
                box.setAccessibleName(names[site])
                box.setToolTip(names[site])
                box.toggled.connect(self._on_box_toggled)
                grid.addWidget(box, row, column, Qt.AlignmentFlag.AlignCenter)
                self.boxes[site] = box
        self.boxes = {site: self.boxes[site] for site in BODY_SITES}
        layout.addLayout(grid, 0, 1, Qt.AlignmentFlag.AlignTop)
        layout.setColumnStretch(0, 1)
        self.drawing.site_clicked.connect(self._on_drawing_site_clicked)
        self.drawing.site_hovered.connect(self._on_drawing_site_hovered)

    def sites(self) -> frozenset[str]:
        return frozenset(site for site, box in self.boxes.items() if box.isChecked())

    def set_sites(self, sites: Iterable[str]) -> None:
        """Show ``sites`` as marked without announcing a change."""
        wanted = frozenset(sites)
        for site, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(site in wanted)
            box.blockSignals(False)
        self.drawing.set_marked(wanted)

    def widgets(self) -> list[QWidget]:
        """The check boxes in reading order, for the tab chain."""
        return list(self.boxes.values())

    @Slot(str)
    def _on_drawing_site_clicked(self, site: str) -> None:
        box = self.boxes[site]
        box.setChecked(not box.isChecked())
        box.setFocus(Qt.FocusReason.MouseFocusReason)

    @Slot(str)
    def _on_drawing_site_hovered(self, site: str) -> None:
        self.hover_label.setText(site_names()[site] if site else " ")

    @Slot(bool)
    def _on_box_toggled(self, checked: bool) -> None:
        del checked
        sites = self.sites()
        self.drawing.set_marked(sites)
        self.sites_changed.emit(sites)
