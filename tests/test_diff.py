"""`handbook diff` and `handbook diff --check` on real temporary git repositories.

Each test commits a copy of the project, changes it as a curriculum owner would (through the
YAML data, so the tests hold whatever the wording of the content is today), commits again and
compares the two commits, in Markdown and in JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import markdown
import pytest

from conftest import ENV, REPO, copy_project
from git_repos import DIFF_SCHEMA, Repo, new_repo


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return new_repo(tmp_path / "handbook")


def _first_criterion(data: dict) -> dict:
    return data["criteria"][0]


def _rubric(repo: Repo) -> str:
    return next(p.relative_to(repo.root).as_posix() for p in sorted(repo.path("rubrics").glob("*.yml"))
                if p.name.count(".") == 1)


def _case_with_translation(repo: Repo) -> tuple[str, str]:
    for path in sorted(repo.path("cases").glob("*.es.md")):
        return path.name.removesuffix(".es.md"), "es"
    raise AssertionError("no translated case")


def _changes(report: dict, change: str | None = None, item: str | None = None) -> list[dict]:
    return [c for c in report["changes"] if (change is None or c["change"] == change)
            and (item is None or c["item"] == item)]


def test_a_reformatted_file_with_the_same_content_is_no_change(repo: Repo) -> None:
    rubric = _rubric(repo)
    before = repo.path(rubric).read_text("utf-8")
    repo.save(rubric, repo.data(rubric))  # same data, PyYAML's layout: no comments, other quoting and folding
    repo.save("curriculum/framework.yml", repo.data("curriculum/framework.yml"))
    assert repo.path(rubric).read_text("utf-8") != before
    repo.commit("reformat")
    report = repo.diff_json("HEAD~1", "HEAD")
    assert report["changes"] == [] and report["translations"] == []
    markdown = repo.diff("HEAD~1", "HEAD")
    assert markdown.returncode == 0 and "no change to the curriculum" in markdown.stdout
    assert repo.diff("--check", "HEAD~1", "HEAD").returncode == 0  # nothing changed: nothing to release


def test_a_look_for_moved_between_levels_is_a_move_and_a_scoring_change(repo: Repo) -> None:
    rubric = _rubric(repo)
    data = repo.data(rubric)
    criterion = _first_criterion(data)
    levels = list(criterion["look_fors"])
    text = criterion["look_fors"][levels[1]].pop(0)
    criterion["look_fors"][levels[2]].append(text)
    repo.save(rubric, data)
    repo.commit("move a look-for up a level")
    report = repo.diff_json("HEAD~1", "HEAD")
    item = f"criterion/{data['id']}/{criterion['id']}"
    moves = _changes(report, "moved", item)
    assert len(moves) == 1 and not _changes(report, "added") and not _changes(report, "removed")
    assert moves[0]["from"] == levels[1] and moves[0]["to"] == levels[2]
    assert moves[0]["after"] == text and moves[0]["category"] == "scoring" and moves[0]["field"] == "look_fors"
    assert moves[0]["where"].startswith(f"{rubric}:")
    line = int(moves[0]["where"].rsplit(":", 1)[1])
    assert text[:30] in repo.path(rubric).read_text("utf-8").splitlines()[line - 1]
    markdown = repo.diff("HEAD~1", "HEAD").stdout
    assert f"**moved** `look_fors` from *{levels[1]}* to *{levels[2]}* *(scoring)*" in markdown


def test_a_floor_change_shows_before_and_after_and_needs_a_major_version(repo: Repo) -> None:
    rubric = _rubric(repo)
    data = repo.data(rubric)
    criterion = _first_criterion(data)
    old = criterion["floor"]
    criterion["floor"] = old + 0.5
    repo.save(rubric, data)
    base, minor, major = repo.version(), repo.bumped("minor"), repo.bumped("major")
    repo.set_version(minor, notes=["A higher floor for the first criterion."])
    repo.commit("raise a floor, as a minor release")
    report = repo.diff_json("--check", "HEAD~1", "HEAD")
    change = _changes(report, "changed", f"criterion/{data['id']}/{criterion['id']}")
    assert [(c["field"], c["before"], c["after"], c["category"]) for c in change] == \
        [("floor", old, old + 0.5, "scoring")]
    assert [f["rule"] for f in report["policy"]] == ["version-bump"]
    checked = repo.diff("--check", "HEAD~1", "HEAD")
    assert checked.returncode == 1
    assert "curriculum/framework.yml:" in checked.stderr and "version-bump:" in checked.stderr
    assert f"needs a major version bump, but the version went from {base} to {minor}" in checked.stderr
    assert f'Fix: set version: "{major}"' in checked.stderr
    assert "❌ **version-bump**" in checked.stdout
    # Followed: a major version with its notes.
    repo.change("curriculum/framework.yml", lambda d: d.update(version=major))
    repo.change("curriculum/releases.yml", lambda d: d.update(releases={
        major: d["releases"].pop(minor), **d["releases"]}))
    repo.commit("make it a major release")
    passed = repo.diff("--check", "HEAD~2", "HEAD")
    assert passed.returncode == 0, passed.stderr
    assert "every release rule is met" in passed.stdout


def test_a_changed_text_marks_the_changed_words_and_makes_its_translation_stale(repo: Repo) -> None:
    case, language = _case_with_translation(repo)
    path = f"cases/{case}.md"
    text = repo.path(path).read_text("utf-8")
    front, body = text.split("\n---\n", 1)
    first = front.index("title: ") + len("title: ")
    end = front.index("\n", first)
    old_title = front[first:end]
    repo.path(path).write_text(front[:first] + old_title + " revisited" + front[end:] + "\n---\n" + body, "utf-8")
    repo.set_version(repo.bumped("patch"), notes=["A clearer case title."])
    repo.commit("retitle a case")
    report = repo.diff_json("--check", "HEAD~1", "HEAD")
    [change] = _changes(report, "changed", f"case/{case}")
    assert change["field"] == "title" and change["category"] == "wording"
    assert ["insert", " revisited"] in change["words"]
    stale = [t for t in report["translations"] if t["item"] == f"case/{case}" and t["language"] == language]
    assert stale == [{"language": language, "item": f"case/{case}", "before": "current", "after": "stale",
                      "file": f"cases/{case}.{language}.md"}] or stale[0]["before"] != "current"
    assert report["summary"]["went_stale"] >= 1 and report["policy"] == []
    markdown = repo.diff("HEAD~1", "HEAD").stdout
    assert "**revisited**" in markdown and "### Translations" in markdown


def test_a_rename_with_an_earlier_deprecation_passes_and_without_one_fails(repo: Repo) -> None:
    case = sorted(p.stem for p in repo.path("cases").glob("*.md") if p.name.count(".") == 1)[0]
    new = f"{case}-revised"

    def rename() -> None:
        for path in sorted(repo.path("cases").glob(f"{case}.*")):
            text = path.read_text("utf-8").replace(f"id: {case}\n", f"id: {new}\n", 1)
            path.unlink()
            (path.parent / path.name.replace(case, new, 1)).write_text(text, "utf-8")

    # Without a deprecation in an earlier release.
    minor, major = repo.bumped("minor"), repo.bumped("major")
    rename()
    repo.set_version(major, notes=["A case renamed."])
    repo.commit("rename a case without deprecating it first")
    report = repo.diff_json("--check", "HEAD~1", "HEAD")
    [renamed] = _changes(report, "renamed", f"case/{case}")
    assert renamed["renamed_to"] == f"case/{new}" and not _changes(report, "removed")
    [failure] = [f for f in report["policy"] if f["rule"] == "deprecate-before-removal"]
    assert failure["item"] == f"case/{case}" and "no earlier release deprecated it" in failure["message"]
    assert f"replaced_by: case/{new}" in failure["fix"]
    # Followed: deprecate in one release, rename in the next.
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.set_version(minor, notes=["A case will be renamed."],
                     deprecated=[{"item": f"case/{case}", "replaced_by": f"case/{new}", "reason": "A clearer id."}])
    repo.commit("deprecate the case")
    rename()
    repo.set_version(repo.bumped("major"), notes=["A case renamed."])
    repo.commit("rename it")
    checked = repo.diff("--check", "HEAD~1", "HEAD")
    assert checked.returncode == 0, checked.stderr
    assert f"**renamed** to `case/{new}`" in checked.stdout


def test_a_removal_without_deprecation_and_a_deprecation_without_replacement_fail(repo: Repo) -> None:
    case = sorted(p.stem for p in repo.path("cases").glob("*.md") if p.name.count(".") == 1)[-1]
    for path in repo.path("cases").glob(f"{case}.*"):
        path.unlink()
    competency = sorted(p.stem for p in repo.path("curriculum/competencies").glob("*.yml")
                        if p.name.count(".") == 1)[0]
    major = repo.bumped("major")
    repo.set_version(major, notes=["A case withdrawn."],
                     deprecated=[{"item": f"competency/{competency}", "reason": "Folded into another."},
                                 {"item": "case/none", "replaced_by": "case/nowhere", "reason": "Gone."}])
    repo.commit("remove a case")
    checked = repo.diff("--check", "HEAD~1", "HEAD")
    assert checked.returncode == 1
    lines = checked.stderr.splitlines()
    assert any(f"deprecate-before-removal: case/{case} was removed, but no earlier release deprecated it" in line
               for line in lines)
    assert any(line.startswith("curriculum/releases.yml:") and "deprecation-replacement" in line
               and f"competency/{competency} is deprecated (in {major}) without naming its replacement" in line
               for line in lines)
    assert any("case/none is replaced by case/nowhere, which does not exist" in line for line in lines)


def test_a_version_needs_its_release_notes(repo: Repo) -> None:
    repo.change("curriculum/competencies/" + sorted(
        p.name for p in repo.path("curriculum/competencies").glob("*.yml") if p.name.count(".") == 1)[0],
        lambda d: d.update(summary=d["summary"] + " Now with an example."))
    patch = repo.bumped("patch")
    repo.set_version(patch)
    repo.commit("reword without notes")
    checked = repo.diff("--check", "HEAD~1", "HEAD")
    assert checked.returncode == 1
    assert f"release-notes: version {patch} has no release notes." in checked.stderr
    assert "version-bump" not in checked.stderr  # a patch is what wording needs
    repo.set_version(patch, notes=["A clearer summary."])
    repo.commit("add the notes")
    assert repo.diff("--check", "HEAD~2", "HEAD").returncode == 0


def test_the_policy_is_configurable_per_program(repo: Repo) -> None:
    repo.change("curriculum/competencies/" + sorted(
        p.name for p in repo.path("curriculum/competencies").glob("*.yml") if p.name.count(".") == 1)[0],
        lambda d: d.update(summary=d["summary"] + " Reworded."))
    repo.commit("reword, no version")
    assert "version-bump" in repo.diff("--check", "HEAD~1", "HEAD").stderr
    config = repo.path("mkdocs.yml").read_text("utf-8")
    repo.path("mkdocs.yml").write_text(config.replace(
        "  - handbook:\n", "  - handbook:\n      policy:\n        bumps: {wording: none}\n"
        "        rules: {release-notes: false}\n", 1), "utf-8")
    assert "policy:" in repo.path("mkdocs.yml").read_text("utf-8")
    assert repo.diff("--check", "HEAD~1").returncode == 0
    repo.path("mkdocs.yml").write_text(config.replace(
        "  - handbook:\n", "  - handbook:\n      policy:\n        bumps: {wording: tiny}\n", 1), "utf-8")
    wrong = repo.diff("--check", "HEAD~1")
    assert wrong.returncode == 2
    assert "policy.bumps.wording: expected one of: major, minor, patch, none, but received: 'tiny'" in wrong.stderr


def test_content_text_is_quoted_never_markup_in_the_report(repo: Repo) -> None:
    rubric = _rubric(repo)
    hostile = "<script>alert(1)</script> [link](javascript:alert(1)) **bold** <img src=x onerror=alert(1)>"
    repo.change(rubric, lambda d: _first_criterion(d).update(description=hostile))
    repo.change(rubric, lambda d: d.update(title=d["title"] + " </summary><script>x</script>"))
    repo.commit("hostile text")
    report = repo.diff("HEAD~1", "HEAD").stdout
    assert "<script>" not in report and "<img" not in report and "[link](" not in report
    assert "&lt;script&gt;" in report and "\\*\\*bold\\*\\*" in report
    rendered = markdown.markdown(report, extensions=["tables"])  # as a pull-request comment shows it
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
    assert "<strong>bold</strong>" not in rendered and "alert(1)" in rendered


def test_unknown_revisions_and_folders_are_clear_errors(repo: Repo, tmp_path: Path) -> None:
    missing = repo.diff("no-such-branch")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert "'no-such-branch' is neither a folder nor a revision" in missing.stderr
    option = repo.diff("--", "--output=/tmp/x")
    assert option.returncode == 2 and "is not a revision" in option.stderr
    # Two folders, no git needed: the working tree against a copy of itself.
    other = copy_project(tmp_path / "copy")
    folders = repo.diff("--format", "json", str(other.root), str(repo.root))
    assert folders.returncode == 0 and json.loads(folders.stdout)["changes"] == []


def test_the_working_tree_is_the_default_head(repo: Repo) -> None:
    rubric = _rubric(repo)
    repo.change(rubric, lambda d: d.update(summary=d["summary"] + " Uncommitted."))
    report = repo.diff_json("HEAD")
    assert report["head"]["label"] == "working tree"
    assert [c["field"] for c in report["changes"]] == ["summary"]


def test_the_real_repository_diffs_from_its_first_commit() -> None:
    """The history of this repository, first commit to now, whatever schema the first one used."""
    if not (REPO / ".git").exists():
        pytest.fail("the test suite runs from a git clone of the project")
    first = subprocess.run(["git", "-C", str(REPO), "rev-list", "--max-parents=0", "HEAD"], capture_output=True,
                           text=True, check=True).stdout.split()[0]
    done = subprocess.run([sys.executable, "-m", "handbook.cli", "diff", "--format", "json", first, "HEAD"],
                          capture_output=True, text=True, env=ENV, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    jsonschema.Draft202012Validator(DIFF_SCHEMA).validate(report)
    assert report["summary"]["changes"] > 0 and any(c["item"].startswith("case/") for c in report["changes"])
