"""A long table laid out page by page with QPainter: the report's daily entries.

QTextDocument lays a table of 3,650 rows out in seconds and then spends tens of milliseconds
drawing each page of it; measuring each cell once and drawing it straight onto the page takes
a fraction of that. The table keeps what the HTML one had: a header row repeated on every
page, a band naming the month above its first row ("… (continued)" atop a page), borders,
numbers right-aligned, and long cells wrapped onto more lines.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPaintDevice, QPainter, QPen

from recoverydesk.interchange.report_data import LongTable

_WRAP = Qt.TextFlag.TextWordWrap
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop


@dataclasses.dataclass(frozen=True, slots=True)
class Item:
    """One horizontal strip of a page: ``kind`` is title, note, head, group or row."""

    kind: str
    top: float
    height: float
    index: int = -1
    """The row (kind row) or the row whose group it names (kind group)."""
    continued: bool = False


class PagedTable:
    """Measures ``table`` for ``device`` at ``width`` device pixels and paints it by pages.

    Rows whose group label is empty get no band.
    """

    def __init__(self, table: LongTable, font: QFont, device: QPaintDevice,
                 width: float, css_px: float) -> None:
        self.table = table
        self.width = width
        self.body_font = QFont(font)
        self.bold_font = QFont(font)
        self.bold_font.setBold(True)
        self.title_font = QFont(font)
        self.title_font.setPointSizeF(font.pointSizeF() * 11.5 / 9)
        self.title_font.setBold(True)
        self.note_font = QFont(font)
        self.note_font.setPointSizeF(font.pointSizeF() * 8 / 9)
        self._fm = QFontMetricsF(self.body_font, device)
        self._bold_fm = QFontMetricsF(self.bold_font, device)
        self.pad = 3 * css_px
        self.line = self._fm.height()
        self.rule = 0.5 * css_px
        edges = [0.0]
        for percent in table.widths:
            edges.append(edges[-1] + width * percent / 100)
        edges[-1] = width
        self.edges = edges
        self._one_line: dict[tuple[int, str], float] = {}
        """Single-line cells: their advance (for right alignment)."""
        self._heights: dict[tuple[int, str], float] = {}
        self.title_h = QFontMetricsF(self.title_font, device).height() + 8 * css_px
        self.note_h = QFontMetricsF(self.note_font, device).boundingRect(
            QRectF(0, 0, width, 1e9), _WRAP, table.note).height() + 4 * css_px
        self.head_h = max(self._cell_height(self._bold_fm, i, text, cache=False)
                          for i, text in enumerate(table.head))
        self.group_h = self._bold_fm.height() + 2 * self.pad
        self.row_heights = [max(self._cell_height(self._fm, i, text)
                                for i, text in enumerate(cells) if text)
                            if any(cells) else self.line + 2 * self.pad
                            for _group, cells in table.rows]

    def _cell_height(self, fm: QFontMetricsF, column: int, text: str, *,
                     cache: bool = True) -> float:
        known = self._heights.get((column, text)) if cache else None
        if known is not None:
            return known
        inner = self.edges[column + 1] - self.edges[column] - 2 * self.pad
        height = None
        if "\n" not in text:
            advance = fm.horizontalAdvance(text)
            if advance <= inner:
                if cache:
                    self._one_line[(column, text)] = advance
                height = self.line + 2 * self.pad
        if height is None:
            height = fm.boundingRect(QRectF(0, 0, inner, 1e9), _WRAP, text).height()
            height += 2 * self.pad
        if cache:
            self._heights[(column, text)] = height
        return height

    # --- pages -------------------------------------------------------------------------------

    def paginate(self, first_space: float, page_height: float) -> list[list[Item]]:
        """The items of each page; the first page has ``first_space`` left at its foot.

        The title, the header and the first row stay together; so do a group's band and its
        first row. A row taller than a page is put on a page of its own (and clipped).
        """
        rows = self.table.rows
        start_h = self.title_h + self.note_h + self.head_h
        first_need = start_h + ((self.group_h if rows[0][0] else 0) + self.row_heights[0]
                                if rows else 0)
        pages: list[list[Item]] = []
        if first_space >= first_need:
            y, space = page_height - first_space, page_height
        else:
            y, space = 0.0, page_height
        page = [Item("title", y, self.title_h), Item("note", y + self.title_h, self.note_h)]
        y += self.title_h + self.note_h
        page.append(Item("head", y, self.head_h))
        y += self.head_h
        previous_group = None
        for index, (group, _cells) in enumerate(rows):
            height = self.row_heights[index]
            new_group = bool(group) and group != previous_group
            need = height + (self.group_h if new_group else 0)
            fresh = page[-1].kind == "head"
            if y + need > space and not fresh:
                pages.append(page)
                page = [Item("head", 0.0, self.head_h)]
                y = self.head_h
                if group and not new_group:
                    page.append(Item("group", y, self.group_h, index, continued=True))
                    y += self.group_h
            if new_group:
                page.append(Item("group", y, self.group_h, index))
                y += self.group_h
            page.append(Item("row", y, height, index))
            y += height
            previous_group = group
        pages.append(page)
        return pages

    def paint(self, painter: QPainter, items: Sequence[Item]) -> None:
        """Draw one page's items (the painter's origin is the page body's top left)."""
        black = QColor("black")
        grid: list[QLineF] = []
        right = self.edges[-1]
        block_top: float | None = None
        block_bottom = 0.0
        columns_top: float | None = None
        """Where the run of rows with column rules began (a month's band breaks it)."""

        def end_columns(bottom: float) -> None:
            if columns_top is not None:
                grid.extend(QLineF(x, columns_top, x, bottom) for x in self.edges[1:-1])
        for item in items:
            top, bottom = item.top, item.top + item.height
            if item.kind == "title":
                painter.setFont(self.title_font)
                painter.setPen(black)
                painter.drawText(QRectF(0, top, self.width, item.height),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                                 self.table.title)
                continue
            if item.kind == "note":
                painter.setFont(self.note_font)
                painter.setPen(QColor("#404040"))
                painter.drawText(QRectF(0, top, self.width, item.height), _LEFT | _WRAP,
                                 self.table.note)
                continue
            if block_top is None:
                block_top = top
                grid.append(QLineF(0, top, right, top))
            grid.append(QLineF(0, bottom, right, bottom))
            block_bottom = bottom
            if item.kind == "group":
                end_columns(top)
                columns_top = None
            elif columns_top is None:
                columns_top = top
            if item.kind == "head":
                painter.fillRect(QRectF(0, top, right, item.height), QColor("#e4e4e4"))
                painter.setFont(self.bold_font)
                painter.setPen(black)
                for column, text in enumerate(self.table.head):
                    self._draw_cell(painter, column, top, item.height, text, one_line=None)
            elif item.kind == "group":
                painter.fillRect(QRectF(0, top, right, item.height), QColor("#f0f0f0"))
                painter.setFont(self.bold_font)
                painter.setPen(black)
                label = self.table.rows[item.index][0]
                if item.continued:
                    label += " (continued)"
                painter.drawText(QPointF(self.pad, top + self.pad + self._bold_fm.ascent()),
                                 label)
            else:
                painter.setFont(self.body_font)
                painter.setPen(black)
                for column, text in enumerate(self.table.rows[item.index][1]):
                    if text:
                        self._draw_cell(painter, column, top, item.height, text,
                                        one_line=self._one_line.get((column, text)))
        end_columns(block_bottom)
        if block_top is not None:
            grid.extend((QLineF(0, block_top, 0, block_bottom),
                         QLineF(right, block_top, right, block_bottom)))
        painter.setPen(QPen(QColor("#8c8c8c"), self.rule))
        painter.drawLines(grid)

    def _draw_cell(self, painter: QPainter, column: int, top: float, height: float, text: str,
                   *, one_line: float | None) -> None:
        left, right = self.edges[column] + self.pad, self.edges[column + 1] - self.pad
        aligned_right = column in self.table.right_aligned
        if one_line is not None:  # the quick path: most cells are one short line
            x = right - one_line if aligned_right else left
            painter.drawText(QPointF(x, top + self.pad + self._fm.ascent()), text)
            return
        painter.drawText(QRectF(left, top + self.pad, right - left, height - 2 * self.pad),
                         (_RIGHT if aligned_right else _LEFT) | _WRAP, text)
