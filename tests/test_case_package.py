"""CASE 1.1 export and import: the official schema, stable output, the round trip, a package from
elsewhere, and packages that must be refused without touching the project."""

from __future__ import annotations

import copy
import datetime
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import PRECEPTOR, REPO, Project, copy_project, run
from handbook.cli.main import settings_from
from handbook.library import Settings, load_library
from handbook.render.case_package import EXTENSION, case_package
from handbook.sources.case_package import MAX_BYTES

STANDARDS = Path(__file__).parent / "fixtures" / "standards" / "case-1.1"
SCHEMA = json.loads((STANDARDS / "case-v1p1-cfpackage.json").read_text("utf-8"))
FOREIGN = STANDARDS / "mentoring-standards.json"
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

PROGRAMS = {"handbook": REPO / "mkdocs.yml", "preceptor": PRECEPTOR / "mkdocs.yml"}


def _format_checker() -> jsonschema.FormatChecker:
    """The schema's formats, date-time included (jsonschema checks it only with an extra package)."""
    checker = jsonschema.Draft201909Validator.FORMAT_CHECKER
    checker = jsonschema.FormatChecker(formats=list(checker.checkers))

    @checker.checks("date-time", raises=ValueError)
    def date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not _DATE_TIME.match(value):
            raise ValueError(f"{value!r} is not an RFC 3339 date-time")
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True

    return checker


VALIDATOR = jsonschema.Draft201909Validator(SCHEMA, format_checker=_format_checker())


def cli(*args: str) -> Any:
    return run([sys.executable, "-m", "handbook.cli", *args])


def packages(config: Path) -> dict[str, dict[str, Any]]:
    library = load_library(settings_from(config)[0])
    source = library.handbook()
    return {language: case_package(library.handbook(language), None if language == library.default_language
                                   else source, "https://example.org/")
            for language in library.languages}


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every entry under ``root``: a file's bytes, None for a folder."""
    return {path.relative_to(root).as_posix(): (None if path.is_dir() else path.read_bytes())
            for path in sorted(root.rglob("*"))}


# -- Export -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_language_of_both_programs_is_a_valid_case_package(program: str) -> None:
    exported = packages(PROGRAMS[program])
    assert len(exported) >= 2
    for language, package in exported.items():
        errors = [f"{e.json_path}: {e.message}" for e in VALIDATOR.iter_errors(package)]
        assert errors == [], f"{program} {language}: {errors[:5]}"
        assert package["CFDocument"]["language"] == language
        assert {item["language"] for item in package["CFItems"]} == {language}
        kinds = {association["associationType"] for association in package["CFAssociations"]}
        assert {"isChildOf", "hasSkillLevel", "precedes", "isRelatedTo"} <= kinds
        criterion_levels = [level for rubric in package["CFRubrics"] for criterion in rubric["CFRubricCriteria"]
                            for level in criterion["CFRubricCriterionLevels"]]
        assert criterion_levels and all(level["description"].startswith("- ") for level in criterion_levels)


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_translation_points_at_the_source_items(program: str) -> None:
    exported = packages(PROGRAMS[program])
    source_language, *translations = exported
    source_ids = {item["identifier"] for item in exported[source_language]["CFItems"]}
    for language in translations:
        package = exported[language]
        links = [a for a in package["CFAssociations"] if a["associationType"] == "isTranslationOf"]
        assert len(links) == len(package["CFItems"])
        assert {link["destinationNodeURI"]["identifier"] for link in links} == source_ids
        assert not source_ids & {item["identifier"] for item in package["CFItems"]}


def test_the_model_is_carried_faithfully() -> None:
    library = load_library(settings_from(PROGRAMS["preceptor"])[0])
    handbook = library.handbook()
    package = case_package(handbook)
    items = {item["identifier"]: item for item in package["CFItems"]}
    levels = [item for item in package["CFItems"] if item["CFItemType"] == "Proficiency level"]
    assert [item["humanCodingScheme"] for item in levels] == [level.id for level in handbook.framework.levels]
    behaviours = sum(len(texts) for c in handbook.competencies.values() for texts in c.behaviours.values())
    skill = [a for a in package["CFAssociations"] if a["associationType"] == "hasSkillLevel"]
    assert len(skill) == behaviours
    assert all(items[a["destinationNodeURI"]["identifier"]] in levels for a in skill)
    rubric = next(iter(handbook.rubrics.values()))
    exported = next(r for r in package["CFRubrics"] if r["extensions"][EXTENSION]["id"] == rubric.id)
    for criterion, entry in zip(rubric.criteria, exported["CFRubricCriteria"], strict=True):
        assert entry["weight"] == float(criterion.weight)
        assert entry["extensions"][EXTENSION]["floor"] == float(criterion.floor)
        assert [level["score"] for level in entry["CFRubricCriterionLevels"]] == [float(p.score) for p in rubric.scale]
    assert all(uri.startswith("urn:uuid:") for uri in (item["uri"] for item in package["CFItems"]))


