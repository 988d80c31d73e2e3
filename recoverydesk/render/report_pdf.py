"""The clinician report as a PDF: QtGui only (no widgets), shared by the window and the CLI.

Made with Qt's own ``QPdfWriter`` and ``QTextDocument`` (the HTML of
``interchange/report_data.py``), so no other PDF library is needed; the pain-vs-mileage chart
is drawn here with ``QPainter`` into a ``QImage`` that the document embeds. The command line
calls :func:`write_report` without a window: when no Qt application exists a
``QGuiApplication`` is made, on the offscreen platform unless ``QT_QPA_PLATFORM`` says
otherwise. An import-linter contract keeps QtWidgets out of this package.

- **Black and white first.** Reports get photocopied. Nothing is told by colour alone: pain
  is a solid line with dots, its 7-day mean a dashed line, running distance grey bars, phases
  alternating grey shades each labelled in words, a red-flag pause hatched and labelled, a red
  flag a diamond (◆, as in every view); the mean breaks on days with no entry.
- **Page numbers as "page N of M"** in a footer that also names the runner's episode, so a
  loose page can be put back.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import math
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QBuffer,
    QIODevice,
    QLineF,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QPen,
    QPolygonF,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)

from recoverydesk.core import words
from recoverydesk.core.model import from_metres
from recoverydesk.core.plan import Content
from recoverydesk.interchange.report_data import (
    OPTIONAL_SECTIONS,
    PSFS_CHART_RATIO,
    Figure,
    LongTable,
    ReportData,
    gather,
    html_document,
    report_parts,
)
from recoverydesk.interchange.report_outcomes import PSFS_CHART_URL
from recoverydesk.render.canvas import draw_on_white
from recoverydesk.render.long_table import Item, PagedTable

if TYPE_CHECKING:
    from recoverydesk.storage.store import Store

PAGE_SIZES: dict[str, QPageSize.PageSizeId] = {
    "A4": QPageSize.PageSizeId.A4,
    "Letter": QPageSize.PageSizeId.Letter,
}
MARGIN_MM = 15.0
RESOLUTION_DPI = 600
"""QPdfWriter's device resolution: layout units only; text and lines stay vectors."""
CHART_SCALE = 4
"""The chart image holds this many pixels per CSS pixel (about 380 dpi on paper)."""
FONT_PT = 9.0
_CHUNK = 250
"""Lines or dots per QPainter call: each call holds Python's lock while Qt draws, so short
calls keep any other thread of the process (a caller's GUI thread) waiting only briefly."""

_PHASE_SHADES = {"rest": "#e6e6e6", "walk": "#f6f6f6", "low_impact": "#dcdcdc",
                 "run": "#f0f0f0", "full": "#d2d2d2"}
"""Neighbouring phases always differ in shade; each band is also labelled in words."""


# --- the chart ---------------------------------------------------------------------------------

def _nice_step(top: float, ticks: int = 4) -> float:
    raw = max(top, 1e-9) / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def draw_pain_chart(data: ReportData, width: float, height: float,
                    scale: float = CHART_SCALE) -> QImage:
    """Pain against running distance, phases behind, as a print-friendly greyscale image.

    ``width`` and ``height`` are in CSS pixels (96 per inch); the image has ``scale`` times
    as many pixels each way.
    """
    return draw_on_white(width, height, scale, lambda p: _paint_chart(p, data, width, height))


