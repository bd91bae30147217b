"""The case library's filters: the plain data its script filters the server-rendered list with, and
the tags that put that data and the script into the finished library and case pages.

The library page is the full list of cases whatever happens in the browser (its content is checked like
every page's and holds no form controls); ``assets/case-library.js`` builds the filters from a JSON
data block added to the final page, after the content checks and the content security policy, and only
hides the rows that do not match. A block of type ``application/json`` never runs and the script is a
file of the site itself ('self'); the data is embedded in the page, so filtering works from ``file://``
too. Every text in the data is plain text, which the script inserts with ``textContent`` only.

The groups are the program's own: every facet the framework declares, in its order, then the
competencies, the target level and the roles. Nothing here names a facet, level, role or language of
any program: all of it comes from the model and the labels. A group's key is what the query string
says (``?<key>=<option id>``, repeated for several options); a facet whose id is one of the fixed
groups' keys gets ``facet-`` before it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from typing import Any

from handbook.model.handbook import Handbook
from handbook.render.fields import plain_text
from handbook.render.pages import page_path
from handbook.render.self_assessment import json_block

SCRIPT = "assets/handbook/case-library.js"
DATA_ID = "hb-case-library-data"
CONTAINER_ID = "hb-case-filters"
LABEL_PREFIX = "cl_"
# The groups every program has, after its facets: the query string's keys for them.
COMPETENCY, LEVEL, ROLE = "competency", "level", "role"
_FIXED = (COMPETENCY, LEVEL, ROLE)
_LINE_SPACE = re.compile(r"\s+")
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


def _line(render: Callable[[str], str], text: str) -> str:
    """A title or name as plain text, as it reads in a line (block syntax means nothing there)."""
    line = _LINE_SPACE.sub(" ", str(text)).strip()
    return plain_text(render(f"x {line}")).removeprefix("x").strip() if line else ""


def facet_key(facet_id: str) -> str:
    """The query-string key of a facet's group."""
    return f"facet-{facet_id}" if facet_id in _FIXED else facet_id


def library_data(handbook: Handbook, labels: Mapping[str, str], render: Callable[[str], str],
                 url_of: Callable[[str], str]) -> dict[str, Any]:
    """What the case library's filters need, in the handbook's language. ``url_of`` gives the address
    of a generated page (its path under the docs folder, ``cases/<id>.md``) relative to the library.
    Options no case has are left out: ticking one could only ever show nothing."""
    fw = handbook.framework
    cases = list(handbook.cases.values())
    used: dict[str, set[str]] = {}

    def note(key: str, ids: list[str]) -> list[str]:
        used.setdefault(key, set()).update(ids)
        return ids

    entries = []
    for case in cases:
        entries.append({
            "id": case.id,
            "title": _line(render, case.title),
            "url": url_of(page_path(case)),
            "facets": {facet.id: note(facet_key(facet.id), [value.id for value in case.facets.get(facet.id, [])])
                       for facet in fw.facets},
            "competencies": note(COMPETENCY, list(case.competencies)),
            "level": note(LEVEL, [case.level.id])[0],
            "roles": note(ROLE, [role.id for role in case.roles]),
        })

    def group(key: str, kind: str, title: str, options: list[tuple[str, str]], facet: str | None = None,
              multiple: bool = False) -> dict[str, Any]:
        return {"key": key, "kind": kind, "facet": facet, "title": _line(render, title), "multiple": multiple,
                "options": [{"id": option_id, "title": _line(render, option_title)}
                            for option_id, option_title in options if option_id in used.get(key, ())]}

    groups = [group(facet_key(facet.id), "facet", facet.title,
                    [(value.id, value.title) for value in facet.values.values()], facet.id, facet.multiple)
              for facet in fw.facets]
    competencies = [c for domain in fw.domains for c in handbook.competencies_in(domain)]
    competencies += [c for c in handbook.competencies.values() if c not in competencies]
    groups.append(group(COMPETENCY, "competencies", labels["competencies"],
                        [(c.id, c.title) for c in competencies], multiple=True))
    groups.append(group(LEVEL, "level", labels["target_level"], [(level.id, level.name) for level in fw.levels]))
    groups.append(group(ROLE, "roles", labels["roles"], [(role.id, role.title) for role in fw.roles.values()],
                        multiple=True))
    return {
        "format": 1,
        "program": fw.id,
        "language": handbook.language or fw.default_language,
        "groups": [g for g in groups if g["options"]],
        "cases": entries,
        "labels": {key.removeprefix(LABEL_PREFIX): str(value) for key, value in labels.items()
                   if key.startswith(LABEL_PREFIX)},
    }


def script_tag(root_url: str) -> str:
    root = root_url.rstrip("/") or "."
    return f'<script src="{html.escape(f"{root}/{SCRIPT}")}" defer></script>'


def _at_body_end(page_html: str, tags: str) -> str:
    ends = list(_BODY_END.finditer(page_html))
    if not ends:
        return page_html
    at = ends[-1].start()
    return page_html[:at] + tags + page_html[at:]


def with_filters(page_html: str, data: Mapping[str, Any], root_url: str) -> str:
    """The finished library page with the filters' data and script at the end of its body (``root_url``
    is the way back to the site root, as MkDocs writes ``base_url``); a page without the filters'
    container is left as it is."""
    if f'id="{CONTAINER_ID}"' not in page_html:
        return page_html
    block = f'<script type="application/json" id="{DATA_ID}">{json_block(data)}</script>'
    return _at_body_end(page_html, block + script_tag(root_url))


def with_case_links(page_html: str, root_url: str) -> str:
    """A finished case page with the script that keeps the library's filters on its way back (and
    its previous and next cases within them); a page without the case links is left as it is."""
    if 'class="hb-case-nav"' not in page_html:
        return page_html
    return _at_body_end(page_html, script_tag(root_url))
