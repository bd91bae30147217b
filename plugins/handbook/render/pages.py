"""Render the handbook's generated pages as Markdown, from the model and Jinja templates."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from handbook.i18n import formatting
from handbook.i18n.labels import Labels
from handbook.i18n.translations import TranslationReport
from handbook.model.glossary import GlossaryEntry
from handbook.model.handbook import Case, Competency, Handbook, Rubric
from handbook.render.fields import FieldStore
from handbook.render.learning_aids import audience_pages
from handbook.render.owner_pages import GLOSSARY_PAGE, HEALTH_PAGE, glossary_page, health_page
from handbook.render.print_sheets import DOWNLOADS, PrintDocument

if TYPE_CHECKING:
    from handbook.lint.rules import Finding
    from handbook.model.health import Health

# Where each kind of generated page lives, relative to the docs folder.
FOLDERS = {Competency: "competencies", Case: "cases", Rubric: "rubrics"}
OVERVIEW = "competencies/index.md"
CASE_INDEX = "cases/index.md"
RUBRIC_INDEX = "rubrics/index.md"
TRANSLATION_STATUS = "translations/index.md"
DOWNLOADS_PAGE = f"{DOWNLOADS}/index.md"
RELEASES_PAGE = "releases/index.md"
_UNSEARCHABLE = "---\nsearch:\n  exclude: true\n---\n\n"


def page_path(item: Competency | Case | Rubric) -> str:
    return f"{FOLDERS[type(item)]}/{item.id}.md"


def _url(item: Competency | Case | Rubric) -> str:
    # Every generated page sits one folder deep, so one relative form reaches all of them.
    return f"../{page_path(item)}"


def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """Templates from ``template_dir`` (a site's overrides) first, then the package's own.

    Templates write Markdown for the page's structure only; every contributor field goes in
    through the filters ``text`` (a title or name, as plain text), ``inline``, ``block`` and
    ``items`` (rendered on their own, see ``fields``).
    """
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("handbook.render", "templates")]
    if template_dir is not None:
        loaders.insert(0, jinja2.FileSystemLoader(template_dir))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             autoescape=False)
    env.filters.update(url=_url, html_text=lambda text: html.escape(str(text)))
    return env


def render_pages(handbook: Handbook, labels: Labels, env: jinja2.Environment, render_field: Callable[[str], str],
                 reports: list[TranslationReport] | None = None, source_language: str = "",
                 downloads: list[PrintDocument] | None = None,
                 history: dict[str, dict[str, str]] | None = None, glossary: list[GlossaryEntry] | None = None,
                 health: Health | None = None, findings: Sequence[Finding] = ()) -> tuple[dict[str, str], FieldStore]:
    """Every generated page: its path under the docs folder -> its Markdown, and the fields the
    pages hold (``FieldStore.place`` puts them into each page's HTML). ``render_field`` turns
    one field's Markdown into HTML, as the site's Markdown does. With ``reports``, also the
    translation status page for curriculum owners. ``downloads`` are the printable documents
    built for this language (None: the downloads page says none were built). ``history``: by
    item ref, the releases that added and last changed it (plain strings)."""
    store = FieldStore(render_field)
    printable: dict[str, dict[str, list[PrintDocument]]] = {}
    for document in downloads or []:
        key = "sheet" if document.kind == "sheet" else document.level
        printable.setdefault(document.rubric, {}).setdefault(key, []).append(document)
    common = {"handbook": handbook, "fw": handbook.framework, "t": labels, "printable": printable,
              "downloads_built": downloads is not None, "history": history or {}}
    language = handbook.language
    source_language = source_language or handbook.framework.default_language

    def competency_link(competency_id: str) -> str:
        competency = handbook.competencies[competency_id]
        return f"[{store.plain(competency.title)}]({_url(competency)})"

    def source_language_attrs(item: Case | Competency | Rubric) -> str:
        """For an attribute list (``{: ... }``): the language of an untranslated item's title, which
        stays in the source language (its page, the library, the lists that name it)."""
        if handbook.state(type(item).__name__.lower(), item.id) != "missing":
            return ""
        return f' lang="{source_language}" dir="{formatting.text_direction(source_language)}"'

    filters = {"text": store.plain, "inline": store.inline, "block": store.block, "items": store.items,
               "structure": store.structure, "source_language_attrs": source_language_attrs,
               "num": lambda value: formatting.number(value, language),
               "list_of": lambda items: formatting.listing(list(items), language),
               "date": lambda iso: store.plain(formatting.date(iso, language)),
               "competency_link": competency_link}

    env.filters.update(filters)  # this language's fields and formats, for every template below

    def render(template: str, **values: object) -> str:
        return env.get_template(template).render(**common, **values)

    def item(kind: str, item_id: str, template: str, **values: object) -> str:
        # An untranslated item's text is the source language's: say so around each field.
        missing = handbook.state(kind, item_id) == "missing"
        store.fallback = (source_language, formatting.text_direction(source_language)) if missing else None
        markdown = render(template, **values)
        store.fallback = None
        # A page with nothing translated would answer searches in the wrong language.
        return _UNSEARCHABLE + markdown if handbook.state(kind, item_id) == "missing" else markdown

    pages = {OVERVIEW: item("framework", "framework", "overview.md.j2"), CASE_INDEX: render("case_index.md.j2"),
             RUBRIC_INDEX: render("rubric_index.md.j2"), DOWNLOADS_PAGE: render("downloads.md.j2")}
    for competency in handbook.competencies.values():
        replacement = handbook.competencies.get(competency.replaced_by or "")
        link = f"[{store.plain(replacement.title)}]({_url(replacement)})" if replacement else ""
        pages[page_path(competency)] = item("competency", competency.id, "competency.md.j2", c=competency,
                                            replacement_link=link)
    cases = list(handbook.cases.values())  # in the library's order: each case leads to its neighbours
    for number, case in enumerate(cases):
        pages[page_path(case)] = item("case", case.id, "case.md.j2", case=case, library_url=f"../{CASE_INDEX}",
                                      previous_case=cases[number - 1] if number else None,
                                      next_case=cases[number + 1] if number + 1 < len(cases) else None)
    for rubric in handbook.rubrics.values():
        pages[page_path(rubric)] = item("rubric", rubric.id, "rubric.md.j2", rubric=rubric)
    # The case sections for mentors and facilitators, gathered per audience (learning_aids).
    pages.update(audience_pages(handbook, render, store, source_language))
    if handbook.releases:
        pages[RELEASES_PAGE] = item("releases", "releases", "releases.md.j2")
    if reports:
        pages[TRANSLATION_STATUS] = render("translation_status.md.j2", reports=reports)
    if glossary:  # for owners and readers alike: the program's words (owner_pages)
        pages[GLOSSARY_PAGE] = glossary_page(glossary, render, store, source_language)
    if health is not None:
        pages[HEALTH_PAGE] = health_page(health, render, reports or [], findings)
    return pages, store