def _paint_chart(p: QPainter, data: ReportData, width: float, height: float) -> None:
    figures = data.chart_figures or data.figures
    n = len(figures)
    font = QFont(QGuiApplication.font())
    font.setPixelSize(10)
    p.setFont(font)
    fm = QFontMetricsF(font)
    small = QFont(font)
    small.setPixelSize(9)

    run_max = max((from_metres(m, data.units) for m in figures.run_m), default=0.0)
    left, right = 34.0, 40.0 if run_max > 0 else 14.0
    band_strip = 16.0
    legend_h = 22.0
    top = band_strip + 4
    bottom = height - legend_h - 18
    plot = QRectF(left, top, width - left - right, bottom - top)
    day_w = plot.width() / max(n, 1)

    def x_of(k: float) -> float:
        return plot.left() + (k + 0.5) * day_w

    def y_pain(v: float) -> float:
        return plot.bottom() - v / 10 * plot.height()

    # Phase bands (and pauses), each labelled in words in the strip above the plot.
    black = QColor("black")
    spans = _spans([(s.phase, s.paused) for s in data.chart_timeline][:n])
    for (phase, paused), first, last in spans:
        rect = QRectF(plot.left() + first * day_w, plot.top(), (last - first + 1) * day_w,
                      plot.height())
        p.fillRect(rect, QColor(_PHASE_SHADES.get(phase, "#eeeeee")))
        if paused:
            _hatch(p, rect)
    for _value, first, _last in spans:
        if first > 0:
            p.setPen(QPen(QColor("#777777"), 0.8, Qt.PenStyle.DotLine))
            xb = plot.left() + first * day_w
            p.drawLine(QPointF(xb, plot.top() - band_strip), QPointF(xb, plot.bottom()))
    p.setFont(small)
    sfm = QFontMetricsF(small)
    for (phase, paused), first, last in spans:
        span_w = (last - first + 1) * day_w
        label = "Paused" if paused else data.phase_name(phase)
        if sfm.horizontalAdvance(label) > span_w - 4:
            label = sfm.elidedText(label, Qt.TextElideMode.ElideRight, span_w - 4)
        if not label or label == "…":
            continue
        p.setPen(black)
        p.drawText(QRectF(plot.left() + first * day_w + 2, plot.top() - band_strip - 2,
                          span_w - 4, band_strip),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
    p.setFont(font)

    # Grid and the pain axis (left).
    p.setPen(QPen(QColor("#b0b0b0"), 0.6))
    for g in range(0, 11, 2):
        p.drawLine(QPointF(plot.left(), y_pain(g)), QPointF(plot.right(), y_pain(g)))
    p.setPen(black)
    for g in range(0, 11, 2):
        p.drawText(QRectF(0, y_pain(g) - 7, left - 5, 14),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(g))
    p.save()
    p.translate(9, plot.center().y())
    p.rotate(-90)
    p.drawText(QRectF(-60, -9, 120, 12), Qt.AlignmentFlag.AlignCenter, "pain 0–10")
    p.restore()

    # Running distance: grey bars on the right axis.
    if run_max > 0:
        step = _nice_step(run_max)
        top_d = step * math.ceil(run_max / step)

        def y_dist(v: float) -> float:
            return plot.bottom() - v / top_d * plot.height()

        bar_w = max(day_w * 0.7, 1.0)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#9a9a9a"))
        for k, metres in enumerate(figures.run_m):
            if metres > 0:
                value = from_metres(metres, data.units)
                p.drawRect(QRectF(x_of(k) - bar_w / 2, y_dist(value), bar_w,
                                  plot.bottom() - y_dist(value)))
        p.setPen(black)
        v = 0.0
        while v <= top_d + 1e-9:
            text = f"{v:g}"
            p.drawText(QRectF(plot.right() + 4, y_dist(v) - 7, right - 6, 14),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            v += step
        p.save()
        p.translate(width - 6, plot.center().y())
        p.rotate(90)
        p.drawText(QRectF(-60, -9, 120, 12), Qt.AlignmentFlag.AlignCenter,
                   f"run {data.units} a day")
        p.restore()

    # The 7-day mean, dashed; pain, solid with dots (gaps where nothing was logged).
    mean_pen = QPen(QColor("#404040"), 1.5)
    mean_pen.setDashPattern([4.0, 2.5])
    _polyline(p, [(x_of(k), y_pain(v)) if v is not None else None
                  for k, v in enumerate(figures.pain_mean_drawn)], mean_pen)
    pain_pen = QPen(black, 1.6)
    pain_points = [(x_of(k), y_pain(v)) if v is not None else None
                   for k, v in enumerate(figures.pain)]
    _polyline(p, pain_points, pain_pen)
    radius = min(2.4, max(1.2, day_w * 0.3))
    dots = [QPointF(*point) for point in pain_points if point is not None]
    # A black dot with a thin white rim: round points drawn twice, in one call each.
    for colour, diameter in (("white", 2 * radius + 1.6), ("black", 2 * radius)):
        dot_pen = QPen(QColor(colour), diameter)
        dot_pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(dot_pen)
        for first in range(0, len(dots), _CHUNK):
            p.drawPoints(dots[first:first + _CHUNK])
    # Leg pain beside the back pain: a dotted line on the same scale, when there is any.
    leg = [data.episode.logs[d].leg_pain if d in data.episode.logs else None
           for d in (figures.day(k) for k in range(n))]
    leg_pen: QPen | None = None
    if any(v is not None for v in leg):
        leg_pen = QPen(QColor("#6a6a6a"), 1.3)
        leg_pen.setDashPattern([1.0, 2.0])
        _polyline(p, [(x_of(k), y_pain(v)) if v is not None else None
                      for k, v in enumerate(leg)], leg_pen)

    # Red flags: a diamond (◆, as in every view) at the top of the day.
    p.setPen(QPen(black, 0.8))
    p.setBrush(black)
    for k, flagged in enumerate(figures.red_flags):
        if flagged:
            p.drawPolygon(_diamond(x_of(k), plot.top() + 6, 8.0))

    # Frame and dates.
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(black, 0.8))
    p.drawRect(plot)
    step_days = next((s for s in (1, 2, 7, 14, 28, 56, 91, 182, 364, 728)
                      if s * day_w >= fm.horizontalAdvance("30 Sep") + 12), 1456)
    for k in range(0, n, step_days):
        day = figures.day(k)
        label = words.date_text(day, year=False) if n <= 400 else words.month_text(day,
                                                                                   short=True)
        x = x_of(k)
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3))
        p.drawText(QRectF(x - 40, plot.bottom() + 3, 80, 14), Qt.AlignmentFlag.AlignCenter,
                   label)

    _paint_legend(p, QRectF(left, height - legend_h, width - left - right, legend_h),
                  run_max > 0, data.units, mean_pen, pain_pen, leg_pen)


