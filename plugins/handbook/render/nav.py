"""Place generated pages in the navigation written in mkdocs.yml, and say which page each section
written there opens."""

from __future__ import annotations

from typing import Any

from handbook.model.handbook import Handbook
from handbook.render.pages import OVERVIEW, RUBRIC_INDEX, page_path


def expand_nav(nav: list[Any], handbook: Handbook) -> list[Any]:
    """Return ``nav`` with competencies (grouped by domain) after the framework overview and
    rubrics after the rubric index, wherever those index pages appear."""
    additions: dict[str, list[Any]] = {
        OVERVIEW: [{domain.title: [page_path(c) for c in handbook.competencies_in(domain)]}
                   for domain in handbook.framework.domains if handbook.competencies_in(domain)],
        RUBRIC_INDEX: [page_path(r) for r in handbook.rubrics.values()],
    }
    return _expand(nav, additions)


def _expand(items: list[Any], additions: dict[str, list[Any]]) -> list[Any]:
    result: list[Any] = []
    for item in items:
        if isinstance(item, dict) and len(item) == 1:
            (title, value), = item.items()
            if isinstance(value, list):
                result.append({title: _expand(value, additions)})
                continue
            item_path = value
        else:
            item_path = item
        result.append(item)
        if isinstance(item_path, str):
            result.extend(additions.get(item_path, []))
    return result


def section_pages(nav: list[Any]) -> set[str]:
    """The page each section of ``nav`` (as written in mkdocs.yml) opens: its first entry, when that
    is a page. The sections added here (the domains) open none: their label only folds and unfolds."""
    pages: set[str] = set()
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else None
        if isinstance(value, list):
            first = _page_of(value[0]) if value else None
            if first is not None:
                pages.add(first)
            pages |= section_pages(value)
    return pages


def _page_of(entry: Any) -> str | None:
    """The page a navigation entry names ("x.md" or {"Title": "x.md"}), or None for a section or link."""
    if isinstance(entry, dict) and len(entry) == 1:
        entry = next(iter(entry.values()))
    return entry if isinstance(entry, str) and "://" not in entry else None
