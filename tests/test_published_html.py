"""Property: whatever Markdown-significant text goes into fields, every page built from them is
either held to the allowlist or refused with a located problem: never a published script,
handler or script URL."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_project
from handbook.checks.html import HtmlChecker, disallowed_html
from handbook.i18n.labels import load_labels
from handbook.library import Settings, load_library
from handbook.render.pages import environment, render_pages
from handbook.sources.problems import ContentError

AL = "curriculum/competencies/active-listening.yml"
FRAGMENTS = ["    ", "\n", "\n\n", "`", "``", "[", "]", "(", ")", "[x]: javascript:alert(1)", "[a][x]", "<",
             "<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>", "</a>",
             "```", "~~~", "{: onclick=alert(1) }", "{#x}", "*", "_", "|", "\\", "&lt;", "&#60;script&#62;",
             "javascript:alert(1)", "> ", "- ", "1. ", "# ", "!!! note", "<!--", "-->", "alert(1)", "word"]


class _Scripting(HTMLParser):
    """Script elements, event handlers and script URLs in an HTML fragment."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith(("javascript:", "data:")):
                self.found.append(f"{tag} {name}={value}")

    handle_startendtag = handle_starttag

SITE_EXTENSIONS = ["admonition", "attr_list", "tables", "toc", "pymdownx.details", "pymdownx.superfences"]

CHECKER = HtmlChecker(SITE_EXTENSIONS)
field_text = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8).map("".join).filter(str.strip)


@pytest.fixture(scope="module")
def library_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("published") / "project").root


def _write_fields(root: Path, texts: list[str]) -> None:
    data = yaml.safe_load((root / AL).read_text("utf-8"))
    data["title"], data["summary"] = texts[0], texts[1]
    data["behaviours"]["emerging"][0], data["reflection_prompts"][0] = texts[2], texts[3]
    (root / AL).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(field_text, min_size=4, max_size=4))
def test_pages_built_from_any_fields_publish_no_script(library_project: Path, texts: list[str]) -> None:
    _write_fields(library_project, texts)
    checker = CHECKER  # it keeps what it rendered: only the generated fields are new each time
    try:
        library = load_library(Settings(library_project, languages=("es", "fr")), checker)
    except ContentError as error:
        for problem in error.problems:
            assert problem.path == AL and problem.line >= 1 and problem.field, str(problem)
        return
    pages, fields = render_pages(library.handbook(), load_labels("en"), environment(), checker.render)
    converter = markdown.Markdown(extensions=SITE_EXTENSIONS)
    for path, page_markdown in pages.items():
        html = fields.place(converter.reset().convert(page_markdown))
        assert disallowed_html(html) is None, (path, texts)
        assert _Scripting(html).found == [], (path, texts)
