"""Checks the schemas cannot express: ids that must match, references that must resolve."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handbook.checks.schema import fast_validator
from handbook.model.scoring import scheme_from_data, scheme_problems
from handbook.sources.documents import Document
from handbook.sources.problems import Problem
from handbook.sources.strict_yaml import Path

_SECTION_HEADING = re.compile(r"^##(?!#)\s*(?P<title>.*?)\s*(\{#(?P<id>[^}\s]*)\})?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


# MkDocs makes index.md and README.md the page of their folder: ours lists the items.
RESERVED_IDS = ("index", "readme")
VOCABULARIES = ("levels", "domains", "roles", "case_sections", "facets")


@dataclass
class Vocabulary:
    """The ids other files may refer to, from framework.yml and every competency file. A list
    the framework leaves unusable (missing, not a list, an item without an id) is None: what
    refers to it cannot be judged, and the framework's own problem says why."""

    levels: list[str] | None
    domains: list[str] | None
    roles: list[str] | None
    competencies: dict[str, Document]
    # Section id -> required, in the declared order; facet id -> (multiple, required, value ids).
    sections: dict[str, bool] | None = None
    facets: dict[str, tuple[bool, bool, list[str]]] | None = None


def vocabulary(framework: Document | None, competencies: list[Document]) -> Vocabulary:
    data = framework.data if framework is not None else {}
    ids = lambda name: _ids(data.get(name))  # noqa: E731
    sections = ids("case_sections")
    facets: dict[str, tuple[bool, bool, list[str]]] | None = {}
    for item in data.get("facets") if isinstance(data.get("facets"), list) else []:
        values = _ids(_value_at(item, ("values",)))
        if not isinstance(_value_at(item, ("id",)), str) or values is None:
            facets = None
            break
        facets[item["id"]] = (item.get("multiple") is True, item.get("required") is True, values)
    return Vocabulary(ids("levels"), ids("domains"), ids("roles"), {_id_of(c): c for c in competencies},
                      None if sections is None else {section["id"]: section.get("required", True) is not False
                                                     for section in data["case_sections"]},
                      facets if isinstance(data.get("facets"), list) else None)


def _ids(items: object) -> list[str] | None:
    if not isinstance(items, list) or not items:
        return None
    ids = [_value_at(item, ("id",)) for item in items]
    return [i for i in ids if isinstance(i, str)] if all(isinstance(i, str) for i in ids) else None


def _id_of(document: Document) -> str:
    """A file's id, or its name when the id itself is broken (its own problem is reported)."""
    given = document.data.get("id")
    return given if isinstance(given, str) else document.stem


def check_framework(framework: Document) -> list[Problem]:
    problems = []
    for name in VOCABULARIES:
        problems += _unique_ids(framework, (name,), framework.data.get(name))
    return problems


def check_ids(documents: list[Document]) -> list[Problem]:
    """Each id matches its file name and no two files share one."""
    problems, owners = [], {}
    for document in documents:
        given = document.data.get("id")
        if not isinstance(given, str):
            continue  # the schema check reports it
        if given in RESERVED_IDS:
            problems.append(document.located.problem(("id",), f"the id '{given}' is reserved for the page that "
                                                               "lists them all: choose another"))
        if given != document.stem:
            problems.append(document.located.problem(("id",), f"the id must match the file name: "
                                                               f"expected '{document.stem}' but received '{given}'"))
        if given in owners:
            problems.append(document.located.problem(("id",), f"the id '{given}' is also used by {owners[given]}"))
        owners.setdefault(given, document.source)
    return problems


def check_competency(document: Document, vocab: Vocabulary) -> list[Problem]:
    """References of a competency; tolerant of fields the schema check already reports."""
    data, located, problems = document.data, document.located, []
    problems += _known(document, ("domain",), vocab.domains, "domain")
    problems += _per_level(document, ("behaviours",), vocab.levels, "observable behaviour")
    problems += _known(document, ("related",), list(vocab.competencies), "competency")
    problems += [located.problem(where, "a competency cannot be related to itself")
                 for where, other in _refs(document, ("related",)) if other == data.get("id")]
    problems += _known(document, ("roles",), vocab.roles, "role")
    status, replacement = data.get("status"), data.get("replaced_by")
    if status == "deprecated" and replacement is None:
        problems.append(located.problem(("status",), "a deprecated competency needs replaced_by: "
                                                     "the id of the competency that replaces it"))
    if status == "active" and replacement is not None:
        problems.append(located.problem(("replaced_by",), "only a deprecated competency has a replacement: "
                                                          "remove replaced_by or set status: deprecated"))
    problems += _known(document, ("replaced_by",), list(vocab.competencies), "competency")
    if replacement is not None and replacement == data.get("id"):
        problems.append(located.problem(("replaced_by",), "a competency cannot replace itself"))
    return problems + check_knowledge_checks(document)


