"""The learner's and the mentor's view of a case, and knowledge checks, in a real browser.

A case's notes for mentors are folded behind a labelled block, out of the learner's search and print;
a switch (in every language) opens them, the choice is remembered across pages and reloads, and print
follows it. A knowledge check says whether the chosen answer is right and shows its feedback, from the
keyboard too, and stores nothing; without script every note, option and piece of feedback can still be
read.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pdf_tools import page_texts

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
PRECEPTOR = REPO / "tests" / "fixtures" / "programs" / "preceptor"
OUTSIDE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")
LANGUAGES = {"en": "", "es": "es/", "fr": "fr/"}


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def labels(language: str, folder: Path = REPO / "plugins" / "handbook" / "i18n" / "locales") -> dict[str, str]:
    return _yaml(folder / f"{language}.yml")


def narrow_sections(program: Path = REPO) -> list[dict]:
    """The case sections the program writes for mentors and facilitators rather than everyone."""
    return [s for s in _yaml(program / "curriculum" / "framework.yml")["case_sections"]
            if s.get("audience", "everyone") != "everyone"]


def cases_with_notes(program: Path = REPO) -> list[str]:
    ids = [s["id"] for s in narrow_sections(program)]
    return sorted(p.stem for p in (program / "cases").glob("*.md") if p.name.count(".") == 1
                  and any(f"{{#{i}}}" in p.read_text("utf-8") for i in ids))


CASES = cases_with_notes()
CASE, OTHER_CASE = CASES[0], CASES[1]
COMPETENCY = next(data for data in (_yaml(p) for p in sorted((REPO / "curriculum" / "competencies").glob("*.yml"))
                                    if p.name.count(".") == 1) if data.get("knowledge_checks"))
CHECK = COMPETENCY["knowledge_checks"][0]
RIGHT = next(option for option in CHECK["options"] if option["correct"])
WRONG = next(option for option in CHECK["options"] if not option["correct"])


def squash(text: str) -> str:
    return " ".join(text.split())


def squeezed(text: str) -> str:
    """Letters and digits only, lower case: how a sentence is compared across HTML and an index."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def summary_of(language: str, section: dict) -> str:
    words = labels(language)
    title = section["title"]
    if language != "en":
        translated = _yaml(REPO / "curriculum" / f"framework.{language}.yml")
        title = next((s.get("title", title) for s in translated.get("case_sections", []) if s["id"] == section["id"]),
                     title)
    return words["mentor_summary"].format(audience=words[f"mentor_audience_{section['audience']}"], section=title)


def open_case(page: Page, case: str = CASE, prefix: str = "") -> None:
    page.goto(f"{prefix}cases/{case}/", wait_until="networkidle")


def blocks(page: Page):
    return page.locator("article details.hb-mentor-block")


def is_open(page: Page) -> list[bool]:
    return blocks(page).evaluate_all("(all) => all.map((d) => d.open)")


def test_mentor_notes_are_folded_behind_a_labelled_block(page: Page, browser_errors: list[str]) -> None:
    open_case(page)
    section = next(s for s in narrow_sections() if page.locator(f"details#{s['id']}").count())
    block = page.locator(f"article details.hb-mentor-block#{section['id']}")
    expect(block).to_be_visible()
    expect(block.locator(":scope > summary")).to_have_text(summary_of("en", section))
    assert is_open(page) == [False] * blocks(page).count()
    expect(block.locator(":scope > :not(summary)").first).to_be_hidden()
    # Not a heading: the table of contents leaves the block out.
    expect(page.locator(f'.md-nav--secondary a[href="#{section["id"]}"]')).to_have_count(0)
    switch = page.locator("button.hb-mentor-toggle")
    expect(switch).to_have_text(labels("en")["mentor_show"])
    expect(switch).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("() => document.body.classList.contains('hb-mentor-view')") is False
    assert browser_errors == []


def test_the_switch_shows_the_notes_and_the_choice_is_remembered(page: Page, browser_errors: list[str]) -> None:
    words = labels("en")
    open_case(page)
    switch = page.locator("button.hb-mentor-toggle")
    switch.click()
    assert all(is_open(page))
    expect(blocks(page).first.locator(":scope > :not(summary)").first).to_be_visible()
    expect(switch).to_have_text(words["mentor_hide"])
    expect(switch).to_have_attribute("aria-expanded", "true")
    page.reload(wait_until="networkidle")
    assert all(is_open(page)) and page.evaluate("() => document.body.classList.contains('hb-mentor-view')")
    open_case(page, OTHER_CASE)
    assert all(is_open(page))
    expect(page.locator("button.hb-mentor-toggle")).to_have_text(words["mentor_hide"])
    page.locator("button.hb-mentor-toggle").click()
    assert not any(is_open(page))
    page.reload(wait_until="networkidle")
    assert not any(is_open(page))
    expect(page.locator("button.hb-mentor-toggle")).to_have_text(words["mentor_show"])
    # The switch speaks every language of the site.
    for language, prefix in LANGUAGES.items():
        open_case(page, CASE, prefix)
        expect(page.locator("button.hb-mentor-toggle")).to_have_text(labels(language)["mentor_show"])
        shown = blocks(page).first.get_attribute("id")
        section = next(s for s in narrow_sections() if s["id"] == shown)
        expect(blocks(page).first.locator(":scope > summary")).to_have_text(summary_of(language, section))
    assert browser_errors == []


