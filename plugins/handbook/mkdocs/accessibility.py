"""Accessible names and keyboard access the theme's pages lack, added to each finished page.

Material writes its search dialog without a name, the toggles of navigation sections that have
an index page as an icon only (so each section's navigation landmark is named by nothing, and all
of them alike), names its breadcrumbs as it names the main navigation, and leaves wide tables to
scroll in a region the keyboard cannot reach. Every fix takes its words from the page itself (the
theme's own translations, the page's headings) or from the handbook's labels, so it holds in every
language; none adds a script, so the page's security policy is unchanged.
"""

from __future__ import annotations

import html as html_text
import re

_SEARCH_DIALOG = re.compile(r'<div class="md-search"(?P<attrs>[^>]*\brole="dialog"[^>]*)>')
_SEARCH_INPUT = re.compile(r'<input[^>]*\bclass="md-search__input"[^>]*>')
_ATTRIBUTE = r'\b{name}="(?P<value>[^"]*)"'
# A section's title in the navigation, and the toggle that names its landmark.
_NAV_TITLE = re.compile(r'<label class="md-nav__title" for="(?P<for>[^"]+)">(?P<body>.*?)</label>', re.DOTALL)
_NAV_TOGGLE = re.compile(r'<label (?P<attrs>class="md-nav__link[^"]*" for="(?P<for>[^"]+)" id="[^"]+"[^>]*)>'
                         r'(?P<body>(?:(?!</label>).)*)</label>', re.DOTALL)
_BREADCRUMBS = re.compile(r'<nav class="md-path" aria-label="[^"]*"')
_TAG = re.compile(r"<[^>]*>")
_HEADING = re.compile(r"<h(?P<level>[1-6])\b[^>]*>(?P<body>.*?)</h(?P=level)>", re.DOTALL)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_TABLE_TAG = re.compile(r"<(?P<end>/?)table\b[^>]*>", re.IGNORECASE)
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">')


def _text(fragment: str) -> str:
    return " ".join(html_text.unescape(_TAG.sub(" ", fragment)).split())


def _attribute(tag: str, name: str) -> str | None:
    match = re.search(_ATTRIBUTE.format(name=re.escape(name)), tag)
    return html_text.unescape(match["value"]) if match else None


def _quoted(text: str) -> str:
    return html_text.escape(text, quote=True)


def named_search_dialog(page_html: str) -> str:
    """Material's search dialog, named as its search field is (in the theme's language)."""
    dialog, field = _SEARCH_DIALOG.search(page_html), _SEARCH_INPUT.search(page_html)
    if dialog is None or field is None or "aria-label=" in dialog["attrs"]:
        return page_html
    name = _attribute(field[0], "aria-label") or _attribute(field[0], "placeholder")
    if not name:
        return page_html
    named = f'<div class="md-search"{dialog["attrs"]} aria-label="{_quoted(name)}">'
    return page_html[: dialog.start()] + named + page_html[dialog.end():]


def named_navigation_sections(page_html: str) -> str:
    """Name each section toggle that shows only an icon with its section's title: it names the
    section's navigation landmark (``aria-labelledby``) and is a control of its own."""
    titles = {match["for"]: _text(match["body"]) for match in _NAV_TITLE.finditer(page_html)}

    def name(match: re.Match[str]) -> str:
        title = titles.get(match["for"])
        if not title or _text(match["body"]) or "aria-label=" in match["attrs"]:
            return match[0]
        return f'<label {match["attrs"]} aria-label="{_quoted(title)}">{match["body"]}</label>'

    return _NAV_TOGGLE.sub(name, page_html)


def named_breadcrumbs(page_html: str, name: str) -> str:
    """The breadcrumbs (``navigation.path``) named apart from the main navigation, which the theme
    gives the same name."""
    if not name:
        return page_html
    return _BREADCRUMBS.sub(f'<nav class="md-path" aria-label="{_quoted(name)}"', page_html, count=1)


def focusable_tables(page_html: str, fallback_name: str = "") -> str:
    """Wrap every table of the page's content in a region the keyboard can reach and scroll,
    named after the heading the table stands under (or ``fallback_name``). Material wraps each
    table in its own scrolling box once the page loads; the handbook's stylesheet lets this
    region scroll instead."""
    article = _ARTICLE.search(page_html)
    if article is None:
        return page_html
    end = page_html.find("</article>", article.end())
    end = len(page_html) if end < 0 else end
    out: list[str] = [page_html[: article.end()]]
    position, depth = article.end(), 0
    headings = list(_HEADING.finditer(page_html, article.end(), end))
    for tag in _TABLE_TAG.finditer(page_html, article.end(), end):
        if tag["end"]:
            if depth == 0:
                continue  # a stray end tag
            depth -= 1
            if depth == 0:
                out.append(page_html[position: tag.end()] + "</div>")
                position = tag.end()
            continue
        depth += 1
        if depth > 1:
            continue
        above = [h for h in headings if h.end() <= tag.start()]
        heading = _text(_HEADERLINK.sub("", above[-1]["body"])) if above else fallback_name
        region = f'<div class="hb-table" role="region" tabindex="0"{_name(heading)}>'
        out.append(page_html[position: tag.start()] + region)
        position = tag.start()
    if depth:  # an unclosed table: leave the page as the theme wrote it
        return page_html
    out.append(page_html[position:])
    return "".join(out)


def _name(text: str) -> str:
    return f' aria-label="{_quoted(text)}"' if text else ""


def accessible(page_html: str, title: str = "", breadcrumbs: str = "") -> str:
    """Every fix above, for one finished page: ``title`` (the page's) names a table under no
    heading, ``breadcrumbs`` the breadcrumbs."""
    page_html = named_breadcrumbs(named_navigation_sections(named_search_dialog(page_html)), breadcrumbs)
    return focusable_tables(page_html, title)
