"""Languages in a real browser: the selector keeps the page, search stays in its language, RTL lays out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from conftest import add_arabic, copy_project

from .conftest import serving

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 900}
SPANISH = yaml.safe_load((REPO / "curriculum/competencies/active-listening.es.yml").read_text("utf-8"))
ENGLISH = yaml.safe_load((REPO / "curriculum/competencies/active-listening.yml").read_text("utf-8"))
# "escucha" is in the Spanish title only; "unsaid" in the English summary only.
SPANISH_WORD, ENGLISH_WORD = "escucha", "unsaid"


def heading(page: Page) -> str:
    return page.locator("article h1").evaluate(
        "h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(l => l.remove());"
        " return c.textContent.trim(); }")


def search(page: Page, word: str) -> None:
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(word, delay=20)
    expect(page.locator(".md-search-result__meta")).not_to_have_text(re.compile("Initializing|Inicializando"))


def test_language_selector_keeps_the_reader_on_the_same_competency(page: Page, browser_errors: list[str]) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto("competencies/active-listening/", wait_until="networkidle")
    assert heading(page) == ENGLISH["title"]

    page.locator(".md-header__option .md-select").hover()
    page.locator(".md-select__link[hreflang='es']").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.url.endswith("/es/competencies/active-listening/")
    assert heading(page) == SPANISH["title"]
    assert browser_errors == []


def test_spanish_search_finds_spanish_pages_and_no_english_ones(page: Page, browser_errors: list[str]) -> None:
    assert SPANISH_WORD in SPANISH["title"].lower() and SPANISH_WORD not in ENGLISH["title"].lower()
    assert ENGLISH_WORD in ENGLISH["summary"] and ENGLISH_WORD not in SPANISH["summary"]
    page.set_viewport_size(DESKTOP)
    page.goto("competencies/", wait_until="networkidle")
    search(page, ENGLISH_WORD)
    expect(page.locator(".md-search-result__item").first).to_be_visible()  # the word is found in English

    page.goto("es/", wait_until="networkidle")
    search(page, SPANISH_WORD)
    items = page.locator(".md-search-result__item")
    expect(items.first).to_be_visible()
    assert SPANISH["title"] in " ".join(items.all_inner_texts())
    links = [link.get_attribute("href") for link in page.locator(".md-search-result__link").all()]
    assert links and all("/es/" in link for link in links), links

    page.locator("input.md-search__input").fill("")
    search(page, ENGLISH_WORD)
    expect(items).to_have_count(0)
    assert browser_errors == []


@pytest.fixture(scope="module")
def rtl_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The handbook with Arabic added: one entry in mkdocs.yml, a labels file and one translation."""
    root = tmp_path_factory.mktemp("rtl")
    project = copy_project(root / "project")
    add_arabic(project)
    built = project.build(root / "site")
    assert built.returncode == 0, built.stderr
    return root / "site"


def test_right_to_left_pages_lay_out_from_the_right(rtl_site: Path, page: Page, browser_errors: list[str]) -> None:
    with serving(rtl_site) as url:
        page.set_viewport_size(DESKTOP)
        page.goto(url + "ar/competencies/active-listening/", wait_until="networkidle")
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        title = page.locator("article h1").bounding_box()
        sidebar = page.locator(".md-sidebar--primary").bounding_box()
        assert sidebar["x"] > DESKTOP["width"] / 2, "the navigation should stand on the right"
        assert title["x"] + title["width"] > DESKTOP["width"] / 2
        assert heading(page) == "الإصغاء الفعّال"
    assert browser_errors == []
