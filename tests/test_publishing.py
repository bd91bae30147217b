"""A build publishes a complete, validated site or leaves the previous one untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Project

FAILING_HOOK = """
def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == "{src_uri}":
        raise RuntimeError("a plugin failed on this page")
    return markdown
"""


@pytest.fixture
def previous_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "old").mkdir(parents=True)
    (site / "index.html").write_text("the previous site", "utf-8")
    (site / "old" / "page.html").write_text("an old page", "utf-8")
    return site


def assert_untouched(site: Path) -> None:
    assert (site / "index.html").read_text("utf-8") == "the previous site"
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == ["index.html", "old", "old/page.html"]
    assert sorted(p.name for p in site.parent.iterdir()) == ["project", "site"], "a staging folder was left behind"


@pytest.mark.parametrize("src_uri", ["index.md", "cases/warehouse-finishing-sentences.md", "governance.es.md"])
def test_a_plugin_failing_on_some_page_leaves_the_previous_site(project: Project, previous_site: Path,
                                                                 src_uri: str) -> None:
    project.write("hooks/fail.py", FAILING_HOOK.format(src_uri=src_uri))
    project.edit("mkdocs.yml", "\nplugins:\n", "\nhooks:\n  - hooks/fail.py\n\nplugins:\n")

    built = project.build(previous_site)

    assert built.returncode != 0
    assert "a plugin failed on this page" in built.stderr
    assert_untouched(previous_site)


def test_a_warning_in_strict_mode_publishes_nothing(project: Project, previous_site: Path) -> None:
    project.edit("docs/governance.md", "# Governance\n", "# Governance\n\nSee [the missing page](missing.md).\n")

    built = project.build(previous_site)

    assert built.returncode == 1
    assert "missing.md" in built.stderr
    assert_untouched(previous_site)


def test_a_good_build_replaces_the_previous_site_whole(project: Project, previous_site: Path) -> None:
    built = project.build(previous_site)

    assert built.returncode == 0, built.stderr
    assert not (previous_site / "old").exists()
    assert "the previous site" not in (previous_site / "index.html").read_text("utf-8")
    assert (previous_site / "competencies" / "active-listening" / "index.html").is_file()
    assert sorted(p.name for p in previous_site.parent.iterdir()) == ["project", "site"]