def _paint_legend(p: QPainter, area: QRectF, with_runs: bool, units: str, mean_pen: QPen,
                  pain_pen: QPen, leg_pen: QPen | None = None) -> None:
    fm = QFontMetricsF(p.font())
    black = QColor("black")
    x = area.left()
    y = area.center().y()
    items: list[tuple[str, Callable[[float], None]]] = []

    def pain_sample(x0: float) -> None:
        p.setPen(pain_pen)
        p.drawLine(QPointF(x0, y), QPointF(x0 + 18, y))
        p.setPen(QPen(QColor("white"), 0.8))
        p.setBrush(black)
        p.drawEllipse(QPointF(x0 + 9, y), 2.4, 2.4)

    def mean_sample(x0: float) -> None:
        p.setPen(mean_pen)
        p.drawLine(QPointF(x0, y), QPointF(x0 + 18, y))

    def bar_sample(x0: float) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#9a9a9a"))
        p.drawRect(QRectF(x0 + 5, y - 6, 8, 12))

    def pause_sample(x0: float) -> None:
        rect = QRectF(x0, y - 6, 18, 12)
        p.fillRect(rect, QColor("#eeeeee"))
        _hatch(p, rect)
        p.setPen(QPen(QColor("#777777"), 0.6))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(rect)

    def flag_sample(x0: float) -> None:
        p.setPen(QPen(black, 0.8))
        p.setBrush(black)
        p.drawPolygon(_diamond(x0 + 9, y, 8.0))

    items.append(("pain", pain_sample))
    items.append(("7-day mean of pain", mean_sample))
    if leg_pen is not None:
        def leg_sample(x0: float) -> None:
            p.setPen(leg_pen)
            p.drawLine(QPointF(x0, y), QPointF(x0 + 18, y))

        items.append(("leg pain", leg_sample))
    if with_runs:
        items.append((f"run distance ({units})", bar_sample))
    items.append(("paused by a red flag", pause_sample))
    items.append(("red flag logged", flag_sample))
    for text, sample in items:
        sample(x)
        p.setPen(black)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawText(QPointF(x + 22, y + fm.ascent() / 2 - 1), text)
        x += 22 + fm.horizontalAdvance(text) + 14


def _hatch(p: QPainter, rect: QRectF, spacing: float = 4.5) -> None:
    """Diagonal lines in CSS pixels (a pattern brush would be drawn in image pixels, too
    fine to see once the image is scaled onto paper)."""
    p.save()
    p.setClipRect(rect, Qt.ClipOperation.IntersectClip)
    p.setPen(QPen(QColor("#6e6e6e"), 0.7))
    x = rect.left() - rect.height()
    while x < rect.right():
        p.drawLine(QPointF(x, rect.bottom()), QPointF(x + rect.height(), rect.top()))
        x += spacing
    p.restore()


def _diamond(x: float, y: float, size: float) -> QPolygonF:
    """The red flag's marker (``core/markers.py``: ◆), centred on (x, y)."""
    half = size / 2
    return QPolygonF([QPointF(x, y - half), QPointF(x + half, y), QPointF(x, y + half),
                      QPointF(x - half, y)])


