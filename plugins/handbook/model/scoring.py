"""Scoring rules as data: how scorers' ratings of a criterion combine into its score, how criterion scores
combine into an entry's aggregate, and whether the entry passes.

Every figure is a ``Fraction`` so that 2.75 stays 2.75 and a score exactly at a floor or threshold
compares as equal. Stdlib only, and no imports from other handbook modules: the model stage must not
depend on later stages. Nothing here knows about files or YAML beyond ``number`` and ``scheme_from_data``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import Enum
from fractions import Fraction
from typing import Any, Literal

Aggregate = Literal["sum", "mean"]
CriterionStatus = Literal["met", "below_floor"]
EntryStatus = Literal["pass", "below_floor", "below_threshold"]
Path = tuple[str | int, ...]
Formatter = Callable[[Fraction], str]

AGGREGATES: tuple[str, ...] = ("sum", "mean")
# Figures read from content are small; refusing huge exponents keeps "1e999999999" from hanging a build.
_MAX_DIGITS = 18


class Marker(Enum):
    """A rating that is not a score. An enum member, so copies and pickles stay the same object."""

    INSUFFICIENT = "insufficient evidence"


# What a scorer records for a criterion instead of a score when the evidence does not allow one.
INSUFFICIENT = Marker.INSUFFICIENT

Rating = Fraction | int | Marker


@dataclass(frozen=True)
class ScalePoint:
    score: Fraction
    label: str
    level: str


@dataclass(frozen=True)
class InsufficientEvidence:
    """How a rubric lets scorers record insufficient evidence, and the value it counts as."""

    label: str
    value: Fraction


@dataclass(frozen=True)
class ScoringRule:
    aggregate: Aggregate
    threshold: Fraction
    scorers: int
    step: Fraction
    insufficient_evidence: InsufficientEvidence | None = None
    # Carried for pages; scoring an entry does not use them.
    banking_months: int | None = None
    retakes: int | None = None


@dataclass(frozen=True)
class CriterionRule:
    id: str
    floor: Fraction
    weight: Fraction = Fraction(1)
    # Only used to word reasons; pages that translate can rebuild them with ``entry_reasons``.
    title: str = ""

    @property
    def name(self) -> str:
        return self.title or self.id


@dataclass(frozen=True)
class Scheme:
    scale: tuple[ScalePoint, ...]
    rule: ScoringRule
    criteria: tuple[CriterionRule, ...]

    @property
    def scores(self) -> tuple[Fraction, ...]:
        return tuple(point.score for point in self.scale)

    @property
    def top(self) -> Fraction:
        return max(self.scores)

    @property
    def bottom(self) -> Fraction:
        return min(self.scores)

    @property
    def rating_values(self) -> tuple[Fraction, ...]:
        """Every value a single rating can count as: the scale, then insufficient evidence if allowed."""
        evidence = self.rule.insufficient_evidence
        return self.scores + (() if evidence is None else (evidence.value,))

    @property
    def highest_score(self) -> Fraction:
        """The highest combined criterion score: every scorer gives the top score."""
        return _on_step(self.top, self.rule.step)

    @property
    def lowest_score(self) -> Fraction:
        """The lowest combined criterion score, insufficient evidence included."""
        return _on_step(min(self.rating_values), self.rule.step)

    @property
    def total_weight(self) -> Fraction:
        return sum((criterion.weight for criterion in self.criteria), Fraction(0))

    @property
    def weighted(self) -> bool:
        return any(criterion.weight != 1 for criterion in self.criteria)

    @property
    def max_aggregate(self) -> Fraction:
        return aggregate_scores(self, [self.highest_score] * len(self.criteria))

    @property
    def min_aggregate(self) -> Fraction:
        return aggregate_scores(self, [self.lowest_score] * len(self.criteria))

    def point(self, score: Fraction) -> ScalePoint | None:
        """The scale point with this score, if any (a combined score of 2.5 has none)."""
        return next((point for point in self.scale if point.score == score), None)


@dataclass(frozen=True)
class CriterionResult:
    id: str
    ratings: tuple[Fraction | Marker, ...]
    score: Fraction
    floor: Fraction
    status: CriterionStatus
    insufficient_evidence: bool
    reason: str
    weight: Fraction = Fraction(1)

    @property
    def insufficient_count(self) -> int:
        return sum(rating is INSUFFICIENT for rating in self.ratings)


@dataclass(frozen=True)
class EntryResult:
    criteria: tuple[CriterionResult, ...]
    aggregate: Fraction
    threshold: Fraction
    aggregate_rule: Aggregate
    status: EntryStatus
    passed: bool
    reasons: tuple[str, ...]

    @property
    def failing(self) -> tuple[str, ...]:
        """Ids of the criteria below their floor, in rubric order."""
        return tuple(result.id for result in self.criteria if result.status == "below_floor")

    @property
    def insufficient(self) -> tuple[str, ...]:
        """Ids of the criteria where a scorer recorded insufficient evidence."""
        return tuple(result.id for result in self.criteria if result.insufficient_evidence)

    @property
    def weighted(self) -> bool:
        return any(result.weight != 1 for result in self.criteria)


# -- Figures -------------------------------------------------------------------------------------------


def number(value: int | float | str | Fraction | Decimal) -> Fraction:
    """The exact value of a figure read from YAML: 2.75 -> 11/4. Floats go through their shortest repr
    (the text YAML held), never through binary arithmetic, so 0.1 is exactly 1/10."""
    if isinstance(value, bool):  # YAML "yes" is not a score
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, Decimal | str):
        text = str(value).strip()
    else:
        raise ValueError(f"{value!r} is not a number")
    try:
        decimal = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not decimal.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    exponent = decimal.as_tuple().exponent
    if decimal and (decimal.adjusted() > _MAX_DIGITS or (isinstance(exponent, int) and exponent < -_MAX_DIGITS)):
        raise ValueError(f"{value!r} has more than {_MAX_DIGITS} digits before or after the point")
    return Fraction(decimal)


def format_number(value: Fraction, places: int = 2) -> str:
    """Plain figure for English text: 2.75, 3, 2.5. Decimals that end are shown exactly; others (a weighted
    mean of 17/6) are rounded half up to ``places``. Pages may pass their own locale formatter instead."""
    value = Fraction(value)
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    digits = max(twos, fives) if denominator == 1 else places
    whole = math.floor(abs(value) * 10**digits + Fraction(1, 2))
    text = str(whole).rjust(digits + 1, "0")
    integer, fraction = (text[:-digits], text[-digits:].rstrip("0")) if digits else (text, "")
    text = f"{integer}.{fraction}" if fraction else integer
    return f"-{text}" if value < 0 and text != "0" else text


def round_to_step(value: Fraction, step: Fraction) -> Fraction:
    """The nearest multiple of ``step`` counted from 0; a value halfway between two rounds up."""
    if step <= 0:
        raise ValueError(f"the step must be above 0, not {format_number(step)}")
    return math.floor(value / step + Fraction(1, 2)) * step


def _on_step(value: Fraction, step: Fraction) -> Fraction:
    # Helpers on a scheme with a broken step still answer; scheme_problems reports the step itself.
    return round_to_step(value, step) if step > 0 else value


# -- Scoring -------------------------------------------------------------------------------------------


def rating_value(scheme: Scheme, rating: Rating) -> Fraction:
    """What one rating counts as, or ValueError if the rubric does not allow it."""
    evidence = scheme.rule.insufficient_evidence
    if rating is INSUFFICIENT:
        if evidence is None:
            raise ValueError("this rubric does not allow a rating of insufficient evidence")
        return evidence.value
    on_scale = ", ".join(format_number(score) for score in scheme.scores)
    try:
        value = number(rating)
    except ValueError:
        raise ValueError(f"{rating!r} is not a rating: a rating is a score on the scale ({on_scale})"
                         + ("" if evidence is None else " or insufficient evidence")) from None
    if value not in scheme.scores:
        hint = ""
        if evidence is not None and value == evidence.value:
            hint = f"; {evidence.label.lower()} is recorded with the INSUFFICIENT marker, not its value"
        raise ValueError(f"{format_number(value)} is not a score on the scale ({on_scale}){hint}")
    return value


def combine_ratings(scheme: Scheme, ratings: Sequence[Rating]) -> Fraction:
    """One criterion's score: the mean of its scorers' ratings, rounded to the rule's step."""
    rule = scheme.rule
    if rule.scorers < 1:
        raise ValueError(f"the rubric needs at least one scorer, not {rule.scorers}")
    ratings = tuple(ratings)
    if len(ratings) != rule.scorers:
        expected = "1 rating" if rule.scorers == 1 else f"{rule.scorers} ratings"
        raise ValueError(f"expected {expected}, one per scorer, but got {len(ratings)}")
    values = [rating_value(scheme, rating) for rating in ratings]
    return round_to_step(sum(values, Fraction(0)) / len(values), rule.step)


