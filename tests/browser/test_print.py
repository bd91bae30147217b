"""Printing from the browser: a rubric page on paper holds every look-for, keeps each criterion on
one page and leaves the site's navigation out; a case page leaves the mentors' notes out."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pdf_tools import page_count, page_texts, squeezed

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
# What the site shows around a page and paper must not: the header, search, navigation, footer.
FURNITURE = ("Skip to content", "Search", "Made with", "Material for MkDocs", "Back to top", "Previous", "Next")


def _rubric(name: str, language: str = "en") -> dict:
    data = yaml.safe_load((REPO / "rubrics" / f"{name}.yml").read_text("utf-8"))
    if language != "en":
        translation = yaml.safe_load((REPO / "rubrics" / f"{name}.{language}.yml").read_text("utf-8"))
        for criterion, translated in zip(data["criteria"], translation["criteria"], strict=True):
            criterion.update({key: translated[key] for key in ("title", "look_fors") if key in translated})
    return data


def _words(text: str) -> set[str]:
    """The words of four letters or more, as the printed text has them."""
    return {word for word in re.findall(r"[^\W\d_]{4,}", squeezed_words(text))}


def squeezed_words(text: str) -> str:
    return " ".join(re.sub(r"[*_`]", "", text).replace("-\n", "").split()).lower()


def rubric_form_heading(language: str) -> str:
    labels = yaml.safe_load((REPO / "plugins" / "handbook" / "i18n" / "locales" / f"{language}.yml").read_text("utf-8"))
    return labels["sa_title"]


def _print(page: Page, url: str, pdf: Path) -> list[str]:
    page.goto(url, wait_until="networkidle")
    page.pdf(path=str(pdf), format="A4", print_background=True)
    return page_texts(pdf)


@pytest.mark.parametrize(("name", "language", "prefix"), [
    ("coaching-cycle", "en", ""), ("coaching-cycle", "es", "es/"), ("coaching-culture", "fr", "fr/")])
def test_a_printed_rubric_keeps_each_criterion_on_one_page_without_the_sites_furniture(
        page: Page, tmp_path: Path, name: str, language: str, prefix: str, browser_errors: list[str]) -> None:
    rubric = _rubric(name, language)
    pages = _print(page, f"{prefix}rubrics/{name}/", tmp_path / "rubric.pdf")
    squeezed_pages = [squeezed(text) for text in pages]
    for criterion in rubric["criteria"]:
        heading = squeezed(criterion["title"])
        # The criterion's own section: its numbered heading ("1. Builds ...").
        where = [i for i, text in enumerate(squeezed_pages) if re.search(rf"\d\.{re.escape(heading)}", text)]
        assert where, f"{criterion['title']!r} is not printed"
        # pdftotext reads a table row across its cells, so a look-for's words can come out mixed
        # with its row's level name: each of its words must be on the heading's page.
        on_page = _words(pages[where[0]])
        for level, items in criterion["look_fors"].items():
            for item in items:
                missing = _words(item) - on_page
                assert not missing, (f"page {where[0] + 1} has the heading of {criterion['id']} but not all of its "
                                     f"{level} look-for {item!r}: {sorted(missing)}")
    whole = " ".join(" ".join(text.split()) for text in pages)
    for furniture in FURNITURE:
        assert furniture not in whole
    # The rubric itself (before the self-assessment form, which prints with its answers) takes
    # about a page per criterion: a heading left alone at a page's foot would add more.
    before_form = next(i for i, text in enumerate(pages) if rubric_form_heading(language) in text)
    assert before_form <= len(rubric["criteria"]) + 2, before_form
    assert page_count(tmp_path / "rubric.pdf") == len(pages)
    assert browser_errors == []


def test_a_printed_case_leaves_the_mentors_notes_out(page: Page, tmp_path: Path, browser_errors: list[str]) -> None:
    page.goto("cases/warehouse-finishing-sentences/", wait_until="networkidle")
    notes = page.locator(".facilitator-notes")
    assert notes.count() > 0 and notes.first.is_visible()
    # Folded for learners (a <details>): its text, not its label, is what must stay off paper.
    note_text = " ".join(notes.first.locator(":scope > :not(summary)").first.text_content().split()[:12])
    scenario = " ".join(page.locator("article p").first.inner_text().split()[:8])
    pages = _print(page, "cases/warehouse-finishing-sentences/", tmp_path / "case.pdf")
    whole = squeezed(" ".join(pages))
    assert squeezed(scenario) in whole
    assert squeezed(note_text) not in whole
    assert browser_errors == []
