"""Links in case texts and other fields: resolved to the page they name, and checked."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from conftest import Project


def _case(project: Project) -> str:
    return sorted(p.stem for p in project.path("cases").glob("*.md") if p.name.count(".") == 1)[0]


def _rubric(project: Project) -> tuple[str, str]:
    import yaml

    path = sorted(p for p in project.path("rubrics").glob("*.yml") if p.name.count(".") == 1)[0]
    return path.stem, yaml.safe_load(path.read_text("utf-8"))["criteria"][0]["id"]


def _append(project: Project, relative: str, text: str) -> None:
    path = project.path(relative)
    path.write_text(path.read_text("utf-8").rstrip("\n") + f"\n\n{text}\n", "utf-8")


def test_a_link_to_a_criterion_reaches_it_in_every_language(project: Project, tmp_path: Path) -> None:
    case = _case(project)
    rubric, criterion = _rubric(project)
    for path in project.path("cases").glob(f"{case}.*"):  # the case and its translations
        _append(project, path.relative_to(project.root).as_posix(),
                f"See [the first criterion](../rubrics/{rubric}.md#criterion-{criterion}).")
    built = project.build(tmp_path / "site")
    assert built.returncode == 0, built.stderr
    for prefix in ("", "es/", "fr/"):
        page = BeautifulSoup((tmp_path / "site" / prefix / "cases" / case / "index.html").read_text("utf-8"),
                             "html.parser")
        links = [a["href"] for a in page.select("article a") if "criterion-" in a.get("href", "")]
        assert f"../../rubrics/{rubric}/#criterion-{criterion}" in links, prefix
        target = BeautifulSoup((tmp_path / "site" / prefix / "rubrics" / rubric / "index.html").read_text("utf-8"),
                               "html.parser")
        assert target.select_one(f"h3#criterion-{criterion}") is not None  # the same anchor in every language


def test_a_link_to_no_page_or_no_anchor_fails_the_build(project: Project, tmp_path: Path) -> None:
    case = _case(project)
    rubric, _ = _rubric(project)
    _append(project, f"cases/{case}.md",
            f"See [nothing](../rubrics/nope.md) and [no place](../rubrics/{rubric}.md#nowhere).")
    built = project.build(tmp_path / "site")
    assert built.returncode != 0
    assert f"cases/{case}.md" in built.stderr
    assert "the link '../rubrics/nope.md' leads to no page of the site (from cases/" in built.stderr
    assert f"the link '../rubrics/{rubric}.md#nowhere' leads to no '#nowhere' on that page" in built.stderr
    assert not (tmp_path / "site" / "index.html").exists()  # nothing published