def _index_text(index: dict) -> str:
    return squeezed(" ".join(html.unescape(re.sub(r"<[^>]+>", "", f"{doc['title']} {doc['text']}"))
                             for doc in index["docs"]))


def _sentences(text: str) -> list[str]:
    """The sentences of at least eight words in a text."""
    return [s for s in re.split(r"(?<=[.!?])\s+", squash(text)) if len(s.split()) >= 8]


def test_search_indexes_hold_the_scenario_but_no_mentor_note(site: Path) -> None:
    indexes = sorted(site.rglob("search_index.json"))
    for language, prefix in LANGUAGES.items():
        own = [path for path in indexes if path.relative_to(site).as_posix() == f"{prefix}search/search_index.json"]
        assert own, f"no search index for {language}"
        texts = {path: _index_text(json.loads(path.read_text("utf-8"))) for path in own}
        for index in own:
            locations = [doc["location"] for doc in json.loads(index.read_text("utf-8"))["docs"]]
            for audience in {s["audience"] for s in narrow_sections()}:
                assert not [loc for loc in locations if loc.startswith(f"{audience}/")], (index, audience)
        for case in CASES:
            soup = BeautifulSoup((site / prefix / "cases" / case / "index.html").read_text("utf-8"), "html.parser")
            notes = []
            for block in soup.select("article details.hb-mentor-block"):
                for child in block.find_all(recursive=False):
                    if child.name != "summary" and "hb-mentor-page-link" not in (child.get("class") or []):
                        notes += _sentences(child.get_text(" "))
            assert notes, (language, case)
            first = soup.select_one("article h2")  # the first section: the scenario
            scenario = [s for node in first.find_next_siblings() if node.name != "h2"
                        for s in _sentences(node.get_text(" "))][:1] if first else []
            # An untranslated case is shown in the source language and left out of that language's search.
            translated = language == "en" or (REPO / "cases" / f"{case}.{language}.md").is_file()
            for path, text in texts.items():
                if translated:
                    assert scenario and squeezed(scenario[0]) in text, (path, case, scenario)
                leaked = [sentence for sentence in notes if squeezed(sentence) in text]
                assert leaked == [], (path, case, leaked)
    # Whatever else holds the index (an offline copy, say) holds no note either.
    for path in site.rglob("search_index.*"):
        if path.suffix != ".json":
            raw = squeezed(path.read_text("utf-8", errors="replace"))
            soup = BeautifulSoup((site / "cases" / CASE / "index.html").read_text("utf-8"), "html.parser")
            sample = _sentences(soup.select_one("article details.hb-mentor-block").get_text(""))[0]
            assert squeezed(sample) not in raw, path


def _display(page: Page, selector: str) -> str:
    return page.locator(selector).first.evaluate("(node) => getComputedStyle(node).display")


def test_print_leaves_the_notes_out_in_the_learners_view_and_keeps_them_in_the_mentors(
        page: Page, browser_errors: list[str]) -> None:
    open_case(page)
    page.emulate_media(media="print")
    assert _display(page, "article details.hb-mentor-block") == "none"
    assert _display(page, ".hb-mentor-switch") == "none"
    page.emulate_media(media="screen")
    page.locator("button.hb-mentor-toggle").click()
    page.emulate_media(media="print")
    assert _display(page, "article details.hb-mentor-block") != "none"
    expect(blocks(page).first.locator(":scope > :not(summary)").first).to_be_visible()
    assert browser_errors == []


def test_a_printed_case_in_the_mentors_view_holds_the_notes(page: Page, tmp_path: Path,
                                                            browser_errors: list[str]) -> None:
    open_case(page)
    page.locator("button.hb-mentor-toggle").click()
    note = _sentences(blocks(page).first.locator("li, p").first.inner_text())[0]
    page.pdf(path=str(tmp_path / "mentor.pdf"), format="A4", print_background=True)
    printed = squeezed(" ".join(page_texts(tmp_path / "mentor.pdf")))
    assert squeezed(note) in printed
    assert squeezed(labels("en")["mentor_hide"]) not in printed  # the switch is not printed
    assert browser_errors == []


def check_box(page: Page):
    return page.locator(f"article div.hb-knowledge-check#kc-{CHECK['id']}")


