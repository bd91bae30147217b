"""The certification as an Open Badges 3.0 Achievement, checked against 1EdTech's own schema."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import PRECEPTOR, REPO
from handbook.render.identifiers import item_uuid
from open_data_builds import (
    HOSTILE,
    achievement_validator,
    credential_validator,
    hostile_site,
    library_of,
    preceptor_site,
    published,
    real_site,
    strings,
)

SITE_URLS = {REPO: "https://handbook.example.org/", PRECEPTOR: "https://preceptor.example.org/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_site(tmp_path_factory)


def _achievements(site: Path) -> dict[str, dict]:
    return {path.split("/")[1]: json.loads(data) for path, data in published(site).items()
            if path.startswith("credential/") and path.endswith("/achievement.json")}


def _wrapped(achievement: dict) -> dict:
    """The smallest AchievementCredential around ``achievement``: placeholder issuer, subject and date."""
    return {"@context": achievement["@context"], "id": "urn:uuid:00000000-0000-4000-8000-000000000000",
            "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": achievement["name"],
            "issuer": {"id": "https://issuer.example.org/", "type": ["Profile"]},
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"type": ["AchievementSubject"], "achievement": achievement}}


def _check(site: Path, root: Path) -> dict[str, dict]:
    achievements = _achievements(site)
    library = library_of(root)
    assert sorted(achievements) == sorted(library.languages)
    alone, wrapped = achievement_validator(), credential_validator()
    for language, achievement in achievements.items():
        errors = [f"{e.json_path}: {e.message[:200]}" for e in alone.iter_errors(achievement)]
        assert not errors, f"{language}: {errors}"
        errors = [f"{e.json_path}: {e.message[:200]}" for e in wrapped.iter_errors(_wrapped(achievement))]
        assert not errors, f"{language} (in a credential): {errors}"
    return achievements


def test_every_achievement_follows_the_official_schema(site: Path) -> None:
    _check(site, REPO)


def test_the_achievement_says_what_the_certification_is(site: Path) -> None:
    library = library_of(REPO)
    base = SITE_URLS[REPO]
    for language, achievement in _achievements(site).items():
        handbook = library.handbook(language)
        fw = handbook.framework
        assert achievement["id"] == f"{base}credential/{language}/achievement.json"
        assert achievement["type"] == ["Achievement"]
        assert achievement["achievementType"] == "Certification"
        assert (achievement["name"], achievement["version"], achievement["inLanguage"]) == (fw.title, fw.version,
                                                                                            language)
        assert {r["id"] for r in achievement["related"]} == {
            f"{base}credential/{other}/achievement.json" for other in library.languages if other != language}
        active = [c for c in handbook.competencies.values() if c.status != "deprecated"]
        assert [(a["targetType"], a["targetCode"], a["targetUrl"]) for a in achievement["alignment"]] == [
            ("CFItem", c.id, f"{base}case/uri/{item_uuid(fw.id, 'competency', c.id)}") for c in active]
        narrative = achievement["criteria"]["narrative"]
        for rubric in handbook.rubrics.values():
            assert rubric.title in narrative
            assert all(criterion.title in narrative for criterion in rubric.criteria)
        assert all(key in narrative for key in fw.certification)


def test_each_criterion_is_a_rubric_criterion_level_result(site: Path) -> None:
    library = library_of(REPO)
    achievements = _achievements(site)
    for language, achievement in achievements.items():
        handbook = library.handbook(language)
        results = achievement["resultDescription"]
        criteria = [r for r in results if r["resultType"] == "RubricCriterionLevel"]
        scores = [r for r in results if r["resultType"] == "RubricScore"]
        assert len(criteria) == sum(len(rubric.criteria) for rubric in handbook.rubrics.values())
        assert len(scores) == len(handbook.rubrics)
        flat = [(rubric, criterion) for rubric in handbook.rubrics.values() for criterion in rubric.criteria]
        for (rubric, criterion), result in zip(flat, criteria, strict=True):
            assert Fraction(result["requiredValue"]) == criterion.floor
            levels = result["rubricCriterionLevel"]
            assert [Fraction(level["points"]) for level in levels] == [point.score for point in rubric.scale]
            assert [level["name"] for level in levels] == [point.label for point in rubric.scale]
            assert len({level["id"] for level in levels}) == len(levels)
        for rubric, result in zip(handbook.rubrics.values(), scores, strict=True):
            assert Fraction(result["requiredValue"]) == rubric.threshold
    # The same result description in every language: a result asserted in one means the same in another.
    ids = {language: [r["id"] for r in a["resultDescription"]] for language, a in achievements.items()}
    assert len({tuple(value) for value in ids.values()}) == 1


def test_two_builds_give_the_same_achievements(site: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    first = {p: d for p, d in published(site).items() if p.startswith("credential/")}
    second = {p: d for p, d in published(real_site(tmp_path_factory, copy=2)).items() if p.startswith("credential/")}
    assert first and first == second


def test_the_second_program_publishes_a_valid_achievement(tmp_path_factory: pytest.TempPathFactory) -> None:
    achievements = _check(preceptor_site(tmp_path_factory), PRECEPTOR)
    library = library_of(PRECEPTOR)
    for language, achievement in achievements.items():
        assert achievement["id"].startswith(SITE_URLS[PRECEPTOR])
        assert achievement["name"] == library.handbook(language).framework.title


def test_hostile_content_in_the_achievement_is_inert(tmp_path_factory: pytest.TempPathFactory) -> None:
    site, _ = hostile_site(tmp_path_factory)
    achievements = _check(site, REPO)
    assert any(HOSTILE in text for achievement in achievements.values() for text in strings(achievement))
    for path, data in published(site).items():
        if path.startswith("credential/"):
            assert b"<" not in data, path
