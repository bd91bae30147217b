"""What a reader sees in a real browser: competency and case pages, search, phone layout, printing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

# A name that occurs in one case's scenario and nowhere else in the content (checked below).
SEARCH_CASE = "warehouse-finishing-sentences"
SEARCH_WORD = "Farida"
NONSENSE_WORD = "zqxvbnmwpl"


def load_yaml(relative: str) -> dict:
    return yaml.safe_load((REPO / relative).read_text("utf-8"))


def case_front_matter(slug: str) -> dict:
    text = (REPO / "cases" / f"{slug}.md").read_text("utf-8")
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    assert match, f"cases/{slug}.md has no front matter"
    return yaml.safe_load(match.group(1))


def level_names() -> list[str]:
    return [level["name"] for level in load_yaml("curriculum/framework.yml")["levels"]]


def squash(text: str) -> str:
    return " ".join(text.split())


# The visible words of a heading, without Material's "¶" permalink.
HEADING_TEXT = """element => {
    const copy = element.cloneNode(true);
    copy.querySelectorAll('.headerlink').forEach(link => link.remove());
    return copy.textContent.replace(/\\s+/g, ' ').trim();
}"""

# The headings (h3) between the "Observable behaviours" h2 and the next h2.
BEHAVIOUR_HEADINGS = """article => {
    const start = article.querySelector('h2#observable-behaviours');
    if (!start) return null;
    const found = [];
    for (let node = start.nextElementSibling; node && node.tagName !== 'H2'; node = node.nextElementSibling) {
        if (node.tagName === 'H3' && node.checkVisibility()) {
            const copy = node.cloneNode(true);
            copy.querySelectorAll('.headerlink').forEach(link => link.remove());
            found.push(copy.textContent.replace(/\\s+/g, ' ').trim());
        }
    }
    return found;
}"""


def h1_text(page: Page) -> str:
    return page.locator("article h1").first.evaluate(HEADING_TEXT)


def test_competency_page_shows_title_and_every_level(page: Page, browser_errors: list[str]) -> None:
    response = page.goto("competencies/active-listening/", wait_until="networkidle")
    assert response is not None and response.ok, response and response.status

    assert h1_text(page) == "Active listening"
    headings = page.locator("article").evaluate(BEHAVIOUR_HEADINGS)
    assert headings is not None, "no 'Observable behaviours' section on the page"
    shown = [re.sub(r"^\d+\.\s*", "", heading) for heading in headings]
    assert shown == level_names(), f"behaviour headings {headings} do not match the framework's levels"
    assert browser_errors == []


def test_case_link_leads_to_case_with_mentor_notes(page: Page, browser_errors: list[str]) -> None:
    page.goto("competencies/active-listening/")
    case_links = page.locator("article table a[href*='cases/']")
    expect(case_links.first).to_be_visible()
    link_text = squash(case_links.first.inner_text())

    case_links.first.click()
    page.wait_for_url(re.compile(r"/cases/[^/]+/$"))
    slug = page.url.rstrip("/").rsplit("/", 1)[-1]
    title = case_front_matter(slug)["title"]

    assert h1_text(page) == title
    assert link_text == title, "the link text on the competency page should be the case title"
    notes = page.locator("details.facilitator-notes")  # folded for learners: tests/browser/test_mentor_view.py
    expect(notes).to_have_count(1)
    expect(notes).to_be_visible()
    expect(notes.locator("summary")).to_have_text("For mentors: Mentor notes")
    assert browser_errors == []


def test_search_finds_a_case_by_a_name_in_its_scenario(page: Page, browser_errors: list[str]) -> None:
    # The chosen word must single out one case, or the test proves nothing.
    front = case_front_matter(SEARCH_CASE)
    scenario = (REPO / "cases" / f"{SEARCH_CASE}.md").read_text("utf-8").split("## Scenario", 1)[1]
    assert SEARCH_WORD in scenario.split("\n## ", 1)[0]
    elsewhere = [path.name for folder in ("cases", "docs", "curriculum", "rubrics")
                 for path in (REPO / folder).rglob("*")
                 if path.suffix in (".md", ".yml", ".yaml") and path.name.split(".")[0] != SEARCH_CASE
                 and SEARCH_WORD.lower() in path.read_text("utf-8").lower()]
    assert elsewhere == [], f"{SEARCH_WORD!r} is not distinctive: also in {elsewhere}"

    page.set_viewport_size(DESKTOP)
    page.goto("", wait_until="networkidle")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(SEARCH_WORD, delay=20)

    items = page.locator(".md-search-result__item")
    expect(items.first).to_be_visible()
    first_results = " | ".join(squash(text) for text in items.all_inner_texts()[:3])
    assert front["title"] in first_results, f"{front['title']!r} not among the first results: {first_results}"
    assert browser_errors == []


def test_search_for_nonsense_finds_nothing(page: Page, browser_errors: list[str]) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto("", wait_until="networkidle")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(NONSENSE_WORD, delay=20)

    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile("No matching documents"))
    expect(page.locator(".md-search-result__item")).to_have_count(0)
    assert browser_errors == []


def test_case_library_fits_a_phone_and_the_drawer_opens(page: Page, browser_errors: list[str]) -> None:
    page.set_viewport_size(PHONE)
    page.goto("cases/", wait_until="networkidle")

    widths = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"] + 1, f"the page scrolls sideways on a phone: {widths}"

    drawer_item = page.locator(".md-nav--primary .md-nav__item").filter(
        has=page.locator(":scope > .md-nav__link", has_text="Competency framework")).first
    expect(drawer_item).not_to_be_in_viewport()
    page.locator('.md-header__button[for="__drawer"]').click()
    expect(page.locator("#__drawer")).to_be_checked()
    expect(drawer_item).to_be_visible()
    expect(drawer_item).to_be_in_viewport()
    assert browser_errors == []
