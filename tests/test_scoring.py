"""Scoring rules as data (handbook.model.scoring): a table of rating sets over two real-shaped rubrics, property
tests over random schemes, and the validation of rules that cannot be met.

The table's figures are the programs' own. The sum-based variant of coaching-cycle uses the floor of 2 the
published rubric has: with the same floors, "total of five criteria >= 15" and "mean >= 3" are one rule (see
``test_sum_and_mean_agree_when_only_the_threshold_is_rescaled``), so floors are where the two differ. Both
refuse 4-4-2-2-2 (it totals 14), the mean rubric on three floors as well as the mean, the sum on its total
alone; 4-4-3-2-2 reaches 15 and a mean of 3, and only the sum, with its lower floors, accepts it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from handbook.model.scoring import (
    INSUFFICIENT,
    CriterionRule,
    InsufficientEvidence,
    Rating,
    ScalePoint,
    Scheme,
    ScoringRule,
    aggregate_reason,
    combine_ratings,
    entry_reasons,
    format_number,
    number,
    round_to_step,
    scheme_from_data,
    scheme_problems,
    score_entry,
)

F = Fraction
IE = INSUFFICIENT


def _scheme(scale: list[tuple[int, str, str]], rule: ScoringRule, criteria: list[tuple[str, str, int]]) -> Scheme:
    return Scheme(tuple(ScalePoint(F(score), label, level) for score, label, level in scale), rule,
                  tuple(CriterionRule(id, F(floor), F(weight)) for id, floor, weight in criteria))


COACHING = _scheme(
    [(1, "Emerging", "emerging"), (2, "Developing", "developing"), (3, "Proficient", "proficient"),
     (4, "Exemplary", "exemplary")],
    ScoringRule("mean", F(3), 2, F("0.5"), None, None, None),
    [(id, "2.5", 1) for id in ("shared-agreement", "listening-and-questioning", "follow-through", "impact-on-goal",
                               "reflective-learning")],
)
# The same rubric totalled instead of averaged, with the published floor of 2 (see the module docstring).
COACHING_SUM = replace(
    COACHING, rule=replace(COACHING.rule, aggregate="sum", threshold=F(15)),
    criteria=tuple(replace(criterion, floor=F(2)) for criterion in COACHING.criteria),
)
PRECEPTOR = _scheme(
    [(1, "Beginning", "novice"), (2, "Emerging", "advanced-beginner"), (3, "Secure", "competent"),
     (4, "Leading", "expert")],
    ScoringRule("mean", F("2.75"), 2, F("0.25"), InsufficientEvidence("Insufficient evidence", F(0)), None, None),
    [("patient-safety", "2", 2), ("clinical-reasoning", "1.75", 1), ("teaching-moves", "1.75", 1),
     ("feedback", "1.75", 1), ("professional-role", "1.75", 1)],
)
# Preceptor-practice with patient safety weighted like the others, to show what its weight changes.
PRECEPTOR_UNWEIGHTED = replace(PRECEPTOR, criteria=tuple(replace(c, weight=F(1)) for c in PRECEPTOR.criteria))

SA, LQ, FT, IG, RL = (c.id for c in COACHING.criteria)
PS, CR, TM, FB, PR = (c.id for c in PRECEPTOR.criteria)


@dataclass(frozen=True)
class Row:
    scheme: Scheme
    ratings: tuple[tuple[Rating, ...], ...]  # one tuple of scorers' ratings per criterion, in rubric order
    status: str
    aggregate: Fraction
    failing: tuple[str, ...] = ()
    insufficient: tuple[str, ...] = ()


def _all(pair: tuple[Rating, ...]) -> tuple[tuple[Rating, ...], ...]:
    return (pair,) * 5


ROWS = [
    # coaching-cycle: mean >= 3, every criterion >= 2.5, scores in halves.
    pytest.param(Row(COACHING, _all((3, 3)), "pass", F(3)), id="coaching-all-proficient-mean-exactly-at-threshold"),
    pytest.param(Row(COACHING, _all((4, 4)), "pass", F(4)), id="coaching-all-exemplary"),
    pytest.param(Row(COACHING, ((3, 2), (4, 3), (4, 3), (4, 3), (4, 3)), "pass", F("3.3")),
                 id="coaching-3-and-2-average-to-2.5-exactly-at-floor"),
    pytest.param(Row(COACHING, ((1, 4), (4, 3), (4, 3), (4, 3), (4, 3)), "pass", F("3.3")),
                 id="coaching-scorers-disagree-1-and-4-average-to-2.5"),
    pytest.param(Row(COACHING, ((2, 2), (4, 4), (4, 4), (4, 4), (4, 4)), "below_floor", F("3.6"), (SA,)),
                 id="coaching-2-just-below-floor-2.5"),
    pytest.param(Row(COACHING, ((3, 2), (2, 3), (4, 3), (3, 4), (3, 3)), "pass", F(3)),
                 id="coaching-fractional-scores-mean-exactly-3"),
    pytest.param(Row(COACHING, ((3, 2), (2, 3), (3, 3), (3, 3), (4, 3)), "below_threshold", F("2.9")),
                 id="coaching-mean-2.9-just-below-threshold"),
    pytest.param(Row(COACHING, _all((3, 2)), "below_threshold", F("2.5")),
                 id="coaching-every-criterion-at-floor-mean-2.5"),
    pytest.param(Row(COACHING, ((2, 2), (3, 3), (3, 3), (3, 3), (3, 3)), "below_floor", F("2.8"), (SA,)),
                 id="coaching-floor-and-threshold-both-fail"),
    pytest.param(Row(COACHING, ((2, 3), (2, 2), (1, 2), (4, 4), (4, 4)), "below_floor", F("2.8"), (LQ, FT)),
                 id="coaching-two-criteria-below-floor"),
    pytest.param(Row(COACHING, ((4, 4), (4, 4), (2, 2), (2, 2), (2, 2)), "below_floor", F("2.8"), (FT, IG, RL)),
                 id="coaching-mean-refuses-4-4-2-2-2-on-floors-and-mean"),
    pytest.param(Row(COACHING, ((4, 4), (4, 4), (3, 3), (2, 2), (2, 2)), "below_floor", F(3), (IG, RL)),
                 id="coaching-mean-refuses-4-4-3-2-2-though-the-mean-is-3"),
    pytest.param(Row(COACHING, _all((2, 2)), "below_floor", F(2), (SA, LQ, FT, IG, RL)),
                 id="coaching-all-developing"),
    # coaching-cycle totalled: total >= 15 of 20, every criterion >= 2.
    pytest.param(Row(COACHING_SUM, ((4, 4), (4, 4), (2, 2), (2, 2), (2, 2)), "below_threshold", F(14)),
                 id="coaching-sum-refuses-4-4-2-2-2-on-the-total-alone"),
    pytest.param(Row(COACHING_SUM, ((4, 4), (4, 4), (3, 3), (2, 2), (2, 2)), "pass", F(15)),
                 id="coaching-sum-accepts-4-4-3-2-2"),
    pytest.param(Row(COACHING_SUM, _all((3, 3)), "pass", F(15)), id="coaching-sum-total-exactly-15"),
    pytest.param(Row(COACHING_SUM, ((3, 3), (3, 3), (3, 3), (3, 3), (3, 2)), "below_threshold", F("14.5")),
                 id="coaching-sum-total-14.5-just-below"),
    pytest.param(Row(COACHING_SUM, ((4, 3), (3, 2), (3, 3), (3, 3), (3, 3)), "pass", F(15)),
                 id="coaching-sum-fractional-scores-total-15"),
    pytest.param(Row(COACHING_SUM, ((4, 4), (4, 4), (4, 4), (4, 4), (1, 2)), "below_floor", F("17.5"), (RL,)),
                 id="coaching-sum-1.5-below-floor-2"),
    pytest.param(Row(COACHING_SUM, ((4, 4), (3, 3), (3, 3), (2, 1), (3, 3)), "below_floor", F("14.5"), (IG,)),
                 id="coaching-sum-floor-and-threshold-both-fail"),
    # preceptor-practice: weighted mean >= 2.75 (patient safety counts twice), floors 2 and 1.75, quarters.
    pytest.param(Row(PRECEPTOR, _all((3, 3)), "pass", F(3)), id="preceptor-all-secure"),
    pytest.param(Row(PRECEPTOR, _all((4, 4)), "pass", F(4)), id="preceptor-all-leading"),
    pytest.param(Row(PRECEPTOR, ((3, 3), (3, 2), (2, 3), (3, 2), (3, 3)), "pass", F("2.75")),
                 id="preceptor-weighted-mean-exactly-2.75"),
    pytest.param(Row(PRECEPTOR, ((3, 3), (3, 2), (2, 3), (3, 2), (2, 3)), "below_threshold", F(8, 3)),
                 id="preceptor-weighted-mean-8-thirds-just-below-2.75"),
    pytest.param(Row(PRECEPTOR, ((2, 2), (4, 3), (4, 3), (4, 3), (4, 3)), "pass", F(3)),
                 id="preceptor-patient-safety-2-exactly-at-its-floor"),
    pytest.param(Row(PRECEPTOR, ((2, 1), (4, 4), (4, 4), (4, 4), (4, 4)), "below_floor", F(19, 6), (PS,)),
                 id="preceptor-patient-safety-1.5-below-its-floor-of-2"),
    pytest.param(Row(PRECEPTOR, ((4, 4), (2, 1), (4, 4), (4, 4), (4, 4)), "below_floor", F(43, 12), (CR,)),
                 id="preceptor-1.5-below-floor-1.75"),
    pytest.param(Row(PRECEPTOR, ((3, 3), (2, 2), (3, 3), (3, 3), (4, 3)), "pass", F(35, 12)),
                 id="preceptor-2-clears-floor-1.75"),
    pytest.param(Row(PRECEPTOR, ((3, 3), (IE, 3), (3, 3), (3, 3), (3, 3)), "below_floor", F("2.75"), (CR,), (CR,)),
                 id="preceptor-insufficient-evidence-and-3-average-to-1.5-below-floor"),
    pytest.param(Row(PRECEPTOR, ((4, 4), (IE, 4), (4, 4), (4, 4), (4, 4)), "pass", F(11, 3), (), (CR,)),
                 id="preceptor-insufficient-evidence-and-4-average-to-2-meets-floor"),
    pytest.param(Row(PRECEPTOR, ((IE, IE), (4, 4), (4, 4), (4, 4), (4, 4)), "below_floor", F(8, 3), (PS,), (PS,)),
                 id="preceptor-both-scorers-insufficient-on-patient-safety-and-threshold-fails"),
    pytest.param(Row(PRECEPTOR, ((3, 3), (3, 2), (2, 3), (1, 1), (3, 3)), "below_floor", F("2.5"), (FB,)),
                 id="preceptor-feedback-floor-and-threshold-both-fail"),
    pytest.param(Row(PRECEPTOR, ((4, 4), (2, 2), (3, 2), (2, 2), (2, 3)), "pass", F(17, 6)),
                 id="preceptor-weight-of-patient-safety-lifts-to-pass"),
    pytest.param(Row(PRECEPTOR_UNWEIGHTED, ((4, 4), (2, 2), (3, 2), (2, 2), (2, 3)), "below_threshold", F("2.6")),
                 id="preceptor-unweighted-same-ratings-below-threshold"),
    pytest.param(Row(PRECEPTOR, ((2, 2), (3, 3), (3, 3), (3, 3), (3, 3)), "below_threshold", F(8, 3)),
                 id="preceptor-weight-of-patient-safety-sinks-below-threshold"),
    pytest.param(Row(PRECEPTOR_UNWEIGHTED, ((2, 2), (3, 3), (3, 3), (3, 3), (3, 3)), "pass", F("2.8")),
                 id="preceptor-unweighted-same-ratings-pass"),
    pytest.param(Row(PRECEPTOR, _all((1, 1)), "below_floor", F(1), (PS, CR, TM, FB, PR)),
                 id="preceptor-all-beginning"),
]


def _entry(scheme: Scheme, ratings: tuple[tuple[Rating, ...], ...]) -> dict[str, tuple[Rating, ...]]:
    return {criterion.id: pair for criterion, pair in zip(scheme.criteria, ratings, strict=True)}


@pytest.mark.parametrize("row", ROWS)
def test_rating_sets(row: Row) -> None:
    result = score_entry(row.scheme, _entry(row.scheme, row.ratings))
    assert result.status == row.status
    assert result.passed is (row.status == "pass")
    assert result.aggregate == row.aggregate
    assert result.failing == row.failing
    assert result.insufficient == row.insufficient
    # One reason per failed criterion, one more if the aggregate falls short; a pass has one sentence.
    short = result.aggregate < result.threshold
    assert len(result.reasons) == (1 if result.passed else len(row.failing) + short)
    assert (row.status == "below_threshold") is (short and not row.failing)


def test_reasons_are_plain_sentences_with_plain_figures() -> None:
    scheme = replace(PRECEPTOR, rule=replace(PRECEPTOR.rule, scorers=4),
                     criteria=(replace(PRECEPTOR.criteria[0], title="Patient safety"), *PRECEPTOR.criteria[1:]))
    result = score_entry(scheme, {PS: (2, 2, 2, 1), CR: (4, 4, 3, 3), TM: (IE, 3, 3, 3), FB: (4, 4, 4, 4),
                                  PR: (4, 4, 4, 4)})
    assert result.failing == (PS,)
    assert result.reasons == ("Patient safety: 1.75 is below its floor of 2",)
    assert result.criteria[2].reason == "teaching-moves: 2.25 meets its floor of 1.75 (insufficient evidence " \
                                        "recorded by 1 of 4 scorers)"
    both = score_entry(PRECEPTOR, _entry(PRECEPTOR, ((3, 3), (3, 2), (2, 3), (1, 1), (3, 3))))
    assert both.reasons == ("feedback: 1 is below its floor of 1.75",
                            "The weighted mean of the criterion scores, 2.5, is below the threshold of 2.75")
    short = score_entry(COACHING_SUM, _entry(COACHING_SUM, ((3, 3), (3, 3), (3, 3), (3, 3), (3, 2))))
    assert short.reasons == ("The total of the criterion scores, 14.5, is below the threshold of 15",)
    passed = score_entry(COACHING, _entry(COACHING, _all((3, 3))))
    assert passed.reasons == ("Every criterion meets its floor, and the mean of the criterion scores, 3, reaches "
                              "the threshold of 3",)


def test_pages_can_reword_reasons_from_the_figures() -> None:
    result = score_entry(PRECEPTOR, _entry(PRECEPTOR, ((2, 1), (3, 2), (2, 3), (3, 2), (2, 3))))
    figures = [(c.id, c.score, c.floor, c.status) for c in result.criteria]
    assert figures[0] == (PS, F("1.5"), F(2), "below_floor")
    assert (result.aggregate, result.threshold, result.aggregate_rule) == (F(13, 6), F("2.75"), "mean")
    comma = lambda value: format_number(value).replace(".", ",")  # noqa: E731 - a stand-in locale formatter
    assert entry_reasons(result, {PS: "Sécurité des patients"}, comma) == (
        "Sécurité des patients: 1,5 is below its floor of 2",
        "The weighted mean of the criterion scores, 2,17, is below the threshold of 2,75")


def test_a_figure_just_below_the_threshold_never_reads_as_the_threshold() -> None:
    assert aggregate_reason("mean", F(8999, 3000), F(3)) == \
        "The mean of the criterion scores, 2.9997, is below the threshold of 3"
    assert aggregate_reason("sum", F(46, 3), F(15)) == "The total of the criterion scores, 15.33, reaches the " \
                                                      "threshold of 15"


# -- Figures and combining -------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (2.75, F(11, 4)), ("2.75", F(11, 4)), (0.1, F(1, 10)), (3, F(3)), (" 1.75 ", F(7, 4)), (Decimal("2.5"), F(5, 2)),
    (F(1, 3), F(1, 3)), (1e-05, F(1, 100000)), ("-0.5", F(-1, 2)),
])
def test_number_is_exact(value: object, expected: Fraction) -> None:
    assert number(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [True, "nan", "inf", "two", "", None, [2], "1e999999999", "1e-40"])
def test_number_refuses_what_is_not_a_plain_figure(value: object) -> None:
    with pytest.raises(ValueError, match=r"number|digits"):
        number(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "expected"), [
    (F(11, 4), "2.75"), (F(3), "3"), (F(5, 2), "2.5"), (F(0), "0"), (F(-1, 2), "-0.5"), (F(8, 3), "2.67"),
    (F(17, 6), "2.83"), (F(1, 8), "0.125"), (F(30), "30"), (F(-1, 1000), "-0.001"), (F(-1, 300), "0"),
])
def test_format_number(value: Fraction, expected: str) -> None:
    assert format_number(value) == expected


@pytest.mark.parametrize(("value", "step", "expected"), [
    (F(8, 3), F(1, 4), F(11, 4)), (F(5, 2), F(1), F(3)), (F(11, 4), F(1, 2), F(3)), (F(9, 4), F(1, 2), F(5, 2)),
    (F(7, 3), F(1, 2), F(5, 2)), (F(13, 6), F(1, 2), F(2)), (F(3), F(1, 2), F(3)), (F(-1, 4), F(1, 2), F(0)),
])
def test_round_to_step_rounds_to_the_nearest_multiple_from_zero_and_ties_up(
        value: Fraction, step: Fraction, expected: Fraction) -> None:
    assert round_to_step(value, step) == expected


def test_combine_ratings_rounds_the_mean_to_the_step() -> None:
    three = replace(PRECEPTOR, rule=replace(PRECEPTOR.rule, scorers=3))
    assert combine_ratings(three, [3, 3, 2]) == F("2.75")  # 2.667 is nearest 2.75
    assert combine_ratings(three, [3, 2, 2]) == F("2.25")  # 2.333 is nearest 2.25
    assert combine_ratings(three, [IE, 4, 4]) == F("2.75")  # insufficient evidence counts as 0
    whole = replace(COACHING, rule=replace(COACHING.rule, step=F(1)))
    assert combine_ratings(whole, [3, 2]) == 3  # 2.5 is halfway: ties round up
    assert combine_ratings(COACHING, [F(3), 2]) == F("2.5")


@pytest.mark.parametrize(("scheme", "ratings", "message"), [
    (COACHING, [3], "expected 2 ratings, one per scorer, but got 1"),
    (COACHING, [3, 3, 3], "expected 2 ratings, one per scorer, but got 3"),
    (COACHING, [3, 5], r"5 is not a score on the scale \(1, 2, 3, 4\)"),
    (COACHING, [3, 2.5], r"2.5 is not a score on the scale \(1, 2, 3, 4\)"),
    (COACHING, [3, 0], r"0 is not a score on the scale \(1, 2, 3, 4\)$"),
    (COACHING, [3, IE], "this rubric does not allow a rating of insufficient evidence"),
    (PRECEPTOR, [3, 0], "0 is not a score on the scale .*recorded with the INSUFFICIENT marker"),
    (PRECEPTOR, [3, "good"], r"'good' is not a rating: a rating is a score on the scale \(1, 2, 3, 4\) or "
                             r"insufficient evidence"),
    (PRECEPTOR, [3, True], "True is not a rating"),
])
def test_combine_ratings_refuses_bad_ratings_clearly(scheme: Scheme, ratings: list[Rating], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        combine_ratings(scheme, ratings)


def test_score_entry_names_the_criterion_and_the_ids_it_cannot_match() -> None:
    ratings = _entry(PRECEPTOR, _all((3, 3)))
    with pytest.raises(ValueError, match=r"^feedback: 5 is not a score on the scale"):
        score_entry(PRECEPTOR, {**ratings, FB: (3, 5)})
    with pytest.raises(ValueError, match=r"^feedback: expected 2 ratings"):
        score_entry(PRECEPTOR, {**ratings, FB: (3,)})
    del ratings[FB]
    with pytest.raises(ValueError, match="no criterion 'empathy' in this rubric; no ratings for 'feedback'"):
        score_entry(PRECEPTOR, {**ratings, "empathy": (3, 3)})


def test_scheme_helpers() -> None:
    assert (COACHING.top, COACHING.bottom, COACHING.max_aggregate, COACHING.min_aggregate) == (4, 1, 4, 1)
    assert (COACHING_SUM.max_aggregate, COACHING_SUM.min_aggregate) == (20, 5)
    assert (PRECEPTOR.lowest_score, PRECEPTOR.highest_score, PRECEPTOR.min_aggregate) == (0, 4, 0)
    assert PRECEPTOR.total_weight == 6 and PRECEPTOR.weighted and not COACHING.weighted
    assert PRECEPTOR.point(F(3)) == ScalePoint(F(3), "Secure", "competent") and PRECEPTOR.point(F("2.5")) is None


def test_scheme_from_data_reads_yaml_figures_exactly() -> None:
    data = {
        "scale": [{"score": 1, "label": "Beginning", "level": "novice"},
                  {"score": 2, "label": "Emerging", "level": "advanced-beginner"},
                  {"score": 3, "label": "Secure", "level": "competent"},
                  {"score": 4, "label": "Leading", "level": "expert"}],
        "scoring": {"aggregate": "mean", "threshold": 2.75, "scorers": 2, "step": 0.25,
                    "insufficient_evidence": {"label": "Insufficient evidence", "value": 0}},
        "criteria": [{"id": "patient-safety", "floor": 2, "weight": 2}]
                    + [{"id": id, "floor": 1.75} for id in (CR, TM, FB, PR)],
    }
    assert scheme_from_data(data) == PRECEPTOR


# -- Validation ------------------------------------------------------------------------------------------


def _with_rule(scheme: Scheme, **changes: object) -> Scheme:
    return replace(scheme, rule=replace(scheme.rule, **changes))


def _with_criterion(scheme: Scheme, index: int, **changes: object) -> Scheme:
    criteria = list(scheme.criteria)
    criteria[index] = replace(criteria[index], **changes)
    return replace(scheme, criteria=tuple(criteria))


def _with_scores(scheme: Scheme, *scores: Fraction | int) -> Scheme:
    return replace(scheme, scale=tuple(replace(p, score=F(s)) for p, s in zip(scheme.scale, scores, strict=True)))


@pytest.mark.parametrize(("scheme", "path", "message"), [
    pytest.param(_with_criterion(COACHING, 1, floor=F(5)), ("criteria", 1, "floor"),
                 "the floor 5 can never be met: the top score is 4", id="floor-above-top"),
    pytest.param(_with_criterion(COACHING, 2, floor=F("1.75")), ("criteria", 2, "floor"),
                 "combined scores move in steps of 0.5 from 0, so 1.75 can never be scored exactly; use 1.5 or 2",
                 id="floor-off-step"),
    pytest.param(_with_criterion(COACHING, 0, floor=F("0.5")), ("criteria", 0, "floor"),
                 "the floor 0.5 is always met: the lowest possible score is 1", id="floor-below-every-score"),
    pytest.param(_with_rule(COACHING, threshold=F("4.5")), ("scoring", "threshold"),
                 "the threshold 4.5 can never be reached: the highest possible mean is 4", id="threshold-above-max"),
    pytest.param(_with_rule(COACHING_SUM, threshold=F(21)), ("scoring", "threshold"),
                 "the threshold 21 can never be reached: the highest possible total is 20",
                 id="sum-threshold-above-max"),
    pytest.param(_with_rule(PRECEPTOR, threshold=F("4.25")), ("scoring", "threshold"),
                 "the threshold 4.25 can never be reached: the highest possible weighted mean is 4",
                 id="weighted-threshold-above-max"),
    pytest.param(_with_rule(COACHING, threshold=F(1)), ("scoring", "threshold"),
                 "every entry reaches the threshold 1: the lowest possible mean is 1", id="threshold-at-min"),
    pytest.param(_with_rule(COACHING_SUM, threshold=F(4)), ("scoring", "threshold"),
                 "every entry reaches the threshold 4: the lowest possible total is 5", id="threshold-below-min"),
    pytest.param(_with_rule(PRECEPTOR, threshold=F(0)), ("scoring", "threshold"),
                 "every entry reaches the threshold 0: the lowest possible weighted mean is 0",
                 id="threshold-at-min-with-insufficient-evidence"),
    pytest.param(_with_scores(COACHING, 1, 3, 2, 4), ("scale", 2, "score"),
                 "scores must rise along the scale: 2 comes after 3", id="scores-not-rising"),
    pytest.param(_with_scores(COACHING, 1, 2, 2, 4), ("scale", 2, "score"),
                 "the score 2 appears twice on the scale", id="duplicate-score"),
    pytest.param(_with_scores(_with_rule(COACHING_SUM, step=F(1)), 1, 2, F("2.5"), 4), ("scale", 2, "score"),
                 "combined scores move in steps of 1 from 0, so the score 2.5 can never be scored exactly: ratings "
                 "that all give 2.5 combine to 3", id="score-off-step"),
    pytest.param(_with_rule(COACHING, step=F(0)), ("scoring", "step"), "the step must be above 0, not 0",
                 id="step-zero"),
    pytest.param(_with_rule(COACHING, step=F("-0.5")), ("scoring", "step"), "the step must be above 0, not -0.5",
                 id="step-negative"),
    pytest.param(_with_rule(COACHING, scorers=0), ("scoring", "scorers"), "at least one scorer is needed, not 0",
                 id="no-scorers"),
    pytest.param(_with_rule(PRECEPTOR, insufficient_evidence=InsufficientEvidence("Insufficient evidence", F(1))),
                 ("scoring", "insufficient_evidence", "value"),
                 "insufficient evidence counts as 1, which is also the score of 'Beginning' on the scale; use a "
                 "value off the scale", id="insufficient-evidence-on-the-scale"),
    pytest.param(_with_rule(PRECEPTOR, insufficient_evidence=InsufficientEvidence("Insufficient evidence",
                                                                                  F("0.1"))),
                 ("scoring", "insufficient_evidence", "value"),
                 "combined scores move in steps of 0.25 from 0, so insufficient evidence counted as 0.1 can never "
                 "be scored exactly; use 0 or 0.25", id="insufficient-evidence-off-step"),
    pytest.param(_with_criterion(PRECEPTOR, 0, weight=F(0)), ("criteria", 0, "weight"),
                 "the weight must be above 0, not 0", id="weight-zero"),
    pytest.param(_with_criterion(COACHING_SUM, 4, weight=F(-1)), ("criteria", 4, "weight"),
                 "the weight must be above 0, not -1", id="weight-negative"),
    pytest.param(_with_rule(COACHING, aggregate="median"), ("scoring", "aggregate"),
                 "the aggregate must be 'sum' or 'mean', not 'median'", id="unknown-aggregate"),
    pytest.param(replace(COACHING, criteria=()), ("criteria",), "a rubric needs at least one criterion",
                 id="no-criteria"),
    pytest.param(replace(COACHING, scale=COACHING.scale[:1]), ("scale",), "a scale needs at least two points",
                 id="one-point-scale"),
    pytest.param(_with_rule(COACHING, banking_months=0), ("scoring", "banking_months"),
                 "banking must last at least 1 month, not 0", id="banking-zero"),
    pytest.param(_with_rule(COACHING, retakes=-1), ("scoring", "retakes"),
                 "the number of retakes cannot be negative (-1)", id="retakes-negative"),
])
def test_scheme_problems_report_each_impossible_rule(scheme: Scheme, path: tuple, message: str) -> None:
    assert scheme_problems(scheme) == [(path, message)]


@pytest.mark.parametrize("scheme", [
    pytest.param(COACHING, id="coaching-cycle"), pytest.param(COACHING_SUM, id="coaching-cycle-sum"),
    pytest.param(PRECEPTOR, id="preceptor-practice"), pytest.param(PRECEPTOR_UNWEIGHTED, id="preceptor-unweighted"),
    pytest.param(_with_rule(PRECEPTOR, banking_months=24, retakes=0), id="preceptor-with-banking-and-no-retakes"),
])
def test_sensible_schemes_have_no_problems(scheme: Scheme) -> None:
    assert scheme_problems(scheme) == []


def test_several_problems_are_all_reported() -> None:
    scheme = _with_criterion(_with_rule(COACHING, threshold=F(5), scorers=0), 3, floor=F("4.5"), weight=F(0))
    assert [path for path, _ in scheme_problems(scheme)] == [
        ("scoring", "scorers"), ("criteria", 3, "weight"), ("criteria", 3, "floor")]


# -- Properties ------------------------------------------------------------------------------------------

STEPS = [F(1), F(1, 2), F(1, 4), F(1, 3), F(1, 5)]
WEIGHTS = [F(1), F(2), F(3), F(1, 2), F(3, 2)]


@st.composite
def schemes(draw: st.DrawFn) -> Scheme:
    """Random valid schemes: scores, floors and insufficient evidence on the step, a threshold that can be
    reached and does not always pass."""
    step = draw(st.sampled_from(STEPS))
    ks = sorted(draw(st.sets(st.integers(0, 24), min_size=2, max_size=5)))
    scale = tuple(ScalePoint(k * step, f"Point {i + 1}", f"level-{i + 1}") for i, k in enumerate(ks))
    evidence = None
    if draw(st.booleans()):
        evidence = InsufficientEvidence("Insufficient evidence", step * draw(st.integers(ks[0] - 6, ks[0] - 1)))
    lowest = ks[0] if evidence is None else int(evidence.value / step)
    criteria = tuple(CriterionRule(f"c{i}", step * draw(st.integers(lowest, ks[-1])), draw(st.sampled_from(WEIGHTS)))
                     for i in range(draw(st.integers(1, 6))))
    rule = ScoringRule(draw(st.sampled_from(["sum", "mean"])), F(0), draw(st.integers(1, 4)), step, evidence)
    scheme = Scheme(scale, rule, criteria)
    low, high = scheme.min_aggregate, scheme.max_aggregate
    return _with_rule(scheme, threshold=low + (high - low) * F(draw(st.integers(1, 12)), 12))


def _choices(scheme: Scheme) -> list[Rating]:
    return [*scheme.scores, *([IE] if scheme.rule.insufficient_evidence else [])]


def _ratings(draw: st.DrawFn, scheme: Scheme) -> dict[str, list[Rating]]:
    options = st.sampled_from(_choices(scheme))
    n = scheme.rule.scorers
    return {c.id: draw(st.lists(options, min_size=n, max_size=n)) for c in scheme.criteria}


def _value(scheme: Scheme, rating: Rating) -> Fraction:
    evidence = scheme.rule.insufficient_evidence
    return evidence.value if rating is IE and evidence else F(rating)  # type: ignore[arg-type]


def _nearest(value: Fraction, step: Fraction) -> Fraction:
    # An independent statement of the rule: the nearer of the two neighbouring multiples, the upper on a tie.
    below = (value // step) * step
    above = below + step
    return above if above - value <= value - below else below


def _expected(scheme: Scheme, ratings: dict[str, list[Rating]]) -> tuple[dict[str, Fraction], Fraction]:
    scores = {}
    for criterion in scheme.criteria:
        values = [_value(scheme, r) for r in ratings[criterion.id]]
        scores[criterion.id] = _nearest(sum(values, F(0)) / len(values), scheme.rule.step)
    total = sum(c.weight * scores[c.id] for c in scheme.criteria)
    weights = sum(c.weight for c in scheme.criteria)
    return scores, total if scheme.rule.aggregate == "sum" else total / weights


PROPERTIES = settings(deadline=None, max_examples=150)


@PROPERTIES
@given(schemes())
def test_generated_schemes_are_sensible(scheme: Scheme) -> None:
    assert scheme_problems(scheme) == []


@PROPERTIES
@given(st.data())
def test_pass_exactly_when_every_floor_and_the_threshold_are_met(data: st.DataObject) -> None:
    scheme = data.draw(schemes())
    ratings = _ratings(data.draw, scheme)
    result = score_entry(scheme, ratings)
    scores, aggregate = _expected(scheme, ratings)
    assert {c.id: c.score for c in result.criteria} == scores
    assert result.aggregate == aggregate
    floors_met = all(scores[c.id] >= c.floor for c in scheme.criteria)
    assert result.passed is (floors_met and aggregate >= scheme.rule.threshold)
    assert result.passed is (result.status == "pass")
    assert (result.status == "below_floor") is (not floors_met)
    assert result.reasons


@PROPERTIES
@given(st.data())
def test_criterion_scores_lie_between_the_ratings_and_on_the_step(data: st.DataObject) -> None:
    scheme = data.draw(schemes())
    ratings = _ratings(data.draw, scheme)
    for criterion in score_entry(scheme, ratings).criteria:
        values = [_value(scheme, r) for r in ratings[criterion.id]]
        assert min(values) <= criterion.score <= max(values)
        assert (criterion.score / scheme.rule.step).denominator == 1
        assert criterion.insufficient_evidence is (IE in ratings[criterion.id])


@PROPERTIES
@given(st.data())
def test_raising_one_rating_never_turns_a_pass_into_a_fail(data: st.DataObject) -> None:
    scheme = data.draw(schemes())
    ratings = _ratings(data.draw, scheme)
    below_top = [(c, i) for c, given in ratings.items() for i, r in enumerate(given) if _value(scheme, r) < scheme.top]
    assume(below_top)  # every rating already the top score: nothing to raise
    criterion, scorer = data.draw(st.sampled_from(below_top))
    current = _value(scheme, ratings[criterion][scorer])
    higher = [r for r in _choices(scheme) if _value(scheme, r) > current]
    raised = {**ratings, criterion: [*ratings[criterion]]}
    raised[criterion][scorer] = data.draw(st.sampled_from(higher))
    before, after = score_entry(scheme, ratings), score_entry(scheme, raised)
    assert after.passed or not before.passed
    assert after.aggregate >= before.aggregate
    assert all(a.score >= b.score for a, b in zip(after.criteria, before.criteria, strict=True))


@PROPERTIES
@given(st.lists(st.lists(st.sampled_from([1, 2, 3, 4]), min_size=2, max_size=2), min_size=5, max_size=5))
def test_sum_and_mean_agree_when_only_the_threshold_is_rescaled(pairs: list[list[int]]) -> None:
    # Why COACHING_SUM lowers the floors: total >= 15 over five unweighted criteria is mean >= 3.
    same_floors = replace(COACHING, rule=replace(COACHING.rule, aggregate="sum", threshold=F(15)))
    ratings = _entry(COACHING, tuple(tuple(pair) for pair in pairs))
    assert score_entry(same_floors, ratings).status == score_entry(COACHING, ratings).status


@pytest.mark.parametrize(("path", "scheme"), [
    ("rubrics/coaching-cycle.yml", COACHING),
    ("tests/fixtures/programs/preceptor/rubrics/preceptor-practice.yml", PRECEPTOR),
], ids=["coaching-cycle", "preceptor-practice"])
def test_the_table_scores_the_programs_own_rubrics(path: str, scheme: Scheme) -> None:
    """The rating sets above are scored against the rules the two programs publish."""
    import yaml

    published = scheme_from_data(yaml.safe_load((Path(__file__).parents[1] / path).read_text("utf-8")))
    assert published.rule.aggregate == scheme.rule.aggregate
    assert published.rule.threshold == scheme.rule.threshold
    assert (published.rule.scorers, published.rule.step) == (scheme.rule.scorers, scheme.rule.step)
    assert (published.rule.insufficient_evidence is None) == (scheme.rule.insufficient_evidence is None)
    assert [(c.id, c.floor, c.weight) for c in published.criteria] == [(c.id, c.floor, c.weight)
                                                                      for c in scheme.criteria]
    assert [point.score for point in published.scale] == [point.score for point in scheme.scale]
