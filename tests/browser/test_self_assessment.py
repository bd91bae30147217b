"""The self-assessment on rubric pages, in a real browser: the scoring port against the shared table, the
form (ticks, levels, notes), saving in the browser only, export and import, versions, verdicts, the
keyboard, a phone, print, and a browser without JavaScript; on the coaching handbook and on the second
program (German, Arabic and right to left, a weighted mean with fractional floors)."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
TABLE = json.loads((REPO / "tests" / "fixtures" / "scoring" / "cases.json").read_text("utf-8"))
ASSETS = REPO / "plugins" / "handbook" / "assets"
RUBRIC = "rubrics/coaching-cycle/"
# The rubric's own version: saved answers and exported files are keyed by it.
VERSION = yaml.safe_load((REPO / "rubrics" / "coaching-cycle.yml").read_text("utf-8"))["version"]
PRECEPTOR_RUBRIC = "rubrics/preceptor-practice/"
PHONE = {"width": 390, "height": 844}
FORM = "div#self-assessment.hb-self-assessment"
VERDICT = "#hb-sa-verdict"

RUN_TABLE = """table => table.cases.map(row => {
    try {
        const result = HandbookScoring.scoreEntry(table.schemes[row.scheme], row.ratings);
        const criteria = {};
        result.criteria.forEach(c => { criteria[c.id] = c.score.toString(); });
        return {error: false, criteria, aggregate: result.aggregate.toString(), status: result.status,
                failing: result.failing, insufficient: result.insufficient};
    } catch (error) {
        return {error: true, message: String(error && error.message)};
    }
})"""

DATA = """() => JSON.parse(
    document.querySelector('script[type="application/json"]#hb-self-assessment-data').textContent)"""
# The self-assessment's own entries in localStorage (the theme keeps its palette there too).
STORED = """() => Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith('handbook-self-assessment|'))
    .map(k => [k, localStorage.getItem(k)]))"""


def open_form(page: Page, url: str) -> dict[str, Any]:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, url
    page.wait_for_selector(f"{FORM} .hb-sa-criterion")
    return page.evaluate(DATA)


def criterion(page: Page, index: int):
    return page.locator(f"{FORM} .hb-sa-criterion").nth(index)


def rate(page: Page, index: int, level: str) -> None:
    criterion(page, index).locator(f"input[type=radio][value='{level}']").check()


def answers(page: Page) -> list[dict[str, Any]]:
    """What the form shows: per criterion the ticked look-for keys, the picked level and the note."""
    return page.locator(f"{FORM} .hb-sa-criterion").evaluate_all("""sections => sections.map(s => ({
        ticks: [...s.querySelectorAll('input[type=checkbox]:checked')].map(b => b.dataset.key),
        level: (s.querySelector('input[type=radio]:checked') || {}).value || '',
        note: s.querySelector('textarea').value}))""")


def fill_some(page: Page) -> None:
    first = criterion(page, 0)
    first.locator("input[type=checkbox]").nth(0).check()
    first.locator("input[type=checkbox]").nth(7).check()
    rate(page, 0, "proficient")
    first.locator("textarea").fill("Agreement, page 2; session 1 at 04:10.")
    rate(page, 2, "exemplary")


def write_file(tmp_path: Path, name: str, content: str | dict) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


def import_file(page: Page, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.locator(f"{FORM} .hb-sa-import").click()
    chooser.value.set_files(str(path))


def no_overflow(page: Page) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wide = page.locator(f"{FORM} *").evaluate_all(
        f"(nodes) => nodes.filter(n => n.getBoundingClientRect().right > {width} + 0.5 "
        f"|| n.getBoundingClientRect().left < -0.5).map(n => n.outerHTML.slice(0, 80))")
    assert wide == []


# -- The scoring port ----------------------------------------------------------------------------------


def test_the_browser_port_gives_the_tables_figures(page: Page, browser_errors: list[str]) -> None:
    open_form(page, RUBRIC)
    results = page.evaluate(RUN_TABLE, TABLE)
    assert len(results) == len(TABLE["cases"]) >= 20
    for row, got in zip(TABLE["cases"], results, strict=True):
        if row.get("error"):
            assert got["error"], f"{row['name']}: the port accepted what the rule refuses"
            continue
        assert not got["error"], f"{row['name']}: {got.get('message')}"
        expected = {key: str(Fraction(value)) for key, value in row["criteria"].items()}
        assert got["criteria"] == expected, row["name"]
        assert got["aggregate"] == str(Fraction(row["aggregate"])), row["name"]
        assert (got["status"], got["failing"], got["insufficient"]) == (row["status"], row["failing"],
                                                                       row["insufficient"]), row["name"]
    assert browser_errors == []


def test_the_port_uses_no_floating_point_and_the_widget_no_network() -> None:
    scoring = (ASSETS / "scoring.js").read_text("utf-8")
    widget = (ASSETS / "self-assessment.js").read_text("utf-8")
    assert "parseFloat" not in scoring and "toFixed" not in scoring and "BigInt" in scoring
    for code in (scoring, widget):
        for call in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "EventSource", "innerHTML",
                     "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert call not in code


def test_the_port_formats_figures_like_the_python_rule(page: Page) -> None:
    open_form(page, RUBRIC)
    shown = page.evaluate("""() => ['11/4', '17/6', '3', '-1/2', '1/8', '2/3'].map(
        v => HandbookScoring.parse(v).format(2, ','))""")
    assert shown == ["2,75", "2,83", "3", "-0,5", "0,125", "0,67"]
    assert page.evaluate("HandbookScoring.distinct(HandbookScoring.parse('2.9997'), "
                         "HandbookScoring.parse('3'), '.')") == ["2.9997", "3"]


# -- The form on the coaching handbook -----------------------------------------------------------------


def test_the_form_is_built_from_the_pages_data(page: Page, browser_errors: list[str]) -> None:
    data = open_form(page, RUBRIC)
    assert data["program"] == "coaching-certification" and data["rubric"] == "coaching-cycle"
    assert data["version"] == VERSION
    sections = page.locator(f"{FORM} .hb-sa-criterion")
    expect(sections).to_have_count(len(data["criteria"]))
    first = data["criteria"][0]
    boxes = sections.nth(0).locator("input[type=checkbox]")
    expect(boxes).to_have_count(sum(len(group["items"]) for group in first["look_fors"]))
    expect(sections.nth(0).get_by_label(first["look_fors"][0]["items"][0]["text"], exact=True)).to_be_visible()
    expect(sections.nth(0).get_by_role("radiogroup", name=data["labels"]["level"])).to_be_visible()
    expect(sections.nth(0).get_by_label(data["labels"]["note"])).to_be_visible()
    expect(page.locator(".hb-sa-noscript")).to_be_hidden()
    expect(page.locator(VERDICT)).to_have_attribute("aria-live", "polite")
    link = page.locator(f"{FORM} .hb-sa-verdict-note a")
    expect(link).to_have_attribute("href", "../../assessment/")
    # Only the form's own container carries the id; the section's heading has its own anchor.
    assert page.locator("#self-assessment").count() == 1
    assert browser_errors == []


def test_ticks_levels_and_notes_survive_a_reload(page: Page, browser_errors: list[str]) -> None:
    data = open_form(page, RUBRIC)
    fill_some(page)
    before = answers(page)
    assert before[0]["level"] == "proficient" and len(before[0]["ticks"]) == 2 and before[2]["level"] == "exemplary"
    expect(criterion(page, 0).locator(".hb-sa-status")).to_have_attribute("data-status", "met")
    expect(criterion(page, 0).locator(".hb-sa-status")).to_contain_text("3")

    page.reload()
    page.wait_for_selector(f"{FORM} .hb-sa-criterion")

    assert answers(page) == before
    stored = page.evaluate(STORED)
    key = f"handbook-self-assessment|coaching-certification|coaching-cycle|{data['version']}"
    assert list(stored) == [key]
    record = json.loads(stored[key])
    assert record["criteria"][data["criteria"][0]["id"]]["note"] == "Agreement, page 2; session 1 at 04:10."
    expect(page.locator(VERDICT)).to_have_attribute("data-status", "incomplete")
    assert browser_errors == []


def test_export_reset_import_brings_the_answers_back(page: Page, tmp_path: Path, browser_errors: list[str]) -> None:
    open_form(page, RUBRIC)
    fill_some(page)
    before = answers(page)
    with page.expect_download() as download:
        page.locator(f"{FORM} .hb-sa-export").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.name == f"coaching-certification-coaching-cycle-{VERSION}-self-assessment.json"
    record = json.loads(exported.read_text("utf-8"))
    assert (record["program"], record["rubric"], record["version"]) == ("coaching-certification", "coaching-cycle",
                                                                       VERSION)

    page.locator(f"{FORM} .hb-sa-reset").click()
    expect(page.locator(f"{FORM} .hb-sa-confirm")).to_be_visible()
    assert answers(page) == before, "asking for confirmation clears nothing"
    page.locator(f"{FORM} .hb-sa-reset-yes").click()
    assert all(a == {"ticks": [], "level": "", "note": ""} for a in answers(page))
    assert page.evaluate(STORED) == {}
    page.reload()
    page.wait_for_selector(f"{FORM} .hb-sa-criterion")
    assert all(a == {"ticks": [], "level": "", "note": ""} for a in answers(page))

    import_file(page, exported)
    expect(page.locator(f"{FORM} .hb-sa-message")).to_have_attribute("data-kind", "done")
    assert answers(page) == before
    page.reload()
    page.wait_for_selector(f"{FORM} .hb-sa-criterion")
    assert answers(page) == before
    assert browser_errors == []


def test_cancelling_the_reset_keeps_everything(page: Page) -> None:
    open_form(page, RUBRIC)
    fill_some(page)
    before = answers(page)
    page.locator(f"{FORM} .hb-sa-reset").click()
    page.locator(f"{FORM} .hb-sa-reset-no").click()
    expect(page.locator(f"{FORM} .hb-sa-confirm")).to_be_hidden()
    assert answers(page) == before
    assert len(page.evaluate(STORED)) == 1


@pytest.mark.parametrize("content", [
    "this is not JSON",
    "",
    "[1, 2, 3]",
    {"format": "something-else", "program": "coaching-certification", "rubric": "coaching-cycle",
     "version": VERSION, "criteria": {}},
    {"format": "handbook-self-assessment", "program": "coaching-certification", "rubric": "coaching-cycle",
     "version": VERSION, "criteria": {"shared-agreement": {"level": "proficient", "ticks": "all", "note": ""}}},
    {"format": "handbook-self-assessment", "program": "coaching-certification", "rubric": "coaching-cycle",
     "version": VERSION, "criteria": {"no-such-criterion": {"level": None, "ticks": [], "note": ""}}},
    {"format": "handbook-self-assessment", "program": "coaching-certification", "rubric": "coaching-cycle",
     "version": VERSION, "criteria": {"shared-agreement": {"level": "legendary", "ticks": [], "note": ""}}},
], ids=["text", "empty", "array", "other-format", "ticks-not-a-list", "unknown-criterion", "unknown-level"])
def test_a_malformed_file_changes_nothing_and_says_so(page: Page, tmp_path: Path, content: str | dict) -> None:
    open_form(page, RUBRIC)
    fill_some(page)
    before, stored = answers(page), page.evaluate(STORED)

    import_file(page, write_file(tmp_path, "answers.json", content))

    message = page.locator(f"{FORM} .hb-sa-message")
    expect(message).to_have_attribute("data-kind", "error")
    expect(message).to_contain_text("answers.json")
    expect(message).to_contain_text("Nothing was changed")
    assert answers(page) == before
    assert page.evaluate(STORED) == stored


@pytest.mark.parametrize("program, rubric", [("another-program", "coaching-cycle"),
                                             ("coaching-certification", "coaching-culture")])
def test_a_file_of_another_program_or_rubric_changes_nothing(page: Page, tmp_path: Path, program: str,
                                                             rubric: str) -> None:
    data = open_form(page, RUBRIC)
    fill_some(page)
    before, stored = answers(page), page.evaluate(STORED)
    first = data["criteria"][0]
    foreign = {"format": "handbook-self-assessment", "format_version": 1, "program": program, "rubric": rubric,
               "version": data["version"],
               "criteria": {first["id"]: {"key": first["key"], "level": "exemplary", "ticks": [], "note": "x"}}}

    import_file(page, write_file(tmp_path, "foreign.json", foreign))

    message = page.locator(f"{FORM} .hb-sa-message")
    expect(message).to_have_attribute("data-kind", "error")
    expect(message).to_contain_text(f"{program} / {rubric}")
    assert answers(page) == before
    assert page.evaluate(STORED) == stored


def seeded_old_version(data: dict[str, Any]) -> dict[str, Any]:
    """Answers saved for an older version: the first criterion unchanged (one tick whose look-for is gone),
    the second one changed since (another key), the third unchanged."""
    c0, c1, c2 = data["criteria"][:3]
    tick = c0["look_fors"][2]["items"][0]["key"]
    return {"format": "handbook-self-assessment", "format_version": 1, "program": data["program"],
            "rubric": data["rubric"], "version": "0.9.0", "language": "en", "saved": "2025-01-01T00:00:00Z",
            "criteria": {c0["id"]: {"key": c0["key"], "level": "developing", "ticks": [tick, "gone-look-for"],
                                    "note": "from 0.9"},
                         c1["id"]: {"key": "changed-since", "level": "exemplary", "ticks": [], "note": "old"},
                         c2["id"]: {"key": c2["key"], "level": "proficient", "ticks": [], "note": ""}}}


def test_a_new_rubric_version_starts_empty_and_offers_to_carry_over(page: Page, browser_errors: list[str]) -> None:
    data = open_form(page, RUBRIC)
    old = seeded_old_version(data)
    old_key = "handbook-self-assessment|coaching-certification|coaching-cycle|0.9.0"
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [old_key, json.dumps(old)])
    page.reload()
    page.wait_for_selector(f"{FORM} .hb-sa-criterion")

    assert all(a == {"ticks": [], "level": "", "note": ""} for a in answers(page)), "old answers reused silently"
    banner = page.locator(f"{FORM} .hb-sa-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("version 0.9.0")
    expect(banner).to_contain_text(f"version {VERSION}")
    assert list(page.evaluate(STORED)) == [old_key]

    banner.get_by_role("button").click()

    shown = answers(page)
    tick = data["criteria"][0]["look_fors"][2]["items"][0]["key"]
    assert shown[0] == {"ticks": [tick], "level": "developing", "note": "from 0.9"}
    assert shown[1] == {"ticks": [], "level": "", "note": ""}, "a changed criterion must start empty"
    assert shown[2]["level"] == "proficient"
    expect(banner).to_be_hidden()
    expect(page.locator(f"{FORM} .hb-sa-message")).to_contain_text("2 of 5")
    stored = page.evaluate(STORED)
    assert set(stored) == {old_key, old_key.replace("0.9.0", VERSION)}, "the old version's answers are kept"
    assert json.loads(stored[old_key]) == old
    page.reload()
    page.wait_for_selector(f"{FORM} .hb-sa-criterion")
    assert answers(page) == shown
    expect(banner).to_be_hidden()
    assert browser_errors == []


def test_a_file_of_another_version_is_carried_over_where_criteria_match(page: Page, tmp_path: Path) -> None:
    data = open_form(page, RUBRIC)
    import_file(page, write_file(tmp_path, "old.json", seeded_old_version(data)))
    expect(page.locator(f"{FORM} .hb-sa-message")).to_contain_text("0.9.0")
    shown = answers(page)
    assert shown[0]["note"] == "from 0.9" and shown[1]["level"] == "" and shown[2]["level"] == "proficient"


def test_verdicts_say_where_the_evidence_stands_below_a_floor_and_at_a_pass(page: Page) -> None:
    data = open_form(page, RUBRIC)
    verdict = page.locator(VERDICT)
    expect(verdict).to_contain_text("0 of 5")
    for index in range(len(data["criteria"])):
        rate(page, index, "proficient")
    expect(verdict).to_have_attribute("data-status", "pass")
    expect(verdict).to_contain_text("every criterion meets its floor")
    expect(verdict).to_contain_text("The mean of your ratings, 3, reaches the threshold of 3.")

    rate(page, 1, "developing")  # 2 is below the floor of 2.5
    expect(verdict).to_have_attribute("data-status", "below_floor")
    expect(verdict).to_contain_text(f"1 of 5 criteria are below their floor: {data['criteria'][1]['title']}")
    expect(verdict).to_contain_text("The mean of your ratings, 2.8, is below the threshold of 3.")
    expect(criterion(page, 1).locator(".hb-sa-status")).to_have_attribute("data-status", "below_floor")
    expect(criterion(page, 1).locator(".hb-sa-status")).to_contain_text(
        "Your rating, 2, is below this criterion's floor of 2.5.")

    rate(page, 1, "")
    expect(verdict).to_have_attribute("data-status", "incomplete")


def test_the_form_can_be_completed_with_the_keyboard_only(page: Page, browser_errors: list[str]) -> None:
    data = open_form(page, RUBRIC)
    page.locator("#self-assessment-heading .headerlink").focus()  # the last link before the form

    def tab_to(selector: str, limit: int = 400) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    for index, _ in enumerate(data["criteria"]):
        tab_to(f"#hb-sa-{index}-look-2-0")
        page.keyboard.press("Space")
        tab_to(f"input[name='hb-sa-{index}-level']")
        for _ in range(3):  # from "not rated yet" down to the third point of the scale
            page.keyboard.press("ArrowDown")
        tab_to(f"#hb-sa-{index}-note")
        page.keyboard.type(f"evidence {index}")

    shown = answers(page)
    assert [a["level"] for a in shown] == ["proficient"] * len(data["criteria"])
    assert [a["note"] for a in shown] == [f"evidence {i}" for i in range(len(data["criteria"]))]
    assert all(len(a["ticks"]) == 1 for a in shown)
    expect(page.locator(VERDICT)).to_have_attribute("data-status", "pass")

    tab_to(f"{FORM} .hb-sa-reset")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.matches('.hb-sa-reset-yes')")
    page.keyboard.press("Escape")
    expect(page.locator(f"{FORM} .hb-sa-confirm")).to_be_hidden()
    assert page.evaluate("document.activeElement.matches('.hb-sa-reset')")
    assert answers(page) == shown
    assert browser_errors == []


def test_nothing_leaves_the_browser(page: Page, site_url: str, tmp_path: Path, browser_errors: list[str]) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    data = open_form(page, RUBRIC)
    page.wait_for_load_state("networkidle")
    loaded = len(requests)
    page.context.set_offline(True)  # from here on, no network at all
    fill_some(page)
    for index in range(len(data["criteria"])):
        rate(page, index, "exemplary")
    expect(page.locator(VERDICT)).to_have_attribute("data-status", "pass")
    with page.expect_download() as download:
        page.locator(f"{FORM} .hb-sa-export").click()
    download.value.save_as(tmp_path / "answers.json")
    page.locator(f"{FORM} .hb-sa-reset").click()
    page.locator(f"{FORM} .hb-sa-reset-yes").click()
    import_file(page, tmp_path / "answers.json")
    expect(page.locator(VERDICT)).to_have_attribute("data-status", "pass")
    page.context.set_offline(False)

    assert [url for url in requests if not url.startswith((site_url, "blob:", "data:"))] == []
    assert any(url.endswith("/assets/handbook/self-assessment.js") for url in requests[:loaded])
    assert [url for url in requests[loaded:] if not url.startswith(("blob:", "data:"))] == [], \
        "filling in, exporting and importing must make no request"
    assert browser_errors == []


def test_a_phone_shows_the_form_without_sideways_scrolling(page: Page) -> None:
    page.set_viewport_size(PHONE)
    open_form(page, RUBRIC)
    fill_some(page)
    no_overflow(page)
    box = criterion(page, 0).locator("textarea").bounding_box()
    assert box is not None and box["width"] > 250


def test_printing_keeps_ticks_levels_and_notes(page: Page, tmp_path: Path) -> None:
    open_form(page, RUBRIC)
    fill_some(page)
    page.emulate_media(media="print")
    first = criterion(page, 0)
    expect(first.locator("textarea")).to_be_hidden()
    expect(first.locator(".hb-sa-print-note")).to_be_visible()
    expect(first.locator(".hb-sa-print-note")).to_have_text("Agreement, page 2; session 1 at 04:10.")
    expect(page.locator(f"{FORM} .hb-sa-actions")).to_be_hidden()
    expect(first.locator("input[type=radio][value='proficient']")).to_be_checked()
    page.pdf(path=str(tmp_path / "rubric.pdf"), format="A4", print_background=True)
    assert (tmp_path / "rubric.pdf").stat().st_size > 10_000


def test_without_javascript_the_page_says_what_to_do(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=site_url)
    try:
        page = context.new_page()
        page.goto(RUBRIC)
        expect(page.locator(".hb-sa-noscript")).to_be_visible()
        expect(page.locator(".hb-sa-noscript")).to_contain_text("needs JavaScript")
        assert page.locator(f"{FORM} *").count() == 0
    finally:
        context.close()


def test_each_language_gets_its_own_words(page: Page) -> None:
    data = open_form(page, "es/" + RUBRIC)
    assert data["language"] == "es" and data["decimal"] == ","
    expect(page.locator(f"{FORM} .hb-sa-criterion").first.locator("legend").first).to_have_text(
        data["labels"]["look_fors"])
    assert data["labels"]["look_fors"] != "Look-fors you can evidence"
    for index in range(len(data["criteria"])):
        rate(page, index, "proficient")
    rate(page, 0, "exemplary")
    expect(page.locator(VERDICT)).to_contain_text("3,2")


# -- The second program ------------------------------------------------------------------------------


def test_the_second_program_weighs_its_mean_and_fractional_floors(page: Page, preceptor_site_url: str,
                                                                   browser_errors: list[str]) -> None:
    data = open_form(page, preceptor_site_url + PRECEPTOR_RUBRIC)
    assert data["language"] == "de" and data["rule"]["aggregate"] == "mean"
    assert [c["weight"] for c in data["criteria"]][:2] == ["2", "1"]
    verdict = page.locator(VERDICT)
    for index in range(len(data["criteria"])):
        rate(page, index, "advanced-beginner")  # 2 everywhere: every floor met (2 and 1,75), mean 2 < 2,75
    expect(verdict).to_have_attribute("data-status", "below_threshold")
    expect(verdict).to_contain_text("Nach Ihrer eigenen Einschätzung erreicht jedes Kriterium seinen Mindestwert.")
    expect(verdict).to_contain_text("Der gewichtete Mittelwert Ihrer Einschätzungen, 2, liegt unter dem "
                                    "Schwellenwert von 2,75.")
    for index in range(len(data["criteria"])):
        rate(page, index, "competent")
    rate(page, 1, "advanced-beginner")  # (2 x 3 + 2 + 3 + 3 + 3) / 6 = 17/6
    expect(verdict).to_have_attribute("data-status", "pass")
    expect(verdict).to_contain_text("2,83")

    rate(page, 0, "insufficient")  # counts as 0, below the floor of 2 of the heaviest criterion
    expect(verdict).to_have_attribute("data-status", "below_floor")
    expect(verdict).to_contain_text(data["criteria"][0]["title"])
    expect(criterion(page, 0).locator(".hb-sa-status")).to_contain_text("0")
    expect(criterion(page, 0).get_by_label(data["rule"]["insufficient_evidence"]["label"])).to_be_checked()
    assert browser_errors == []


def test_the_arabic_page_runs_right_to_left_on_a_phone(page: Page, preceptor_site_url: str,
                                                       browser_errors: list[str]) -> None:
    page.set_viewport_size(PHONE)
    data = open_form(page, preceptor_site_url + "ar/" + PRECEPTOR_RUBRIC)
    assert data["language"] == "ar" and data["dir"] == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('div#self-assessment')).direction") == "rtl"
    assert re.search(r"[\u0600-\u06ff]", page.locator(f"{FORM} .hb-sa-criterion legend").first.inner_text())
    fill = criterion(page, 0)
    fill.locator("input[type=checkbox]").first.check()
    rate(page, 0, "expert")
    fill.locator("textarea").fill("ملاحظة")
    no_overflow(page)
    page.reload()
    page.wait_for_selector(f"{FORM} .hb-sa-criterion")
    assert answers(page)[0]["note"] == "ملاحظة"
    # Answers are keyed by program, rubric and version, not by language: the German page shows them too.
    open_form(page, preceptor_site_url + PRECEPTOR_RUBRIC)
    assert answers(page)[0]["level"] == "expert"
    assert browser_errors == []
