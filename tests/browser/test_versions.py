"""Versioned releases in a real browser: two releases published with ``make publish`` (mike) into a
git repository of their own, pushed to a bare one, and served from a checkout of its pages branch."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from conftest import ENV, REPO, Project, copy_project
from handbook.cli.main import _AnyTagLoader

from .conftest import serving, watched

pytestmark = pytest.mark.browser

CONFIG = yaml.load((REPO / "mkdocs.yml").read_text("utf-8"), Loader=_AnyTagLoader)
I18N = next(p["i18n"] for p in CONFIG["plugins"] if isinstance(p, dict) and "i18n" in p)
DEFAULT = next(lang["locale"] for lang in I18N["languages"] if lang.get("default"))
LANGUAGES = [lang["locale"] for lang in I18N["languages"]]
ALIAS = CONFIG["extra"]["version"]["default"]
OLD, NEW = "1.0.0", "1.1.0"
CHANGE = f"What release {NEW} added."  # a paragraph only the newer release has, in every language
DESKTOP = {"width": 1280, "height": 900}
PAGE = "competencies/active-listening/"


def home(language: str) -> str:
    """A language's home inside a release: '' for the default language, 'es/' for Spanish."""
    return "" if language == DEFAULT else f"{language}/"


def labels(language: str) -> dict[str, str]:
    return yaml.safe_load((REPO / "plugins/handbook/i18n/locales" / f"{language}.yml").read_text("utf-8"))


