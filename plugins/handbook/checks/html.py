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
from html import escape
from html.parser import HTMLParser
from typing import Any

import markdown
import nh3

from handbook.checks.limits import beyond_limits
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
_EXTERNAL = re.compile(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*:|//|\\\\)")
# Text made only of these renders as one paragraph of itself: no need to run Markdown.
_PLAIN = re.compile(r"(?![-+*>#=\d\s])(?:[^\W_]|[ ,;:'\"?%/()’“”«»¿¡—–-])*[.?!]?")


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


class MarkupError(ValueError):
    """Text that Python-Markdown cannot turn into HTML at all."""


class HtmlChecker:
    """Renders contributor text with the site's Markdown set-up and checks the HTML it makes.

    Each distinct text is rendered once: the pages place the very HTML that was checked, so
    what a reviewer approved is what readers get, whatever the page around it.
    """

    def __init__(self, extensions: list[Any] | None = None, configs: dict[str, Any] | None = None, *,
                 external_images: bool = False) -> None:
        self._markdown = markdown.Markdown(extensions=extensions or DEFAULT_EXTENSIONS,
                                           extension_configs=configs or {})
        self.external_images = external_images
        self._rendered: dict[str, str] = {}

    def render(self, text: str) -> str:
        """``text`` as HTML, exactly as the site's Markdown makes it; raises ``MarkupError``."""
        html = self._rendered.get(text)
        if html is None:
            if _PLAIN.fullmatch(text):
                html = f"<p>{escape(text.strip(), quote=False)}</p>" if text.strip() else ""
            else:
                try:
                    html = self._markdown.reset().convert(text)
                except (RecursionError, ValueError, IndexError) as error:
                    raise MarkupError(f"could not be read as Markdown ({type(error).__name__}); "
                                      "simplify the markup") from None
            self._rendered[text] = html
        return html

    def disallowed(self, text: str) -> str | None:
        """What in ``text`` is outside the allowlist, said plainly, or None."""
        if (too_much := beyond_limits(text)) is not None:
            return too_much
        # Text without these makes only Markdown's own, allowed, elements: rendered when a page
        # places it, not here (validation stays fast).
        if not _MAY_HOLD_MARKUP.search(_HEADING_ID.sub("", text)):
            return None
        try:
            html = self.render(text)
        except MarkupError as error:
            return str(error)
        return disallowed_html(html, external_images=self.external_images)

    def check(self, document: Document) -> list[Problem]:
        problems = [document.located.problem(path, message)
                    for path, text in _strings(document.located.data, ())
                    if (message := self.disallowed(text))]
        if document.body and (message := self.disallowed(document.body)):
            problems.append(Problem(document.source, _line_of(document, message), 1, "body", message))
        return problems


def disallowed_html(html: str, *, external_images: bool = False) -> str | None:
    """What in an HTML fragment is outside the allowlist, said plainly, or None."""
    cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                        link_rel=None, strip_comments=False,
                        attribute_filter=_allowed_values if external_images else _allowed_local_values)
    removed = _Elements(html).found - _Elements(cleaned).found
    if not removed:
        return None
    tag, attribute, value = sorted(removed, key=lambda item: (item[1] != "", item))[0]
    if not attribute:
        return f"raw HTML <{tag}> is not allowed; write Markdown instead"
    if tag == "img" and attribute == "src" and _EXTERNAL.match(value):
        return (f"the external image '{value}' is not allowed (the site's security policy would block it): "
                "put the image in docs/ and link it relatively")
    if attribute in ("href", "src"):
        return f"the link '{value}' is not allowed: use http, https, mailto or a relative link"
    return f"the HTML attribute '{attribute}' on <{tag}> is not allowed"


def _allowed_values(tag: str, attribute: str, value: str) -> str | None:
    """Markdown tables align cells with a style; no other style gets through."""
    if attribute == "style":
        return value if _ALIGN_STYLE.fullmatch(value.strip()) else None
    return value


def _allowed_local_values(tag: str, attribute: str, value: str) -> str | None:
    """As ``_allowed_values``, and images come from the site itself: the policy allows no other."""
    if tag == "img" and attribute == "src" and _EXTERNAL.match(value):
        return None
    return _allowed_values(tag, attribute, value)


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
    return document.body_line + (line_offset(document.body, message) or 0)


def line_offset(text: str, message: str) -> int | None:
    """Which line of ``text`` (0 for the first) holds what ``message`` names, if it can be found."""
    quoted = re.findall(r"<(\w+)>|'([^']+)'", message)
    needles = [f"<{tag}" if tag else value for tag, value in quoted]
    for offset, line in enumerate(text.splitlines()):
        if any(needle.lower() in line.lower() for needle in needles):
            return offset
    return None
