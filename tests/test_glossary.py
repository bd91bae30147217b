"""The glossary (curriculum/glossary.yml): checked like every content file, published as a page in
every language, the source language standing in, marked, where a term is not translated."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import Project, article_text, copy_project, page

GLOSSARY = "curriculum/glossary.yml"


def terms(project: Project) -> list[dict]:
    return yaml.safe_load(project.path(GLOSSARY).read_text("utf-8"))["terms"]


def write_terms(project: Project, entries: list[dict]) -> None:
    project.write(GLOSSARY, yaml.safe_dump({"terms": entries}, allow_unicode=True, sort_keys=False, width=1000))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path, dict[str, str]]:
    """The project with one term that has no Spanish rendering and one whose French definition is
    missing; returns those terms' ids too."""
    root = tmp_path_factory.mktemp("glossary")
    project = copy_project(root / "project")
    entries = terms(project)
    untranslated, undefined = entries[0], entries[1]
    del untranslated["translations"]["es"]
    del undefined["translations"]["fr"]["definition"]
    write_terms(project, entries)
    result = project.build(root / "site")
    assert result.returncode == 0, result.stderr
    return project, root / "site", {"es": untranslated["id"], "fr": undefined["id"]}


def test_the_glossary_page_lists_every_term_in_each_language(built: tuple[Project, Path, dict[str, str]]) -> None:
    project, site, _ = built
    entries = terms(project)
    for prefix in ("", "es/", "fr/"):
        soup = page(site, f"{prefix}glossary")
        anchors = [h2["id"] for h2 in soup.select("article h2")]
        assert sorted(anchors) == sorted(entry["id"] for entry in entries)
        shown = [h2.get_text(strip=True).rstrip("¶") for h2 in soup.select("article h2")]
        assert shown == sorted(shown, key=lambda term: term.casefold().replace("é", "e").replace("í", "i")
                               .replace("ú", "u").replace("ó", "o").replace("á", "a"))
        nav = page(site, f"{prefix}program/purpose").select_one("nav.md-nav--primary")
        assert nav.select_one('a[href$="glossary/"]') is not None  # under "The program", beside this page
    english = article_text(page(site, "glossary"))
    coachee = next(entry for entry in entries if entry["id"] == "coachee")
    assert " ".join(coachee["definition"].split()) in english
    assert f"{coachee['avoid'][0]['term']}: write {coachee['avoid'][0]['instead']} instead" in english
    french = article_text(page(site, "fr/glossary"))
    assert "co-développement : écrire cercle de coaching entre pairs" in french


def test_an_untranslated_term_shows_the_source_language_marked(built: tuple[Project, Path, dict[str, str]]) -> None:
    project, site, missing = built
    entries = {entry["id"]: entry for entry in terms(project)}
    spanish = page(site, "es/glossary")
    heading = spanish.select_one(f"article h2#{missing['es']}")
    assert heading["lang"] == "en" and heading.get_text(strip=True).rstrip("¶") == entries[missing["es"]]["term"]
    definition = heading.find_next_sibling()
    assert definition.name == "div" and definition["lang"] == "en"
    assert spanish.select_one(".translation-notice") is not None  # partly translated
    assert spanish.select("article h2[lang]") == [heading]

    french = page(site, "fr/glossary")
    heading = french.select_one(f"article h2#{missing['fr']}")
    assert not heading.has_attr("lang")  # the term is translated; only its definition is not
    assert heading.find_next_sibling()["lang"] == "en"


def test_a_rendering_in_a_language_the_site_does_not_publish_is_an_error(project: Project) -> None:
    project.edit(GLOSSARY, "      fr:\n        term: personne accompagnée\n",
                 "      de:\n        term: Coachee\n      fr:\n        term: personne accompagnée\n")
    line = project.line_of(GLOSSARY, "      de:")
    checked = project.validate()
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert (f"{GLOSSARY}:{line}:7: terms[0].translations.de: a rendering in 'de', which the site does not "
            "publish; configured translation languages: es, fr") in checked.stderr


def test_every_glossary_problem_is_reported_at_once(project: Project) -> None:
    entries = terms(project)
    entries[1]["id"] = entries[0]["id"]
    entries[2]["translations"]["es"]["term"] = entries[3]["translations"]["es"]["term"]
    entries[4]["avoid"] = [{"term": entries[4]["term"].upper()}]
    entries[5]["translations"]["en"] = {"term": "again"}
    del entries[6]["definition"]
    entries[7]["definition"] = "A <script>alert(1)</script> definition."
    write_terms(project, entries)
    project.write("curriculum/glossary.es.yml", "terms: []\n")

    checked = project.validate()

    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    for expected in (f"terms[1].id: the id '{entries[0]['id']}' is used twice (first at item 1)",
                     f"terms[3].translations.es.term: '{entries[3]['translations']['es']['term']}' is also the "
                     "term of item 3 in es",
                     f"terms[4].avoid[0].term: '{entries[4]['term'].upper()}' is the term itself",
                     "terms[5].translations.en: 'en' is the language of the source",
                     "terms[6].definition: missing required field",
                     "terms[7].definition: raw HTML <script> is not allowed",
                     "curriculum/glossary.es.yml:1:1: (file): the glossary keeps every language itself"):
        assert expected in checked.stderr, expected
