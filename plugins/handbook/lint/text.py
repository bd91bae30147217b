"""Prose as the lint rules read it: Markdown turned into plain text, cut into blocks and
sentences, each with the file line it starts on.

The rules judge what a reader reads, so markup is dropped before they look: code, link targets,
HTML tags, attribute lists and template code (``{{ ... }}``) are not prose. Nothing here renders
or runs anything; it only reads text.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-+*]|\d{1,9}[.)])\s+")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_ADMONITION = re.compile(r'^\s*(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+[\w-]+)*\s*(?:"(.*)")?\s*$')
_HR = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

# Template code and code spans are cut out by ``_between``, which reads a text once whatever its
# brackets: a regular expression would read the rest of the text again for each unclosed one.
_TEMPLATE = (("{{", "}}", "N"), ("{%", "%}", " "), ("{#", "#}", " "))
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>\s]*>")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_ATTRIBUTES = re.compile(r"\{[:#.][^}]*\}")
_EMPHASIS = re.compile(r"(?<![^\W_])[*_]{1,3}|[*_]{1,3}(?![^\W_])")
_SPACE = re.compile(r"\s+")

WORD = re.compile(r"[^\W_]+(?:[-'’.,][^\W_]+)*")
# A sentence ends at . ! ? or … (and any closing quote or bracket) before a space, unless what
# follows starts in lower case and so goes on with the same sentence: "e.g. a pause".
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)")
_NEXT = re.compile(r"\s*(\S)")


@dataclass(frozen=True)
class Block:
    """A run of prose that reads as one unit: a paragraph, a list item, a heading, a table cell.
    ``line`` is its first line, counted from 0 within the text it came from."""

    line: int
    text: str
    heading: bool = False
    lines: tuple[tuple[int, int], ...] = ()  # (offset in ``text``, line) where each source line starts

    def line_at(self, offset: int) -> int:
        at = bisect.bisect_right(self.lines, (offset, float("inf"))) - 1
        return self.lines[at][1] if at >= 0 else self.line


def between(text: str, opening: str, closing: str, replacement: str) -> str:
    """``text`` with each run from ``opening`` to the next ``closing`` replaced, in one pass."""
    parts, at = [], 0
    while (start := text.find(opening, at)) >= 0:
        end = text.find(closing, start + len(opening))
        if end < 0:
            break
        parts += [text[at:start], replacement]
        at = end + len(closing)
    return "".join(parts) + text[at:]


def inline_text(markdown: str) -> str:
    """One line of Markdown as the words a reader sees."""
    text = markdown
    for opening, closing, replacement in _TEMPLATE:
        text = between(text, opening, closing, replacement)
    text = between(text, "`", "`", " ")
    text = _IMAGE.sub(lambda m: m[1], text)
    text = _LINK.sub(lambda m: m[1], text)
    text = _AUTOLINK.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _ATTRIBUTES.sub(" ", text)
    text = _EMPHASIS.sub("", text)
    text = text.replace("\\", "")
    return html.unescape(text)


def blocks(markdown: str) -> list[Block]:
    """The prose blocks of a Markdown text, in order; code and markup-only lines are left out."""
    found: list[Block] = []
    parts: list[tuple[int, str]] = []
    in_fence = False

    def close() -> None:
        if parts:
            text, lines = "", []
            for number, piece in parts:
                lines.append((len(text), number))
                text += piece + " "
            text = text.strip()
            if WORD.search(text):
                found.append(Block(parts[0][0], text, lines=tuple(lines)))
            parts.clear()

    lines = _COMMENT.sub(lambda m: "\n" * m[0].count("\n"), markdown).splitlines()
    for number, raw in enumerate(lines):
        if _FENCE.match(raw):
            close()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if not raw.strip() or _HR.match(raw) or _TABLE_RULE.match(raw) or _REFERENCE.match(raw):
            close()
            continue
        if _SETEXT.match(raw) and parts:
            close()  # the line before was a heading: it stays a block of its own
            continue
        if heading := _HEADING.match(raw):
            close()
            text = inline_text(heading[1]).strip()
            if WORD.search(text):
                found.append(Block(number, _SPACE.sub(" ", text), heading=True, lines=((0, number),)))
            continue
        if admonition := _ADMONITION.match(raw):
            close()
            if admonition[1]:
                found.append(Block(number, inline_text(admonition[1]).strip(), heading=True, lines=((0, number),)))
            continue
        line = _QUOTE.sub("", raw)
        if line.lstrip().startswith("|") or (line.count("|") >= 2 and not _LIST_ITEM.match(line)):
            close()
            for cell in line.strip().strip("|").split("|"):
                text = _SPACE.sub(" ", inline_text(cell)).strip()
                if WORD.search(text):
                    found.append(Block(number, text, lines=((0, number),)))
            continue
        if _LIST_ITEM.match(line):
            close()
            line = _LIST_ITEM.sub("", line, count=1)
        parts.append((number, _SPACE.sub(" ", inline_text(line)).strip()))
    close()
    return found


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int  # counted from 0 within the text its block came from


def sentences(block: Block) -> list[Sentence]:
    """The sentences of a block; a block without final punctuation is one sentence too."""
    text, found, start = block.text, [], 0
    for end in _SENTENCE_END.finditer(text):
        following = _NEXT.match(text, end.end())
        if following and following[1].islower():
            continue
        _add_sentence(found, block, start, end.end())
        start = end.end()
    _add_sentence(found, block, start, len(text))
    return found


def _add_sentence(found: list[Sentence], block: Block, start: int, end: int) -> None:
    piece = block.text[start:end]
    if WORD.search(piece):
        first = start + len(piece) - len(piece.lstrip())
        found.append(Sentence(piece.strip(), block.line_at(first)))


def words(text: str) -> list[str]:
    return WORD.findall(text)


def normalised(text: str) -> str:
    """Text compared for sameness: case, punctuation and spacing aside."""
    folded = unicodedata.normalize("NFKC", inline_text(text)).casefold()
    return " ".join(WORD.findall(folded))


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as whole words, any case, any spacing between its words."""
    parts = [re.escape(part) for part in phrase.split()]
    return re.compile(r"(?<![\w-])" + r"\s+".join(parts) + r"(?![\w-])", re.IGNORECASE)
