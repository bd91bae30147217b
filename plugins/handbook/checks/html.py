"""Contributor text may be Markdown, never script: raw HTML and links are held to an allowlist.

Every text field and case body that could hold markup is rendered with the site's Markdown
extensions and passed through nh3 with the allowlist below. If nh3 would have removed anything
(a tag, an attribute, a link with another scheme), the content is refused with the field named:
a silent clean-up would publish something other than what was reviewed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import markdown
import nh3

from handbook.sources.documents import Document
from handbook.sources.problems import Problem
from handbook.sources.strict_yaml import Path as ValuePath

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href"}, "img": {"src", "alt", "width", "height"}, "td": {"align", "style"}, "th": {"align", "style"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
DEFAULT_EXTENSIONS = ["tables", "attr_list", "admonition", "pymdownx.details", "pymdownx.superfences"]
# Text without these cannot turn into anything but Markdown's own, allowed, elements.
_MAY_HOLD_MARKUP = re.compile(r"[<{&]|\]\(|\]:")
# A heading's own id ("## Debrief {#debrief}") sets nothing but an id.
_HEADING_ID = re.compile(r"\{#[\w-]+\}[ \t]*$", re.MULTILINE)
_ALIGN_STYLE = re.compile(r"text-align: (left|right|center);?")


class _Elements(HTMLParser):
    """The tags and attributes of an HTML fragment, whatever its formatting."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Counter[tuple[str, str, str]] = Counter()
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found[(tag, "", "")] += 1
        for name, value in attrs:
            self.found[(tag, name, value or "")] += 1

    handle_startendtag = handle_starttag


class HtmlChecker:
    """Checks contributor text with one Markdown set-up (the site's extensions)."""

    def __init__(self, extensions: list[Any] | None = None, configs: dict[str, Any] | None = None) -> None:
        self._markdown = markdown.Markdown(extensions=extensions or DEFAULT_EXTENSIONS,
                                           extension_configs=configs or {})

    def disallowed(self, text: str) -> str | None:
        """What in ``text`` is outside the allowlist, said plainly, or None."""
        if not _MAY_HOLD_MARKUP.search(_HEADING_ID.sub("", text)):
            return None
        if (too_much := _beyond_limits(text)) is not None:
            return too_much
        try:
            html = self._markdown.reset().convert(text)
        except (RecursionError, ValueError, IndexError) as error:
            return f"could not be read as Markdown ({type(error).__name__}); simplify the markup"
        cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                            link_rel=None, strip_comments=False, attribute_filter=_only_alignment_styles)
        removed = _Elements(html).found - _Elements(cleaned).found
        if not removed:
            return None
        tag, attribute, value = sorted(removed, key=lambda item: (item[1] != "", item))[0]
        if not attribute:
            return f"raw HTML <{tag}> is not allowed; write Markdown instead"
        if attribute in ("href", "src"):
            return (f"the link '{value}' is not allowed: use http, https, mailto or a relative link")
        return f"the HTML attribute '{attribute}' on <{tag}> is not allowed"

    def check(self, document: Document) -> list[Problem]:
        problems = [document.located.problem(path, message)
                    for path, text in _strings(document.located.data, ())
                    if (message := self.disallowed(text))]
        if document.body and (message := self.disallowed(document.body)):
            problems.append(Problem(document.source, _line_of(document, message), 1, "body", message))
        return problems


MAX_LINK_BRACKETS = 500
MAX_BRACKET_DEPTH = 32


def _beyond_limits(text: str) -> str | None:
    """Markdown's link parser slows down with the square of the brackets in a paragraph:
    refuse what no real text needs, so that a build always ends in bounded time."""
    for paragraph in re.split(r"\n\s*\n", text):
        if paragraph.count("[") > MAX_LINK_BRACKETS:
            return f"more than {MAX_LINK_BRACKETS} '[' in one paragraph; split it up"
        depth = deepest = 0
        for character in paragraph:
            depth = depth + 1 if character == "[" else max(depth - 1, 0) if character == "]" else depth
            deepest = max(deepest, depth)
        if deepest > MAX_BRACKET_DEPTH:
            return f"square brackets nested more than {MAX_BRACKET_DEPTH} deep"
    return None


def _only_alignment_styles(tag: str, attribute: str, value: str) -> str | None:
    """Markdown tables align cells with a style; no other style gets through."""
    if attribute == "style":
        return value if _ALIGN_STYLE.fullmatch(value.strip()) else None
    return value


def _strings(value: Any, path: ValuePath) -> Iterator[tuple[ValuePath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _line_of(document: Document, message: str) -> int:
    """The body line that holds the offending tag, attribute or link, as near as we can tell."""
    quoted = re.findall(r"<(\w+)>|'([^']+)'", message)
    needles = [f"<{tag}" if tag else text for tag, text in quoted]
    for offset, line in enumerate(document.body.splitlines()):
        if any(needle.lower() in line.lower() for needle in needles):
            return document.body_line + offset
    return document.body_line