def check_knowledge_checks(document: Document) -> list[Problem]:
    """Each knowledge check has its own id, options with their own ids, and a right answer."""
    checks = document.data.get("knowledge_checks")
    if not isinstance(checks, list):
        return []  # absent, or not a list: the schema check says so
    problems = _unique_ids(document, ("knowledge_checks",), checks)
    for index, check in enumerate(checks):
        options = _value_at(check, ("options",))
        if not isinstance(options, list) or not options:
            continue
        path: Path = ("knowledge_checks", index, "options")
        problems += _unique_ids(document, path, options)
        marks = [_value_at(option, ("correct",)) for option in options]
        if all(isinstance(mark, bool) for mark in marks) and not any(marks):
            problems.append(document.located.problem(path, "no option is marked correct: give the right answer "
                                                           "'correct: true' (at least one option must be right)"))
    return problems


def check_case(document: Document, vocab: Vocabulary) -> list[Problem]:
    """References of a case and the sections of its body."""
    problems = _competency_refs(document, ("competencies",), vocab)
    problems += _known(document, ("level",), vocab.levels, "level")
    problems += _known(document, ("roles",), vocab.roles, "role")
    problems += _check_facets(document, vocab)
    return problems + (check_case_sections(document, vocab.sections) if vocab.sections else [])


def _check_facets(document: Document, vocab: Vocabulary) -> list[Problem]:
    """A case gives each facet the framework declares the way it is declared."""
    if vocab.facets is None:
        return []
    given = document.data.get("facets", {})
    if not isinstance(given, dict):
        return []
    located, problems = document.located, []
    for name in given:
        if name not in vocab.facets:
            problems.append(located.problem(("facets", name), f"unknown facet '{name}'; expected one of: "
                                            f"{', '.join(vocab.facets) or '(none declared)'}", key=True))
    for name, (multiple, required, values) in vocab.facets.items():
        value = given.get(name)
        if value is None:
            if required:
                problems.append(located.problem(("facets",), f"missing facet '{name}': the framework requires it"))
            continue
        if isinstance(value, list) and not multiple:
            problems.append(located.problem(("facets", name), f"'{name}' takes one value, not a list"))
            continue
        if isinstance(value, str) and multiple:
            problems.append(located.problem(("facets", name), f"'{name}' takes a list of values: [{value}]"))
            continue
        problems += _known(document, ("facets", name), values, f"{name} value")
    return problems


def check_rubric(document: Document, vocab: Vocabulary) -> list[Problem]:
    """References, scale and figures of a rubric, each checked where its part is intact."""
    data, located = document.data, document.located
    problems, scores = _check_scale(document, vocab)
    criteria = data.get("criteria")
    criteria = criteria if isinstance(criteria, list) else []
    problems += _unique_ids(document, ("criteria",), criteria)
    for index in range(len(criteria)):
        path: Path = ("criteria", index)
        problems += _competency_refs(document, (*path, "competencies"), vocab)
        problems += _per_level(document, (*path, "look_fors"), vocab.levels, "look-for")
    # The scoring rule's figures are judged once its shape is right; the schema check says what is not.
    if scores and criteria and fast_validator("rubric").is_valid(data):
        try:
            scheme = scheme_from_data(data)
        except ValueError:
            return problems
        problems += [located.problem(where, message) for where, message in scheme_problems(scheme)
                     if where[-1] != "score" or "rise" not in message]
    return problems


