"""The case library in a real browser: filters that combine, count and live in the address; the keyboard;
no JavaScript; a phone; file://; the way back from a case with the filters kept; and a navigation whose
section labels open their own pages. In English and Spanish (the expected cases come from the content
files, not from the page's data)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "plugins" / "handbook" / "assets"
PHONE = {"width": 390, "height": 844}
ROWS = ".hb-case-library tbody tr"
STATUS = "#hb-cl-status"
LANGUAGES = {"en": ("", "cases shown of"), "es": ("es/", "casos mostrados de")}


def _front_matter(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text("utf-8").split("---")[1])


CASES = {p.stem: _front_matter(p) for p in sorted((REPO / "cases").glob("*.md")) if p.name.count(".") == 1}
CONFIG_FACETS = yaml.safe_load((REPO / "curriculum" / "framework.yml").read_text("utf-8"))["facets"]
CONFIG = yaml.safe_load(re.sub(r"!ENV \[[^\]]*\]", "null", (REPO / "mkdocs.yml").read_text("utf-8")))


def values(case: dict[str, Any], group: str) -> list[str]:
    """The option ids a case has in a group of the filters (a facet, competency, level or role)."""
    if group == "competency":
        return list(case["competencies"])
    if group == "level":
        return [case["level"]]
    if group == "role":
        return list(case["roles"])
    value = case["facets"].get(group, [])
    return value if isinstance(value, list) else [value]


def matching(**chosen: list[str]) -> set[str]:
    return {case_id for case_id, case in CASES.items()
            if all(any(v in values(case, group) for v in wanted) for group, wanted in chosen.items())}


def a_pair() -> tuple[str, str]:
    """A setting and a competency that, together, leave some of the setting's cases but not all."""
    best = None
    for setting in sorted({values(case, "setting")[0] for case in CASES.values()}):
        for competency in sorted({c for case in CASES.values() for c in case["competencies"]}):
            both, alone = len(matching(setting=[setting], competency=[competency])), len(matching(setting=[setting]))
            if 2 <= both < alone and (best is None or both > best[0]):
                best = (both, setting, competency)
    assert best is not None
    return best[1], best[2]


SETTING, COMPETENCY = a_pair()


def open_library(page: Page, prefix: str = "", query: str = "") -> None:
    response = page.goto(f"{prefix}cases/{query}", wait_until="load")
    assert response is not None and response.ok
    page.wait_for_selector(f"{STATUS}")


def shown(page: Page) -> set[str]:
    """The ids of the cases whose rows are visible."""
    links = page.locator(f"{ROWS} a.hb-case-link")
    hrefs = links.evaluate_all("links => links.filter(a => a.offsetParent !== null).map(a => a.getAttribute('href'))")
    return {href.strip("/").split("/")[-1].removesuffix(".html") for href in hrefs}


def box(page: Page, group: str, option: str):
    return page.locator(f"#hb-case-filters input[type=checkbox][name='{group}'][value='{option}']")


def count_of(page: Page, group: str, option: str) -> int:
    text = box(page, group, option).locator("xpath=following-sibling::label//span[@class='hb-cl-count']").inner_text()
    return int(re.sub(r"\D", "", text))


def checked(page: Page) -> dict[str, list[str]]:
    pairs = page.locator("#hb-case-filters input[type=checkbox]:checked").evaluate_all(
        "boxes => boxes.map(b => [b.name, b.value])")
    result: dict[str, list[str]] = {}
    for name, value in pairs:
        result.setdefault(name, []).append(value)
    return result


