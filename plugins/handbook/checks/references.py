"""Checks the schemas cannot express: ids that must match, references that must resolve."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handbook.model.handbook import CASE_SECTIONS, FACILITATOR_SECTION
from handbook.sources.documents import Document
from handbook.sources.problems import Problem
from handbook.sources.strict_yaml import Path

_SECTION_HEADING = re.compile(r"^##(?!#)\s*(?P<title>.*?)\s*(\{#(?P<id>[^}\s]*)\})?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


# MkDocs makes index.md and README.md the page of their folder: ours lists the items.
RESERVED_IDS = ("index", "readme")
VOCABULARIES = ("levels", "domains", "roles", "settings", "inclusion_dimensions")


@dataclass
class Vocabulary:
    """The ids other files may refer to, from framework.yml and every competency file."""

    levels: list[str]
    domains: list[str]
    roles: list[str]
    settings: list[str]
    dimensions: list[str]
    competencies: dict[str, Document]


def vocabulary(framework: Document, competencies: list[Document]) -> Vocabulary:
    data = framework.data
    ids = lambda name: [item["id"] for item in data[name]]  # noqa: E731
    return Vocabulary(ids("levels"), ids("domains"), ids("roles"), ids("settings"),
                      ids("inclusion_dimensions"), {_id_of(c): c for c in competencies})


def _id_of(document: Document) -> str:
    """A file's id, or its name when the id itself is broken (its own problem is reported)."""
    given = document.data.get("id")
    return given if isinstance(given, str) else document.stem


def check_framework(framework: Document) -> list[Problem]:
    problems = []
    for name in VOCABULARIES:
        problems += _unique_ids(framework, (name,), framework.data[name])
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
    return problems


def check_case(document: Document, vocab: Vocabulary) -> list[Problem]:
    """References of a case and the sections of its body."""
    problems = _known(document, ("setting",), vocab.settings, "setting")
    problems += _competency_refs(document, ("competencies",), vocab)
    problems += _known(document, ("level",), vocab.levels, "level")
    problems += _known(document, ("roles",), vocab.roles, "role")
    problems += _known(document, ("inclusion",), vocab.dimensions, "inclusion dimension")
    return problems + check_case_sections(document)


def check_rubric(document: Document, vocab: Vocabulary) -> list[Problem]:
    """References, scale and figures of a rubric that passed its schema."""
    data, located, problems = document.data, document.located, []
    scale = data["scale"]
    for index in range(len(scale)):
        problems += _known(document, ("scale", index, "level"), vocab.levels, "level")
    problems += _unique(document, ("scale",), [p["level"] for p in scale], "level", suffix="level")
    for index in range(1, len(scale)):
        if scale[index]["score"] <= scale[index - 1]["score"]:
            problems.append(located.problem(("scale", index, "score"), "scores must rise from one point to the next"))
    scores = [p["score"] for p in scale]
    problems += _unique_ids(document, ("criteria",), data["criteria"])
    for index, criterion in enumerate(data["criteria"]):
        path: Path = ("criteria", index)
        problems += _competency_refs(document, (*path, "competencies"), vocab)
        problems += _per_level(document, (*path, "look_fors"), vocab.levels, "look-for")
        if not min(scores) <= criterion["floor"] <= max(scores):
            problems.append(located.problem((*path, "floor"), f"the floor must be a score on the scale, "
                                                              f"from {min(scores)} to {max(scores)}"))
    top_total = max(scores) * len(data["criteria"])
    if data["threshold"] > top_total:
        problems.append(located.problem(("threshold",), f"the threshold can never be reached: the highest "
                                                        f"possible total is {top_total}"))
    return problems


def check_case_sections(document: Document) -> list[Problem]:
    """The body is made of the required ``## Title {#id}`` sections, in order."""
    problems, found, in_fence = [], [], False
    for offset, line in enumerate(document.body.splitlines()):
        line_number = document.body_line + offset
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence or not line.startswith("##") or line.startswith("###"):
            if not found and line.strip() and not in_fence:
                problems.append(Problem(document.source, line_number, 1, "body",
                                        f"text before the first section: start with '## ... {{#{CASE_SECTIONS[0]}}}'"))
                found.append(("", line_number))
            continue
        match = _SECTION_HEADING.match(line)
        section_id = match["id"] if match else None
        if section_id not in (*CASE_SECTIONS, FACILITATOR_SECTION):
            expected = ", ".join(f"{{#{s}}}" for s in (*CASE_SECTIONS, FACILITATOR_SECTION))
            problems.append(Problem(document.source, line_number, 1, "body",
                                    f"a section heading ends with one of: {expected}"))
            continue
        found.append((section_id, line_number))
    order = [section for section, _ in found if section]
    wanted = [s for s in (*CASE_SECTIONS, FACILITATOR_SECTION) if s in order or s != FACILITATOR_SECTION]
    if order != wanted:
        missing = [s for s in CASE_SECTIONS if s not in order]
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


def _known(document: Document, path: Path, allowed: list[str], what: str) -> list[Problem]:
    return [document.located.problem(where, f"unknown {what} '{value}'; expected one of: "
                                            f"{', '.join(allowed) or '(none defined)'}")
            for where, value in _refs(document, path) if value not in allowed]


def _competency_refs(document: Document, path: Path, vocab: Vocabulary) -> list[Problem]:
    problems = _known(document, path, list(vocab.competencies), "competency")
    for where, competency_id in _refs(document, path):
        target = vocab.competencies.get(competency_id)
        if target is not None and target.data.get("status") == "deprecated":
            problems.append(document.located.problem(where, f"the competency '{competency_id}' is deprecated: "
                                                            f"use '{target.data.get('replaced_by')}'"))
    return problems


def _per_level(document: Document, path: Path, levels: list[str], what: str) -> list[Problem]:
    by_level = _value_at(document.data, path)
    if not isinstance(by_level, dict):
        return []
    problems = [document.located.problem((*path, key), f"unknown level '{key}'; expected one of: "
                                                       f"{', '.join(levels)}", key=True)
                for key in by_level if key not in levels]
    problems += [document.located.problem(path, f"no {what}s for level '{level}': every level needs at least one",
                                          key=True)
                 for level in levels if level not in by_level]
    return problems


def _unique_ids(document: Document, path: Path, items: list[dict]) -> list[Problem]:
    return _unique(document, path, [item["id"] for item in items], "id", suffix="id")


def _unique(document: Document, path: Path, values: list[str], what: str, suffix: str) -> list[Problem]:
    problems, first = [], {}
    for index, value in enumerate(values):
        if value in first:
            problems.append(document.located.problem((*path, index, suffix), f"the {what} '{value}' is used twice "
                                                                            f"(first at item {first[value] + 1})"))
        first.setdefault(value, index)
    return problems
