"""Each contributor field is rendered to HTML once, on its own, and placed in the page as is.

A generated page is Markdown (its headings give the table of contents and the anchors), but a
field's text never becomes part of that Markdown: folded into a list item or a table row, four
leading spaces or a stray backtick would mean something else than when the field was checked.
Templates put a placeholder where a field goes; once the page's Markdown is HTML, each
placeholder is replaced by the field's own HTML, the very HTML the checks saw. Titles and other
one-line names are written as plain text, every Markdown character escaped.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Callable, Iterable

_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
# Python-Markdown's backslash escapes (the tables extension adds "|").
_MARKDOWN_CHARACTERS = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_LINE_SPACE = re.compile(r"[ \t\n\r\f\v]+")


class FieldStore:
    """The HTML of the fields placed in one language's pages, by placeholder."""

    def __init__(self, render: Callable[[str], str]) -> None:
        self._render = render
        self._nonce = secrets.token_hex(6)
        self._html: list[str] = []
        self._pattern = re.compile(rf"(<p>)?hbf{self._nonce}n(\d+)x(</p>)?")
        # Set while an item shown in another language's page is rendered: ('en', 'ltr').
        self.fallback: tuple[str, str] | None = None

    def _placeholder(self, fragment: str, *, block: bool = True) -> str:
        if self.fallback is not None and fragment:
            tag = "div" if block else "span"
            fragment = f'<{tag} lang="{self.fallback[0]}" dir="{self.fallback[1]}">{fragment}</{tag}>'
        self._html.append(fragment)
        return f"hbf{self._nonce}n{len(self._html) - 1}x"

    def block(self, text: str) -> str:
        """A placeholder for ``text`` rendered as block content (paragraphs, lists...)."""
        return self._placeholder(self._render(str(text)))

    def inline(self, text: str) -> str:
        """A placeholder for ``text`` in running text: one paragraph loses its ``<p>``."""
        fragment = inline_html(self._render(str(text)))
        return self._placeholder(fragment, block=fragment.lstrip().startswith(("<ul", "<ol", "<pre", "<div", "<p")))

    def items(self, texts: Iterable[str]) -> str:
        """A placeholder for a bulleted list of fields, each rendered on its own."""
        entries = "".join(f"<li>{inline_html(self._render(str(text)))}</li>" for text in texts)
        return self._placeholder(f"<ul>{entries}</ul>" if entries else "")

    def structure(self, fragment: str) -> str:
        """A placeholder for a piece of the template's own HTML (never a contributor's), such as
        the opening or closing tag of a block that keeps a criterion together on paper."""
        self._html.append(fragment)
        return f"hbf{self._nonce}n{len(self._html) - 1}x"

    def plain(self, text: str) -> str:
        """The text of a title or name as it reads in a line of running text (block syntax such
        as a leading '#' means nothing there), escaped for any Markdown context on one line."""
        line = _LINE_SPACE.sub(" ", str(text)).strip()
        shown = plain_text(self._render(f"x {line}")).removeprefix("x").strip() if line else ""
        return markdown_text(shown)

    def place(self, page_html: str) -> str:
        """The page's HTML with every placeholder replaced by its field's HTML."""
        def replace(match: re.Match[str]) -> str:
            fragment = self._html[int(match[2])]
            if match[1] and match[3]:
                return fragment
            return (match[1] or "") + fragment + (match[3] or "")
        return self._pattern.sub(replace, page_html)


def inline_html(fragment: str) -> str:
    """One paragraph as running text; anything else (a list, a code block) stays a block."""
    match = _PARAGRAPH.match(fragment.strip())
    return match[1] if match and "<p>" not in match[1] else fragment


def plain_text(fragment: str) -> str:
    """The visible text of an HTML fragment, on one line."""
    return _LINE_SPACE.sub(" ", html.unescape(_TAG.sub(" ", fragment))).strip()


def markdown_text(text: str) -> str:
    """Plain text that Markdown shows exactly as written, wherever it stands on a line."""
    escaped = html.escape(_LINE_SPACE.sub(" ", text).strip(), quote=False)
    return _MARKDOWN_CHARACTERS.sub(r"\\\1", escaped)
