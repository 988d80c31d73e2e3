"""Today's plan cards for running: the walk–run ladder in `run`, the weekly guide in `full`.

Both only format what the engine already decided (DESIGN §5.3, §5.4): the stage in force and
how yesterday's run moved it, or the week's guide and the distance so far. The sentences are
data (resources/engine.toml, ``[card]``); the card is self-contained so Today can place it in
any column.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QWidget

from recoverydesk.core import engine, words
from recoverydesk.core.cadence import cadence_history
from recoverydesk.core.explain import templates
from recoverydesk.gui.session import Session
from recoverydesk.gui.style import card_layout, scaled_font


def card_text(key: str, **values: object) -> str:
    """A sentence of resources/engine.toml ``[card]`` with its figures filled in."""
    return templates().get("card", {}).get(key, key).format(**values)


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
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._layout.insertWidget(self._layout.count() - 1, label)
            self._lines.append(label)
        for label, text in zip(self._lines, lines + [""] * len(self._lines), strict=False):
            label.setText(text)
            label.setVisible(bool(text))
        self.setAccessibleDescription(" ".join([title, *lines]))

    def lines(self) -> list[str]:
        """The shown lines (for tests and screen readers)."""
        return [label.text() for label in self._lines if label.isVisibleTo(self)]


class LadderCard(_Card):
    """The `run` card: stage, its session, what moves it, yesterday's run judged, cadence."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Walk–run ladder", parent)
        self._session = session

    def show_status(self, status: engine.DayStatus) -> None:
        """Fill the card for ``status`` (a day in `run`); hide it in any other phase."""
        if status.phase != "run" or status.run_stage is None:
            self.hide()
            return
        session = self._session
        rules = session.rules
        ladder = session.content.plan.ladder
        stage = ladder[min(status.run_stage, len(ladder)) - 1]
        if status.run_stage_done:
            title = card_text("ladder_passed_title")
            lines = [card_text("ladder_passed_session", label=stage.label)]
        else:
            title = card_text("ladder_title", stage=stage.stage, stages=len(ladder))
            lines = [card_text("ladder_session", label=stage.label, minutes=stage.minutes)]
        said = [r.detail for rule in ("setback", "layoff", "ladder")
                if (r := status.reason(rule)) is not None and not (rule == "layoff" and r.ok)]
        lines.append(" ".join(said) if said
                     else card_text("ladder_no_judgement", stage=stage.stage))
        lines.append(card_text(
            "ladder_moves", good_pain=rules.ladder_good_pain,
            good_rise=rules.ladder_good_morning_rise, good_morning=rules.ladder_good_morning,
            bad_pain=rules.ladder_bad_pain, bad_rise=rules.ladder_bad_morning_rise))
        lines.append(card_text("ladder_log"))
        episode = session.episode
        if episode is not None:
            history = cadence_history(session.activities(), episode.start)
            if history.usual is not None and history.quicker is not None:
                lines.append(card_text("cadence", usual=round(history.usual),
                                       quicker=round(history.quicker)))
        self.set_lines(title, lines)
        self.show()


class GuideCard(_Card):
    """The `full` card: this 7-day block's guide and the distance run in it so far (§5.4)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("This week's guide", parent)
        self._session = session

    def show_status(self, status: engine.DayStatus) -> None:
        guide = status.guide
        if guide is None:
            self.hide()
            return
        units = self._session.units
        lines = [card_text("guide_body", guide=words.distance_text(guide.guide_m, units),
                           first=words.date_text(guide.first_day, year=False, long=True),
                           run=words.distance_text(guide.run_m, units))]
        if guide.at_baseline:
            lines.append(card_text("guide_baseline"))
        lines.append(card_text("guide_note"))
        self.set_lines(card_text("guide_title", week=guide.block + 1), lines)
        self.show()
