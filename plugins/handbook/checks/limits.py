"""Bounded work: refuse the Markdown that Python-Markdown could render only slowly, or not at all.

Several of its paths do work that grows with the product of two sizes, or with the square of one:
each unclosed '[' makes the link parser read the rest of its paragraph, each '<' that starts a tag
makes the raw-HTML parser read on to the next '>' (across paragraphs), each heading makes the
table of contents compare ids with every earlier one, and every level of list or quote nesting
recurses (RecursionError some 400 levels down in a build). A field or a case body is checked
against the caps below before it is rendered; each cap is set so that the worst text it lets
through renders in well under a second.

Figures: Python-Markdown 3.11, Python 3.11, the site's extensions (tables, attr_list, admonition,
toc, pymdownx.details, pymdownx.superfences), one core of the 2-core build machine, best of two
runs. The slowest texts found within the caps: 20,000 characters of one-character paragraphs 0.2 s,
of 32-deep one-line lists 0.3 s, of dense emphasis 0.1 s (the plain cost of that many elements);
100 unclosed '<a' before the rest of the text 0.09 s; 32 levels of lists or quotes with the rest
inside 0.05 s; 100 identical headings 0.09 s; unclosed '[' up to the scan cap 0.08 s; all of these
in one text 0.4-0.6 s. Beyond the caps, for comparison: 8,000 lines of '<a' 5.9 s; 100 unclosed
'[' before 32,000 characters 1.2 s, 500 before 50,000 10 s; 8,000 empty headings 17 s; a list
nested 400 deep by indentation 5 s, then a RecursionError; 25,000 emphasised words (100 KB) 4.5 s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TEXT_CHARS = 20_000  # a field or a case body; the longest in the library is some 4,300
MAX_NESTING = 32  # levels of lists, block quotes, admonitions and details; builds recurse ~400 deep
MAX_HEADINGS = 100
MAX_ANGLE_BRACKETS = 100  # '<' in one text: the raw-HTML parser works on the text as a whole
MAX_LINK_BRACKETS = 500  # '[' in one paragraph
MAX_BRACKET_DEPTH = 32
MAX_BRACKET_SCAN = 250_000  # characters the link parser reads to match the '[' of one paragraph

# What opens a level of nesting at the start of a line, after its indentation: a quote, a list
# item, a definition, an admonition, a details block or a content tab.
_OPENER = re.compile(r">|[-+*:](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)|!!!|\?\?\?\+?|===(?=[ \t]|$)")
_SPACE = re.compile(r"[ \t]+")
_SETEXT = re.compile(r"(=+|-+)[ \t]*$")
_BRACKET = re.compile(r"[\[\]]")


@dataclass(frozen=True)
class Excess:
    """The first cap a text goes beyond: on which of its lines (0 for the first), and why."""

    line: int
    message: str


def beyond_limits(text: str) -> str | None:
    """Why Markdown could not render ``text`` in bounded time, said plainly, or None."""
    excess = first_excess(text)
    return excess.message if excess else None


def first_excess(text: str) -> Excess | None:
    """The first cap ``text`` goes beyond, with the line where it does, or None."""
    # The particular causes first, then the length itself; only as much text is read as the
    # length allows, so that checking is cheap whatever the text.
    lines = text[: MAX_TEXT_CHARS + 1].splitlines()
    if excess := _in_lines(lines) or _in_paragraphs(lines):
        return excess
    if len(text) > MAX_TEXT_CHARS:
        return Excess(_line_at(lines, MAX_TEXT_CHARS),
                      f"the text is {len(text):,} characters long; a field or case body may have at most "
                      f"{MAX_TEXT_CHARS:,}: shorten it")
    return None


def page_excess(text: str) -> Excess | None:
    """As ``first_excess``, for a whole hand-written page: every cap but the length."""
    lines = text.splitlines()
    return _in_lines(lines) or _in_paragraphs(lines)


def _line_at(lines: list[str], offset: int) -> int:
    """The line holding character ``offset`` (counting one line break per line)."""
    for number, line in enumerate(lines):
        offset -= len(line) + 1
        if offset < 0:
            return number
    return max(len(lines) - 1, 0)


def _in_lines(lines: list[str]) -> Excess | None:
    """Nesting, headings and '<', which the block parser meets line by line."""
    headings = angles = 0
    previous_blank = True
    for number, line in enumerate(lines):
        level, rest = _nesting(line)
        if level > MAX_NESTING:
            return Excess(number, f"lists or quotes nested more than {MAX_NESTING} levels deep; flatten them")
        if rest.startswith("#") or (not previous_blank and _SETEXT.match(rest)):
            headings += 1
            if headings > MAX_HEADINGS:
                return Excess(number, f"more than {MAX_HEADINGS} headings in one text; split it up")
        angles += line.count("<")
        if angles > MAX_ANGLE_BRACKETS:
            return Excess(number, f"more than {MAX_ANGLE_BRACKETS} '<' in one text; write Markdown rather than "
                                  "raw HTML, and &lt; for a '<' meant as text")
        previous_blank = not line.strip()
    return None


def _nesting(line: str) -> tuple[int, str]:
    """How many levels a line's openers (and the indentation before and between them) open,
    as an upper bound, and what follows them. A line without an opener opens none."""
    level, openers, at = 0, 0, 0
    while token := _SPACE.match(line, at) or _OPENER.match(line, at):
        if token.group()[0] in " \t":
            level += len(token.group().expandtabs(4)) // 4
        else:
            level, openers = level + 1, openers + 1
        at = token.end()
    return (level if openers else 0), line[at:]


def _in_paragraphs(lines: list[str]) -> Excess | None:
    """The link parser's brackets, which it matches within one paragraph at a time."""
    start = 0
    for number, line in enumerate([*lines, ""]):
        if not line.strip():
            if number > start and (excess := _brackets(lines[start:number], start)):
                return excess
            start = number + 1
    return None


def _brackets(paragraph: list[str], first: int) -> Excess | None:
    """Each '[' makes the link parser read on to its matching ']', or to the end of the
    paragraph if there is none: the sum of those reads is the work to bound."""
    count = 0
    for number, line in enumerate(paragraph, first):
        count += line.count("[")
        if count > MAX_LINK_BRACKETS:
            return Excess(number, f"more than {MAX_LINK_BRACKETS} '[' in one paragraph; split it up")
    opened: list[tuple[int, int]] = []  # (offset in the paragraph, line) of each '[' still open
    scanned = offset = 0
    for number, line in enumerate(paragraph, first):
        for bracket in _BRACKET.finditer(line):
            at = offset + bracket.start()
            if bracket.group() == "[":
                opened.append((at, number))
                if len(opened) > MAX_BRACKET_DEPTH:
                    return Excess(number, f"square brackets nested more than {MAX_BRACKET_DEPTH} deep")
            elif opened:
                scanned += at - opened.pop()[0]
        offset += len(line) + 1
    scanned += sum(offset - at for at, _ in opened)
    if scanned > MAX_BRACKET_SCAN:
        line = opened[0][1] if opened else first
        return Excess(line, "too many '[' without a matching ']' in one paragraph for Markdown to read in "
                            "bounded time: close them, or write \\[ for a '[' meant as text")
    return None
