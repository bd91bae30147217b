"""The trust boundary: content (curriculum, cases, rubrics, translations, hand-written pages) can
never run code on the build machine, read or write files, or put script into a published page."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, Project, article_text, page

PASSWD_MACRO = ("{{ page.file.generated(namespace(site_dir='x', use_directory_urls=true, "
                "plugins=namespace(_current_plugin=none)), 'x.md', abs_src_path='/etc/passwd').content_string }}")
AL = "curriculum/competencies/active-listening.yml"
CASE = "cases/warehouse-finishing-sentences.md"
SCRIPTING = re.compile(r"<script(?![^>]*application/(ld\+)?json)[^>]*>(?!\s*</script>)|\son[a-z]+\s*=|javascript:",
                       re.IGNORECASE)


def published_scripts(site: Path) -> list[str]:
    """Every page of the site that holds a script the theme did not write, a handler or a script URL."""
    found = []
    for file in site.rglob("*.html"):
        article = BeautifulSoup(file.read_text("utf-8"), "html.parser").select_one("article")
        if article is not None and SCRIPTING.search(str(article)):
            found.append(file.relative_to(site).as_posix())
    return found


def assert_refused_build(project: Project, site: Path, file: str, line: int, message: str) -> str:
    site.mkdir()
    (site / "index.html").write_text("the previous site", "utf-8")
    built = project.build(site)
    assert built.returncode == 1, built.stderr
    assert "Traceback" not in built.stderr
    assert any(entry.startswith(f"{file}:{line}:") and message in entry for entry in built.stderr.splitlines()), \
        built.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]
    return built.stderr


def test_a_hand_written_page_cannot_read_files_through_mkdocs_objects(project: Project, tmp_path: Path) -> None:
    project.edit("docs/assessment.md", "## The portfolio entries\n", f"## The portfolio entries\n\n{PASSWD_MACRO}\n")
    line = project.line_of("docs/assessment.md", "abs_src_path=")

    stderr = assert_refused_build(project, tmp_path / "site", "docs/assessment.md", line, "'page' is undefined")

    assert "root:" not in stderr


def test_a_main_py_added_by_content_is_never_imported(project: Project, tmp_path: Path) -> None:
    marker = tmp_path / "imported"
    project.write("main.py", f"open({str(marker)!r}, 'w').write('ran')\n\ndef define_env(env):\n    pass\n")

    built = project.build(tmp_path / "site")

    assert built.returncode == 0, built.stderr
    assert not marker.exists()


def test_the_macros_plugin_is_refused_with_a_reason(project: Project, tmp_path: Path) -> None:
    project.edit("mkdocs.yml", "  - i18n:\n", "  - macros\n  - i18n:\n")

    built = project.build(tmp_path / "site")

    assert built.returncode == 1
    # Where mkdocs-macros is installed the handbook refuses it; where not (as the project installs
    # nothing of it), MkDocs itself does.
    assert ("mkdocs-macros gives page templates live MkDocs objects" in built.stderr
            or 'The "macros" plugin is not installed' in built.stderr), built.stderr
    assert "Traceback" not in built.stderr


@pytest.mark.parametrize(("code", "message"), [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "'range' is undefined"),
    ("{% for a in handbook.framework.levels * 3000 %}{% for b in handbook.framework.levels * 3000 %}"
     "{% for c in handbook.framework.levels * 3000 %}{% endfor %}{% endfor %}{% endfor %}", "ran for more than 2 s"),
    ("{{ 'x' * 1000000000 }}", "more than 10000 times"),
    ("{{ lipsum(100000) }}", "'lipsum' is undefined"),
    ("{{ ''.__class__.__mro__ }}", "unsafe"),
    ("{{ handbook.rubrics['no-such-rubric'].title }}", "template error"),
    ("{% if %}", "template syntax"),
], ids=["nested-range", "nested-loops-over-data", "huge-string", "lipsum", "python-internals", "undefined",
        "syntax"])
def test_template_code_in_a_page_is_bounded_and_located(project: Project, tmp_path: Path, code: str,
                                                        message: str) -> None:
    project.edit("docs/assessment.md", "## The scale\n", f"## The scale\n\n{code}\n")
    line = project.line_of("docs/assessment.md", code)
    started = time.monotonic()

    assert_refused_build(project, tmp_path / "site", "docs/assessment.md", line, message)

    assert time.monotonic() - started < 120


def test_an_indented_behaviour_is_published_as_the_code_it_was_checked_as(project: Project, tmp_path: Path) -> None:
    first = next(line for line in project.path(AL).read_text("utf-8").splitlines() if "Puts away" in line)
    project.edit(AL, first, '    - "    <script>alert(document.domain)</script>"')

    built = project.build(tmp_path / "site")

    assert built.returncode == 0, built.stderr
    assert published_scripts(tmp_path / "site") == []
    competency = page(tmp_path / "site", "competencies/active-listening")
    assert "<script>alert(document.domain)</script>" in competency.select_one("article pre code").get_text()


def test_fields_written_on_one_line_cannot_pair_up_into_a_script(project: Project, tmp_path: Path) -> None:
    # Alone, each title is harmless text; folded into one line, the backticks paired across them.
    project.edit("curriculum/framework.yml", "    title: Frontline supervisor", '    title: "`Frontline"')
    project.edit("curriculum/framework.yml", "    title: Project lead",
                 '    title: "lead` <script>alert(document.domain)</script> `x"')
    project.edit(CASE, "roles: [frontline-supervisor]", "roles: [frontline-supervisor, project-lead]")

    built = project.build(tmp_path / "site")

    assert built.returncode == 0, built.stderr
    assert published_scripts(tmp_path / "site") == []
    text = article_text(page(tmp_path / "site", "cases/warehouse-finishing-sentences"))
    assert "Roles: `Frontline and lead <script>alert(document.domain)</script> x" in text  # shown, as text


def test_a_script_in_a_hand_written_page_fails_the_build_at_its_line(project: Project, tmp_path: Path) -> None:
    project.edit("docs/governance.md", "## Roles\n", "## Roles\n\n<script>alert(document.domain)</script>\n")
    line = project.line_of("docs/governance.md", "<script>")

    assert_refused_build(project, tmp_path / "site", "docs/governance.md", line, "raw HTML <script> is not allowed")


def test_a_handler_in_a_translated_page_fails_the_build(project: Project, tmp_path: Path) -> None:
    handler = '<img src="x.png" onerror="alert(1)">'
    project.edit("docs/governance.es.md", "\n# Gobernanza\n", f"\n# Gobernanza\n\n{handler}\n")
    line = project.line_of("docs/governance.es.md", "onerror")

    assert_refused_build(project, tmp_path / "site", "docs/governance.es.md", line, "'onerror' on <img>")


def test_an_external_image_is_refused_unless_the_site_allows_it(project: Project, tmp_path: Path) -> None:
    project.edit(CASE, "## Debrief {#debrief}\n", "## Debrief {#debrief}\n\n![x](https://images.example/x.png)\n")
    line = project.line_of(CASE, "images.example")

    refused = project.validate()
    assert refused.returncode == 1
    assert f"{CASE}:{line}:1: body: the external image 'https://images.example/x.png' is not allowed" in refused.stderr

    project.edit("mkdocs.yml", "  - handbook:\n", "  - handbook:\n      allow_external_images: true\n")
    built = project.build(tmp_path / "site")
    assert built.returncode == 0, built.stderr
    policy = page(tmp_path / "site", "cases/warehouse-finishing-sentences").select_one(
        'meta[http-equiv="Content-Security-Policy"]')["content"]
    assert "img-src 'self' data: https:" in policy


def test_the_policy_names_only_the_theme_scripts(site: Path) -> None:
    """Every page allows the same few inline scripts (the theme's, by depth), not its own."""
    policies = {BeautifulSoup(f.read_text("utf-8"), "html.parser").select_one(
        'meta[http-equiv="Content-Security-Policy"]')["content"] for f in site.rglob("index.html")}
    hashes = {h for policy in policies for h in re.findall(r"'sha256-[^']+'", policy)}
    assert 0 < len(hashes) <= 12, hashes


def test_the_documented_boundary_matches_the_package() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    for code_file in ("mkdocs.yml", "plugins/", "Makefile", ".ci/", ".github/", "pyproject.toml"):
        assert f"`{code_file}`" in readme


def test_a_hand_written_page_is_held_to_the_bounded_work_caps(project: Project, tmp_path: Path) -> None:
    deep = "\n".join("    " * depth + "- x" for depth in range(400))
    project.edit("docs/governance.md", "## Roles\n", f"## Roles\n\n{deep}\n\n")
    line = project.line_of("docs/governance.md", "    " * 32 + "- x")  # its 33rd level
    started = time.monotonic()

    assert_refused_build(project, tmp_path / "site", "docs/governance.md", line, "nested more than 32 levels")

    assert time.monotonic() - started < 60
