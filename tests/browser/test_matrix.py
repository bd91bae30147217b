"""The competency x level matrix reads as an overview: scrolled down or sideways, its level headers
stay at the top of its box and the competency names at its start, on a desktop and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

WIDTHS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
BOX = ".hb-matrix .hb-table"

# Where the box and its cells are, as the reader sees them (client rectangles, in CSS pixels).
GEOMETRY = """box => {
    const rect = element => {
        const r = element.getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width};
    };
    const middle = box.getBoundingClientRect().top + box.clientHeight / 2;
    const rows = [...box.querySelectorAll('tbody tr')];
    const row = rows.find(tr => {
        const r = tr.getBoundingClientRect();
        return r.top <= middle && r.bottom >= middle;
    });
    return {
        box: rect(box), clientWidth: box.clientWidth, clientHeight: box.clientHeight,
        scrollWidth: box.scrollWidth, scrollHeight: box.scrollHeight,
        scrollTop: box.scrollTop, scrollLeft: box.scrollLeft,
        level: rect(box.querySelector('thead th:nth-child(2)')),
        corner: rect(box.querySelector('thead th:first-child')),
        name: row ? rect(row.querySelector('td:first-child')) : null,
        nameText: row ? row.querySelector('td:first-child').textContent.trim() : '',
        names: rows.map(tr => tr.querySelector('td:first-child').textContent.trim()),
        page: {width: document.documentElement.scrollWidth, inner: innerWidth, height: innerHeight},
    };
}"""
SCROLL = "(box, to) => { box.scrollTop = to.top; box.scrollLeft = to.left; }"


@pytest.mark.parametrize("viewport", WIDTHS, ids=lambda v: f"{v['width']}px")
def test_headers_and_names_stay_in_view(page: Page, viewport: dict[str, int], browser_errors: list[str]) -> None:
    page.set_viewport_size(viewport)
    page.goto("competencies/", wait_until="networkidle")
    box = page.locator(BOX)
    box.scroll_into_view_if_needed()
    before = box.evaluate(GEOMETRY)

    assert before["page"]["width"] <= before["page"]["inner"] + 1, f"the page scrolls sideways: {before['page']}"
    height = before["box"]["bottom"] - before["box"]["top"]
    assert height <= before["page"]["height"], "the box is taller than the window"
    assert before["scrollHeight"] > before["clientHeight"], "the matrix does not scroll in its box"

    box.evaluate(SCROLL, {"top": before["scrollHeight"] // 2, "left": before["scrollWidth"]})
    page.wait_for_timeout(100)
    after = box.evaluate(GEOMETRY)

    assert after["scrollTop"] > 0
    assert abs(after["level"]["top"] - after["box"]["top"]) <= 1.5, f"level header left the top: {after}"
    assert abs(after["corner"]["top"] - after["box"]["top"]) <= 1.5
    assert after["name"] is not None, "no row across the middle of the box"
    assert after["nameText"] in after["names"] and after["nameText"] != after["names"][0]
    name, edges = after["name"], after["box"]
    inside = edges["left"] - 1.5 <= name["left"] and name["right"] <= edges["right"] + 1.5
    assert inside, f"competency name out of view: {after['name']} in {after['box']}"
    if after["scrollWidth"] > after["clientWidth"]:  # scrolled sideways too: the names stay at the start
        assert after["scrollLeft"] > 0
        assert abs(after["name"]["left"] - after["box"]["left"]) <= 1.5, f"names scrolled away: {after}"
        assert after["name"]["width"] <= after["clientWidth"] / 2, "the names take most of the box"
    assert browser_errors == []