def _polyline(p: QPainter, points: Sequence[tuple[float, float] | None], pen: QPen) -> None:
    """Join consecutive points; a None (a day not logged) breaks the line.

    Drawn as separate segments with round caps: one antialiased path of thousands of tiny
    segments (ten years of days) takes Qt's stroker seconds; the segments take milliseconds
    and look the same. A dashed pen is dashed here, along the whole line, for the same reason.
    """
    segments = [QLineF(*a, *b) for a, b in zip(points, points[1:], strict=False)
                if a is not None and b is not None]
    pattern = [length * pen.widthF() for length in pen.dashPattern()]
    if pattern:
        segments = _dashes(segments, pattern)
    solid = QPen(pen)
    solid.setStyle(Qt.PenStyle.SolidLine)
    solid.setCapStyle(Qt.PenCapStyle.FlatCap if pattern else Qt.PenCapStyle.RoundCap)
    p.setPen(solid)
    p.setBrush(Qt.BrushStyle.NoBrush)
    for first in range(0, len(segments), _CHUNK):
        p.drawLines(segments[first:first + _CHUNK])


def _dashes(segments: Sequence[QLineF], pattern: Sequence[float]) -> list[QLineF]:
    """The "on" pieces of ``segments`` under a dash ``pattern`` (on, off, on, off… lengths)
    that carries on from one segment to the next."""
    out: list[QLineF] = []
    phase, left = 0, pattern[0]
    for segment in segments:
        length, done = segment.length(), 0.0
        while length - done > 1e-9:
            step = min(left, length - done)
            if phase % 2 == 0:
                out.append(QLineF(segment.pointAt(done / length),
                                  segment.pointAt((done + step) / length)))
            done += step
            left -= step
            if left <= 1e-9:
                phase = (phase + 1) % len(pattern)
                left = pattern[phase]
    return out


def _spans(values: Sequence[tuple[str, bool]]) -> list[tuple[tuple[str, bool], int, int]]:
    """Runs of equal values as (value, first index, last index)."""
    spans: list[tuple[tuple[str, bool], int, int]] = []
    for k, value in enumerate(values):
        if spans and spans[-1][0] == value and spans[-1][2] == k - 1:
            spans[-1] = (value, spans[-1][1], k)
        else:
            spans.append((value, k, k))
    return spans


# --- writing the PDF ---------------------------------------------------------------------------

@contextlib.contextmanager
def gui_app() -> Iterator[QGuiApplication]:
    """The running Qt application, or an offscreen ``QGuiApplication`` for this report only.

    The one made here is shut down afterwards, so a process that goes on to build widgets
    (a test session, a script) can still make its ``QApplication``.
    """
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        yield app
        return
    if app is not None:
        raise RuntimeError("a QCoreApplication without a GUI cannot draw a report")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    made = QGuiApplication(["recoverydesk-report"])
    try:
        yield made
    finally:
        made.shutdown()
        del made


class Cancelled(Exception):
    """The report was cancelled while being written; no file was left."""


Progress = Callable[[int, int], bool]
"""Told (pages done, pages in all) as the PDF is written; answering False cancels it."""


def write_report(store: Store, out_path: Path | str, page_size: str = "A4", *,
                 today: datetime.date | None = None, content: Content | None = None,
                 replace: bool = False,
                 include: Collection[str] = tuple(OPTIONAL_SECTIONS),
                 since: datetime.date | None = None) -> None:
    """Write the clinician report of the open episode as a PDF.

    Args:
        store: The open store (read only).
        out_path: The PDF to write, as a private (0600) file through a temporary one beside
            it (storage.safefile), so a failure never leaves half a file. An existing file
            is replaced only with ``replace`` (the window's save dialog has asked).
        page_size: ``A4`` or ``Letter``.
        today: The report's date (default: the local date).
        include: The optional sections to put in (``OPTIONAL_SECTIONS``; default all).
        since: The first day the chart and the tables cover (default: the episode's start).

    Raises:
        ValueError: No episode yet, or an unknown page size.
        OSError: The file could not be written.
    """
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size {page_size!r}: it must be A4 or Letter")
    data = gather(store, today or datetime.date.today(), content, since=since)
    write_pdf(data, out_path, page_size, replace=replace, include=include)


