"""Releases as data: the "What changed" page and each item's history, from a real git history."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from git_repos import Repo, new_repo


def _append(repo: Repo, relative: str, line: str) -> None:
    path = repo.path(relative)
    path.write_text(path.read_text("utf-8").rstrip("\n") + f"\n\n{line}\n", "utf-8")


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repo, Path, dict[str, str]]:
    """Released on 2026-11-23; one case changed and released as 1.1.0 on 2026-12-01; one case
    changed after that and one never committed."""
    folder = tmp_path_factory.mktemp("history")
    repo = new_repo(folder / "handbook", day="2026-11-20")
    # A history of its own: one release, 1.0.0, approved after the first commit.
    repo.change("curriculum/framework.yml", lambda d: d.update(version="1.0.0"))
    repo.change("curriculum/releases.yml", lambda d: d.update(releases={"1.0.0": {
        "date": "2026-11-23", "title": "First release", "notes": ["The first release."]}}))
    for translation in repo.path("curriculum").glob("releases.*.yml"):
        translation.unlink()
    repo.commit("the first release", day="2026-11-21")
    cases = sorted(p.stem for p in repo.path("cases").glob("*.md") if p.name.count(".") == 1)
    changed, later, untouched = cases[0], cases[1], cases[2]
    _append(repo, f"cases/{changed}.md", "A new closing line.")
    repo.set_version("1.1.0", notes=["One case has a new opening line."])
    repo.change("curriculum/releases.yml", lambda d: d["releases"]["1.1.0"].update(date="2026-12-01"))
    repo.commit("release 1.1.0", day="2026-11-28")
    _append(repo, f"cases/{later}.md", "A later line.")
    repo.commit("after the release", day="2026-12-05")
    fresh = repo.path(f"cases/{untouched}.md").read_text("utf-8").replace(f"id: {untouched}\n", "id: brand-new\n")
    repo.write("cases/brand-new.md", fresh)
    site = folder / "site"
    built = repo.build(site)
    assert built.returncode == 0, built.stderr
    return repo, site, {"changed": changed, "later": later, "untouched": untouched}


def _history_line(site: Path, page: str) -> str:
    soup = BeautifulSoup((site / page / "index.html").read_text("utf-8"), "html.parser")
    lines = [em for em in soup.select("article em") if "Added in" in em.get_text()]
    assert len(lines) == 1, page
    return " ".join(lines[0].get_text(" ").split())


def test_each_case_names_the_release_that_added_and_last_changed_it(history_site) -> None:
    _, site, cases = history_site
    assert _history_line(site, f"cases/{cases['untouched']}") == "Added in 1.0.0 · last changed in 1.0.0"
    assert _history_line(site, f"cases/{cases['changed']}") == "Added in 1.0.0 · last changed in 1.1.0"
    assert _history_line(site, f"cases/{cases['later']}") == \
        "Added in 1.0.0 · last changed in the next release (not yet released)"
    assert _history_line(site, "cases/brand-new") == \
        "Added in the next release (not yet released) · last changed in the next release (not yet released)"


def test_history_links_to_the_release_notes(history_site) -> None:
    _, site, cases = history_site
    soup = BeautifulSoup((site / f"cases/{cases['changed']}/index.html").read_text("utf-8"), "html.parser")
    links = [a["href"] for em in soup.select("article em") for a in em.select("a")]
    assert links == ["../../releases/#release-1-0-0", "../../releases/#release-1-1-0"]
    releases = BeautifulSoup((site / "releases/index.html").read_text("utf-8"), "html.parser")
    headings = [h.get("id") for h in releases.select("article h2")]
    assert headings[:2] == ["release-1-1-0", "release-1-0-0"]  # newest first
    assert "One case has a new opening line." in releases.select_one("#release-1-1-0").find_next("ul").get_text()


def test_the_what_changed_page_is_in_every_language_with_fallback(history_site) -> None:
    _, site, _ = history_site
    for language in ("es", "fr"):
        page = BeautifulSoup((site / language / "releases/index.html").read_text("utf-8"), "html.parser")
        notes = page.select_one("#release-1-1-0").find_next("ul")
        # The release notes are not translated: shown in the source's words, marked as such.
        assert "One case has a new opening line." in notes.get_text()
        assert page.select_one(".translation-notice") is not None
        assert notes.find_parent(attrs={"lang": "en"}) is not None


def test_a_copy_without_git_history_says_only_what_the_data_says(tmp_path: Path) -> None:
    from conftest import copy_project

    project = copy_project(tmp_path / "plain")
    built = project.build(tmp_path / "site")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site/cases").glob("*/index.html")
    assert all("Added in" not in path.read_text("utf-8") for path in page)
    assert (tmp_path / "site/releases/index.html").is_file()


def test_release_notes_are_content_and_cannot_carry_script(tmp_path: Path) -> None:
    """The releases file is written by pull request like any content: its text is checked where it
    stands, and a refused file builds nothing."""
    import yaml

    from conftest import copy_project

    project = copy_project(tmp_path / "hostile")
    path = project.path("curriculum/releases.yml")
    data = yaml.safe_load(path.read_text("utf-8"))
    version = next(iter(data["releases"]))
    release = data["releases"][version]
    release["title"] = "<img src=x onerror=alert(1)> New"
    release["notes"] = ["<script>alert(1)</script> A note."]
    release["deprecated"] = [{"item": "case/gone", "replaced_by": "case/new",
                              "reason": '<a href="javascript:alert(1)">why</a>'}]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    checked = project.validate()
    assert checked.returncode == 1
    for field, message in ((f"releases.{version}.title", "the HTML attribute 'onerror' on <img> is not allowed"),
                           (f"releases.{version}.notes[0]", "raw HTML <script> is not allowed"),
                           (f"releases.{version}.deprecated[0].reason",
                            "the link 'javascript:alert(1)' is not allowed")):
        assert any(line.startswith("curriculum/releases.yml:") and field in line and message in line
                   for line in checked.stderr.splitlines()), (field, checked.stderr)
    built = project.build(tmp_path / "site")
    assert built.returncode != 0 and not (tmp_path / "site" / "releases").exists()
