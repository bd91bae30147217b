"""The shared table of scoring cases (tests/fixtures/scoring/cases.json), against the Python rule.

The same table runs against the browser port (plugins/handbook/assets/scoring.js) in
tests/browser/test_self_assessment.py: both must give the figures worked out by hand in the table.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from handbook.model.scoring import (
    INSUFFICIENT,
    CriterionRule,
    InsufficientEvidence,
    Rating,
    ScalePoint,
    Scheme,
    ScoringRule,
    number,
    score_entry,
)

TABLE = Path(__file__).parent / "fixtures" / "scoring" / "cases.json"
DATA = json.loads(TABLE.read_text("utf-8"))
CASES = DATA["cases"]


def scheme_of(data: dict[str, Any]) -> Scheme:
    rule = data["rule"]
    evidence = rule.get("insufficient_evidence")
    return Scheme(
        scale=tuple(ScalePoint(number(p["score"]), p["label"], p["level"]) for p in data["scale"]),
        rule=ScoringRule(rule["aggregate"], number(rule["threshold"]), rule["scorers"], number(rule["step"]),
                         None if evidence is None else InsufficientEvidence(evidence["label"],
                                                                            number(evidence["value"]))),
        criteria=tuple(CriterionRule(c["id"], number(c["floor"]), number(c["weight"])) for c in data["criteria"]),
    )


def rating_of(text: str) -> Rating:
    return INSUFFICIENT if text == "insufficient" else number(text)


def exact(text: str) -> Fraction:
    """A figure of the table: a decimal string or a ratio such as '17/6'."""
    return Fraction(text)


def test_the_table_covers_the_cases_the_rule_distinguishes() -> None:
    statuses = {case.get("status") for case in CASES}
    assert {"pass", "below_floor", "below_threshold"} <= statuses
    schemes = DATA["schemes"]
    used = {case["scheme"] for case in CASES}
    assert {schemes[name]["rule"]["aggregate"] for name in used} == {"sum", "mean"}
    assert {schemes[name]["rule"]["step"] for name in used} >= {"1", "0.5", "0.25"}
    assert any(case.get("insufficient") for case in CASES)
    assert sum(1 for case in CASES if case.get("error")) >= 3
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_score_entry_gives_the_tables_figures(case: dict[str, Any]) -> None:
    scheme = scheme_of(DATA["schemes"][case["scheme"]])
    ratings = {key: [rating_of(r) for r in values] for key, values in case["ratings"].items()}
    if case.get("error"):
        with pytest.raises(ValueError):
            score_entry(scheme, ratings)
        return
    result = score_entry(scheme, ratings)
    assert {c.id: c.score for c in result.criteria} == {key: exact(v) for key, v in case["criteria"].items()}
    assert result.aggregate == exact(case["aggregate"])
    assert result.status == case["status"]
    assert list(result.failing) == case["failing"]
    assert list(result.insufficient) == case["insufficient"]