def aggregate_scores(scheme: Scheme, scores: Sequence[Fraction]) -> Fraction:
    """The entry's aggregate of its criterion scores (in the scheme's criterion order), weighted."""
    if len(scores) != len(scheme.criteria):
        raise ValueError(f"expected {len(scheme.criteria)} criterion scores, but got {len(scores)}")
    total = sum((criterion.weight * score for criterion, score in zip(scheme.criteria, scores, strict=True)),
                Fraction(0))
    if scheme.rule.aggregate == "sum":
        return total
    if scheme.rule.aggregate == "mean":
        if scheme.total_weight <= 0:
            raise ValueError("a mean needs criteria whose weights add up to more than 0")
        return total / scheme.total_weight
    raise ValueError(f"the aggregate must be 'sum' or 'mean', not {scheme.rule.aggregate!r}")


def score_entry(scheme: Scheme, ratings: Mapping[str, Sequence[Rating]]) -> EntryResult:
    """Score one portfolio entry: criterion id -> its scorers' ratings, every criterion exactly once."""
    ids = [criterion.id for criterion in scheme.criteria]
    unknown = [key for key in ratings if key not in ids]
    missing = [key for key in ids if key not in ratings]
    if unknown or missing:
        parts = ([f"no criterion {', '.join(map(repr, unknown))} in this rubric"] if unknown else []) + (
            [f"no ratings for {', '.join(map(repr, missing))}"] if missing else [])
        raise ValueError("; ".join(parts))
    results = tuple(_score_criterion(scheme, criterion, ratings[criterion.id]) for criterion in scheme.criteria)
    aggregate = aggregate_scores(scheme, [result.score for result in results])
    threshold = scheme.rule.threshold
    status: EntryStatus = ("below_floor" if any(result.status == "below_floor" for result in results)
                           else "below_threshold" if aggregate < threshold else "pass")
    entry = EntryResult(results, aggregate, threshold, scheme.rule.aggregate, status, status == "pass", ())
    names = {criterion.id: criterion.name for criterion in scheme.criteria}
    return replace(entry, reasons=entry_reasons(entry, names))