def _check_scale(document: Document, vocab: Vocabulary) -> tuple[list[Problem], list[float]]:
    """The scale's own problems, and its scores: empty unless every one is a number, since
    figures measured against a partial scale would be wrong."""
    scale = document.data.get("scale")
    if not isinstance(scale, list):
        return [], []
    problems = []
    for index in range(len(scale)):
        problems += _known(document, ("scale", index, "level"), vocab.levels, "level")
    problems += _unique(document, ("scale",), [_value_at(p, ("level",)) for p in scale], "level", suffix="level")
    scores = [_value_at(point, ("score",)) for point in scale]
    for index in range(1, len(scores)):
        earlier, score = scores[index - 1], scores[index]
        if _is_number(earlier) and _is_number(score) and score <= earlier:
            problems.append(document.located.problem(("scale", index, "score"),
                                                     "scores must rise from one point to the next"))
    return problems, scores if all(_is_number(score) for score in scores) else []


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_case_sections(document: Document, sections: dict[str, bool]) -> list[Problem]:
    """The body is made of the framework's ``## Title {#id}`` sections, in the declared order,
    each required one present."""
    problems, found, in_fence = [], [], False
    declared = list(sections)
    expected = ", ".join(f"{{#{s}}}" for s in declared)
    for offset, line in enumerate(document.body.splitlines()):
        line_number = document.body_line + offset
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence or not line.startswith("##") or line.startswith("###"):
            if not found and line.strip() and not in_fence:
                problems.append(Problem(document.source, line_number, 1, "body",
                                        f"text before the first section: start with '## ... {{#{declared[0]}}}'"))
                found.append(("", line_number))
            continue
        match = _SECTION_HEADING.match(line)
        section_id = match["id"] if match else None
        if section_id not in sections:
            problems.append(Problem(document.source, line_number, 1, "body",
                                    f"a section heading ends with one of: {expected}"))
            continue
        found.append((section_id, line_number))
    order = [section for section, _ in found if section]
    wanted = [s for s in declared if s in order or sections[s]]
    if order != wanted:
        missing = [s for s in declared if sections[s] and s not in order]
        detail = (f"missing section{'s' if len(missing) > 1 else ''}: " + ", ".join(f"{{#{s}}}" for s in missing)
                  if missing else "sections are repeated or out of order")
        line = found[-1][1] if found else document.body_line
        problems.append(Problem(document.source, line, 1, "body",
                                f"{detail}; expected in this order: " + ", ".join(f"{{#{s}}}" for s in wanted)))
    return problems


def _value_at(data: object, path: Path) -> object:
    for part in path:
        if isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        elif isinstance(part, int) and isinstance(data, list) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _refs(document: Document, path: Path) -> list[tuple[Path, str]]:
    """The ids given at ``path`` (one id, or a list of them), each with where it stands."""
    value = _value_at(document.data, path)
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, list):
        return [((*path, index), item) for index, item in enumerate(value) if isinstance(item, str)]
    return []


def _known(document: Document, path: Path, allowed: list[str] | None, what: str) -> list[Problem]:
    if allowed is None:
        return []  # the list of ids is itself broken: its own problem is reported
    return [document.located.problem(where, f"unknown {what} '{value}'; expected one of: "
                                            f"{', '.join(allowed[:10]) or '(none defined)'}"
                                            f"{f' ... and {len(allowed) - 10:,} more' if len(allowed) > 10 else ''}")
            for where, value in _refs(document, path) if value not in allowed]


def _competency_refs(document: Document, path: Path, vocab: Vocabulary) -> list[Problem]:
    problems = _known(document, path, list(vocab.competencies), "competency")
    for where, competency_id in _refs(document, path):
        target = vocab.competencies.get(competency_id)
        if target is not None and target.data.get("status") == "deprecated":
            problems.append(document.located.problem(where, f"the competency '{competency_id}' is deprecated: "
                                                            f"use '{target.data.get('replaced_by')}'"))
    return problems


def _per_level(document: Document, path: Path, levels: list[str] | None, what: str) -> list[Problem]:
    by_level = _value_at(document.data, path)
    if not isinstance(by_level, dict) or levels is None:
        return []
    problems = [document.located.problem((*path, key), f"unknown level '{key}'; expected one of: "
                                                       f"{', '.join(levels)}", key=True)
                for key in by_level if key not in levels]
    problems += [document.located.problem(path, f"no {what}s for level '{level}': every level needs at least one",
                                          key=True)
                 for level in levels if level not in by_level]
    return problems


def _unique_ids(document: Document, path: Path, items: object) -> list[Problem]:
    if not isinstance(items, list):
        return []
    return _unique(document, path, [_value_at(item, ("id",)) for item in items], "id", suffix="id")


def _unique(document: Document, path: Path, values: list[object], what: str, suffix: str) -> list[Problem]:
    """Each text value given again; anything else in the list is left to the schema check."""
    problems, first = [], {}
    for index, value in enumerate(values):
        if not isinstance(value, str):
            continue
        if value in first:
            problems.append(document.located.problem((*path, index, suffix), f"the {what} '{value}' is used twice "
                                                                            f"(first at item {first[value] + 1})"))
        first.setdefault(value, index)
    return problems
