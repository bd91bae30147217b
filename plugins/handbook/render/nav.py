"""Place generated pages in the navigation written in mkdocs.yml."""

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