def _score_criterion(scheme: Scheme, criterion: CriterionRule, ratings: Sequence[Rating]) -> CriterionResult:
    try:
        score = combine_ratings(scheme, ratings)
    except ValueError as error:
        raise ValueError(f"{criterion.id}: {error}") from error
    kept = tuple(rating if rating is INSUFFICIENT else number(rating) for rating in ratings)
    insufficient = sum(rating is INSUFFICIENT for rating in kept)
    status: CriterionStatus = "met" if score >= criterion.floor else "below_floor"
    reason = criterion_reason(criterion.name, score, criterion.floor, insufficient, len(kept))
    return CriterionResult(criterion.id, kept, score, criterion.floor, status, insufficient > 0, reason,
                           criterion.weight)


# -- Reasons: built only from the figures in the results, so pages can re-word or re-format them --------


def criterion_reason(name: str, score: Fraction, floor: Fraction, insufficient: int = 0, scorers: int = 1,
                     fmt: Formatter = format_number) -> str:
    """E.g. "Patient safety: 1.75 is below its floor of 2"."""
    verb = "meets" if score >= floor else "is below"
    text = f"{name}: {fmt(score)} {verb} its floor of {fmt(floor)}"
    if insufficient:
        text += f" (insufficient evidence recorded by {insufficient} of {scorers} scorers)"
    return text


def aggregate_reason(aggregate_rule: Aggregate, aggregate: Fraction, threshold: Fraction, weighted: bool = False,
                     fmt: Formatter | None = None) -> str:
    """E.g. "The mean of the criterion scores, 2.9, is below the threshold of 3"."""
    phrase = _aggregate_phrase(aggregate_rule, aggregate, threshold, weighted, fmt)
    return phrase[0].upper() + phrase[1:]