def write_pdf(data: ReportData, out_path: Path | str, page_size: str = "A4", *,
              replace: bool = False, include: Collection[str] = tuple(OPTIONAL_SECTIONS),
              progress: Progress | None = None) -> None:
    """Write the report of ``data`` as a PDF: any thread (QtGui only, no store).

    The pages are made in memory and the file written once they all are, as
    :func:`write_report` says; a cancel therefore leaves nothing behind.

    Raises:
        ValueError: An unknown page size.
        OSError: The file could not be written.
        Cancelled: ``progress`` answered False.
    """
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size {page_size!r}: it must be A4 or Letter")
    out = Path(out_path)
    if not out.parent.is_dir():
        raise FileNotFoundError(2, "No such folder", str(out.parent))
    if not replace and os.path.lexists(out):
        raise FileExistsError(17, "File exists", str(out))
    with gui_app():
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        _print(data, buffer, page_size, include, progress or (lambda done, total: True))
        pdf = bytes(buffer.data().data())
    if not pdf:
        raise OSError(f"Qt could not write {out}")
    from recoverydesk.storage.safefile import write_private

    write_private(out, pdf, replace=replace)  # private temp file, 0600, atomic rename


def _push_down(doc: QTextDocument, y: float) -> None:
    """Begin ``doc`` ``y`` CSS pixels lower on its first page (it follows another part
    there): an empty first line that high. (QTextDocument scales format lengths from CSS
    pixels to the device's.)"""
    cursor = QTextCursor(doc.begin())
    heading_format = cursor.blockFormat()
    heading_char_format = cursor.charFormat()
    cursor.insertBlock(heading_format, heading_char_format)
    spacer = QTextBlockFormat()
    spacer.setLineHeight(y, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    QTextCursor(doc.begin()).setBlockFormat(spacer)


def _paint_figure(data: ReportData, figure: Figure, y: float, scale: float,
                  painter: QPainter) -> None:
    """The chart straight onto the page, as vectors: an image of it would be crisp only at
    a large size, and the PDF engine takes a long while (holding Python's lock) to store it."""
    painter.translate(0, y)
    painter.scale(scale, scale)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _paint_chart(painter, data, figure.width, figure.height)


def _paint_doc_page(doc: QTextDocument, index: int, body: QSizeF, painter: QPainter) -> None:
    clip = QRectF(0, index * body.height(), body.width(), body.height())
    painter.translate(0, -clip.top())
    painter.setClipRect(clip)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.clip = clip
    doc.documentLayout().draw(painter, context)


def _paint_table_page(table: PagedTable, items: list[Item], body: QSizeF,
                      painter: QPainter) -> None:
    painter.setClipRect(QRectF(0, 0, body.width(), body.height()))
    table.paint(painter, items)


@dataclasses.dataclass
class _Laid:
    """The report laid out for one page size and resolution: what each page holds."""

    pages: list[list[Callable[[QPainter], None]]]
    page: QRectF
    footer_h: float
    font: QFont
    dpi: int


def _page_layout(page_size: str) -> QPageLayout:
    return QPageLayout(QPageSize(PAGE_SIZES[page_size]), QPageLayout.Orientation.Portrait,
                       QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                       QPageLayout.Unit.Millimeter)


def _lay_out(data: ReportData, page_size: str, device: QPaintDevice, dpi: int,
             include: Collection[str]) -> _Laid:
    """Lay every part out, so each page knows what it holds and how many pages follow.

    A part begins below the one before on the same page when it fits there; the phase
    history begins a page of its own when the overview fills exactly page 1.
    """
    page = QRectF(_page_layout(page_size).paintRectPixels(dpi))
    px_per_css = dpi / 96.0
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(FONT_PT)
    footer_h = QFontMetricsF(font, device).height() * 2.2
    body = QSizeF(page.width(), page.height() - footer_h)
    chart_w = page.width() / px_per_css - 4
    chart_h = round(chart_w * 0.44)

    psfs_chart = None
    if data.psfs_scores:
        from recoverydesk.render.psfs_chart import draw_psfs_chart

        psfs_chart = draw_psfs_chart(data.psfs_activities, data.psfs_scores, chart_w,
                                     round(chart_w * PSFS_CHART_RATIO))

    def html_doc(html: str) -> QTextDocument:
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(device)
        doc.setDefaultFont(font)
        doc.setDocumentMargin(0)
        doc.setPageSize(body)
        if psfs_chart is not None and PSFS_CHART_URL in html:
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(PSFS_CHART_URL),
                            psfs_chart)
        doc.setHtml(html_document(html))
        return doc

    pages: list[list[Callable[[QPainter], None]]] = [[]]
    y = 0.0  # where the next part begins on the last page
    gap = 6 * px_per_css
    for part in report_parts(data, "chart://pain", (chart_w, chart_h), include):
        if isinstance(part, LongTable):
            if part.new_page and len(pages) == 1 and y > 0:
                pages.append([])
                y = 0.0
            table = PagedTable(part, font, device, body.width(), px_per_css)
            space = body.height() if y == 0 else max(0.0, body.height() - y - gap)
            table_pages = table.paginate(space, body.height())
            if y > 0 and table_pages[0][0].top == 0:
                pages.append([])
            for k, items in enumerate(table_pages):
                if k:
                    pages.append([])
                pages[-1].append(functools.partial(_paint_table_page, table, items, body))
            last = table_pages[-1][-1]
            y = last.top + last.height
        elif isinstance(part, Figure):
            height = (part.height + 8) * px_per_css
            if y + height > body.height():
                pages.append([])
                y = 0.0
            pages[-1].append(functools.partial(_paint_figure, data, part, y + gap,
                                               px_per_css))
            y += height
        else:
            doc = html_doc(part)
            if y > 0 and body.height() - y >= body.height() * 0.15:
                _push_down(doc, y / px_per_css)
            elif y > 0:
                pages.append([])
            count = doc.pageCount()
            for k in range(count):
                if k:
                    pages.append([])
                pages[-1].append(functools.partial(_paint_doc_page, doc, k, body))
            end = doc.documentLayout().blockBoundingRect(doc.lastBlock()).bottom()
            y = end - (count - 1) * body.height()
    return _Laid(pages, page, footer_h, font, dpi)


