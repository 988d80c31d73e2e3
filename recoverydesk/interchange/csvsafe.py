"""CSV cells that a spreadsheet will not run as formulas, read back exactly (issue #17).

A note such as ``=HYPERLINK("http://…")`` or a file called ``=1+2 @SUM(1).gpx`` becomes a live
formula when a CSV export is opened in a spreadsheet. As OWASP advises, a cell that begins
with ``= + - @``, a tab or a carriage return is written with a ``'`` in front, which
spreadsheets show as text. To keep the round trip lossless, a cell that already begins with
``'`` followed by such a cell gets one more ``'``; :func:`restore` removes exactly the one
:func:`neutralise` added, so ``restore(neutralise(s)) == s`` for every string.

Rows are written by :func:`row_text` rather than ``csv.writer``, which leaves a bare carriage
return unquoted when the line end is ``\\n`` (and a spreadsheet, or our own import, then reads
a broken row): every cell holding ``,`` ``"`` CR or LF is quoted (RFC 4180).
"""

from __future__ import annotations

from collections.abc import Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP CSV injection)."""


def _needs_quote_mark(text: str) -> bool:
    """Whether ``text``, after any leading quote marks, starts a formula."""
    return text.lstrip("'").startswith(TRIGGERS)


def neutralise(text: str) -> str:
    """``text`` as a cell no spreadsheet runs: one ``'`` in front of a formula start."""
    return "'" + text if _needs_quote_mark(text) else text


def restore(cell: str) -> str:
    """The exact inverse of :func:`neutralise`; other cells come back unchanged."""
    if cell.startswith("'") and _needs_quote_mark(cell[1:]):
        return cell[1:]
    return cell


def quoted(cell: str) -> str:
    """One CSV field: quoted when it holds a comma, a quote or a line break of any kind."""
    if any(mark in cell for mark in (",", '"', "\r", "\n")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def row_text(cells: Iterable[str]) -> str:
    """One CSV line ending in ``\\n``, each cell neutralised and quoted as needed."""
    return ",".join(quoted(neutralise(cell)) for cell in cells) + "\n"