def run(command: list[str], cwd: Path) -> str:
    done = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def publish(project: Project, version: str) -> None:
    """``make publish VERSION=... REMOTE=origin``, with this interpreter's environment as the Makefile's
    (``-o``: it is installed already)."""
    run(["make", "-f", str(REPO / "Makefile"), "-C", str(project.root), "publish", f"VERSION={version}",
         "REMOTE=origin", f"VENV={sys.prefix}", "-o", f"{sys.prefix}/.installed"], project.root)


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project in a repository of its own, released as OLD, changed, released as NEW (the alias
    moves to it) and pushed to a bare repository; its pages branch checked out to be served."""
    root = tmp_path_factory.mktemp("releases")
    project = copy_project(root / "project")
    project.write(".gitignore", "site/\n")
    git = ["git", "-c", "init.defaultBranch=main"]
    run([*git, "init", "-q", "--bare", str(root / "pages.git")], root)
    run([*git, "init", "-q"], project.root)
    for setting in (["user.name", "Handbook tests"], ["user.email", "tests@handbook.invalid"]):
        run(["git", "config", *setting], project.root)
    run(["git", "remote", "add", "origin", str(root / "pages.git")], project.root)
    run(["git", "add", "-A"], project.root)
    run(["git", "commit", "-q", "-m", "The handbook as released first"], project.root)
    publish(project, OLD)

    for language in LANGUAGES:
        index = project.path("docs/index.md" if language == DEFAULT else f"docs/index.{language}.md")
        index.write_text(index.read_text("utf-8") + f"\n{CHANGE}\n", "utf-8")
    run(["git", "commit", "-q", "-a", "-m", "A change for the next release"], project.root)
    publish(project, NEW)

    run(["git", "clone", "-q", "--branch", "gh-pages", str(root / "pages.git"), str(root / "site")], root)
    return root / "site"


@pytest.fixture(scope="module")
def url(releases: Path) -> Iterator[str]:
    with serving(releases) as served:
        yield served


@pytest.fixture
def page(browser: Browser, browser_errors: list[str]) -> Iterator[Page]:
    """A page of its own, cut off from everything but loopback, with its errors collected (as in
    conftest.py, without pytest-playwright's base_url, which would build the unversioned site too)."""
    context = browser.new_context(viewport=DESKTOP)
    yield watched(context.new_page(), browser_errors)
    context.close()


def selector(page: Page) -> list[str]:
    """The releases the version selector lists, once it is shown."""
    expect(page.locator(".md-version__current")).to_be_visible()
    return [text.strip() for text in page.locator(".md-version__link").all_inner_texts()]


def test_versions_json_lists_both_releases_and_the_alias(releases: Path) -> None:
    versions = json.loads((releases / "versions.json").read_text("utf-8"))
    assert [(v["version"], v["aliases"]) for v in versions] == [(NEW, [ALIAS]), (OLD, [])]
    assert (releases / ALIAS).resolve() == (releases / NEW).resolve()


@pytest.mark.parametrize("version", [OLD, NEW, ALIAS])
def test_every_release_is_published_in_every_language(url: str, page: Page, browser_errors: list[str],
                                                      version: str) -> None:
    for language in LANGUAGES:
        response = page.goto(f"{url}{version}/{home(language)}", wait_until="load")
        assert response is not None and response.ok, f"/{version}/{home(language)}"
        expect(page.locator("html")).to_have_attribute("lang", language)
        if version == OLD:
            expect(page.locator("article")).not_to_contain_text(CHANGE)
        else:
            expect(page.locator("article")).to_contain_text(CHANGE)
    assert browser_errors == []


def test_the_site_root_leads_to_the_default_release(url: str, page: Page) -> None:
    page.goto(url, wait_until="load")
    expect(page).to_have_url(f"{url}{ALIAS}/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_version_selector_lists_both_releases_under_the_page_policy(url: str, page: Page,
                                                                       browser_errors: list[str],
                                                                       language: str) -> None:
    page.goto(f"{url}{OLD}/{home(language)}{PAGE}", wait_until="load")
    assert selector(page) == [NEW, OLD]
    expect(page.locator(".md-version__current")).to_have_text(OLD)
    links = page.locator(".md-version__link").evaluate_all("links => links.map(link => link.href)")
    assert links == [f"{url}{NEW}/{home(language)}", f"{url}{OLD}/{home(language)}"]
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "connect-src 'self';" in policy and "default-src 'self';" in policy
    assert browser_errors == []  # a request the policy refused would be one


@pytest.mark.parametrize("language", LANGUAGES)
def test_choosing_a_release_keeps_the_page_and_the_language(url: str, page: Page, browser_errors: list[str],
                                                            language: str) -> None:
    page.goto(f"{url}{OLD}/{home(language)}{PAGE}", wait_until="load")
    selector(page)
    page.locator(".md-version").hover()
    page.locator(".md-version__link", has_text=NEW).click()
    expect(page).to_have_url(f"{url}{NEW}/{home(language)}{PAGE}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert browser_errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_earlier_release_says_so_and_leads_to_the_default_one(url: str, page: Page, browser_errors: list[str],
                                                                 language: str) -> None:
    page.goto(f"{url}{OLD}/{home(language)}{PAGE}", wait_until="load")
    notice = page.locator("[data-md-component=outdated]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(labels(language)["outdated_notice"])
    notice.locator("a").click()
    expect(page).to_have_url(f"{url}{ALIAS}/{home(language)}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert browser_errors == []


@pytest.mark.parametrize("version", [NEW, ALIAS])
def test_the_default_release_shows_no_notice(url: str, page: Page, browser_errors: list[str], version: str) -> None:
    for language in LANGUAGES:
        page.goto(f"{url}{version}/{home(language)}{PAGE}", wait_until="networkidle")
        assert selector(page) == [NEW, OLD]  # versions.json was read: the notice's fate is decided
        expect(page.locator(".md-version__current")).to_have_text(NEW)
        expect(page.locator("[data-md-component=outdated]")).to_be_hidden()
    assert browser_errors == []


SWITCHES = [(f"{OLD}/{home(source)}{path}", target, f"{OLD}/{home(target)}{path}")
            for path in (PAGE, "")
            for source in LANGUAGES for target in LANGUAGES if target != source]
# An alias is a release of its own to the reader: its home pages too lead to the alias, not to the release.
SWITCHES += [(f"{ALIAS}/", LANGUAGES[-1], f"{ALIAS}/{home(LANGUAGES[-1])}"),
             (f"{ALIAS}/{home(LANGUAGES[-1])}cases/", DEFAULT, f"{ALIAS}/cases/")]


@pytest.mark.parametrize(("start", "language", "lands"), SWITCHES)
def test_the_language_selector_stays_in_the_release(url: str, page: Page, browser_errors: list[str], start: str,
                                                    language: str, lands: str) -> None:
    page.goto(url + start, wait_until="load")
    page.locator(".md-header__option .md-select").hover()
    page.locator(f".md-select__link[hreflang='{language}']").click()
    expect(page).to_have_url(url + lands)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert browser_errors == []


def test_each_release_lists_its_own_pages_in_its_sitemaps(releases: Path) -> None:
    site_url = CONFIG["site_url"]
    for version in (OLD, NEW):
        for language in LANGUAGES:
            sitemap = (releases / version / home(language) / "sitemap.xml").read_text("utf-8")
            locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
            assert f"{site_url}{version}/{home(language)}{PAGE}" in locations
            assert all(loc.startswith(f"{site_url}{version}/{home(language)}") for loc in locations)
