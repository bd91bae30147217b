"""The published pages run under their content security policy, and it stops foreign script."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page

from conftest import copy_project

from .conftest import serving

pytestmark = pytest.mark.browser

PAGES = ["", "competencies/", "competencies/active-listening/", "cases/", "cases/warehouse-finishing-sentences/",
         "rubrics/coaching-cycle/", "assessment/", "es/competencies/active-listening/", "fr/cases/",
         "translations/"]


def test_pages_run_under_their_policy_without_errors(page: Page, browser_errors: list[str]) -> None:
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    for path in PAGES:
        page.goto(path, wait_until="networkidle")
        policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
        assert "script-src 'self' 'sha256-" in policy
        assert page.evaluate("typeof document$ !== 'undefined'"), f"the theme's script did not run on /{path}"
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("goal", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    assert violations == []
    assert browser_errors == []


def test_the_policy_blocks_a_script_that_was_not_built_with_the_page(site: Path, tmp_path: Path,
                                                                     page: Page) -> None:
    tampered = tmp_path / "site"
    shutil.copytree(site, tampered)
    target = tampered / "competencies" / "active-listening" / "index.html"
    html = target.read_text("utf-8")
    target.write_text(html.replace("</article>", "<script>document.title = 'injected'</script></article>", 1),
                      "utf-8")
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    with serving(tampered) as url:
        page.goto(url + "competencies/active-listening/", wait_until="networkidle")
        assert page.title() != "injected"
    assert any("script-src" in violation for violation in violations)


INJECTED = "<script>document.title = 'injected'; window.injected = true;</script>"


def test_a_script_injected_through_content_is_reported_and_never_runs(tmp_path: Path, page: Page) -> None:
    """The build refuses a script in a hand-written page; and were that check ever bypassed, the
    policy (which names only the theme's scripts) still stops it in the browser."""
    project = copy_project(tmp_path / "project")
    project.edit("docs/governance.md", "## Roles\n", f"## Roles\n\n{INJECTED}\n")

    refused = project.build(tmp_path / "refused")
    assert refused.returncode == 1
    line = project.line_of("docs/governance.md", "<script>")
    assert f"docs/governance.md:{line}:1: page governance/: the published page would hold: raw HTML <script>" \
        in refused.stderr

    project.edit("mkdocs.yml", "  - handbook:\n", "  - handbook:\n      check_published_html: false\n")
    built = project.build(tmp_path / "site")
    assert built.returncode == 0, built.stderr
    assert INJECTED in (tmp_path / "site" / "governance" / "index.html").read_text("utf-8")
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    with serving(tmp_path / "site") as url:
        page.goto(url + "governance/", wait_until="networkidle")
        assert page.title() != "injected"
        assert page.evaluate("window.injected === undefined")
        assert page.evaluate("typeof document$ !== 'undefined'"), "the theme's own scripts must still run"
    assert any("script-src" in violation for violation in violations)
