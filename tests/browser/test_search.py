"""Search as readers type it, in every language: each query of tests/fixtures/search/queries.yml,
typed into Material's search box, must bring its page first (accents and case ignored; the titles
and ids of competencies and cases first)."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
QUERIES = yaml.safe_load((REPO / "tests" / "fixtures" / "search" / "queries.yml").read_text("utf-8"))
DEFAULT = next(iter(QUERIES))  # the file lists the default language first
ITEMS = ".md-search-result__item"
# The first results: the address and title of each one's page.
RESULTS = """() => [...document.querySelectorAll('.md-search-result__item')].slice(0, 3).map(item => {
    const link = item.querySelector('a.md-search-result__link');
    const title = link.querySelector('h1, h2');
    return {href: link.href, title: title ? title.textContent.replace(/\\s+/g, ' ').trim() : ''};
})"""


def _root(site_url: str, language: str) -> str:
    return site_url if language == DEFAULT else urljoin(site_url, f"{language}/")


def _page_of(href: str, root: str) -> str:
    """A result's page, relative to the language's root (no query, no fragment)."""
    path = urlsplit(href).path
    return path.removeprefix(urlsplit(root).path)


def _first_results(page: Page, query: str, expected: str, root: str, timeout: float = 10.0) -> list[dict]:
    """Type ``query`` and wait until the results settle: Material searches at every keystroke and
    shows each answer as it comes, so the list is read again until it holds still (or shows the
    expected page first, held three readings in a row)."""
    search = page.locator("input.md-search__input")
    search.click()
    search.press("Control+a")
    search.press("Backspace")
    expect(page.locator(ITEMS)).to_have_count(0, timeout=20_000)  # the answers to the last query first
    search.press_sequentially(query, delay=15)
    deadline, last, steady = time.monotonic() + timeout, None, 0
    while time.monotonic() < deadline:
        page.wait_for_timeout(150)
        results = page.evaluate(RESULTS)
        steady = steady + 1 if results == last else 0
        last = results
        if results and steady >= 3 and (_page_of(results[0]["href"], root) == expected or steady >= 8):
            break
    return last or []


@pytest.mark.parametrize("language", list(QUERIES))
def test_queries_bring_their_page_first(page: Page, site_url: str, language: str, browser_errors: list[str]) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    root = _root(site_url, language)
    page.goto(root, wait_until="networkidle")
    wrong = []
    for entry in QUERIES[language]:
        results = _first_results(page, entry["query"], entry["first"], root)
        first = results[0] if results else {"href": "", "title": "(no result)"}
        if _page_of(first["href"], root) != entry["first"] or first["title"] != entry["title"]:
            shown = "; ".join(f"{_page_of(r['href'], root)} {r['title']!r}" for r in results) or "no result"
            wrong.append(f"{entry['query']!r} ({entry['why']}): expected {entry['first']} {entry['title']!r}, "
                         f"got {shown}")
    assert not wrong, f"{language}: {len(wrong)} of {len(QUERIES[language])} queries:\n" + "\n".join(wrong)
    assert browser_errors == []


def test_the_queries_cover_what_they_should() -> None:
    """At least 15 queries a language, accent-dropped ones among them, and competency and case
    titles and ids; every expected page exists in the content."""
    competencies = {p.name.split(".")[0] for p in (REPO / "curriculum" / "competencies").glob("*.yml")}
    cases = {p.name.split(".")[0] for p in (REPO / "cases").glob("*.md")}
    for language, entries in QUERIES.items():
        assert len(entries) >= 15, language
        whys = " ".join(entry["why"] for entry in entries)
        assert "accent" in whys and "competency id" in whys and "case id" in whys and "case title" in whys, language
        for entry in entries:
            assert {"query", "first", "title", "why"} <= entry.keys(), entry
            folder, _, rest = entry["first"].partition("/")
            item = rest.rstrip("/")
            if folder == "competencies" and item:
                assert item in competencies, entry
            if folder == "cases" and item:
                assert item in cases, entry
