"""The curriculum health page: coverage, gaps, reviews due, translation status and language
findings, counted from the program's own data, in every language; for the second program too."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from conftest import PRECEPTOR, REPO, Project, article_text, assert_refused, copy_project, page
from handbook.cli.main import plugin_settings, settings_from
from handbook.library import Library, load_library
from handbook.lint import lint_library, parse_config

LANGUAGES = {"": "en", "es/": "es", "fr/": "fr"}


def library_of(project: Project) -> Library:
    return load_library(settings_from(project.path("mkdocs.yml"))[0])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    root = tmp_path_factory.mktemp("health")
    project = copy_project(root / "project")
    # Our content passes the language checks: give the page findings to show.
    case = sorted(p for p in project.path("cases").glob("*.md") if p.name.count(".") == 1)[0]
    long = " ".join(["This sentence keeps going"] + ["and going"] * 30) + "."
    case.write_text(case.read_text("utf-8").rstrip("\n") + f"\n\n{long}\n", "utf-8")
    result = project.build(root / "site")
    assert result.returncode == 0, result.stderr
    return project, root / "site"


def section_table(soup: BeautifulSoup, heading_id: str) -> Tag:
    """The first table after the heading with ``heading_id``."""
    heading = soup.select_one(f"article #{heading_id}")
    assert heading is not None, [h.get("id") for h in soup.select("article h2, article h3")]
    table = heading.find_next("table")
    assert table is not None
    return table


def rows(table: Tag) -> list[list[str]]:
    return [[" ".join(cell.get_text(" ").split()) for cell in row.select("td")] for row in table.select("tbody tr")]


def coverage(library: Library) -> dict[str, list[str]]:
    """Competency title -> "cases / look-fors" at each level, counted here from the library."""
    handbook = library.handbook()
    expected = {}
    for competency in handbook.competencies.values():
        cells = []
        for level in handbook.framework.levels:
            cases = sum(case.level.id == level.id for case in handbook.cases_for(competency.id))
            look_fors = sum(len(criterion.look_fors[level.id]) for _, criterion in handbook.criteria_for(competency.id))
            cells.append(f"{cases} / {look_fors}")
        expected[competency.title] = cells
    return expected


def test_the_page_counts_cases_and_look_fors_for_every_competency_and_level(built: tuple[Project, Path]) -> None:
    project, site = built
    library = library_of(project)
    soup = page(site, "health")
    table = section_table(soup, "coverage-by-competency-and-level")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["Competency", *[level.name for level in library.handbook().framework.levels]]
    shown = {cells[0]: cells[1:] for cells in rows(table)}
    assert shown == coverage(library)
    marked = [mark.get_text() for mark in table.select("mark")]
    zeros = sum(cell.split(" / ").count("0") for cells in shown.values() for cell in cells)
    assert marked == ["0"] * zeros  # every zero is highlighted, nothing else


def test_the_page_counts_cases_by_facet_value(built: tuple[Project, Path]) -> None:
    project, site = built
    handbook = library_of(project).handbook()
    soup = page(site, "health")
    for facet in handbook.framework.facets:
        heading = next(h for h in soup.select("article h3") if h.get_text(strip=True).rstrip("¶") == facet.title)
        counts = dict(rows(heading.find_next("table")))
        for value in facet.values.values():
            expected = sum(value.id in [v.id for v in case.facets[facet.id]] for case in handbook.cases.values())
            assert counts[value.title] == str(expected), (facet.id, value.id)


def test_the_page_in_every_language_uses_that_languages_words(built: tuple[Project, Path]) -> None:
    project, site = built
    library = library_of(project)
    for prefix, language in LANGUAGES.items():
        labels = yaml.safe_load((REPO / "plugins/handbook/i18n/locales" / f"{language}.yml").read_text("utf-8"))
        soup = page(site, f"{prefix}health")
        assert soup.html["lang"] == language
        assert soup.select_one("article h1").get_text(strip=True).rstrip("¶") == labels["health_title"]
        levels = [level.name for level in library.handbook(language).framework.levels]
        headers = [th.get_text(strip=True) for th in section_table(soup, soup.select("article h2")[0]["id"])
                   .select("thead th")]
        assert headers == [labels["competency"], *levels]


def test_the_page_reports_translation_status_and_language_findings(built: tuple[Project, Path]) -> None:
    project, site = built
    library = library_of(project)
    soup = page(site, "health")
    translations = rows(section_table(soup, "translations"))
    for report, row in zip([library.report(lang) for lang in library.translations], translations, strict=True):
        assert row[1:] == [f"{report.coverage} %", str(report.count("stale")), str(report.count("partial")),
                           str(report.count("missing"))]
    assert soup.select_one('article a[href="../translations/"]') is not None

    config = parse_config(plugin_settings(project.path("mkdocs.yml")).get("lint"), library.languages)
    findings = lint_library(library, config)
    assert findings, "the content has findings to show"
    per_file: dict[str, int] = {}
    for finding in findings:
        per_file[finding.path] = per_file.get(finding.path, 0) + 1
    assert dict(rows(section_table(soup, "language-checks"))) == {path: str(n) for path, n in per_file.items()}
    first = findings[0]
    text = article_text(soup)
    assert f"{first.line} {first.rule} {' '.join(first.message.split())}" in text


def _removable_only_case(project: Project) -> tuple[str, str, str]:
    """A (case, competency, level) where the case is the competency's only one at its level and no
    other file names the case, so that removing it leaves nothing pointing at it."""
    handbook = library_of(project).handbook()
    others = [p for part in ("docs", "curriculum", "cases", "rubrics") for p in project.path(part).rglob("*")
              if p.is_file()]
    for competency in handbook.competencies.values():
        for level in handbook.framework.levels:
            cases = [case for case in handbook.cases_for(competency.id) if case.level.id == level.id]
            if len(cases) != 1:
                continue
            case = cases[0]
            named = [p for p in others if p.name.split(".")[0] != case.id and case.id in p.read_text("utf-8", "ignore")]
            if not named:
                return case.id, competency.id, level.id
    raise AssertionError("no case is the only one of its competency and level")


def test_removing_the_only_case_of_a_level_shows_the_gap(project: Project, tmp_path: Path) -> None:
    case_id, competency_id, level_id = _removable_only_case(project)
    for file in project.path("cases").glob(f"{case_id}.*"):
        file.unlink()
    reviewed = project.path(f"curriculum/competencies/{competency_id}.yml")
    text = reviewed.read_text("utf-8")
    reviewed.write_text(re.sub(r'last_reviewed: "[0-9-]+"', 'last_reviewed: "2020-01-31"', text), "utf-8")
    # A site may leave the page out of its navigation: it is still built, and the build stays strict.
    project.edit("mkdocs.yml", "      - health/index.md\n", "")

    built = project.build(tmp_path / "site")

    assert built.returncode == 0, built.stderr
    handbook = library_of(project).handbook()
    competency, level = handbook.competencies[competency_id], handbook.framework.level(level_id)
    soup = page(tmp_path / "site", "health")
    table = section_table(soup, "coverage-by-competency-and-level")
    row = next(r for r in table.select("tbody tr") if r.select("td")[0].get_text(strip=True) == competency.title)
    cell = row.select("td")[1 + level.rank - 1]
    assert cell.get_text(" ", strip=True).startswith("0 /") and cell.select_one("mark").get_text() == "0"
    assert f"No case exercises {competency.title} at the {level.name} level." in article_text(soup)
    reviews = rows(section_table(soup, "reviews-due"))
    assert [competency.title, "January 31, 2020", "January 31, 2021"] in reviews
    nav = page(tmp_path / "site", "governance").select_one("nav.md-nav--primary")
    assert nav.select_one('a[href$="health/"]') is None


def test_bad_lint_settings_stop_the_build_with_their_place(project: Project, tmp_path: Path) -> None:
    project.edit("mkdocs.yml", "            max_words: {en: 40, es: 45, fr: 45}", "            max_words: many")
    line = project.line_of("mkdocs.yml", "max_words: many")
    assert_refused(project, tmp_path / "site", "mkdocs.yml", line, "lint.rules.sentence-length.max_words",
                   "expected a whole number of at least 1 for every language")


def test_the_second_programs_page_uses_its_own_levels_and_facets(tmp_path: Path) -> None:
    shutil.copytree(PRECEPTOR, tmp_path / "project")
    project = Project(tmp_path / "project")
    built = project.build(tmp_path / "site")
    assert built.returncode == 0, built.stderr
    framework = yaml.safe_load(project.path("curriculum/framework.yml").read_text("utf-8"))
    coaching = yaml.safe_load((REPO / "curriculum/framework.yml").read_text("utf-8"))
    for prefix in ("", "ar/"):
        soup = page(tmp_path / "site", f"{prefix}health")
        table = soup.select("article table")[0]
        headers = [th.get_text(strip=True) for th in table.select("thead th")][1:]
        if not prefix:
            assert headers == [level["name"] for level in framework["levels"]]
            facet_titles = [h.get_text(strip=True).rstrip("¶") for h in soup.select("article h3")]
            assert all(facet["title"] in facet_titles for facet in framework["facets"])
        assert len(headers) == len(framework["levels"])
        text = article_text(soup)
        assert not [level["name"] for level in coaching["levels"] if level["name"] in headers]
        assert not [facet["title"] for facet in coaching["facets"] if facet["title"] in text]
        competencies = [row.select("td")[0].get_text(strip=True) for row in table.select("tbody tr")]
        assert len(competencies) == len(list(project.path("curriculum/competencies").glob("*.yml"))) - \
            len(list(project.path("curriculum/competencies").glob("*.*.yml")))