def test_the_site_publishes_each_languages_package_as_the_command_exports_it(site: Path) -> None:
    for language in ("en", "es", "fr"):
        published = site / "api" / "case" / f"{language}.json"
        exported = cli("export", "case", "-f", str(REPO / "mkdocs.yml"), "--language", language)
        assert exported.returncode == 0, exported.stderr
        assert published.read_text("utf-8") == exported.stdout
        assert not list(VALIDATOR.iter_errors(json.loads(exported.stdout)))


def test_two_exports_are_byte_identical(tmp_path: Path) -> None:
    first = cli("export", "case", "-f", str(PROGRAMS["preceptor"]), "--language", "ar")
    second = cli("export", "case", "-f", str(PROGRAMS["preceptor"]), "--language", "ar",
                 "-o", str(tmp_path / "ar.json"))
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert first.stdout.encode("utf-8") == (tmp_path / "ar.json").read_bytes()
    assert "\\u06" not in first.stdout  # ensure_ascii=False: Arabic as itself
    package = json.loads(first.stdout)
    assert package["CFDocument"]["uri"].startswith("https://preceptor.example.org/case/uri/")


def test_an_unknown_language_is_one_line() -> None:
    result = cli("export", "case", "-f", str(PROGRAMS["preceptor"]), "--language", "xx")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "'xx' is not a language of this site" in result.stderr


# -- Round trip -------------------------------------------------------------------------------------


def test_export_import_export_gives_the_same_package(tmp_path: Path) -> None:
    exported = tmp_path / "package.json"
    assert cli("export", "case", "-o", str(exported), "-f", str(PROGRAMS["handbook"])).returncode == 0
    target = tmp_path / "imported"
    target.mkdir()
    shutil.copy(PROGRAMS["handbook"], target / "mkdocs.yml")  # the same site_url, hence the same URIs

    imported = cli("import", "case", str(exported), "--into", str(target))

    assert imported.returncode == 0, imported.stderr
    assert "Placeholders" not in imported.stdout  # everything came back from the extensions
    again = cli("export", "case", "-f", str(target / "mkdocs.yml"))
    assert again.returncode == 0, again.stderr
    assert again.stdout == exported.read_text("utf-8")


# -- A package from elsewhere -----------------------------------------------------------------------


def test_a_foreign_package_imports_validates_and_builds(tmp_path: Path) -> None:
    assert list(VALIDATOR.iter_errors(json.loads(FOREIGN.read_text("utf-8")))) == []
    project = Project(tmp_path / "mentoring")
    project.write("mkdocs.yml", "site_name: Mentoring handbook\nsite_url: https://mentoring.example.org/\n"
                                "theme:\n  name: material\n  font: false\nplugins:\n  - search\n  - handbook\n")
    project.write("docs/index.md", "# Mentoring\n\nWhere the program starts.\n")

    imported = cli("import", "case", str(FOREIGN), "-f", str(project.path("mkdocs.yml")))

    assert imported.returncode == 0, imported.stderr
    assert "3 levels, 2 domains, 3 competencies with 9 behaviours, 1 rubrics" in imported.stdout
    assert "reflection_prompts" in imported.stdout and "exactMatchOf" in imported.stdout
    framework = yaml.safe_load(project.path("curriculum/framework.yml").read_text("utf-8"))
    assert [level["name"] for level in framework["levels"]] == ["Beginning", "Practising", "Accomplished"]
    assert framework["version"] == "2.1.0" and framework["released"] == "2024-01-15"
    competency = yaml.safe_load(project.path("curriculum/competencies/ms-a-1.yml").read_text("utf-8"))
    assert competency["title"] == "Establishing trust"
    assert competency["related"] == ["ms-a-2"]
    assert competency["behaviours"]["l2"] == ["Sets shared goals for the first term with the mentee."]
    validated = project.validate()
    assert validated.returncode == 0, validated.stderr
    built = project.build(tmp_path / "site")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "competencies" / "ms-a-1" / "index.html").is_file()


