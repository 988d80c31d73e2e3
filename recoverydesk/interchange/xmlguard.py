"""Bound an XML document's shape before any parser sees it, and sniff its root in linear time.

Parsers and the libraries above them pay for a document's shape, not its size: gpxpy copies
elements recursively, so a 1 MB GPX file nested 100,000 deep overflows the C stack and kills
the process, and a tree of millions of tiny elements costs gigabytes. Activity files are
shallow (a GPX point with its extensions sits about 7 deep, a TCX one about 9) and hold a few
elements per recorded second, so :func:`check_shape` refuses, in one line, any document deeper
than ``MAX_DEPTH`` or with more than ``MAX_ELEMENTS`` elements.

Both are linear in the text's length whatever it holds (unterminated comments, thousands of
``<!--``, quotes in attributes): :func:`root_name` walks it with ``str.find`` and never looks
back, :func:`check_shape` makes a fixed number of regular-expression passes that never
backtrack past the next ``<``. They are a guard, not a parser: text that is not well-formed
may pass, and the real parser then refuses it.
"""

from __future__ import annotations

import re

MAX_DEPTH = 64
"""Real activity files nest fewer than 12 elements deep; gpxpy survives far more than 64."""

MAX_ELEMENTS = 1_000_000
"""About 28 hours of one-second TCX points or 80 hours of GPX points; within the memory and
time budget of one file (benchmarks/bench_hostile.py)."""

_ATTRIBUTES = r"""(?:[^<>"']|"[^"<]*"|'[^'<]*')*"""
"""A start tag's inside: its quoted values may hold ``>`` or ``/>``, never ``<``. The three
alternatives are disjoint and none crosses a ``<``, so every scan stops at the next tag."""
_EMPTY_TAG = re.compile(r"<[A-Za-z_]" + _ATTRIBUTES + r"/>")
_START_TAG = re.compile(r"<[A-Za-z_]" + _ATTRIBUTES + r">")
_END_TAG = re.compile(r"</[^<>]*>")
_NOT_A_TAG = re.compile(r"[^\x01\x02]+")
_NAME = re.compile(r"(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_SKIP = (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"))
_OPEN, _CLOSE = "\x01", "\x02"


class ShapeRefused(ValueError):
    """The document is deeper or larger than any activity file; the message says which."""


def check_shape(text: str, max_depth: int = MAX_DEPTH,
                max_elements: int = MAX_ELEMENTS) -> None:
    """Raise ShapeRefused when ``text`` nests deeper than ``max_depth`` or holds more than
    ``max_elements`` elements, or hides its tags in markup that never ends.

    Every step is one pass of a regular expression or a string method at C speed, so a
    50 MB document is judged in well under a second: comments, CDATA sections and processing
    instructions are removed (each has been checked to end, so no search runs to the end of
    the text twice), start tags become one character and end tags another, and pairs of
    those are removed from the inside out, one pass per level allowed.
    """
    if _OPEN in text or _CLOSE in text:
        raise ShapeRefused("control characters where XML allows none")
    for opener, closer in _SKIP:
        last = text.rfind(opener)
        if last >= 0 and text.rfind(closer) < last + len(opener):
            raise ShapeRefused(f"malformed XML: a '{opener}' is never closed")
        if last >= 0:
            text = re.sub(re.escape(opener) + ".*?" + re.escape(closer), "", text,
                          flags=re.DOTALL)
    if text.count("<") > 2 * max_elements + 8:
        raise ShapeRefused(f"more than {max_elements:,} XML elements; that is far more than "
                           "any activity recording holds")
    text, empty = _EMPTY_TAG.subn("", text)
    tags = _END_TAG.sub(_CLOSE, _START_TAG.sub(_OPEN, text))
    tags = _NOT_A_TAG.sub("", tags)
    if empty + tags.count(_OPEN) > max_elements:
        raise ShapeRefused(f"more than {max_elements:,} XML elements; that is far more than "
                           "any activity recording holds")
    removed = 0  # each pass removes the innermost level of every branch
    while removed < max_depth:
        shorter = tags.replace(_OPEN + _CLOSE, "")
        if len(shorter) == len(tags):
            break
        tags, removed = shorter, removed + 1
    if _OPEN not in tags:
        return
    # What is left is nested deeper than the levels removed, or never closed (cut short).
    depth = removed
    for step in tags:
        depth += 1 if step == _OPEN else -1
        if depth > max_depth:
            raise ShapeRefused(f"elements nested more than {max_depth} deep; activity "
                               "files are never nested like this")


def root_name(text: str) -> str | None:
    """The local name of the first element in ``text``, or None; linear, not a parse."""
    position = text.find("<")
    while position >= 0:
        if _is_markup(text, position):
            end = _skip_end(text, position)
            if end < 0:
                return None
            position = text.find("<", end)
            continue
        if text.startswith("</", position):
            return None
        match = _NAME.match(text, position + 1)
        return match.group(1) if match else None
    return None


def _is_markup(text: str, position: int) -> bool:
    """Whether the ``<`` at ``position`` opens something other than an element."""
    return text[position + 1:position + 2] in ("!", "?")


def _skip_end(text: str, position: int) -> int:
    """Where the comment, CDATA section, PI or declaration at ``position`` ends (-1: never)."""
    for opener, closer in (*_SKIP, ("<!", ">")):
        if text.startswith(opener, position):
            end = text.find(closer, position + len(opener))
            return end + len(closer) if end >= 0 else -1
    return -1