# -- Filters ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_two_filters_combine_and_every_option_counts_with_the_others(page: Page, language: str,
                                                                     browser_errors: list[str]) -> None:
    prefix, words = LANGUAGES[language]
    open_library(page, prefix)
    assert shown(page) == set(CASES)
    expect(page.locator(STATUS)).to_have_text(re.compile(rf"^{len(CASES)} {words} {len(CASES)}$"))

    box(page, "setting", SETTING).check()
    assert shown(page) == matching(setting=[SETTING])
    box(page, "competency", COMPETENCY).check()
    expected = matching(setting=[SETTING], competency=[COMPETENCY])
    assert shown(page) == expected
    expect(page.locator(STATUS)).to_have_text(re.compile(rf"^{len(expected)} {words} {len(CASES)}$"))

    # Each option counts the cases it would show with the other groups as they are.
    for setting in {values(case, "setting")[0] for case in CASES.values()}:
        assert count_of(page, "setting", setting) == len(matching(setting=[setting], competency=[COMPETENCY]))
    for competency in {c for case in CASES.values() for c in case["competencies"]}:
        assert count_of(page, "competency", competency) == len(matching(setting=[SETTING], competency=[competency]))
    level = values(CASES[sorted(expected)[0]], "level")[0]
    assert count_of(page, "level", level) == len(matching(setting=[SETTING], competency=[COMPETENCY], level=[level]))

    # Within a group, any ticked option will do.
    other = next(s for s in sorted({values(c, "setting")[0] for c in CASES.values()}) if s != SETTING)
    box(page, "setting", other).check()
    assert shown(page) == matching(setting=[SETTING, other], competency=[COMPETENCY])
    assert page.locator("#hb-case-filters .hb-cl-how").inner_text().strip()
    assert browser_errors == []


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_address_holds_the_filters_and_brings_them_back(page: Page, language: str,
                                                            browser_errors: list[str]) -> None:
    prefix, _ = LANGUAGES[language]
    open_library(page, prefix, f"?setting={SETTING}&competency={COMPETENCY}")
    assert checked(page) == {"setting": [SETTING], "competency": [COMPETENCY]}
    expected = matching(setting=[SETTING], competency=[COMPETENCY])
    assert shown(page) == expected

    box(page, "competency", COMPETENCY).uncheck()
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"setting": [SETTING]}
    role = values(CASES[sorted(expected)[0]], "role")[0]
    box(page, "role", role).check()
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"setting": [SETTING], "role": [role]}
    filtered = shown(page)
    assert filtered == matching(setting=[SETTING], role=[role])

    page.reload(wait_until="load")
    page.wait_for_selector(STATUS)
    assert checked(page) == {"setting": [SETTING], "role": [role]}
    assert shown(page) == filtered

    page.locator("#hb-case-filters").get_by_role("button").click()  # clear all filters
    assert checked(page) == {}
    assert shown(page) == set(CASES)
    assert urlsplit(page.url).query == ""
    # What the program does not have is no filter; what no case has is said.
    open_library(page, prefix, "?setting=nowhere&unknown=1")
    assert checked(page) == {} and shown(page) == set(CASES)
    expect(page.locator(".hb-cl-none")).to_be_hidden()
    options = {group: sorted({v for c in CASES.values() for v in values(c, group)})
               for group in ("setting", "competency", "level", "role")}
    (one, first), (other, second) = next(
        ((one, a), (other, b)) for one in options for other in options if one < other
        for a in options[one] for b in options[other] if not matching(**{one: [a], other: [b]}))
    open_library(page, prefix, f"?{one}={first}&{other}={second}")
    assert shown(page) == set()
    expect(page.locator(".hb-cl-none")).to_be_visible()
    assert browser_errors == []


def test_the_filters_work_with_the_keyboard_alone(page: Page, browser_errors: list[str]) -> None:
    open_library(page)
    status = page.locator(STATUS)
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    legends = page.locator("#hb-case-filters fieldset > legend").all_inner_texts()
    assert len(legends) == len(CONFIG_FACETS) + 3

    def tab_to(selector: str, limit: int = 300) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#hb-case-filters input[type=checkbox]")
    first = page.evaluate("[document.activeElement.name, document.activeElement.value]")
    page.keyboard.press("Space")
    assert checked(page) == {first[0]: [first[1]]}
    expected = matching(**{first[0]: [first[1]]})
    expect(status).to_have_text(re.compile(rf"^{len(expected)} cases? shown of {len(CASES)}$"))
    assert shown(page) == expected
    page.keyboard.press("Space")
    expect(status).to_have_text(re.compile(rf"^{len(CASES)} cases shown"))

    page.keyboard.press("Space")
    tab_to("#hb-case-filters button")
    page.keyboard.press("Enter")
    assert checked(page) == {}
    expect(status).to_have_text(re.compile(rf"^{len(CASES)} cases shown"))
    assert browser_errors == []


