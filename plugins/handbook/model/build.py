"""Turn checked documents into the typed ``Handbook`` model."""

from __future__ import annotations

import re

from handbook.model.handbook import (
    EVERYONE,
    Case,
    CaseSection,
    Competency,
    Criterion,
    Deprecation,
    Facet,
    Framework,
    Handbook,
    KnowledgeCheck,
    Level,
    Option,
    Release,
    Rubric,
    ScalePoint,
    SectionSpec,
    Term,
)
from handbook.model.scoring import number, scheme_from_data
from handbook.sources.documents import Document

_SECTION_HEADING = re.compile(r"^##(?!#)\s*(?P<title>.*?)\s*\{#(?P<id>[^}\s]*)\}\s*$", re.MULTILINE)


def build_handbook(documents: dict[str, list[Document]], *, language: str | None = None,
                   states: dict[tuple[str, str], str] | None = None) -> Handbook:
    framework = build_framework(documents["framework"][0].data)
    competencies = [build_competency(d.data, framework) for d in documents["competency"]]
    domain_order = {domain.id: rank for rank, domain in enumerate(framework.domains)}
    competencies.sort(key=lambda c: (domain_order[c.domain.id], c.title.casefold()))
    cases = sorted((build_case(d, framework) for d in documents["case"]), key=lambda c: c.title.casefold())
    rubrics = sorted((build_rubric(d.data, framework) for d in documents["rubric"]), key=lambda r: r.title.casefold())
    releases = [release for d in documents.get("releases", []) for release in build_releases(d.data)]
    return Handbook(framework, {c.id: c for c in competencies}, {c.id: c for c in cases},
                    {r.id: r for r in rubrics}, language=language or framework.default_language,
                    releases=releases, states=states or {})


def version_key(version: str) -> tuple:
    """Semantic-version order: 1.10.0 after 1.9.0, and a pre-release before its release."""
    core, _, pre = version.partition("-")
    numbers = tuple(int(part) for part in core.split("."))
    return (*numbers, 0 if pre else 1, pre)


def build_releases(data: dict) -> list[Release]:
    """The releases, newest first."""
    releases = [Release(version, item["date"], item["title"], list(item["notes"]),
                        [Deprecation(d["item"], d["reason"], d.get("replaced_by")) for d in item.get("deprecated", [])])
                for version, item in data["releases"].items()]
    return sorted(releases, key=lambda release: version_key(release.version), reverse=True)


def _term(item: dict) -> Term:
    return Term(item["id"], item["title"], item.get("description", ""))


def build_framework(data: dict) -> Framework:
    return Framework(
        id=data["id"], title=data["title"], version=data["version"], released=data["released"],
        status=data["status"], default_language=data["default_language"],
        description=data.get("description", ""),
        levels=[Level(item["id"], item["name"], item["descriptor"], rank)
                for rank, item in enumerate(data["levels"], start=1)],
        domains=[_term(item) for item in data["domains"]],
        roles={item["id"]: _term(item) for item in data["roles"]},
        case_sections=[SectionSpec(item["id"], item["title"], item.get("required", True),
                                   item.get("audience", EVERYONE)) for item in data["case_sections"]],
        facets=[Facet(item["id"], item["title"], item.get("description", ""), item.get("multiple", False),
                      item.get("required", False), {value["id"]: _term(value) for value in item["values"]})
                for item in data.get("facets", [])],
        certification=dict(data.get("certification", {})),
    )


def _in_level_order(by_level: dict[str, list[str]], framework: Framework) -> dict[str, list[str]]:
    return {level.id: by_level[level.id] for level in framework.levels}


def build_competency(data: dict, framework: Framework) -> Competency:
    return Competency(
        id=data["id"], domain=next(d for d in framework.domains if d.id == data["domain"]),
        title=data["title"], summary=data["summary"], why_it_matters=data["why_it_matters"],
        behaviours=_in_level_order(data["behaviours"], framework),
        reflection_prompts=data["reflection_prompts"], related=data.get("related", []),
        roles=[framework.roles[r] for r in data["roles"]], status=data["status"],
        replaced_by=data.get("replaced_by"), last_reviewed=data["last_reviewed"],
        knowledge_checks=[KnowledgeCheck(check["id"], check["question"],
                                         [Option(o["id"], o["text"], o["correct"], o["feedback"])
                                          for o in check["options"]])
                          for check in data.get("knowledge_checks", [])],
    )


def build_case(document: Document, framework: Framework) -> Case:
    data = document.data
    given = data.get("facets", {})
    facets = {}
    for facet in framework.facets:
        value = given.get(facet.id, [])
        facets[facet.id] = [facet.values[v] for v in ([value] if isinstance(value, str) else value)]
    return Case(
        id=data["id"], title=data["title"], summary=data["summary"], competencies=data["competencies"],
        level=framework.level(data["level"]), roles=[framework.roles[r] for r in data["roles"]],
        facets=facets, sections=split_sections(document.body, framework),
    )


def split_sections(body: str, framework: Framework) -> list[CaseSection]:
    """Cut a checked case body at its ``## Title {#id}`` headings; each section takes the
    framework's title and audience (the heading's own text helps the writer only)."""
    specs = {spec.id: spec for spec in framework.case_sections}
    headings = list(_SECTION_HEADING.finditer(body))
    sections = []
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(body)
        spec = specs[heading["id"]]
        sections.append(CaseSection(spec.id, spec.title, body[heading.end():end].strip(), spec.audience))
    return sections


def build_rubric(data: dict, framework: Framework) -> Rubric:
    return Rubric(
        id=data["id"], title=data["title"], summary=data["summary"], purpose=data["purpose"],
        evidence=data["evidence"],
        scale=[ScalePoint(number(p["score"]), p.get("label") or framework.level(p["level"]).name,
                          framework.level(p["level"])) for p in data["scale"]],
        criteria=[Criterion(c["id"], c["title"], c["description"], c["competencies"], number(c["floor"]),
                            number(c.get("weight", 1)), _in_level_order(c["look_fors"], framework))
                  for c in data["criteria"]],
        scheme=scheme_from_data(data),
        version=data.get("version") or framework.version,
    )
