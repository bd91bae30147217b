"""The coaching content itself: a library deep enough to certify against, fully translated.

These read the real content's front matter (not the generator), so a pull request that drops
below the program's own coverage rules fails here with the gap named.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from conftest import ENV, REPO


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))


CASES = [_front_matter(p) for p in sorted((REPO / "cases").glob("*.md")) if p.name.count(".") == 1]
FRAMEWORK = yaml.safe_load((REPO / "curriculum/framework.yml").read_text("utf-8"))
COMPETENCIES = [p.stem for p in (REPO / "curriculum/competencies").glob("*.yml") if p.name.count(".") == 1]


def _values(case: dict, facet: str) -> list[str]:
    value = case.get("facets", {}).get(facet, [])
    return [value] if isinstance(value, str) else list(value)


def test_the_library_holds_at_least_24_cases() -> None:
    assert len(CASES) >= 24


def test_every_competency_is_exercised_by_at_least_three_cases() -> None:
    counts = Counter(c for case in CASES for c in case["competencies"])
    assert {c: counts[c] for c in COMPETENCIES if counts[c] < 3} == {}


def test_every_setting_has_six_cases_and_every_facet_value_three() -> None:
    for facet in FRAMEWORK["facets"]:
        counts = Counter(v for case in CASES for v in _values(case, facet["id"]))
        least = 6 if facet["id"] == "setting" else 3
        assert {v["id"]: counts[v["id"]] for v in facet["values"] if counts[v["id"]] < least} == {}, facet["id"]


def test_every_level_has_four_cases_in_at_least_two_settings() -> None:
    settings = defaultdict(set)
    counts = Counter(case["level"] for case in CASES)
    for case in CASES:
        settings[case["level"]].update(_values(case, "setting"))
    for level in FRAMEWORK["levels"]:
        assert counts[level["id"]] >= 4, level["id"]
        assert len(settings[level["id"]]) >= 2, level["id"]


def test_no_name_stands_for_two_people() -> None:
    """A reader follows people by name: the same full name in two cases is one person, so it must
    not be two different characters (a case may mention a colleague from another case by role)."""
    import re

    names = defaultdict(set)
    for path in sorted((REPO / "cases").glob("*.md")):
        if path.name.count(".") != 1:
            continue
        for first, last in re.findall(r"\b([A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?) ([A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?)\b",
                                      path.read_text("utf-8").split("\n---\n", 1)[1]):
            names[f"{first} {last}"].add(path.stem)
    # Only names introduced as people: both parts capitalised, seen in more than one case.
    shared = {name: sorted(cases) for name, cases in names.items() if len(cases) > 1}
    known = {"Grace Mensah"}  # one supervisor, met at two points of her practice
    assert {name: cases for name, cases in shared.items() if name not in known
            and name.split()[0] not in {"The", "A", "An", "In", "On", "At", "Portfolio", "Entry"}} == {}


def test_every_translation_is_complete_and_current() -> None:
    done = subprocess.run([sys.executable, "-m", "handbook.cli", "i18n", "status", "--format", "json"],
                          capture_output=True, text=True, env=ENV, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert {lang["language"]: (lang["coverage"], lang["missing"], lang["partial"], lang["stale"])
            for lang in report["languages"]} == {lang["language"]: (100, [], [], []) for lang in report["languages"]}


def test_the_content_passes_the_language_checks_strictly() -> None:
    done = subprocess.run([sys.executable, "-m", "handbook.cli", "lint", "--strict"], capture_output=True, text=True,
                          env=ENV, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