def _paint_page(painter: QPainter, laid: _Laid, data: ReportData, index: int) -> None:
    """Paint page ``index`` (from 0) with its footer."""
    for paint in laid.pages[index]:
        painter.save()
        paint(painter)
        painter.restore()
    page, footer_h = laid.page, laid.footer_h
    footer_font = QFont(laid.font)
    footer_font.setPointSizeF(FONT_PT - 1)
    info = data.episode.info
    left_text = (f"RecoveryDesk clinician report · episode begun "
                 f"{words.date_text(info.start)} · made {words.date_text(data.today)}")
    painter.setFont(footer_font)
    y = page.height() - footer_h * 0.6
    rect = QRectF(0, y, page.width(), footer_h * 0.6)
    painter.setPen(QPen(QColor("#8c8c8c"), laid.dpi / 300))
    painter.drawLine(QPointF(0, y), QPointF(page.width(), y))
    painter.setPen(QColor("black"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, left_text)
    painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                     f"page {index + 1} of {len(laid.pages)}")


def _print(data: ReportData, device: QIODevice, page_size: str, include: Collection[str],
           progress: Progress) -> None:
    writer = QPdfWriter(device)
    writer.setResolution(RESOLUTION_DPI)
    writer.setTitle("RecoveryDesk clinician report")
    writer.setCreator("RecoveryDesk")
    writer.setPageLayout(_page_layout(page_size))
    if not progress(0, 1):
        raise Cancelled
    laid = _lay_out(data, page_size, writer, RESOLUTION_DPI, include)
    total = len(laid.pages)
    if not progress(0, total):
        raise Cancelled
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError("Qt could not open the PDF writer")
    try:
        for index in range(total):
            if index:
                writer.newPage()
            _paint_page(painter, laid, data, index)
            if not progress(index + 1, total):
                raise Cancelled
    finally:
        painter.end()


PREVIEW_DPI = 120
"""The preview's resolution: enough to read the headings, a small fraction of the PDF's."""


def preview_first_page(data: ReportData, page_size: str = "A4", *,
                       include: Collection[str] = tuple(OPTIONAL_SECTIONS)) -> QImage:
    """Page 1 of the report as it will print, on white (for the report dialog's preview).

    QtGui only, like the PDF itself: the report's worker process draws it for the form.
    """
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size {page_size!r}: it must be A4 or Letter")
    layout = _page_layout(page_size)
    full = layout.fullRectPixels(PREVIEW_DPI)
    image = QImage(full.size(), QImage.Format.Format_RGB32)
    dots = round(PREVIEW_DPI / 0.0254)
    image.setDotsPerMeterX(dots)
    image.setDotsPerMeterY(dots)
    image.fill(QColor("white"))
    laid = _lay_out(data, page_size, image, PREVIEW_DPI, include)
    painter = QPainter(image)
    try:
        margin = layout.paintRectPixels(PREVIEW_DPI).topLeft()
        painter.translate(margin.x(), margin.y())
        _paint_page(painter, laid, data, 0)
    finally:
        painter.end()
    return image
