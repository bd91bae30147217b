"""The offline copy (downloads/handbook-offline.zip), unpacked into a folder and read from the file system
in Chromium with every request that is not for a file refused: links lead to pages (never to a folder
listing), search works in every language, the case library filters, and the security policy holds."""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page

from conftest import REPO, copy_project
from handbook.mkdocs.offline import ARCHIVE, FOLDER, file_size
from handbook.mkdocs.page_security import script_hashes

pytestmark = pytest.mark.browser
LANGUAGES = {"en": "", "es": "es/", "fr": "fr/"}
# Every language writes the program's subject the same way.
SEARCH_WORD = "coaching"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The handbook built with its PDFs and the offline archive; (project folder, site folder)."""
    root = tmp_path_factory.mktemp("offline")
    project = copy_project(root / "project")
    result = project.build(root / "site", pdfs=True, offline=True)
    assert result.returncode == 0, result.stderr
    return project.root, root / "site"


@pytest.fixture(scope="module")
def copy(built: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive unpacked as a reader would: its folder, holding index.html."""
    target = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(built[1] / ARCHIVE) as archive:
        archive.extractall(target)
    return target / FOLDER


@pytest.fixture
def reader(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page that may load files only; every other request, and every error, is noted."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    problems: list[str] = []

    def refuse(route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            problems.append(f"request: {route.request.url}")
            route.abort()

    context.route("**/*", refuse)
    page = context.new_page()
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:", "blob:"))
            else problems.append(f"request: {r.url}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e.message}"))
    page.set_default_timeout(15_000)
    yield page, problems
    context.close()


def _file_of(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


def assert_on_page(page: Page, language: str) -> None:
    """The browser shows a page of the copy, in ``language``: a file, with that file's own title."""
    page.wait_for_load_state("load")
    path = _file_of(page.url)
    assert path.suffix == ".html" and path.is_file(), page.url
    expected = BeautifulSoup(path.read_text("utf-8"), "html.parser").title.get_text()
    assert page.title() == expected
    assert not page.title().startswith("Index of"), page.url
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky"  # styles loaded


def test_every_home_page_links_the_archive_with_its_size(built: tuple[Path, Path]) -> None:
    site = built[1]
    size = (site / ARCHIVE).stat().st_size
    for language, prefix in LANGUAGES.items():
        home = BeautifulSoup((site / prefix / "index.html").read_text("utf-8"), "html.parser")
        link = home.select_one(f"article a[href$='{ARCHIVE.rpartition('/')[2]}']")
        assert link is not None, f"{prefix}index.html does not link the archive"
        assert (site / prefix / link["href"]).resolve() == (site / ARCHIVE).resolve()
        assert file_size(size, language) in link.parent.get_text(), link.parent.get_text()
    assert file_size(2_714_463, "fr") == "2,7\u202fMo" and file_size(2_714_463, "en") == "2.7 MB"


def test_the_archive_holds_every_language_and_the_published_pdfs(built: tuple[Path, Path]) -> None:
    site = built[1]
    with zipfile.ZipFile(site / ARCHIVE) as archive:
        names = set(archive.namelist())
        assert all(name.startswith(f"{FOLDER}/") for name in names)
        for prefix in LANGUAGES.values():
            assert f"{FOLDER}/{prefix}index.html" in names
            assert f"{FOLDER}/{prefix}search/search_index.js" in names
        pdfs = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.pdf"))
        assert pdfs, "the site was built without its PDFs"
        for pdf in pdfs:
            assert archive.read(f"{FOLDER}/{pdf}") == (site / pdf).read_bytes(), pdf
        assert not [name for name in names if name.endswith(("/404.html", ".zip"))]
    # The copy's home pages do not offer the archive they are in.
    assert ARCHIVE.rpartition("/")[2] not in zipfile.ZipFile(site / ARCHIVE).read(f"{FOLDER}/index.html").decode()


def test_the_archive_names_nothing_on_the_build_machine(built: tuple[Path, Path], copy: Path) -> None:
    project = built[0]
    machine = {str(project), str(project.parent), str(REPO), f"{tempfile.gettempdir()}/", "/tmp/"}
    for path in copy.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".css", ".xml", ".txt"):
            text = path.read_text("utf-8", errors="replace")
            found = [place for place in machine if place in text]
            assert not found, f"{path.relative_to(copy)} names {found}"


def test_every_link_in_the_copy_leads_to_a_file(copy: Path) -> None:
    broken = []
    for path in copy.rglob("*.html"):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for tag in soup.select("[href], [src]"):
            value = tag.get("href") or tag.get("src")
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//") or not parts.path:
                continue
            if not (path.parent / unquote(parts.path)).is_file():
                broken.append(f"{path.relative_to(copy)}: {value}")
    assert not broken, "\n".join(broken[:20])


def test_the_copy_keeps_its_security_policy(copy: Path) -> None:
    """The browser tests below see no violation of it; here, that it is still there and as strict."""
    for path in [copy / prefix / "index.html" for prefix in LANGUAGES.values()] + [copy / "cases" / "index.html"]:
        text = path.read_text("utf-8")
        policy = BeautifulSoup(text, "html.parser").select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
        scripts = policy.split("script-src", 1)[1].split(";", 1)[0].split()
        assert scripts[0] == "'self'" and all(source.startswith("'sha256-") for source in scripts[1:]), policy
        assert script_hashes(text) <= set(scripts), path


def test_links_lead_to_pages_from_the_file_system(copy: Path, reader: tuple[Page, list[str]]) -> None:
    page, problems = reader
    page.goto((copy / "index.html").as_uri())
    assert_on_page(page, "en")

    page.locator(".md-sidebar--primary a.md-nav__link[href$='cases/index.html']").first.click()
    assert_on_page(page, "en")
    assert page.url.endswith("/cases/index.html")

    case = page.locator("article a[href$='.html']:not([href*='index.html']):not([href*='#'])").first
    case.click()
    assert_on_page(page, "en")
    assert "/cases/" in page.url

    page.locator("article a[href*='competencies/']:not([href*='#'])").first.click()
    assert_on_page(page, "en")
    assert "/competencies/" in page.url
    competency = page.url.rpartition("/competencies/")[2]

    for language in ("es", "fr"):
        page.locator(".md-header__option .md-select").first.hover()
        page.locator(f".md-select__link[hreflang='{language}']").first.click()
        assert_on_page(page, language)
        assert page.url.endswith(f"/{language}/competencies/{competency}"), page.url

    page.locator(".md-sidebar--primary a.md-nav__link[href$='index.html']").first.click()
    assert_on_page(page, "fr")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_works_in_every_language_from_the_file_system(copy: Path, reader: tuple[Page, list[str]],
                                                             language: str) -> None:
    page, problems = reader
    page.goto((copy / LANGUAGES[language] / "index.html").as_uri())
    assert_on_page(page, language)
    search = page.locator("input.md-search__input")
    assert search.is_visible(), "Material hid the search box: its worker did not start"
    search.click()
    search.press_sequentially(SEARCH_WORD)
    results = page.locator(".md-search-result__item")
    results.first.wait_for()
    hrefs = [a.get_attribute("href") for a in page.locator(".md-search-result__item a").all()]
    assert hrefs
    for href in hrefs:
        target = _file_of(href)
        assert target.is_file(), href
        assert target.is_relative_to(copy / LANGUAGES[language]), href
        if language == "en":
            assert not target.is_relative_to(copy / "es") and not target.is_relative_to(copy / "fr"), href
    results.first.locator("a").first.click()
    assert_on_page(page, language)
    assert not problems, "\n".join(problems)


def test_the_case_library_filters_from_the_file_system(copy: Path, reader: tuple[Page, list[str]]) -> None:
    page, problems = reader
    library = copy / "cases" / "index.html"
    assert 'id="hb-case-filters"' in library.read_text("utf-8"), "the offline library lost its filters"
    page.goto(library.as_uri())
    assert_on_page(page, "en")
    rows = page.locator(".hb-case-library tbody tr")
    total = rows.count()
    options = page.locator(".hb-cl-option")
    options.first.wait_for(state="attached")
    page.locator("details.hb-cl-panel").first.evaluate("panel => { panel.open = true; }")
    for index in range(options.count()):
        option = options.nth(index)
        count = int(re.sub(r"\D", "", option.locator(".hb-cl-count").text_content() or "") or 0)
        if 0 < count < total:
            option.locator("input").check()
            break
    else:
        pytest.fail("no filter option narrows the library")
    assert page.locator(".hb-case-library tbody tr:not([hidden])").count() == count
    assert not problems, "\n".join(problems)
