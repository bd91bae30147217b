"""How complete and current the curriculum is, for its owners: what the health page shows.

Everything is counted from the handbook itself: the program's own competencies, levels and
facets, its cases and the look-fors of its rubrics. A count of zero is a gap.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from handbook.model.handbook import Competency, Facet, Handbook, Level, Term


@dataclass(frozen=True)
class Cell:
    """One competency at one level: the cases written for it and the look-fors that assess it."""

    level: Level
    cases: int
    look_fors: int


@dataclass(frozen=True)
class CoverageRow:
    competency: Competency
    cells: list[Cell]


@dataclass(frozen=True)
class FacetCoverage:
    facet: Facet
    values: list[tuple[Term, int]]  # each value and the number of cases that give it

    @property
    def gaps(self) -> list[Term]:
        return [value for value, count in self.values if count == 0]


@dataclass(frozen=True)
class Review:
    competency: Competency
    last_reviewed: str
    due: str  # ISO date


@dataclass(frozen=True)
class Health:
    levels: list[Level]
    coverage: list[CoverageRow]
    facets: list[FacetCoverage]
    overdue: list[Review]
    review_months: int
    cases: int

    @property
    def gaps(self) -> list[tuple[Competency, Level]]:
        """Each competency and level no case is written for."""
        return [(row.competency, cell.level) for row in self.coverage for cell in row.cells if cell.cases == 0]

    @property
    def unassessed(self) -> list[tuple[Competency, Level]]:
        """Each competency and level no look-for assesses."""
        return [(row.competency, cell.level) for row in self.coverage for cell in row.cells if cell.look_fors == 0]


def curriculum_health(handbook: Handbook, review_months: int, today: datetime.date) -> Health:
    levels = handbook.framework.levels
    rows = []
    for competency in handbook.competencies.values():
        cases = handbook.cases_for(competency.id)
        criteria = handbook.criteria_for(competency.id)
        rows.append(CoverageRow(competency, [
            Cell(level, sum(case.level.id == level.id for case in cases),
                 sum(len(criterion.look_fors.get(level.id, [])) for _, criterion in criteria))
            for level in levels]))
    facets = [FacetCoverage(facet, [(value, sum(any(given.id == value.id for given in case.facets.get(facet.id, []))
                                                for case in handbook.cases.values()))
                                    for value in facet.values.values()])
              for facet in handbook.framework.facets]
    overdue = []
    for competency in handbook.competencies.values():
        due = review_due(competency.last_reviewed, review_months)
        if due is not None and due < today:
            overdue.append(Review(competency, competency.last_reviewed, due.isoformat()))
    overdue.sort(key=lambda review: review.due)
    return Health(levels, rows, facets, overdue, review_months, len(handbook.cases))


def review_due(last_reviewed: str, months: int) -> datetime.date | None:
    """``months`` after ``last_reviewed`` (an ISO date), on the same day of the month or the
    month's last day."""
    try:
        reviewed = datetime.date.fromisoformat(last_reviewed)
    except ValueError:
        return None
    month = reviewed.month - 1 + months
    year, month = reviewed.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(reviewed.day, calendar.monthrange(year, month)[1]))
