"""The resolved handbook: typed objects built from validated content. Knows nothing of files."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from handbook.model.scoring import Scheme

EVERYONE, FACILITATORS = "everyone", "facilitators"


@dataclass(frozen=True)
class Term:
    """An entry of one of the framework's vocabularies (domain, role, setting, dimension)."""

    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Level:
    id: str
    name: str
    descriptor: str
    rank: int


@dataclass(frozen=True)
class SectionSpec:
    """One section of the case structure the framework declares."""

    id: str
    title: str
    required: bool = True
    audience: str = EVERYONE


@dataclass(frozen=True)
class Facet:
    """A vocabulary cases are described by (a setting, inclusion dimensions, a shift pattern...)."""

    id: str
    title: str
    description: str
    multiple: bool
    required: bool
    values: dict[str, Term]


@dataclass
class Framework:
    id: str
    title: str
    version: str
    released: str
    status: str
    default_language: str
    description: str
    levels: list[Level]
    domains: list[Term]
    roles: dict[str, Term]
    case_sections: list[SectionSpec]
    facets: list[Facet]
    certification: dict[str, Any]

    def level(self, level_id: str) -> Level:
        return next(level for level in self.levels if level.id == level_id)


@dataclass(frozen=True)
class Option:
    """One answer of a knowledge check, with what a learner reads after choosing it."""

    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class KnowledgeCheck:
    """A short question that helps a learner check their understanding; never scored."""

    id: str
    question: str
    options: list[Option]


@dataclass
class Competency:
    id: str
    domain: Term
    title: str
    summary: str
    why_it_matters: str
    behaviours: dict[str, list[str]]
    reflection_prompts: list[str]
    related: list[str]
    roles: list[Term]
    status: str
    replaced_by: str | None
    last_reviewed: str
    knowledge_checks: list[KnowledgeCheck] = field(default_factory=list)


@dataclass
class CaseSection:
    id: str
    title: str
    markdown: str
    audience: str = EVERYONE

    @property
    def for_facilitators(self) -> bool:
        return self.audience == FACILITATORS

    @property
    def for_everyone(self) -> bool:
        """False for a section the framework writes for a narrower audience (mentors, facilitators)."""
        return self.audience == EVERYONE


@dataclass
class Case:
    id: str
    title: str
    summary: str
    competencies: list[str]
    level: Level
    roles: list[Term]
    facets: dict[str, list[Term]]
    sections: list[CaseSection]


@dataclass(frozen=True)
class ScalePoint:
    score: Fraction
    label: str
    level: Level


@dataclass
class Criterion:
    id: str
    title: str
    description: str
    competencies: list[str]
    floor: Fraction
    weight: Fraction
    look_fors: dict[str, list[str]]


@dataclass
class Rubric:
    id: str
    title: str
    summary: str
    purpose: str
    evidence: list[str]
    scale: list[ScalePoint]
    criteria: list[Criterion]
    scheme: Scheme
    # The rubric's own version, or the framework's: sheets and saved self-assessments name it.
    version: str = ""

    @property
    def threshold(self) -> Fraction:
        return self.scheme.rule.threshold

    @property
    def aggregate(self) -> str:
        return self.scheme.rule.aggregate

    @property
    def top_score(self) -> Fraction:
        return self.scheme.top

    @property
    def max_aggregate(self) -> Fraction:
        return self.scheme.max_aggregate


@dataclass(frozen=True)
class Deprecation:
    """An item a release announces will go: ``kind/id`` (``criterion/<rubric>/<id>``)."""

    item: str
    reason: str
    replaced_by: str | None = None


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    title: str
    notes: list[str]
    deprecated: list[Deprecation] = field(default_factory=list)


@dataclass
class Handbook:
    framework: Framework
    competencies: dict[str, Competency]
    cases: dict[str, Case]
    rubrics: dict[str, Rubric]
    language: str = ""
    # Newest first; empty when the program keeps no releases file.
    releases: list[Release] = field(default_factory=list)
    # Translation state by (kind, id) when this is a translated handbook; empty for the source.
    states: dict[tuple[str, str], str] = field(default_factory=dict)
    _cases_by_competency: dict[str, list[Case]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for case in self.cases.values():
            for competency_id in case.competencies:
                self._cases_by_competency.setdefault(competency_id, []).append(case)

    def state(self, kind: str, item_id: str) -> str:
        """'current', 'stale', 'partial' or 'missing' for a translation; 'current' for the source."""
        return self.states.get((kind, item_id), "current")

    def competencies_in(self, domain: Term) -> list[Competency]:
        return [c for c in self.competencies.values() if c.domain.id == domain.id]

    def cases_for(self, competency_id: str) -> list[Case]:
        return self._cases_by_competency.get(competency_id, [])

    def criteria_for(self, competency_id: str) -> list[tuple[Rubric, Criterion]]:
        return [(rubric, criterion) for rubric in self.rubrics.values()
                for criterion in rubric.criteria if competency_id in criterion.competencies]