def _aggregate_phrase(aggregate_rule: Aggregate, aggregate: Fraction, threshold: Fraction, weighted: bool,
                      fmt: Formatter | None) -> str:
    kind = ("weighted " if weighted else "") + ("total" if aggregate_rule == "sum" else "mean")
    shown, limit = _distinct(aggregate, threshold) if fmt is None else (fmt(aggregate), fmt(threshold))
    verb = "reaches" if aggregate >= threshold else "is below"
    return f"the {kind} of the criterion scores, {shown}, {verb} the threshold of {limit}"


def _distinct(aggregate: Fraction, threshold: Fraction) -> tuple[str, str]:
    # A mean of 2.9997 must not read "3 is below the threshold of 3": show more places until they differ.
    places = 2
    while aggregate != threshold and format_number(aggregate, places) == format_number(threshold, places):
        places += 1
    return format_number(aggregate, places), format_number(threshold, places)


def entry_reasons(result: EntryResult, names: Mapping[str, str] | None = None,
                  fmt: Formatter | None = None) -> tuple[str, ...]:
    """Why the entry has its status: each criterion below its floor, then the aggregate if it is short of
    the threshold; for a pass, one sentence. ``names`` maps criterion ids to titles (ids by default)."""
    names = names or {}
    figure = fmt or format_number
    reasons = [criterion_reason(names.get(c.id, c.id), c.score, c.floor, c.insufficient_count, len(c.ratings),
                                figure) for c in result.criteria if c.status == "below_floor"]
    if result.aggregate < result.threshold:
        reasons.append(aggregate_reason(result.aggregate_rule, result.aggregate, result.threshold, result.weighted,
                                        fmt))
    if not reasons:
        phrase = _aggregate_phrase(result.aggregate_rule, result.aggregate, result.threshold, result.weighted, fmt)
        reasons.append(f"Every criterion meets its floor, and {phrase}")
    return tuple(reasons)


# -- Validation --------------------------------------------------------------------------------------------


def scheme_problems(scheme: Scheme) -> list[tuple[Path, str]]:
    """Rules that cannot be met or make no sense, each as (path inside the rubric YAML, message)."""
    problems = _scale_problems(scheme) + _rule_problems(scheme) + _criteria_problems(scheme)
    if _figures_usable(scheme):
        problems += _threshold_problems(scheme)
    return problems


def _steps(step: Fraction) -> str:
    return f"combined scores move in steps of {format_number(step)} from 0"


def _neighbours(value: Fraction, step: Fraction) -> str:
    below = math.floor(value / step) * step
    return f"use {format_number(below)} or {format_number(below + step)}"


def _scale_problems(scheme: Scheme) -> list[tuple[Path, str]]:
    problems: list[tuple[Path, str]] = []
    if len(scheme.scale) < 2:
        problems.append((("scale",), "a scale needs at least two points"))
    step, seen = scheme.rule.step, []
    for index, point in enumerate(scheme.scale):
        path: Path = ("scale", index, "score")
        shown = format_number(point.score)
        if point.score in seen:
            problems.append((path, f"the score {shown} appears twice on the scale"))
        elif seen and point.score <= seen[-1]:
            problems.append((path, f"scores must rise along the scale: {shown} comes after "
                                   f"{format_number(seen[-1])}"))
        elif step > 0 and point.score % step:
            combined = format_number(round_to_step(point.score, step))
            problems.append((path, f"{_steps(step)}, so the score {shown} can never be scored exactly: ratings "
                                   f"that all give {shown} combine to {combined}"))
        seen.append(point.score)
    return problems


def _rule_problems(scheme: Scheme) -> list[tuple[Path, str]]:
    rule, problems = scheme.rule, []
    if rule.aggregate not in AGGREGATES:
        problems.append((("scoring", "aggregate"), f"the aggregate must be 'sum' or 'mean', not {rule.aggregate!r}"))
    if rule.step <= 0:
        problems.append((("scoring", "step"), f"the step must be above 0, not {format_number(rule.step)}"))
    if rule.scorers < 1:
        problems.append((("scoring", "scorers"), f"at least one scorer is needed, not {rule.scorers}"))
    evidence = rule.insufficient_evidence
    if evidence is not None:
        path: Path = ("scoring", "insufficient_evidence", "value")
        point = scheme.point(evidence.value)
        shown = format_number(evidence.value)
        if point is not None:
            problems.append((path, f"insufficient evidence counts as {shown}, which is also the score of "
                                   f"{point.label or point.level!r} on the scale; use a value off the scale"))
        elif rule.step > 0 and evidence.value % rule.step:
            problems.append((path, f"{_steps(rule.step)}, so insufficient evidence counted as {shown} can never "
                                   f"be scored exactly; {_neighbours(evidence.value, rule.step)}"))
    if rule.banking_months is not None and rule.banking_months < 1:
        problems.append((("scoring", "banking_months"), f"banking must last at least 1 month, not "
                                                        f"{rule.banking_months}"))
    if rule.retakes is not None and rule.retakes < 0:
        problems.append((("scoring", "retakes"), f"the number of retakes cannot be negative ({rule.retakes})"))
    return problems


