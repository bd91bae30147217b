"""Every kind of content mistake: a clear message at the offending value, exit 1, nothing written."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, Project, assert_refused

AL = "curriculum/competencies/active-listening.yml"
FRAMEWORK = "curriculum/framework.yml"
AL_REVIEWED = re.search(r'^last_reviewed: "([^"]+)"', (REPO / AL).read_text("utf-8"), re.MULTILINE)[1]
# The version line as the framework writes it today (it changes with every release).
FRAMEWORK_VERSION = re.search(r'^version: "([^"]+)"', (REPO / FRAMEWORK).read_text("utf-8"), re.MULTILINE)[1]
CASE = "cases/warehouse-finishing-sentences.md"
RUBRIC = "rubrics/coaching-culture.yml"
GOAL = "curriculum/competencies/goal-setting.yml"
AL_ES = "curriculum/competencies/active-listening.es.yml"
CYCLE_ES = "rubrics/coaching-cycle.es.yml"
CASE_COMPETENCIES = "competencies: [active-listening, goal-setting]"


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
            "unknown field; did you mean 'summary'? expected one of:", "sumary:"),
    Mistake("wrong type", AL, "related: [powerful-questioning, psychological-safety, reflective-practice]",
            "related: powerful-questioning", "related", "expected a list but received: 'powerful-questioning'",
            "related: powerful-questioning"),
    Mistake("badly formed id", CASE, "level: emerging", "level: Emerging Level", "level",
            "'Emerging Level' is not valid here", "level: Emerging Level"),
    Mistake("bad date", AL, f'last_reviewed: "{AL_REVIEWED}"', 'last_reviewed: "2026-19-10"', "last_reviewed",
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
    Mistake("unknown setting", CASE, "setting: one-to-one", "setting: one-on-one", "facets.setting",
            "unknown setting value 'one-on-one'; expected one of: one-to-one, team-facilitation", "setting:"),
    Mistake("unknown inclusion dimension", CASE, "inclusion: [language, culture]", "inclusion: [language, age]",
            "facets.inclusion[1]", "unknown inclusion value 'age'", "inclusion:"),
    Mistake("unknown facet", CASE, "  setting: one-to-one", "  setting: one-to-one\n  shift: night", "facets.shift",
            "unknown facet 'shift'; expected one of: setting, inclusion", "shift:"),
    Mistake("one value where a facet takes one", CASE, "setting: one-to-one", "setting: [one-to-one]",
            "facets.setting", "'setting' takes one value, not a list", "setting:"),
    Mistake("title of only spaces", AL, "title: Active listening", 'title: "   "', "title", "must not be blank",
            "title:"),
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
    Mistake("version read as a number", FRAMEWORK, f'version: "{FRAMEWORK_VERSION}"', "version: 1.10", "version",
            "'1.10' would be read as the number 1.1", "version: 1.10"),
    Mistake("octal-looking number", RUBRIC, "scorers: 2", "scorers: 02", "scoring.scorers",
            "'02' would be read as a number", "scorers: 02"),
    Mistake("missing case section", CASE, "## Debrief {#debrief}", "## Debrief", "body",
            "a section heading ends with one of:", "## Debrief"),
    Mistake("floor off the scale", RUBRIC, "[psychological-safety, active-listening]\n    floor: 2.5",
            "[psychological-safety, active-listening]\n    floor: 7", "criteria[0].floor",
            "the floor 7 can never be met: the top score is 4", "floor: 7"),
    Mistake("floor between steps", RUBRIC, "[psychological-safety, active-listening]\n    floor: 2.5",
            "[psychological-safety, active-listening]\n    floor: 2.25", "criteria[0].floor",
            "2.25 can never be scored exactly", "floor: 2.25"),
    Mistake("unreachable threshold", RUBRIC, "threshold: 3\n", "threshold: 5\n", "scoring.threshold",
            "the threshold 5 can never be reached: the highest possible mean is 4", "threshold: 5"),
    Mistake("missing scoring rule", RUBRIC, "  aggregate: mean\n", "", "scoring.aggregate",
            "missing required field", "  threshold: 3"),
    Mistake("not valid YAML", AL, "status: active", "status: [active", "",
            "not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts on line "
            f"{(REPO / AL).read_text('utf-8').splitlines().index('status: active') + 1})",
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
    level, roles = project.line_of(CASE, "level: expert"), project.line_of(CASE, "roles: [shift-lead]")
    assert lines[:2] == [
        f"{CASE}:{level}:8: level: unknown level 'expert'; expected one of: emerging, developing, proficient, "
        "exemplary",
        f"{CASE}:{roles}:9: roles[0]: unknown role 'shift-lead'; expected one of: frontline-supervisor, "
        "project-lead, functional-expert",
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


# --- every problem in one pass ---------------------------------------------------------------------------


def problems_of(project: Project) -> list[dict]:
    """The problems ``handbook validate --format json`` reports, after checking it refused cleanly."""
    checked = project.validate("--format", "json")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "Traceback" not in checked.stderr, checked.stderr
    return json.loads(checked.stdout)["problems"]


def assert_reported(problems: list[dict], path: str, line: int, field: str, message: str,
                    column: int | None = None) -> None:
    found = [p for p in problems if p["path"] == path and p["line"] == line and p["field"] == field
             and message in p["message"] and column in (None, p["column"])]
    listed = "\n".join(f"{p['path']}:{p['line']}:{p['column']}: {p['field']}: {p['message']}" for p in problems)
    assert found, f"no '{path}:{line}: {field}: {message}' among:\n{listed}"


def test_problems_of_every_kind_in_different_files_come_in_one_run(project: Project) -> None:
    project.edit(GOAL, "status: active", "status: retired")
    project.edit(CASE, CASE_COMPETENCIES, "competencies: [active-listening, goal-seting]")
    project.edit(AL_ES, "title: Escucha activa", "titel: Escucha activa")
    project.write("rubrics/notes.yaml", "notes: to do\n")
    project.edit(RUBRIC, "    title: Includes every voice\n", "")

    problems = problems_of(project)

    expected = [
        (GOAL, project.line_of(GOAL, "status: retired"), "status",
         "expected one of: active, deprecated but received: 'retired'"),
        (CASE, project.line_of(CASE, "competencies:"), "competencies[1]", "unknown competency 'goal-seting'"),
        (AL_ES, project.line_of(AL_ES, "titel:"), "titel", "unknown field; did you mean 'title'?"),
        ("rubrics/notes.yaml", 1, "", "unexpected file"),
        (RUBRIC, project.line_of(RUBRIC, "  - id: every-voice"), "criteria[1].title", "missing required field"),
    ]
    for path, line, field, message in expected:
        assert_reported(problems, path, line, field, message)
    assert len(problems) == len(expected), problems  # each said once, and nothing else


def test_an_unknown_field_suggests_the_known_name_it_is_close_to(project: Project) -> None:
    project.edit(RUBRIC, "    title: Includes every voice", "    titel: Includes every voice")
    project.edit(AL_ES, "title: Escucha activa", "tittle: Escucha activa")
    project.edit(GOAL, "status: active", "status: active\ncolour: blue")

    problems = problems_of(project)

    line = project.line_of(RUBRIC, "titel:")
    assert_reported(problems, RUBRIC, line, "criteria[1].titel", "unknown field; did you mean 'title'? expected one "
                    "of: competencies, description, floor, id, look_fors, title", column=5)
    assert_reported(problems, AL_ES, project.line_of(AL_ES, "tittle:"), "tittle",
                    "unknown field; did you mean 'title'? expected one of: behaviours, id,")
    colour = next(p for p in problems if p["field"] == "colour")
    assert "did you mean" not in colour["message"] and "expected one of: " in colour["message"]


def test_a_missing_field_is_reported_at_the_mapping_that_lacks_it(project: Project) -> None:
    project.edit(RUBRIC, "    title: Includes every voice\n", "")
    project.edit(CYCLE_ES, "  - id: listening-and-questioning\n    title:", "  - title:")
    project.edit(CASE, "level: emerging\n", "")

    problems = problems_of(project)

    assert_reported(problems, RUBRIC, project.line_of(RUBRIC, "  - id: every-voice"), "criteria[1].title",
                    "missing required field", column=5)
    assert_reported(problems, CYCLE_ES, project.line_of(CYCLE_ES, "  - title: Escucha y hace preguntas"),
                    "criteria[1].id", "missing required field", column=5)
    assert_reported(problems, CASE, 2, "level", "missing required field", column=1)  # the front matter's first line


def test_a_rubric_with_a_schema_problem_still_has_its_references_checked(project: Project) -> None:
    project.edit(RUBRIC, "id: coaching-culture\n", "id: coaching-culture\nowner: curriculum team\n")
    project.edit(RUBRIC, "competencies: [psychological-safety, active-listening]",
                 "competencies: [psychological-safety, active-lisening]")

    problems = problems_of(project)

    assert_reported(problems, RUBRIC, 2, "owner", "unknown field")
    assert_reported(problems, RUBRIC, project.line_of(RUBRIC, "active-lisening"), "criteria[0].competencies[1]",
                    "unknown competency 'active-lisening'; expected one of:")


def test_a_translation_is_compared_with_a_source_that_has_problems_of_its_own(project: Project) -> None:
    project.edit(AL, "status: active", "status: retired")
    text = project.path(AL_ES).read_text("utf-8")
    prompts = text.index("reflection_prompts:")
    first, second = text.index("\n  - ", prompts), text.index("\n  - ", text.index("\n  - ", prompts) + 1)
    project.write(AL_ES, text[:first] + text[second:])  # one prompt left out

    problems = problems_of(project)

    assert_reported(problems, AL, project.line_of(AL, "status: retired"), "status", "expected one of:")
    assert_reported(problems, AL_ES, project.line_of(AL_ES, "reflection_prompts:") + 1, "reflection_prompts",
                    "the source has 4 items here and the translation 3")


def test_references_between_files_are_checked_while_the_framework_is_broken(project: Project) -> None:
    project.edit(FRAMEWORK, "  - id: developing\n    name: Developing", "  - name: Developing")
    project.edit(CASE, CASE_COMPETENCIES, "competencies: [active-listening, goal-seting]")

    problems = problems_of(project)

    assert_reported(problems, FRAMEWORK, project.line_of(FRAMEWORK, "  - name: Developing"), "levels[1].id",
                    "missing required field")
    assert_reported(problems, CASE, project.line_of(CASE, "competencies:"), "competencies[1]",
                    "unknown competency 'goal-seting'")
    # Which levels exist is unknown while one has no id: no file is told its levels are wrong.
    assert {p["path"] for p in problems} == {FRAMEWORK, CASE}, problems


def test_values_of_the_wrong_shape_are_reported_without_hiding_the_rest(project: Project) -> None:
    project.edit(RUBRIC, "  - score: 1\n", "  - score: [1]\n")
    project.edit(RUBRIC, "competencies: [inclusivity, adaptability]", "competencies: inclusivity")
    project.edit(RUBRIC, "competencies: [psychological-safety, active-listening]",
                 "competencies: [psychological-safety, active-lisening]")
    project.edit(CYCLE_ES, "  - id: shared-agreement", "  - id: [shared-agreement]")
    project.edit(AL, "related: [powerful-questioning, psychological-safety, reflective-practice]",
                 "related: {first: powerful-questioning}")
    project.edit(CASE, CASE_COMPETENCIES, "competencies: [[active-listening], goal-seting]")

    problems = problems_of(project)

    assert_reported(problems, RUBRIC, project.line_of(RUBRIC, "score: [1]"), "scale[0].score", "but received: [1]")
    assert_reported(problems, RUBRIC, project.line_of(RUBRIC, "competencies: inclusivity"), "criteria[1].competencies",
                    "expected a list")
    assert_reported(problems, RUBRIC, project.line_of(RUBRIC, "active-lisening"), "criteria[0].competencies[1]",
                    "unknown competency 'active-lisening'")
    assert_reported(problems, CYCLE_ES, project.line_of(CYCLE_ES, "  - id: [shared-agreement]"), "criteria[0].id",
                    "expected text")
    assert_reported(problems, AL, project.line_of(AL, "related: {first"), "related", "expected a list")
    assert_reported(problems, CASE, project.line_of(CASE, "competencies:"), "competencies[1]",
                    "unknown competency 'goal-seting'")
