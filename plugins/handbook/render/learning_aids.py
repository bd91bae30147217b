"""Learning aids: the learner's and the mentor's view of a case, and knowledge checks.

A case section the framework writes for a narrower audience than everyone (``audience`` in
``case_sections``) is published folded away in a ``<details>`` block of its own, labelled for that
audience, left out of the learner's search and of a learner's print; every such section is also
gathered on one page per audience (``<audience>/index.md``), which search leaves out too. Nothing
here names a section, an audience's words or a language: sections come from the framework, words
from the labels.

The pages' content holds only allowed HTML (``<details>``, lists, paragraphs). The scripts
(``assets/mentor-view.js``, ``assets/knowledge-checks.js``) are files of the site itself, added to
the finished page after the content checks and the security policy with one JSON data block of
labels, which never runs; they insert text with ``textContent`` and copy the page's own, checked,
nodes. Without them every note, option and piece of feedback can still be read.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

from handbook.i18n import formatting
from handbook.model.handbook import EVERYONE, Handbook
from handbook.render.fields import FieldStore
from handbook.render.self_assessment import json_block

MENTOR_SCRIPT = "assets/handbook/mentor-view.js"
CHECKS_SCRIPT = "assets/handbook/knowledge-checks.js"
SCRIPTS = (MENTOR_SCRIPT, CHECKS_SCRIPT)
DATA_ID = "hb-learning-aids-data"
# The classes the templates write and the scripts look for.
AUDIENCE_BLOCK = "hb-mentor-block"
KNOWLEDGE_CHECK = "hb-knowledge-check"
# The labels the scripts need, by key in the locale files.
SCRIPT_LABELS = ("mentor_show", "mentor_hide", "kc_check", "kc_correct", "kc_not_quite", "kc_choose")
_UNSEARCHABLE = "---\nsearch:\n  exclude: true\n---\n\n"
_AUDIENCE_BLOCK_TAG = re.compile(rf'<details class="{AUDIENCE_BLOCK}(?=[ "])')
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


def audiences(handbook: Handbook) -> list[str]:
    """The audiences, other than everyone, that the framework writes case sections for."""
    return list(dict.fromkeys(spec.audience for spec in handbook.framework.case_sections
                              if spec.audience != EVERYONE))


def audience_page_path(audience: str) -> str:
    return f"{audience}/index.md"


def audience_page_paths(handbook: Handbook) -> set[str]:
    """The pages ``audience_pages`` makes for this program."""
    return {audience_page_path(audience) for audience in audiences(handbook)}


def audience_pages(handbook: Handbook, render: Callable[..., str], store: FieldStore,
                   source_language: str) -> dict[str, str]:
    """One page per audience: the sections of every case written for it, each under its case's
    title and linked to the case. Kept out of search: readers find these notes by the case."""
    pages = {}
    fallback = (source_language, formatting.text_direction(source_language))
    for audience in audiences(handbook):
        entries = []
        for case in handbook.cases.values():
            sections = [section for section in case.sections
                        if section.audience == audience and section.markdown.strip()]
            if not sections:
                continue
            store.fallback = fallback if handbook.state("case", case.id) == "missing" else None
            entries.append({"case": case, "sections": [{"id": section.id, "title": section.title,
                                                        "html": store.block(section.markdown)}
                                                       for section in sections]})
            store.fallback = None
        pages[audience_page_path(audience)] = _UNSEARCHABLE + render("audience.md.j2", audience=audience,
                                                                     entries=entries)
    return pages


def unsearchable(page_html: str) -> str:
    """A page's content with every block written for a narrower audience marked for Material's search
    to skip (``data-search-exclude``). Run after the content checks, whose allowlist has no such
    attribute: only the search index reads it."""
    return _AUDIENCE_BLOCK_TAG.sub(lambda match: f"<details data-search-exclude{match[0][len('<details'):]}",
                                   page_html)


def with_scripts(page_html: str, labels: Mapping[str, str], root_url: str) -> str:
    """The finished page with the labels and the scripts of the learning aids it holds at the end
    of its body; a page with neither a block for a narrower audience nor a knowledge check is
    left as it is. ``root_url`` is the way back to the site root, as MkDocs writes ``base_url``."""
    wanted = [script for script, marker in ((MENTOR_SCRIPT, f'class="{AUDIENCE_BLOCK}'),
                                            (CHECKS_SCRIPT, f'class="{KNOWLEDGE_CHECK}"'))
              if marker in page_html]
    ends = list(_BODY_END.finditer(page_html))
    if not wanted or not ends:
        return page_html
    data = {"labels": {key: str(labels[key]) for key in SCRIPT_LABELS if key in labels}}
    root = root_url.rstrip("/") or "."
    tags = f'<script type="application/json" id="{DATA_ID}">{json_block(data)}</script>' + "".join(
        f'<script src="{html.escape(f"{root}/{script}")}" defer></script>' for script in wanted)
    at = ends[-1].start()
    return page_html[:at] + tags + page_html[at:]
