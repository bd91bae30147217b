"""Links written in contributor fields, resolved and checked as MkDocs does a page's own links.

A generated page's fields are placed into its HTML after MkDocs converted the page's Markdown, so
MkDocs never sees their links: ``../rubrics/first-rubric.md#criterion-first`` would be published
as written and lead nowhere. Here each relative link to a ``.md`` file becomes the URL of that
page, a link to no page is refused, and the anchors are checked once every page is written.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

# Fields are sanitised HTML: every link is an <a href="..."> written by Python-Markdown.
_LINK = re.compile(r'(<a\b[^>]*?\bhref=")([^"#?]*\.md)(#[^"]*)?(")')
_ID = re.compile(r'\bid="([^"]+)"')


@dataclass
class FieldLinks:
    """Links of the fields of one build, all languages, and the anchors each page holds."""

    # (language, target page URL, anchor, link as written, source of the page that links)
    anchored: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    anchors: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def reset(self) -> None:
        self.anchored.clear()
        self.anchors.clear()

    def resolve(self, html: str, page: Page, files: Files, language: str, source: str) -> tuple[str, list[str]]:
        """``html`` with its field links pointing at the pages they name; and a message for each
        link that names no page."""
        problems: list[str] = []

        def replace(match: re.Match[str]) -> str:
            written, anchor = match[2], match[3] or ""
            if "://" in written or written.startswith(("/", "mailto:")):
                return match[0]
            target_path = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), written))
            target = files.get_file_from_path(target_path)
            if target is None or not target.is_documentation_page():
                problems.append(f"the link '{written}{anchor}' leads to no page of the site "
                                f"(from {page.file.src_uri} it names {target_path})")
                return match[0]
            if anchor[1:]:
                self.anchored.append((language, target.url, anchor[1:], written + anchor, source))
            return f"{match[1]}{get_relative_url(target.url, page.url)}{anchor}{match[4]}"

        return _LINK.sub(replace, html), problems

    def record(self, output: str, page: Page, language: str) -> None:
        """The ids a written page holds, for the anchors that link to it."""
        self.anchors[(language, page.url)] = set(_ID.findall(output))

    def missing_anchors(self) -> list[tuple[str, str]]:
        """(source, message) for every field link to an anchor its page does not hold."""
        missing = []
        for language, url, anchor, written, source in self.anchored:
            ids = self.anchors.get((language, url))
            if ids is not None and anchor not in ids:
                missing.append((source, f"the link '{written}' leads to no '#{anchor}' on that page"
                                        f"{f' (in its {language} version)' if language else ''}"))
        return missing