def test_a_knowledge_check_tells_whether_the_answer_is_right_and_why(page: Page, browser_errors: list[str]) -> None:
    words = labels("en")
    page.goto(f"competencies/{COMPETENCY['id']}/", wait_until="networkidle")
    box = check_box(page)
    expect(box.locator("form.hb-kc-form")).to_be_visible()
    expect(box.locator("ul.hb-kc-options")).to_be_hidden()
    expect(box.locator("input[type=radio]")).to_have_count(len(CHECK["options"]))
    result = box.locator(".hb-kc-result")
    stored = page.evaluate("() => Object.entries(window.localStorage)")  # what the theme keeps
    box.get_by_role("button", name=words["kc_check"]).click()
    expect(result).to_have_text(words["kc_choose"])
    box.get_by_label(squash(WRONG["text"]), exact=True).check()
    box.get_by_role("button", name=words["kc_check"]).click()
    expect(result.locator(".hb-kc-verdict")).to_have_text(words["kc_not_quite"])
    expect(result).to_contain_text(squash(WRONG["feedback"]))
    assert result.get_attribute("role") == "status"
    box.get_by_label(squash(RIGHT["text"]), exact=True).check()
    expect(result).to_be_empty()  # feedback always belongs to the answer it is shown for
    box.get_by_role("button", name=words["kc_check"]).click()
    expect(result.locator(".hb-kc-verdict")).to_have_text(words["kc_correct"])
    expect(result).to_contain_text(squash(RIGHT["feedback"]))
    expect(result).not_to_contain_text(squash(WRONG["feedback"]))
    # Nothing is scored or kept, and the page has not gone anywhere.
    assert page.evaluate("() => Object.entries(window.localStorage)") == stored
    assert page.url.endswith(f"competencies/{COMPETENCY['id']}/")
    assert browser_errors == []


def test_knowledge_checks_and_the_switch_work_from_the_keyboard(page: Page, browser_errors: list[str]) -> None:
    words = labels("en")
    page.goto(f"competencies/{COMPETENCY['id']}/", wait_until="networkidle")
    box = check_box(page)
    radios = box.locator("input[type=radio]")
    result = box.locator(".hb-kc-result")
    radios.first.focus()
    page.keyboard.press("Space")
    expect(radios.first).to_be_checked()
    page.keyboard.press("Tab")
    expect(box.get_by_role("button", name=words["kc_check"])).to_be_focused()
    page.keyboard.press("Enter")
    first = CHECK["options"][0]
    expect(result.locator(".hb-kc-verdict")).to_have_text(words["kc_correct" if first["correct"] else "kc_not_quite"])
    expect(result).to_contain_text(squash(first["feedback"]))
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowDown")
    expect(radios.nth(1)).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    second = CHECK["options"][1]
    expect(result.locator(".hb-kc-verdict")).to_have_text(words["kc_correct" if second["correct"] else "kc_not_quite"])
    expect(result).to_contain_text(squash(second["feedback"]))
    open_case(page)
    page.locator("button.hb-mentor-toggle").focus()
    page.keyboard.press("Enter")
    assert all(is_open(page))
    page.keyboard.press("Space")
    assert not any(is_open(page))
    assert browser_errors == []


def test_without_script_the_notes_options_and_feedback_can_still_be_read(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=site_url)
    try:
        page = context.new_page()
        page.route(OUTSIDE, lambda route: route.abort())
        open_case(page)
        expect(page.locator("button.hb-mentor-toggle")).to_have_count(0)
        block = blocks(page).first
        block.locator(":scope > summary").click()
        expect(block.locator(":scope > :not(summary)").first).to_be_visible()
        page.goto(f"competencies/{COMPETENCY['id']}/")
        box = check_box(page)
        expect(box.locator("input")).to_have_count(0)
        option = box.locator("li.hb-kc-option").filter(has_text=squash(WRONG["text"]))
        option.locator("summary").click()
        expect(option.locator(".hb-kc-verdict")).to_have_text(labels("en")["kc_not_quite"])
        expect(option).to_contain_text(squash(WRONG["feedback"]))
    finally:
        context.close()


def test_the_second_program_switches_in_its_own_words(page: Page, preceptor_site_url: str,
                                                      browser_errors: list[str]) -> None:
    case = cases_with_notes(PRECEPTOR)[0]
    page.goto(f"{preceptor_site_url}cases/{case}/", wait_until="networkidle")
    switch = page.locator("button.hb-mentor-toggle")
    expect(switch).to_have_text(labels("de", PRECEPTOR / "labels")["mentor_show"])
    assert not any(is_open(page))
    switch.click()
    assert all(is_open(page))
    # The choice made on the German page holds on the Arabic one, in Arabic words.
    page.goto(f"{preceptor_site_url}ar/cases/{case}/", wait_until="networkidle")
    assert all(is_open(page))
    expect(page.locator("button.hb-mentor-toggle")).to_have_text(labels("ar", PRECEPTOR / "labels")["mentor_hide"])
    assert browser_errors == []
