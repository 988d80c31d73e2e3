"""Today's plan cards for running: the walk–run ladder in `run`, the weekly guide in `full`.

Both show what core/today_face.py worked out from the engine's answer (DESIGN §5.3, §5.4): the
stage in force and how yesterday's run moved it, or the week's guide and the distance so far.
Each card is self-contained so Today can place it in any column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QLabel, QWidget

from recoverydesk.gui.style import card_layout, scaled_font, selectable_later

if TYPE_CHECKING:
    from recoverydesk.core.today_face import Card


class _Card(QFrame):
    """A framed box with a bold title and a column of wrapped lines."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        lay = card_layout(self)
        self.title = QLabel(self)
        self.title.setFont(scaled_font(self, 1.2, bold=True))
        self.title.setWordWrap(True)
        lay.addWidget(self.title)
        lay.addStretch(1)  # the lines sit at the top, however tall the row is
        self._lines: list[QLabel] = []
        self._layout = lay

    def set_lines(self, title: str, lines: list[str]) -> None:
        self.title.setText(title)
        while len(self._lines) < len(lines):
            label = QLabel(self)
            label.setWordWrap(True)
            selectable_later(label)
            self._layout.insertWidget(self._layout.count() - 1, label)
            self._lines.append(label)
        for label, text in zip(self._lines, lines + [""] * len(self._lines), strict=False):
            label.setText(text)
            label.setVisible(bool(text))
        self.setAccessibleDescription(" ".join([title, *lines]))

    def show_card(self, card: Card | None) -> None:
        """Show ``card``'s title and lines; hide the card when there is none today."""
        if card is None:
            self.hide()
            return
        self.set_lines(card["title"], card["lines"])
        self.show()

    def lines(self) -> list[str]:
        """The shown lines (for tests and screen readers)."""
        return [label.text() for label in self._lines if label.isVisibleTo(self)]


class LadderCard(_Card):
    """The `run` card: stage, its session, what moves it, yesterday's run judged, cadence."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Walk–run ladder", parent)


class GuideCard(_Card):
    """The `full` card: this 7-day block's guide and the distance run in it so far (§5.4)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("This week's guide", parent)
