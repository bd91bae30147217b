"""Every kind of content mistake: a clear message at the offending value, exit 1, nothing written."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, Project, assert_refused

AL = "curriculum/competencies/active-listening.yml"
FRAMEWORK = "curriculum/framework.yml"
CASE = "cases/warehouse-finishing-sentences.md"
RUBRIC = "rubrics/coaching-culture.yml"


def block(relative: str, start: str, end: str) -> str:
    """The lines of a content file from the line ``start`` up to (not including) ``end``."""
    text = (REPO / relative).read_text("utf-8")
    first = text.index(start)
    return text[first: text.index(end, first)]


# The last level's behaviours and look-fors, to take out whole.
AL_EXEMPLARY = block(AL, "  exemplary:\n", "reflection_prompts:")
CULTURE_EXEMPLARY = block(RUBRIC, "      exemplary:\n", "  - id: every-voice")


@dataclass(frozen=True)
class Mistake:
    """One edit that breaks the content, and the problem it must be reported as."""

    name: str
    file: str
    old: str
    new: str
    field: str
    message: str
    at: str | None  # text on the line the problem must point to (None: line 1)

    def __str__(self) -> str:
        return self.name


MISTAKES = [
    Mistake("missing field", AL, "summary: >-\n", "# summary removed\nsummary_gone: >-\n", "summary",
            "missing required field", None),
    Mistake("unknown field", AL, "summary: >-\n", "sumary: >-\n", "sumary",
            "unknown field; expected one of:", "sumary:"),
    Mistake("wrong type", AL, "related: [powerful-questioning, psychological-safety, reflective-practice]",
            "related: powerful-questioning", "related", "expected a list but received: 'powerful-questioning'",
            "related: powerful-questioning"),
    Mistake("badly formed id", CASE, "level: emerging", "level: Emerging Level", "level",
            "'Emerging Level' is not valid here", "level: Emerging Level"),
    Mistake("bad date", AL, 'last_reviewed: "2026-10-19"', 'last_reviewed: "2026-19-10"', "last_reviewed",
            "'2026-19-10' is not a valid date", "last_reviewed:"),
    Mistake("unknown competency", CASE, "competencies: [active-listening, goal-setting]",
            "competencies: [active-listening, goal-seting]", "competencies[1]",
            "unknown competency 'goal-seting'; expected one of:", "competencies:"),
    Mistake("unknown level", CASE, "level: emerging", "level: expert", "level",
            "unknown level 'expert'; expected one of: emerging, developing, proficient, exemplary", "level: expert"),
    Mistake("unknown level key", AL, "  exemplary:\n    - Listens", "  expert:\n    - Listens", "behaviours.expert",
            "unknown level 'expert'", "expert:"),
    Mistake("unknown domain", AL, "domain: core-skills", "domain: core-skill", "domain",
            "unknown domain 'core-skill'; expected one of: core-skills, supporting-attributes", "domain:"),
    Mistake("unknown role", CASE, "roles: [frontline-supervisor]", "roles: [shift-lead]", "roles[0]",
            "unknown role 'shift-lead'", "roles: [shift-lead]"),
    Mistake("unknown setting", CASE, "setting: one-to-one", "setting: one-on-one", "setting",
            "unknown setting 'one-on-one'", "setting:"),
    Mistake("unknown inclusion dimension", CASE, "inclusion: [language, culture]", "inclusion: [language, age]",
            "inclusion[1]", "unknown inclusion dimension 'age'", "inclusion:"),
    Mistake("unknown related competency", AL, "related: [powerful-questioning,", "related: [deep-listening,",
            "related[0]", "unknown competency 'deep-listening'", "related:"),
    Mistake("same id twice", FRAMEWORK, "  - id: developing\n", "  - id: emerging\n", "levels[1].id",
            "the id 'emerging' is used twice (first at item 1)", "  - id: emerging\n    name: Developing"),
    Mistake("same criterion id twice", RUBRIC, "  - id: every-voice", "  - id: safe-to-speak", "criteria[1].id",
            "the id 'safe-to-speak' is used twice", "  - id: safe-to-speak\n    title: Includes every voice"),
    Mistake("id does not match file name", AL, "id: active-listening", "id: listening", "id",
            "the id must match the file name: expected 'active-listening' but received 'listening'", "id: listening"),
    Mistake("level without behaviours", AL, AL_EXEMPLARY, "", "behaviours",
            "no observable behaviours for level 'exemplary': every level needs at least one", "behaviours:"),
    Mistake("level without look-fors", RUBRIC, CULTURE_EXEMPLARY, "", "criteria[0].look_fors",
            "no look-fors for level 'exemplary'", "    look_fors:"),
    Mistake("empty level", AL, AL_EXEMPLARY, "  exemplary: []\n", "behaviours.exemplary", "must not be empty",
            "exemplary: []"),
    Mistake("deprecated without replacement", AL, "status: active", "status: deprecated", "status",
            "a deprecated competency needs replaced_by", "status: deprecated"),
    Mistake("duplicate key", AL, "status: active", "status: active\ntitle: Listening", "title",
            "duplicate key (first given on line 3)", "title: Listening"),
    Mistake("yes/no read as boolean", AL, "  - When did I last stop", "  - no\n  - When did I last stop",
            "reflection_prompts[0]", "'no' would be read as a yes/no value", "  - no"),
    Mistake("version read as a number", FRAMEWORK, 'version: "1.0.0"', "version: 1.10", "version",
            "'1.10' would be read as the number 1.1", "version: 1.10"),
    Mistake("octal-looking number", RUBRIC, "threshold: 14", "threshold: 014", "threshold",
            "'014' would be read as a number", "threshold: 014"),
    Mistake("missing case section", CASE, "## Debrief {#debrief}", "## Debrief", "body",
            "a section heading ends with one of:", "## Debrief"),
    Mistake("floor off the scale", RUBRIC, "[psychological-safety, active-listening]\n    floor: 2",
            "[psychological-safety, active-listening]\n    floor: 7", "criteria[0].floor",
            "the floor must be a score on the scale, from 1 to 4", "floor: 7"),
    Mistake("unreachable threshold", RUBRIC, "threshold: 14", "threshold: 40", "threshold",
            "the threshold can never be reached: the highest possible total is 20", "threshold: 40"),
    Mistake("not valid YAML", AL, "status: active", "status: [active", "",
            "not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts on line 40)",
            "last_reviewed:"),
]


def expected_line(project: Project, mistake: Mistake) -> int:
    if mistake.at is None:
        return 1
    text = project.path(mistake.file).read_text("utf-8")
    return text[: text.index(mistake.at)].count("\n") + 1 + (1 if mistake.at.startswith("\n") else 0)


@pytest.mark.parametrize("mistake", MISTAKES, ids=str)
def test_mistake_is_reported_at_its_value_and_nothing_is_written(project: Project, tmp_path: Path,
                                                                  mistake: Mistake) -> None:
    project.edit(mistake.file, mistake.old, mistake.new)
    assert_refused(project, tmp_path / "site", mistake.file, expected_line(project, mistake), mistake.field,
                   mistake.message)


def test_every_problem_of_a_run_is_reported_at_once(project: Project) -> None:
    chosen = ("unknown field", "unknown level", "unknown domain", "version read as a number")
    for mistake in (m for m in MISTAKES if m.name in chosen):
        project.edit(mistake.file, mistake.old, mistake.new)

    checked = project.validate("--format", "json")

    assert checked.returncode == 1
    problems = json.loads(checked.stdout)["problems"]
    assert {(p["path"], p["field"]) for p in problems} == {
        (AL, "sumary"), (AL, "summary"), (AL, "domain"), (CASE, "level"), (FRAMEWORK, "version")}
    assert all(p["line"] >= 1 and p["column"] >= 1 and p["message"] for p in problems)


def test_validate_prints_one_line_per_problem(project: Project) -> None:
    project.edit(CASE, "level: emerging", "level: expert")
    project.edit(CASE, "roles: [frontline-supervisor]", "roles: [shift-lead]")

    checked = project.validate()

    assert checked.returncode == 1
    lines = checked.stderr.strip().splitlines()
    assert lines[:2] == [
        f"{CASE}:8:8: level: unknown level 'expert'; expected one of: emerging, developing, proficient, exemplary",
        f"{CASE}:9:9: roles[0]: unknown role 'shift-lead'; expected one of: frontline-supervisor, project-lead, "
        "functional-expert",
    ]
    assert lines[-1] == "2 problems found in the content."


def test_valid_content_passes(project: Project) -> None:
    checked = project.validate()
    assert checked.returncode == 0, checked.stderr
    assert "Content is valid: 9 competencies" in checked.stdout


def test_file_with_another_encoding_is_refused_with_its_line(project: Project) -> None:
    target = project.path(CASE)
    target.write_bytes(target.read_bytes().replace(b"Finishing", "Fin\xe9shing".encode("latin-1")))

    checked = project.validate()

    assert checked.returncode == 1
    assert f"{CASE}:3:11: (file): not UTF-8 text (byte 0xe9)" in checked.stderr


def test_two_files_with_the_same_id(project: Project) -> None:
    project.write("curriculum/competencies/listening.yml", project.path(AL).read_text("utf-8"))

    checked = project.validate()

    assert checked.returncode == 1
    assert ("curriculum/competencies/listening.yml:1:5: id: the id 'active-listening' is also used by "
            f"{AL}") in checked.stderr
