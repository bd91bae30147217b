"""What the published pages give assistive technology and search: names for the theme's unnamed
dialog, sections and breadcrumbs, tables the keyboard reaches, no empty header cell, untranslated
titles marked with their language, and a search index that ignores accents and knows item ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import Project, copy_project, page
from handbook.mkdocs import accessibility, search

NAV = """<nav class="md-nav md-nav--primary" aria-label="Navigation">
<div class="md-nav__link md-nav__container"><a href="x/" class="md-nav__link">Le programme</a>
<label class="md-nav__link " for="__nav_2" id="__nav_2_label" tabindex="">
  <span class="md-nav__icon md-icon"></span>
</label></div>
<nav class="md-nav" data-md-level="1" aria-labelledby="__nav_2_label" aria-expanded="false">
<label class="md-nav__title" for="__nav_2"><span class="md-nav__icon md-icon"></span>
  Le programme &amp; ses étapes
</label></nav>
<label class="md-nav__link" for="__nav_3" id="__nav_3_label" tabindex="0">Named already</label>
<label class="md-nav__title" for="__nav_3">Other</label>
</nav>"""


def test_search_dialog_is_named_as_its_field() -> None:
    html = ('<div class="md-search" data-md-component="search" role="dialog"><form><input type="text" '
            'class="md-search__input" name="query" aria-label="Rechercher" placeholder="Rech."></form>')
    named = accessibility.named_search_dialog(html)
    assert '<div class="md-search" data-md-component="search" role="dialog" aria-label="Rechercher">' in named
    assert accessibility.named_search_dialog(named) == named
    assert accessibility.named_search_dialog("<p>no search</p>") == "<p>no search</p>"


def test_icon_only_section_toggles_take_their_sections_title() -> None:
    soup = BeautifulSoup(accessibility.named_navigation_sections(NAV), "html.parser")
    assert soup.find(id="__nav_2_label")["aria-label"] == "Le programme & ses étapes"
    assert not soup.find(id="__nav_3_label").has_attr("aria-label"), "a toggle with words of its own keeps them"


def test_breadcrumbs_are_named_apart_from_the_navigation() -> None:
    html = '<nav class="md-path" aria-label="Navigation" ><ol></ol></nav>'
    assert accessibility.named_breadcrumbs(html, "Fil d'Ariane") == (
        '<nav class="md-path" aria-label="Fil d&#x27;Ariane" ><ol></ol></nav>')
    assert accessibility.named_breadcrumbs(html, "") == html


def test_tables_are_regions_the_keyboard_reaches_named_by_their_heading() -> None:
    html = ('<header><table><tr><td>theme</td></tr></table></header>'
            '<article class="md-content__inner md-typeset"><h1 id="t">Title<a class="headerlink" href="#t">¶</a></h1>'
            '<table><tr><td>first</td></tr></table>'
            '<h2 id="m">Matrix &amp; more<a class="headerlink" href="#m">¶</a></h2>'
            '<table><tr><td><table><tr><td>inner</td></tr></table></td></tr></table></article>'
            '<table><tr><td>after</td></tr></table>')
    soup = BeautifulSoup(accessibility.focusable_tables(html, "Page"), "html.parser")
    regions = soup.select("div.hb-table")
    assert [r.get("aria-label") for r in regions] == ["Title", "Matrix & more"]
    assert all(r["role"] == "region" and r["tabindex"] == "0" for r in regions)
    assert [len(r.find_all("table")) for r in regions] == [1, 2], "a table inside a table is not wrapped again"
    assert soup.header.table.parent.name == "header" and soup.find_all("table")[-1].parent.name == "[document]"

    no_heading = '<article class="md-content__inner md-typeset"><table></table></article>'
    assert 'aria-label="Page"' in accessibility.focusable_tables(no_heading, "Page")
    unclosed = '<article class="md-content__inner md-typeset"><table><tr><td>x</article>'
    assert accessibility.focusable_tables(unclosed, "Page") == unclosed


@pytest.mark.parametrize(("text", "folded"), [("Kraków", "Krakow"), ("micrófono", "microfono"),
                                              ("Écoute", "Ecoute"), ("Zieliński", "Zielinski"),
                                              ("Łódź", "Lodz"), ("Straße", "Strasse"), ("œuvre", "oeuvre"),
                                              ("plain", "plain")])
def test_fold_takes_accents_off(text: str, folded: str) -> None:
    assert search.fold(text) == folded


def test_the_index_gets_folded_words_ids_and_item_boosts() -> None:
    index = {"config": {"lang": ["es"], "separator": "[\\s]+", "pipeline": ["stopWordFilter"],
                        "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}}},
             "docs": [{"location": "competencies/active-listening/", "title": "Escucha activa",
                       "text": "<p>Atención plena, <em>atención</em> al micrófono</p>"},
                      {"location": "competencies/active-listening/#levels", "title": "Niveles", "text": "Próximo"},
                      {"location": "program/pathway/", "title": "Itinerario", "text": "plain"}]}
    items = {"competencies/active-listening": "active-listening"}

    tuned = search.tune(index, items)

    fields = tuned["config"]["fields"]
    assert fields["title_folded"] == fields["ids"] == {"boost": 1000.0} and fields["text_folded"] == {"boost": 1.0}
    main, section, other = tuned["docs"]
    assert main["text_folded"] == "atencion microfono" and main["ids"] == "active-listening"
    assert main["boost"] == search.ITEM_BOOST and "title_folded" not in main
    assert section["title"] == "Niveles" and section["text_folded"] == "proximo" and "ids" not in section
    assert "boost" not in section and other == index["docs"][2]
    assert main["text"] == index["docs"][0]["text"], "the shown text keeps its accents"
    assert search.tune(tuned, items) == tuned


def _competencies_of(site: Path, case: str) -> list[str]:
    """The competencies the case page links to (their ids)."""
    links = page(site, f"cases/{case}/").select('article a[href^="../../competencies/"]')
    return sorted({a["href"].rstrip("/").rsplit("/", 1)[-1] for a in links})


def _without_translation(project: Project, case: str) -> None:
    for translation in project.path("cases").glob(f"{case}.*.md"):
        translation.unlink()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The handbook with one case left untranslated, built without PDFs."""
    root = tmp_path_factory.mktemp("accessible")
    project = copy_project(root / "project")
    case = sorted(p.stem for p in project.path("cases").glob("*.md") if "." not in p.stem)[0]
    _without_translation(project, case)
    result = project.build(root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site", case


def test_untranslated_case_titles_say_their_language(built: tuple[Path, str]) -> None:
    site, case = built
    for language in ("es", "fr"):
        library = page(site, f"{language}/cases/")
        link = library.select_one(f'a[href="{case}/"]')
        assert link is not None and link.get("lang") == "en" and link.get("dir") == "ltr", link
        translated = [a for a in library.select("a.hb-case-link") if a["href"] != f"{case}/"]
        assert translated and not any(a.has_attr("lang") for a in translated)
        heading = page(site, f"{language}/cases/{case}/").select_one("article h1")
        assert heading.get("lang") == "en", heading
        listed = [a for href in _competencies_of(site, case)
                  for a in page(site, f"{language}/competencies/{href}/").select(f'article a[href$="cases/{case}/"]')]
        assert listed and all(a.get("lang") == "en" for a in listed), listed
    assert not page(site, f"cases/{case}/").select_one("article h1").has_attr("lang")


def test_pages_name_what_the_theme_leaves_unnamed(built: tuple[Path, str]) -> None:
    site, _ = built
    for prefix in ("", "es/", "fr/"):
        for path in ("", "competencies/", "cases/"):
            soup = page(site, prefix + path)
            dialog = soup.select_one('.md-search[role="dialog"]')
            assert dialog.get("aria-label") == soup.select_one("input.md-search__input")["aria-label"]
            for nav in soup.select("nav[aria-labelledby]"):
                label = soup.find(id=nav["aria-labelledby"])
                assert label.get_text(strip=True) or label.get("aria-label"), nav["aria-labelledby"]
            breadcrumbs = soup.select_one("nav.md-path")
            if breadcrumbs is not None:
                assert breadcrumbs["aria-label"] != soup.select_one("nav.md-nav--primary")["aria-label"]
            for table in soup.select("article table"):
                region = table.find_parent("div", class_="hb-table")
                assert region and region["tabindex"] == "0" and region["role"] == "region" and region["aria-label"]
            assert not [th for th in soup.select("article th") if not th.get_text(strip=True)], prefix + path


def test_the_matrix_scrolls_in_a_box_of_its_own(built: tuple[Path, str]) -> None:
    site, _ = built
    matrix = page(site, "competencies/").select_one("article .hb-matrix")
    assert matrix is not None and len(matrix.select(".hb-table > table")) == 1
    assert matrix.select("thead th") and matrix.select("tbody td:first-child a")


def test_every_language_index_ignores_accents_and_knows_ids(built: tuple[Path, str]) -> None:
    site, case = built
    for prefix in ("", "es/", "fr/"):
        index = json.loads((site / prefix / "search" / "search_index.json").read_text("utf-8"))
        assert {"title_folded", "text_folded", "ids"} <= index["config"]["fields"].keys()
        ids = {doc["location"]: doc.get("ids") for doc in index["docs"] if doc.get("ids")}
        assert ids.get("competencies/active-listening/") == "active-listening", prefix
        if not prefix:
            assert ids.get(f"cases/{case}/") == case
        assert all("#" not in location for location in ids)
    spanish = json.loads((site / "es" / "search" / "search_index.json").read_text("utf-8"))
    assert any("psicologica" in doc.get("title_folded", "") for doc in spanish["docs"])


def test_where_to_start_comes_first_on_the_home_page(built: tuple[Path, str]) -> None:
    site, _ = built
    for prefix in ("", "es/", "fr/"):
        first = page(site, prefix).select_one("article h2")
        assert first["id"] in ("where-to-start", "por-donde-empezar", "par-ou-commencer"), first