def _criteria_problems(scheme: Scheme) -> list[tuple[Path, str]]:
    problems: list[tuple[Path, str]] = []
    if not scheme.criteria:
        problems.append((("criteria",), "a rubric needs at least one criterion"))
    step = scheme.rule.step
    for index, criterion in enumerate(scheme.criteria):
        if criterion.weight <= 0:
            problems.append((("criteria", index, "weight"), f"the weight must be above 0, not "
                                                            f"{format_number(criterion.weight)}"))
        if len(scheme.scale) < 2:  # floors are judged against a scale, reported above
            continue
        path: Path = ("criteria", index, "floor")
        floor = format_number(criterion.floor)
        if criterion.floor > scheme.highest_score:
            problems.append((path, f"the floor {floor} can never be met: the top score is "
                                   f"{format_number(scheme.highest_score)}"))
        elif criterion.floor < scheme.lowest_score:
            problems.append((path, f"the floor {floor} is always met: the lowest possible score is "
                                   f"{format_number(scheme.lowest_score)}"))
        elif step > 0 and criterion.floor % step:
            problems.append((path, f"{_steps(step)}, so {floor} can never be scored exactly; "
                                   f"{_neighbours(criterion.floor, step)}"))
    return problems


def _figures_usable(scheme: Scheme) -> bool:
    # The aggregate's range means nothing while the scale, the aggregate rule or a weight is itself reported.
    return (len(scheme.scale) >= 2 and bool(scheme.criteria) and scheme.rule.aggregate in AGGREGATES
            and all(criterion.weight > 0 for criterion in scheme.criteria))


def _threshold_problems(scheme: Scheme) -> list[tuple[Path, str]]:
    rule, path = scheme.rule, ("scoring", "threshold")
    kind = ("weighted " if scheme.weighted else "") + ("total" if rule.aggregate == "sum" else "mean")
    threshold = format_number(rule.threshold)
    if rule.threshold > scheme.max_aggregate:
        return [(path, f"the threshold {threshold} can never be reached: the highest possible {kind} is "
                       f"{format_number(scheme.max_aggregate)}")]
    if rule.threshold <= scheme.min_aggregate:
        return [(path, f"every entry reaches the threshold {threshold}: the lowest possible {kind} is "
                       f"{format_number(scheme.min_aggregate)}")]
    return []


# -- Building from content ------------------------------------------------------------------------------


def scheme_from_data(data: Mapping[str, Any]) -> Scheme:
    """A scheme from a rubric's (schema-valid) YAML data, in the shape the paths of ``scheme_problems`` name:
    ``scale: [{score, label, level}]``, ``scoring: {aggregate, threshold, scorers, step,
    insufficient_evidence: {label, value}, banking_months, retakes}``, ``criteria: [{id, title, floor, weight}]``.
    Defaults when absent: scorers 1, step 1, weight 1, no insufficient evidence, label = the level id."""
    scoring = data["scoring"]
    evidence = scoring.get("insufficient_evidence")
    rule = ScoringRule(
        aggregate=scoring["aggregate"],
        threshold=number(scoring["threshold"]),
        scorers=scoring.get("scorers", 1),
        step=number(scoring.get("step", 1)),
        insufficient_evidence=None if evidence is None else InsufficientEvidence(evidence["label"],
                                                                                 number(evidence["value"])),
        banking_months=scoring.get("banking_months"),
        retakes=scoring.get("retakes"),
    )
    scale = tuple(ScalePoint(number(point["score"]), point.get("label", point["level"]), point["level"])
                  for point in data["scale"])
    criteria = tuple(CriterionRule(c["id"], number(c["floor"]), number(c.get("weight", 1)), c.get("title", ""))
                     for c in data["criteria"])
    return Scheme(scale, rule, criteria)
