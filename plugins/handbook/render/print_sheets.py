"""Printable documents made from the model: a scoring sheet per rubric and "look-fors at a glance"
per rubric and level, as standalone HTML for a paged-media engine (see ``pdf``).

They are built from the rubric itself, never from its web page. Contributor fields go in as the
HTML the checks saw (the same cached renderer as the pages); every name and label is escaped by
the templates' autoescaping. Figures are written the language's way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from handbook.i18n import formatting
from handbook.i18n.labels import Labels
from handbook.model.handbook import Handbook, Level, Rubric
from handbook.render.fields import inline_html, plain_text

DOWNLOADS = "downloads"
# Paper sizes the engine knows by these names (CSS ``@page { size: ... }``).
PAPER_SIZES = {"a4": "A4", "letter": "letter"}


@dataclass(frozen=True)
class PrintDocument:
    """One printable document: where it is published, what it is, and its HTML."""

    path: str  # under the site's language root: "downloads/<rubric>-scoring-sheet-<paper>.pdf"
    kind: str  # "sheet" or "glance"
    rubric: str
    level: str  # the level a glance shows; "" for a sheet
    paper: str
    title: str
    html: str


def document_path(rubric_id: str, kind: str, paper: str, level: str = "") -> str:
    name = f"{rubric_id}-scoring-sheet" if kind == "sheet" else f"{rubric_id}-look-fors-{level}"
    return f"{DOWNLOADS}/{name}-{paper}.pdf"


def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """HTML templates, a site's overrides first; everything written into them is escaped."""
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("handbook.render", "templates")]
    if template_dir is not None:
        loaders.insert(0, jinja2.FileSystemLoader(template_dir))
    return jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
                              autoescape=True, trim_blocks=True, lstrip_blocks=True)


def css_string(text: str) -> str:
    """``text`` as a CSS string literal that nothing in it can end: every character outside
    letters, digits and spaces is written as a hex escape."""
    return '"' + "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):06x}" for ch in text) + '"'


def _page_counter(label: str) -> str:
    """A label such as "Page {page} of {pages}" as CSS ``content`` with the engine's counters."""
    parts: list[str] = []
    rest = label
    while rest:
        at = min((i for i in (rest.find("{page}"), rest.find("{pages}")) if i >= 0), default=-1)
        if at < 0:
            parts.append(css_string(rest))
            break
        if at:
            parts.append(css_string(rest[:at]))
        token = "{pages}" if rest.startswith("{pages}", at) else "{page}"
        parts.append("counter(pages)" if token == "{pages}" else "counter(page)")
        rest = rest[at + len(token):]
    return " ".join(parts) or '""'


def print_documents(handbook: Handbook, labels: Labels, env: jinja2.Environment, render_field: Callable[[str], str],
                    papers: list[str]) -> list[PrintDocument]:
    """Every printable document of one language: for each rubric a scoring sheet and one glance per
    level of its scale, on each paper size."""
    language = handbook.language or handbook.framework.default_language
    direction = formatting.text_direction(language)
    stylesheet = resources.files("handbook").joinpath("assets", "print.css").read_text("utf-8")

    def block(text: str) -> Markup:
        return Markup(render_field(str(text)))

    def inline(text: str) -> Markup:
        return Markup(inline_html(render_field(str(text))))

    def plain(text: str) -> str:
        return plain_text(render_field(str(text)))

    def num(value: object) -> str:
        return formatting.number(value, language)  # type: ignore[arg-type]

    def label(key: str, **values: object) -> Markup:
        """A label with its values, as HTML: the label's own Markdown (``**3**``) is kept."""
        return inline(labels[key].format(**{k: Markup.escape(v) for k, v in values.items()}))

    def competency_names(ids: list[str]) -> str:
        return formatting.listing([plain(handbook.competencies[i].title) for i in ids if i in handbook.competencies],
                                  language)

    env.filters.update(block=block, inline=inline, plain=plain, num=num, competency_names=competency_names)
    documents: list[PrintDocument] = []
    for rubric in handbook.rubrics.values():
        common = {"fw": handbook.framework, "rubric": rubric, "t": labels, "label": label, "lang": language,
                  "dir": direction, "language_name": formatting.locale_of(language).display_name,
                  "version": rubric.version}
        for paper in papers:
            version_line = f"{labels['sheet_version'].format(version=rubric.version)} · {common['language_name']}"
            # The program where a line starts, the page number where it ends: mirrored right to left.
            start, end = ("left", "right") if direction == "ltr" else ("right", "left")
            page_css = {"size": PAPER_SIZES[paper], "counter": _page_counter(labels["sheet_page"]),
                        "start": start, "end": end,
                        "program": css_string(plain(handbook.framework.title)), "version": css_string(version_line),
                        "rubric": css_string(f"{plain(rubric.title)} · {labels['sheet_title']}")}
            title = f"{plain(rubric.title)}: {labels['sheet_title']}"
            html = env.get_template("scoring_sheet.html.j2").render(**common, title=title, page=page_css,
                                                                    stylesheet=Markup(stylesheet))
            documents.append(PrintDocument(document_path(rubric.id, "sheet", paper), "sheet", rubric.id, "", paper,
                                           title, html))
            for level in _levels(rubric):
                title = f"{plain(rubric.title)}: {labels['glance_title'].format(level=plain(level.name))}"
                html = env.get_template("look_fors_glance.html.j2").render(
                    **common, title=title, level=level, page={**page_css, "rubric": css_string(plain(rubric.title))},
                    stylesheet=Markup(stylesheet))
                documents.append(PrintDocument(document_path(rubric.id, "glance", paper, level.id), "glance",
                                               rubric.id, level.id, paper, title, html))
    return documents


def _levels(rubric: Rubric) -> list[Level]:
    """The levels of a rubric's scale, in scale order, each once."""
    seen: dict[str, Level] = {}
    for point in rubric.scale:
        seen.setdefault(point.level.id, point.level)
    return list(seen.values())
