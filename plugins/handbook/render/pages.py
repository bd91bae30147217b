"""Render the handbook's generated pages as Markdown, from the model and Jinja templates."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from handbook.i18n.labels import Labels
from handbook.i18n.translations import TranslationReport
from handbook.model.handbook import Case, Competency, Handbook, Rubric

# Where each kind of generated page lives, relative to the docs folder.
FOLDERS = {Competency: "competencies", Case: "cases", Rubric: "rubrics"}
OVERVIEW = "competencies/index.md"
CASE_INDEX = "cases/index.md"
RUBRIC_INDEX = "rubrics/index.md"
TRANSLATION_STATUS = "translations/index.md"
_UNSEARCHABLE = "---\nsearch:\n  exclude: true\n---\n\n"


def page_path(item: Competency | Case | Rubric) -> str:
    return f"{FOLDERS[type(item)]}/{item.id}.md"


def _url(item: Competency | Case | Rubric) -> str:
    # Every generated page sits one folder deep, so one relative form reaches all of them.
    return f"../{page_path(item)}"


_LINE_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def _oneline(text: str) -> str:
    """Text on one line. Only ASCII white space folds: no-break spaces (French typography puts
    them before '?', ':' and inside « ») stay as written."""
    return _LINE_SPACE.sub(" ", str(text)).strip()


def _inline(text: str) -> str:
    """Text on one line that ends as it reads: a lone final backslash would escape whatever
    the template writes next."""
    text = _oneline(text)
    trailing = len(text) - len(text.rstrip("\\"))
    return text + "\\" if trailing % 2 else text


def heading_text(text: str) -> str:
    """A title as the text of a Markdown heading."""
    # A final "#" would be taken for the heading's optional closing sequence.
    text = _inline(text)
    return text[:-1] + _escape("#", "#") if text.endswith("#") and _escapes_before(text, len(text) - 1) % 2 == 0 \
        else text


def _escapes_before(text: str, index: int) -> int:
    """How many backslashes stand right before ``text[index]``."""
    return len(text[:index]) - len(text[:index].rstrip("\\"))


def _escape(text: str, characters: str) -> str:
    """Backslash-escape ``characters`` where the text has not escaped them already."""
    return re.sub(rf"(\\*)([{re.escape(characters)}])",
                  lambda m: m[1] + ("" if len(m[1]) % 2 else "\\") + m[2], text)


def _cell(text: str) -> str:
    return _escape(_inline(text), "|")


def _cell_list(items: list[str]) -> str:
    return "<br>".join(f"• {_cell(item)}" for item in items)


def _link_text(text: str) -> str:
    return _escape(_inline(text), "[]|")


def _attribute_text(text: str) -> str:
    return _oneline(text).replace('"', "'")


def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """Templates from ``template_dir`` (a site's overrides) first, then the package's own."""
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("handbook.render", "templates")]
    if template_dir is not None:
        loaders.insert(0, jinja2.FileSystemLoader(template_dir))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             autoescape=False)
    env.filters.update(url=_url, oneline=_oneline, inline=_inline, heading=heading_text, cell=_cell,
                       cell_list=_cell_list, link_text=_link_text, attribute_text=_attribute_text)
    return env


def render_pages(handbook: Handbook, labels: Labels, env: jinja2.Environment,
                 reports: list[TranslationReport] | None = None) -> dict[str, str]:
    """Every generated page: its path under the docs folder -> its Markdown. With ``reports``,
    also the translation status page for curriculum owners."""
    common = {"handbook": handbook, "fw": handbook.framework, "t": labels}

    def render(template: str, **values: object) -> str:
        return env.get_template(template).render(**common, **values)

    def item(kind: str, item_id: str, template: str, **values: object) -> str:
        markdown = render(template, **values)
        # A page with nothing translated would answer searches in the wrong language.
        return _UNSEARCHABLE + markdown if handbook.state(kind, item_id) == "missing" else markdown

    pages = {OVERVIEW: item("framework", "framework", "overview.md.j2"), CASE_INDEX: render("case_index.md.j2"),
             RUBRIC_INDEX: render("rubric_index.md.j2")}
    for competency in handbook.competencies.values():
        replacement = handbook.competencies.get(competency.replaced_by or "")
        link = f"[{_link_text(replacement.title)}]({_url(replacement)})" if replacement else ""
        pages[page_path(competency)] = item("competency", competency.id, "competency.md.j2", c=competency,
                                            replacement_link=link)
    for case in handbook.cases.values():
        pages[page_path(case)] = item("case", case.id, "case.md.j2", case=case)
    for rubric in handbook.rubrics.values():
        pages[page_path(rubric)] = item("rubric", rubric.id, "rubric.md.j2", rubric=rubric)
    if reports:
        pages[TRANSLATION_STATUS] = render("translation_status.md.j2", reports=reports)
    return pages