def test_without_javascript_the_library_is_the_whole_list(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=site_url)
    try:
        page = context.new_page()
        page.goto(f"cases/?setting={SETTING}")
        assert shown(page) == set(CASES)
        assert page.locator("#hb-case-filters *").count() == 0
        for row in page.locator(ROWS).all():
            expect(row).to_be_visible()
        page.goto(f"cases/{sorted(CASES)[0]}/")
        expect(page.locator(".hb-case-nav a.hb-case-back")).to_have_attribute("href", "../")
    finally:
        context.close()


def test_a_phone_reads_the_library_as_cards_without_sideways_scrolling(page: Page, browser_errors: list[str]) -> None:
    page.set_viewport_size(PHONE)
    open_library(page, "", f"?setting={SETTING}")
    for opened in (True, False):  # the filters open (the address filters) and folded away
        assert page.locator("#hb-case-filters details").evaluate("d => d.open") is opened
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        wide = page.locator("article *").evaluate_all(
            f"nodes => nodes.filter(n => n.getBoundingClientRect().right > {PHONE['width']} + 0.5)"
            ".map(n => n.outerHTML.slice(0, 80))")
        assert wide == []
        page.locator("#hb-case-filters summary").click()
    rows = page.locator(ROWS)
    visible = [row for row in rows.all() if row.is_visible()]
    assert len(visible) == len(matching(setting=[SETTING]))
    card = visible[0]
    assert card.evaluate("r => getComputedStyle(r).display") == "block"
    assert page.locator(".hb-case-library thead").evaluate("t => getComputedStyle(t).display") == "none"
    # Each card names what it shows: title, summary, each facet, level, competencies and roles.
    for label in [f["title"] for f in CONFIG_FACETS] + ["Target level", "Competencies", "Roles"]:
        expect(card.locator(".hb-cell-label", has_text=label)).to_be_visible()
    expect(card.locator("td:first-child p")).to_be_visible()
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert browser_errors == []


def test_the_library_filters_from_the_file_system(page: Page, site: Path, browser_errors: list[str]) -> None:
    library = (site / "cases" / "index.html").as_uri()
    page.goto(f"{library}?setting={SETTING}", wait_until="load")
    page.wait_for_selector(STATUS)
    assert shown(page) == matching(setting=[SETTING])
    box(page, "competency", COMPETENCY).check()
    assert shown(page) == matching(setting=[SETTING], competency=[COMPETENCY])
    assert parse_qs(urlsplit(page.url).query) == {"setting": [SETTING], "competency": [COMPETENCY]}
    # (Material's search needs its index, which a browser will not load from file://.)
    assert [error for error in browser_errors if "search_index" not in error] == []


# -- From a case and back -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_a_case_leads_back_to_the_filtered_library_and_through_its_cases(page: Page, site_url: str, language: str,
                                                                         browser_errors: list[str]) -> None:
    prefix, _ = LANGUAGES[language]
    query = f"?setting={SETTING}&competency={COMPETENCY}"
    open_library(page, prefix, query)
    order = page.locator(f"{ROWS}:not([hidden]) a.hb-case-link").evaluate_all(
        "links => links.map(a => a.getAttribute('href').split('/')[0])")
    assert set(order) == matching(setting=[SETTING], competency=[COMPETENCY]) and len(order) >= 2

    page.locator(f"{ROWS}:not([hidden]) a.hb-case-link").first.click()
    page.wait_for_url(re.compile(rf"/cases/{order[0]}/$"))
    # Where the case stands: the breadcrumbs and the navigation both lead to the library.
    crumb = page.locator(".md-path a").last.evaluate("a => a.href")
    assert crumb.startswith(site_url + f"{prefix}cases/?") and parse_qs(urlsplit(crumb).query) == {
        "setting": [SETTING], "competency": [COMPETENCY]}
    expect(page.locator(".md-nav--primary .md-nav__item--active > a.md-nav__link")).to_have_attribute("href", "../")
    nav = page.locator(".hb-case-nav")
    expect(nav.locator("a.hb-case-previous")).to_be_hidden()  # the first of the filtered cases
    expect(nav.locator("a.hb-case-next")).to_have_attribute("href", re.compile(rf"/cases/{order[1]}/$"))
    nav.locator("a.hb-case-next").click()
    page.wait_for_url(re.compile(rf"/cases/{order[1]}/$"))
    expect(page.locator(".hb-case-nav a.hb-case-previous")).to_have_attribute(
        "href", re.compile(rf"/cases/{order[0]}/$"))

    page.locator(".hb-case-nav a.hb-case-back").click()
    page.wait_for_url(re.compile(r"/cases/\?"))
    page.wait_for_selector(STATUS)
    assert parse_qs(urlsplit(page.url).query) == {"setting": [SETTING], "competency": [COMPETENCY]}
    assert checked(page) == {"setting": [SETTING], "competency": [COMPETENCY]}
    assert shown(page) == set(order)
    assert browser_errors == []


