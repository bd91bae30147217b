"""The generated handbook, built for real and read as HTML."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import REPO, Project, article_text, page


def load(relative: str) -> dict:
    return yaml.safe_load((REPO / relative).read_text("utf-8"))


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---")[1])


FRAMEWORK = load("curriculum/framework.yml")
def sources(folder: str, pattern: str) -> list[Path]:
    """Source files only: translations carry a language before the extension."""
    return [p for p in (REPO / folder).glob(pattern) if p.name.count(".") == 1]


COMPETENCIES = {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sources("curriculum/competencies", "*.yml")}
CASES = {p.stem: front_matter(p) for p in sources("cases", "*.md")}
RUBRICS = {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sources("rubrics", "*.yml")}


def test_competency_page_lists_its_cases_and_look_fors(site: Path) -> None:
    soup = page(site, "competencies/active-listening")
    links = {a["href"].strip("/").split("/")[-1] for a in soup.select("article a[href*='cases/']")}
    exercising = {case_id for case_id, case in CASES.items() if "active-listening" in case["competencies"]}
    assert len(exercising) >= 2
    assert exercising <= links
    text = article_text(soup)
    for rubric in RUBRICS.values():
        for criterion in rubric["criteria"]:
            if "active-listening" in criterion["competencies"]:
                assert criterion["title"] in text
                for statements in criterion["look_fors"].values():
                    for statement in statements:
                        assert " ".join(statement.split()) in text


def test_competency_page_shows_behaviours_for_every_level(site: Path) -> None:
    for competency_id, competency in COMPETENCIES.items():
        text = article_text(page(site, f"competencies/{competency_id}"))
        for level in FRAMEWORK["levels"]:
            assert level["name"] in text
            for behaviour in competency["behaviours"][level["id"]]:
                assert " ".join(behaviour.split()) in text, (competency_id, behaviour)


def test_case_index_lists_every_case(site: Path) -> None:
    rows = page(site, "cases").select("article table tbody tr")
    titles = [row.select_one("td a").get_text(strip=True) for row in rows]
    assert sorted(titles) == sorted(case["title"] for case in CASES.values())
    for row in rows:
        case_link = row.select_one("td a")["href"]
        assert (site / "cases" / case_link).resolve().joinpath("index.html").is_file()


def test_case_page_links_back_to_its_competencies(site: Path) -> None:
    for case_id, case in CASES.items():
        soup = page(site, f"cases/{case_id}")
        linked = {a["href"].strip("/").split("/")[-1] for a in soup.select("article a[href*='competencies/']")}
        assert set(case["competencies"]) <= linked
        assert soup.select_one("details.facilitator-notes") is not None  # folded away for mentors


def test_matrix_has_every_competency_at_every_level(site: Path) -> None:
    soup = page(site, "competencies")
    matrix = soup.select("article table")[-1]
    header = [th.get_text(strip=True) for th in matrix.select("thead th")]
    assert header[1:] == [level["name"] for level in FRAMEWORK["levels"]]
    rows = {row.select_one("td a").get_text(strip=True): row.select("td")[1:] for row in matrix.select("tbody tr")}
    assert set(rows) == {c["title"] for c in COMPETENCIES.values()}
    for competency in COMPETENCIES.values():
        cells = rows[competency["title"]]
        for level, cell in zip(FRAMEWORK["levels"], cells, strict=True):
            first = " ".join(competency["behaviours"][level["id"]][0].split())
            assert first in " ".join(cell.get_text(" ").split())


def test_rubric_page_shows_scale_floors_and_threshold(site: Path) -> None:
    for rubric_id, rubric in RUBRICS.items():
        text = article_text(page(site, f"rubrics/{rubric_id}"))
        scoring, top = rubric["scoring"], rubric["scale"][-1]["score"]
        assert f"the {scoring['aggregate']} of its criterion scores is at least {scoring['threshold']:g} " \
               f"(of at most {top:g})" in text
        assert f"rated by {scoring['scorers']} scorers" in text
        for criterion in rubric["criteria"]:
            assert criterion["title"] in text
        floors = page(site, f"rubrics/{rubric_id}").select("article table")[1]
        assert [row.select("td")[1].get_text(strip=True) for row in floors.select("tbody tr")] == \
            [f"{criterion['floor']:g}" for criterion in rubric["criteria"]]


def test_navigation_lists_competencies_by_domain_but_not_every_case(site: Path) -> None:
    nav = page(site, "competencies/active-listening").select_one("nav.md-nav--primary")
    nav_text = nav.get_text(" ")
    for domain in FRAMEWORK["domains"]:
        assert domain["title"] in nav_text
    same_domain = [c for c in COMPETENCIES.values() if c["domain"] == COMPETENCIES["active-listening"]["domain"]]
    for competency in same_domain:
        assert competency["title"] in nav_text
    assert not any(case["title"] in nav_text for case in CASES.values())


def test_schemas_are_published(site: Path) -> None:
    for kind in ("framework", "competency", "case", "rubric"):
        assert '"$schema"' in (site / "schemas" / f"{kind}.schema.json").read_text("utf-8")


def test_hand_written_pages_quote_figures_from_the_rubric_data(project: Project, tmp_path: Path) -> None:
    project.edit("rubrics/coaching-cycle.yml", "  threshold: 3\n", "  threshold: 2.75\n")
    assert project.build(tmp_path / "site").returncode == 0
    assessment = article_text(page(tmp_path / "site", "assessment"))
    assert "2.75" in assessment and "{{" not in assessment
    rubric_row = next(row for row in page(tmp_path / "site", "assessment").select("article tr")
                      if "coaching cycle" in row.get_text().lower() and row.select("td"))
    assert "2.75" in [td.get_text(strip=True) for td in rubric_row.select("td")]
