"""A second, different program (clinical preceptors; German and Arabic; a mean-based rubric with
fractional floors and two scorers) builds as faithfully as the coaching handbook."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import PRECEPTOR, REPO, article_text, page

COACHING_IDS_FILES = (REPO / "curriculum" / "framework.yml", PRECEPTOR / "curriculum" / "framework.yml")


def test_case_pages_use_the_programs_own_sections_and_facets(preceptor_site: Path) -> None:
    soup = page(preceptor_site, "cases/icu-night-stepping-in")
    headings = [h.get("id") for h in soup.select("article h2")]
    assert headings[:4] == ["situation", "questions", "preceptor-moves", "reflection"]
    assert soup.select_one("article h2#preceptor-moves").get_text(strip=True).startswith("Vorgehen der Praxisanleitung")
    assert soup.select_one(".facilitator-notes") is not None
    text = article_text(soup)
    assert "Station / Bereich: Intensivstation" in text
    assert "Patientensicherheit in der Anleitung und Klinisches Denken fördern" in text  # a German list


def test_arabic_pages_keep_the_anchors_and_join_lists_in_arabic(preceptor_site: Path) -> None:
    soup = page(preceptor_site, "ar/cases/icu-night-stepping-in")
    assert soup.html["lang"] == "ar"
    assert [h.get("id") for h in soup.select("article h2")][:4] == ["situation", "questions", "preceptor-moves",
                                                                     "reflection"]
    assert " و" in article_text(soup) and ", " not in article_text(soup).split("الموقف")[0]


def test_the_rubric_states_its_mean_rule_scale_labels_and_fractional_floors(preceptor_site: Path) -> None:
    text = article_text(page(preceptor_site, "rubrics/preceptor-practice"))
    assert "Mittelwert der Kriterienwerte mindestens 2,75" in text
    for label in ("Beginnend", "Aufbauend", "Sicher", "Wegweisend"):
        assert label in text
    assert "von 2 Bewertenden" in text and "gerundet auf 0,25" in text
    assert "Keine ausreichenden Nachweise" in text
    floors = page(preceptor_site, "rubrics/preceptor-practice").select("article table")[1]
    cells = [[td.get_text(strip=True) for td in row.select("td")] for row in floors.select("tbody tr")]
    assert [row[1] for row in cells[1:]] == ["1,75"] * 4 and cells[0][1:] == ["2", "2"]


def test_the_rubric_index_states_the_rule_in_the_programs_terms(preceptor_site: Path) -> None:
    text = article_text(page(preceptor_site, "rubrics"))
    assert "Mittelwert ≥ 2,75 von 4" in text


def test_plugins_name_no_id_of_either_program() -> None:
    import yaml

    ids: set[str] = set()
    for framework_file in COACHING_IDS_FILES:
        framework = yaml.safe_load(framework_file.read_text("utf-8"))
        for name in ("levels", "case_sections", "facets", "domains", "roles"):
            ids |= {item["id"] for item in framework[name]}
        for facet in framework["facets"]:  # values are often plain words ("language"): hyphenated ones only
            ids |= {value["id"] for value in facet["values"] if "-" in value["id"]}
    for program in (REPO, PRECEPTOR):  # and the ids of every competency, case and rubric
        for folder in ("curriculum/competencies", "cases", "rubrics"):
            ids |= {p.name.split(".")[0] for p in (program / folder).iterdir() if p.is_file()}
    assert {"scenario", "preceptor-moves", "setting", "novice", "emerging", "one-to-one", "active-listening",
            "patient-safety-oversight"} <= ids
    files = [p for p in (REPO / "plugins" / "handbook").rglob("*")
             if p.suffix in (".py", ".j2", ".yml", ".json", ".css") and p.is_file()]
    named = []
    for file in files:
        text = file.read_text("utf-8")
        for item in ids:
            # A hyphenated id anywhere; a one-word id as a key or a quoted string.
            pattern = (rf"(?<![\w-]){re.escape(item)}(?![\w-])" if "-" in item
                       else rf"""^{item}:|["']{item}["']""")
            if re.search(pattern, text, re.MULTILINE):
                named.append(f"{file.relative_to(REPO)}: {item}")
    assert named == []


def test_untranslated_text_in_an_arabic_page_is_marked_german_left_to_right(preceptor_site: Path) -> None:
    soup = page(preceptor_site, "ar/cases/home-care-all-clear")
    assert soup.html["lang"] == "ar"
    marked = soup.select('article [lang="de"][dir="ltr"]')
    assert len(marked) >= 5  # the summary and every section
    # The section titles come from the Arabic framework: they stay in the reader's language.
    assert all(h2.find_parent(attrs={"lang": "de"}) is None for h2 in soup.select("article h2"))
    translated = page(preceptor_site, "ar/cases/icu-night-stepping-in")
    assert translated.select('article [lang="de"]') == []


def test_each_language_has_its_own_not_found_page(preceptor_site: Path) -> None:
    root = page(preceptor_site, "404.html")
    arabic = page(preceptor_site, "ar/404.html")
    assert root.html["lang"] == "de"
    assert arabic.html["lang"] == "ar"
    assert arabic.select_one('meta[http-equiv="Content-Security-Policy"]') is not None