def test_without_filters_a_case_steps_through_the_whole_library(page: Page) -> None:
    open_library(page)
    order = page.locator(f"{ROWS} a.hb-case-link").evaluate_all(
        "links => links.map(a => a.getAttribute('href').split('/')[0])")
    page.goto(f"cases/{order[0]}/")
    nav = page.locator(".hb-case-nav")
    expect(nav.locator("a.hb-case-back")).to_have_attribute("href", "../")
    expect(nav.locator("a.hb-case-previous")).to_be_hidden()
    expect(nav.locator("a.hb-case-next")).to_have_attribute("href", f"../{order[1]}/")
    page.goto(f"cases/{order[-1]}/")
    expect(page.locator(".hb-case-nav a.hb-case-previous")).to_have_attribute("href", f"../{order[-2]}/")
    expect(page.locator(".hb-case-nav a.hb-case-next")).to_be_hidden()


# -- Navigation ---------------------------------------------------------------------------------------


def _url_of(path: str) -> str:
    stem = path.removesuffix(".md")
    stem = "" if stem == "index" else stem.removesuffix("/index")
    return f"{stem}/" if stem else ""


def _written_pages(entries: list[Any]) -> list[str]:
    found: list[str] = []
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        found += _written_pages(value) if isinstance(value, list) else [value]
    return found


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_section_label_opens_its_own_page(page: Page, site_url: str, language: str,
                                                browser_errors: list[str]) -> None:
    prefix, _ = LANGUAGES[language]
    top = page.locator(".md-nav--primary > .md-nav__list > .md-nav__item")
    page.goto(prefix, wait_until="load")
    written = CONFIG["nav"]
    assert top.count() == len(written)
    for index, entry in enumerate(written):
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        expected = _url_of(value[0] if isinstance(value, list) else value)
        page.goto(prefix, wait_until="load")
        item = top.nth(index)
        link = item.locator(":scope > a.md-nav__link, :scope > .md-nav__container > a.md-nav__link")
        label = " ".join(link.inner_text().split())
        link.click()
        page.wait_for_url(site_url + prefix + expected)
        # The page is the section's own: its entry is the current page, inside the section's item.
        item = top.nth(index)
        expect(item).to_have_class(re.compile(r"\bmd-nav__item--active\b"))
        current = item.locator("a.md-nav__link--active").first
        expect(current).to_have_attribute("href", re.compile(r"^\./$|^\.$"))
        assert " ".join(current.inner_text().split()) == label
        if isinstance(value, list) and value[0].removesuffix(".md") in ("governance", "assessment"):
            heading = " ".join(page.locator("article h1").inner_text().split())
            assert label.casefold() in heading.casefold(), (label, heading)

    # Every page is still in the navigation: written, and generated (competencies and rubrics).
    page.goto(prefix, wait_until="load")
    hrefs = {urlsplit(href).path.removeprefix(urlsplit(site_url).path + prefix)
             for href in page.locator(".md-nav--primary a.md-nav__link").evaluate_all("as => as.map(a => a.href)")}
    assert {_url_of(p) for p in _written_pages(written)} <= hrefs
    for folder in ("curriculum/competencies", "rubrics"):
        for path in (REPO / folder).glob("*.yml"):
            if path.name.count(".") == 1:
                assert f"{folder.rpartition('/')[2]}/{path.stem}/" in hrefs
    assert not any(href.startswith("cases/") and href != "cases/" for href in hrefs)
    assert browser_errors == []


def test_the_script_fetches_nothing_and_writes_only_text() -> None:
    code = (ASSETS / "case-library.js").read_text("utf-8")
    for call in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "EventSource", "innerHTML",
                 "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert call not in code
