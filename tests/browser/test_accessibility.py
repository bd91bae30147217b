"""axe-core on the pages learners use most, in every language, at desktop and phone widths.

A serious or critical violation fails the test, listed one per line as rule, impact, page, width
and the element (axe's selector) with axe's summary of what to fix. axe-core comes with
axe-playwright-python; it is put into each page before the page's own scripts run (Playwright's
init scripts are not subject to the page's security policy, which stays as published).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.base import AXE_FILE_PATH
from playwright.sync_api import Browser, BrowserContext, Page

from .conftest import OUTSIDE

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SERIOUS = {"serious", "critical"}
# A run on every rule axe has for WCAG 2.x A and AA, and its best practices.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                     "best-practice"]},
               "resultTypes": ["violations"]}


def _first(folder: str, suffix: str) -> str:
    """The first item of a content folder, by file name (translations left out)."""
    return sorted(p.name.removesuffix(suffix) for p in (REPO / folder).glob(f"*{suffix}") if p.name.count(".") == 1)[0]


def languages() -> list[str]:
    """Every language the site builds, the default one first, as mkdocs.yml lists them."""
    text = re.sub(r"!ENV \[[^\]]*\]", "x", (REPO / "mkdocs.yml").read_text("utf-8"))
    plugins = yaml.safe_load(text)["plugins"]
    i18n = next(entry["i18n"] for entry in plugins if isinstance(entry, dict) and "i18n" in entry)
    built = [language for language in i18n["languages"] if language.get("build", True)]
    return sorted((language["locale"] for language in built), key=lambda locale: locale != i18n_default(built))


def i18n_default(languages: list[dict]) -> str:
    return next(language["locale"] for language in languages if language.get("default"))


PAGES = {
    "home": "",
    "matrix": "competencies/",
    "competency": f"competencies/{_first('curriculum/competencies', '.yml')}/",
    "case": f"cases/{_first('cases', '.md')}/",
    "case library": "cases/",
    "rubric": f"rubrics/{_first('rubrics', '.yml')}/",
    "downloads": "downloads/",
}
LANGUAGES = languages()

# Ready once the theme's script has wrapped the tables and ours have built the case filters and the
# self-assessment form (each only where the page has its container).
READY = [(".hb-table", ".hb-table .md-typeset__scrollwrap"),
         ("#hb-case-filters", "#hb-case-filters > *"),
         ("#self-assessment", "#self-assessment > *")]
# Every folded part of the page open, the case library's filters included.
OPEN_EVERYTHING = "() => document.querySelectorAll('details').forEach(details => { details.open = true; })"
RUN_AXE = "options => axe.run(document, options)"


@pytest.fixture(scope="module")
def contexts(browser: Browser, site_url: str) -> Iterator[dict[str, BrowserContext]]:
    """One browser context per width, axe-core in every page they open; pages are reused."""
    made = {}
    for name, viewport in WIDTHS.items():
        context = browser.new_context(base_url=site_url, viewport=viewport)
        context.route(OUTSIDE, lambda route: route.abort())
        context.add_init_script(path=str(AXE_FILE_PATH))
        made[name] = context
    yield made
    for context in made.values():
        context.close()


def _url(language: str, path: str) -> str:
    return ("" if language == LANGUAGES[0] else f"{language}/") + path


def _violations(page: Page, address: str, width: str) -> list[str]:
    response = page.goto(address, wait_until="load")
    assert response is not None and response.ok, f"/{address}: {response and response.status}"
    for container, built in READY:
        if page.locator(container).count():
            page.locator(built).first.wait_for(state="attached")
    page.evaluate(OPEN_EVERYTHING)
    found = []
    for violation in page.evaluate(RUN_AXE, AXE_OPTIONS)["violations"]:
        if violation["impact"] not in SERIOUS:
            continue
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            found.append(f"{violation['id']} ({violation['impact']}) /{address} at {width}: "
                         f"{' '.join(node['target'])}: {summary[:300]}")
    return found


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_serious_axe_violation(contexts: dict[str, BrowserContext], width: str) -> None:
    page = contexts[width].new_page()
    found: list[str] = []
    for language in LANGUAGES:
        for path in PAGES.values():
            found += _violations(page, _url(language, path), width)
    page.close()
    assert not found, f"{len(found)} serious or critical axe violations:\n" + "\n".join(found)


def test_axe_finds_what_it_should(contexts: dict[str, BrowserContext]) -> None:
    """The run above would see a failure: an unnamed dialog and low-contrast text put into a page."""
    page = contexts["desktop"].new_page()
    page.goto("", wait_until="load")
    page.evaluate("""() => {
        document.querySelector('.md-search').removeAttribute('aria-label');
        const text = document.createElement('p');
        text.textContent = 'Hard to read';
        text.style.color = '#bbbbbb';
        document.querySelector('article').append(text);
    }""")
    rules = {violation["id"] for violation in page.evaluate(RUN_AXE, AXE_OPTIONS)["violations"]}
    page.close()
    assert {"aria-dialog-name", "color-contrast"} <= rules, rules
