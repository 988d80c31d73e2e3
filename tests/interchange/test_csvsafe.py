"""CSV cells: no formula reaches a spreadsheet, and our import reads back exactly what was
exported (issue #17)."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from recoverydesk.interchange.csvsafe import TRIGGERS, neutralise, restore, row_text

SPICY = st.text(alphabet=st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", "'", '"', ",",
                                          "a", " ", "é"]), max_size=12)


@given(st.one_of(SPICY, st.text(max_size=40)))
def test_restore_undoes_exactly_what_neutralise_added(text: str) -> None:
    assert restore(neutralise(text)) == text
    assert not neutralise(text).startswith(TRIGGERS)


@given(st.lists(st.one_of(SPICY, st.text(max_size=20)), min_size=2, max_size=6))
def test_a_row_reads_back_cell_for_cell(cells: list[str]) -> None:
    line = row_text(cells)
    (read,) = list(csv.reader(io.StringIO(line, newline=""), strict=True))
    assert [restore(cell) for cell in read] == cells


def test_a_bare_carriage_return_is_quoted() -> None:
    assert row_text(["a\rb", "c"]) == '"a\rb",c\n'


def test_text_that_only_starts_with_a_quote_mark_is_left_alone() -> None:
    assert neutralise("'tis fine") == "'tis fine" and restore("'tis fine") == "'tis fine"