def test_a_package_in_a_regional_language_builds_with_its_base_languages_words(tmp_path: Path) -> None:
    """CASE servers often write "en-US": the generator's words come from "en"."""
    package = json.loads(FOREIGN.read_text("utf-8"))
    package["CFDocument"]["language"] = "en-US"
    regional = tmp_path / "regional.json"
    regional.write_text(json.dumps(package), "utf-8")
    project = Project(tmp_path / "mentoring")
    project.write("mkdocs.yml", "site_name: Mentoring handbook\ntheme:\n  name: material\n  font: false\n"
                                "plugins:\n  - search\n  - handbook\n")
    project.write("docs/index.md", "# Mentoring\n\nWhere the program starts.\n")
    imported = cli("import", "case", str(regional), "-f", str(project.path("mkdocs.yml")))
    assert imported.returncode == 0, imported.stderr
    assert yaml.safe_load(project.path("curriculum/framework.yml").read_text("utf-8"))["default_language"] == "en-US"
    built = project.build(tmp_path / "site")
    assert built.returncode == 0, built.stderr
    assert "Case library" in (tmp_path / "site" / "cases" / "index.html").read_text("utf-8")


def test_existing_content_is_not_overwritten_without_force(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    before = snapshot(project.root)

    refused = cli("import", "case", str(FOREIGN), "--into", str(project.root), "--language", "en")

    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert "curriculum/framework.yml: exists" in refused.stderr and "--force" in refused.stderr
    assert snapshot(project.root) == before


def test_force_refuses_a_merge_that_breaks_the_cases(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    before = snapshot(project.root)

    refused = cli("import", "case", str(FOREIGN), "--into", str(project.root), "--force")

    assert refused.returncode == 1, refused.stdout
    assert "Traceback" not in refused.stderr
    assert "imported content; nothing was written" in refused.stderr
    assert snapshot(project.root) == before


# -- Hostile and malformed packages -----------------------------------------------------------------


@pytest.fixture(scope="module")
def own_package() -> dict[str, Any]:
    return case_package(load_library(settings_from(PROGRAMS["preceptor"])[0]).handbook(), None,
                        "https://preceptor.example.org/")


def _competency_index(package: dict[str, Any]) -> int:
    return next(i for i, item in enumerate(package["CFItems"]) if item["CFItemType"] == "Competency")


def _control(package: dict[str, Any]) -> list[str]:
    index = _competency_index(package)
    package["CFItems"][index]["fullStatement"] = "Red \x1b[31mtext"
    return [f"/CFItems/{index}/fullStatement: the text holds the control character U+001B"]


def _path_like(package: dict[str, Any]) -> list[str]:
    index = _competency_index(package)
    package["CFItems"][index]["identifier"] = "../../etc"
    package["CFItems"][index]["extensions"][EXTENSION]["id"] = "../../etc/passwd"
    package["CFDocument"]["extensions"][EXTENSION]["id"] = "../.."
    return [f"/CFItems/{index}/identifier: '../../etc' is not a UUID",
            f"/CFDocument/extensions/{EXTENSION}/id: '../..' is not an id"]


def _duplicates(package: dict[str, Any]) -> list[str]:
    index = _competency_index(package)
    package["CFItems"][index + 1]["identifier"] = package["CFItems"][index]["identifier"]
    return [f"/CFItems/{index + 1}/identifier: the identifier {package['CFItems'][index]['identifier']} is also "
            f"the one of /CFItems/{index}"]


def _duplicate_ids(package: dict[str, Any]) -> list[str]:
    competencies = [i for i, item in enumerate(package["CFItems"]) if item["CFItemType"] == "Competency"]
    first, second = competencies[0], competencies[1]
    package["CFItems"][second]["extensions"][EXTENSION]["id"] = package["CFItems"][first]["humanCodingScheme"]
    return ["gives the competency id"]


def _dangling(package: dict[str, Any]) -> list[str]:
    package["CFAssociations"][0]["destinationNodeURI"]["identifier"] = "00000000-0000-4000-8000-000000000000"
    kind = package["CFAssociations"][0]["associationType"]
    return [f"/CFAssociations/0/destinationNodeURI/identifier: '00000000-0000-4000-8000-000000000000' is neither "
            f"the document nor an item of the package; expected the identifier of a CFItem for an {kind}"]


def _wrong_types(package: dict[str, Any]) -> list[str]:
    package["CFItems"][2]["fullStatement"] = 42
    package["CFAssociations"] = {"not": "a list"}
    package["CFRubrics"][0]["extensions"][EXTENSION]["scoring"]["threshold"] = "high"
    return ["/CFItems/2/fullStatement: expected a string, got a number", "/CFAssociations: expected an array"]


def _bad_extension_schema(package: dict[str, Any]) -> list[str]:
    package["CFRubrics"][0]["extensions"][EXTENSION]["scoring"]["threshold"] = "high"
    package["CFDocument"]["extensions"][EXTENSION]["case_sections"][0]["audience"] = "everybody"
    return [f"/CFRubrics/0/extensions/{EXTENSION}/scoring/threshold: 'high' is not of type 'number'",
            f"/CFDocument/extensions/{EXTENSION}/case_sections/0/audience: 'everybody' is not one of"]


def _script(package: dict[str, Any]) -> list[str]:
    index = _competency_index(package)
    package["CFItems"][index]["notes"] = "Fine <script>alert(1)</script>"
    return ["(imported from /CFItems/", "nothing was written"]


HOSTILE_PACKAGES = {"control characters": _control, "path-like identifiers": _path_like,
                    "duplicate identifiers": _duplicates, "duplicate ids": _duplicate_ids,
                    "dangling association": _dangling, "wrong types": _wrong_types,
                    "extension against our schema": _bad_extension_schema, "script in text": _script}

RAW_PACKAGES: dict[str, tuple[bytes, list[str]]] = {
    "not JSON": (b'{"CFDocument": {]', [":1:17: not JSON"]),
    "not UTF-8": (b'{"CFDocument": "\xff"}', [":1:17: not UTF-8"]),
    "wrong shape": (b"[1, 2, 3]", [": /: expected an object, got an array"]),
    "no document": (b'{"CFItems": []}', ["/CFDocument: missing"]),
    "deeply nested": (b'{"CFDocument": ' + b"[" * 200 + b"]" * 200 + b"}", ["nested more than 32 levels deep"]),
    "duplicate keys": (b'{"CFDocument": {"title": "a", "title": "b"}}', ["/CFDocument/title: this key appears twice"]),
    "NaN": (b'{"CFDocument": {"title": NaN}}', ["NaN is not a JSON number"]),
}


def _refused(tmp_path: Path, package: Path, expected: list[str]) -> None:
    project = copy_project(tmp_path / "project")
    before = snapshot(project.root)

    result = cli("import", "case", str(package), "--into", str(project.root), "--force")

    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    for message in expected:
        assert message in result.stderr, result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(project.root) == before  # no file changed, no staging folder left
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["project", package.name])


@pytest.mark.parametrize("case", HOSTILE_PACKAGES)
def test_a_hostile_package_is_refused_and_changes_nothing(case: str, tmp_path: Path,
                                                          own_package: dict[str, Any]) -> None:
    package = copy.deepcopy(own_package)
    expected = HOSTILE_PACKAGES[case](package)
    path = tmp_path / "package.json"
    path.write_text(json.dumps(package, ensure_ascii=False), "utf-8")
    _refused(tmp_path, path, expected)


@pytest.mark.parametrize("case", RAW_PACKAGES)
def test_a_malformed_file_is_refused_and_changes_nothing(case: str, tmp_path: Path) -> None:
    data, expected = RAW_PACKAGES[case]
    path = tmp_path / "package.json"
    path.write_bytes(data)
    _refused(tmp_path, path, expected)


def test_a_huge_package_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "package.json"
    with path.open("wb") as handle:
        handle.write(b'{"CFDocument": "')
        handle.write(b"x" * MAX_BYTES)
        handle.write(b'"}')
    _refused(tmp_path, path, [f"at most {MAX_BYTES:,} are read"])


def test_yaml_in_text_stays_text(tmp_path: Path, own_package: dict[str, Any]) -> None:
    package = copy.deepcopy(own_package)
    index = _competency_index(package)
    hostile = "!!python/object/apply:os.system ['touch pwned']\nkey: value\n--- &a *a {{ config }}"
    package["CFItems"][index]["notes"] = hostile
    path = tmp_path / "package.json"
    path.write_text(json.dumps(package), "utf-8")
    target = tmp_path / "new"
    target.mkdir()

    result = cli("import", "case", str(path), "--into", str(target))

    assert result.returncode == 0, result.stderr
    competency_id = package["CFItems"][index]["humanCodingScheme"]
    written = target / "curriculum" / "competencies" / f"{competency_id}.yml"
    assert yaml.safe_load(written.read_text("utf-8"))["why_it_matters"] == hostile
    handbook = load_library(Settings(target)).handbook()
    assert handbook.competencies[competency_id].why_it_matters == hostile
    assert not (target / "pwned").exists() and not Path("pwned").exists()
