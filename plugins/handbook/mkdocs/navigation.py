"""Navigation that tells the truth: each section's label opens the section's own page, and a page
reached from a listing (a case, from the case library) shows where it belongs.

With Material's ``navigation.indexes`` a section's label opens the first of its pages that MkDocs
calls an index (a file named ``index.md``), wherever it stands in the section: "Governance" would
open the release notes, and "Assessment" the rubric list. Here the page a section opens is its first
entry as mkdocs.yml writes it (``handbook.render.nav.section_pages``), which is also the page Material's
breadcrumbs (``navigation.path``) lead to; any other ``index.md`` in the section is listed as one of
its pages. MkDocs decides "index" from the file name only (``Page.is_index``), so the pages concerned
get a subclass that says otherwise; nothing else about them changes.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page


class _SectionPage(Page):
    """The page its section's label opens."""

    @property
    def is_index(self) -> bool:
        return True


class _ListedPage(Page):
    """A page named index.md that its section lists among its pages."""

    @property
    def is_index(self) -> bool:
        return False


def source_path(page: Page) -> str:
    """The page's path under the docs folder, as mkdocs.yml names it (without a language suffix)."""
    return getattr(page.file, "norm_src_uri", None) or page.file.src_uri


def open_sections_at_their_pages(items: list[Any], section_pages: set[str]) -> None:
    """Make each section of ``items`` open the page ``section_pages`` names for it (its first entry),
    or, for a section that has none, no page at all."""
    for item in items:
        if not isinstance(item, Section):
            continue
        for number, child in enumerate(item.children):
            if not isinstance(child, Page):
                continue
            if number == 0 and source_path(child) in section_pages:
                child.__class__ = _SectionPage
            elif child.is_index:
                child.__class__ = _ListedPage
        open_sections_at_their_pages(item.children, section_pages)


def place_under(nav: Navigation, files: Files, listing: str, folder: str) -> None:
    """Give each page of ``folder`` that the navigation leaves out the listing page (``listing``, if
    the navigation has it) as its place: the listing is highlighted in the navigation and the
    breadcrumbs lead to it."""
    parent = next((page for page in nav.pages if source_path(page) == listing), None)
    if parent is None:
        return
    for file in files.documentation_pages():
        page = file.page
        if (page is not None and page is not parent and page.parent is None and page not in nav.pages
                and source_path(page).startswith(folder)):
            page.parent = parent
