"""The static JSON API: api/index.json, api/<version>/<language>.json and api/schema.json."""

from __future__ import annotations

import ast
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import PRECEPTOR, REPO
from handbook.model.handbook import FACILITATORS
from handbook.render import json_api
from open_data_builds import (
    API_SCHEMA,
    HOSTILE,
    SECRET,
    api_validator,
    hostile_site,
    library_of,
    preceptor_site,
    published,
    real_site,
    strings,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_site(tmp_path_factory)


def _api(site: Path) -> dict[str, dict]:
    return {path: json.loads(data) for path, data in published(site).items() if path.startswith("api/")}


def _release_documents(site: Path) -> dict[str, dict]:
    return {path: data for path, data in _api(site).items() if data.get("document") == "release"}


def test_every_api_document_follows_the_published_schema(site: Path) -> None:
    validator = api_validator()
    documents = _api(site)
    assert "api/index.json" in documents and "api/schema.json" in documents
    assert json.loads((site / "api" / "schema.json").read_text("utf-8")) == json.loads(API_SCHEMA.read_text("utf-8"))
    for path, data in documents.items():
        if path == "api/schema.json" or path.startswith("api/case/"):  # CASE packages: tests/test_case_package.py
            continue
        errors = [f"{error.json_path}: {error.message[:200]}" for error in validator.iter_errors(data)]
        assert not errors, f"{path}: {errors}"


def test_the_index_names_one_document_per_language_at_stable_addresses(site: Path) -> None:
    index = json.loads((site / "api" / "index.json").read_text("utf-8"))
    library = library_of(REPO)
    framework = library.handbook().framework
    assert index["program"] == {"id": framework.id, "title": framework.title, "language": framework.default_language}
    assert [language["code"] for language in index["languages"]] == library.languages
    assert index["site_url"] == "https://handbook.example.org/"
    (version,) = index["versions"]
    assert version["version"] == framework.version
    for language in library.languages:
        path = version["documents"][language]
        assert path == f"api/{framework.version}/{language}.json"
        document = json.loads((site / path).read_text("utf-8"))
        assert (document["language"], document["version"], document["urls"]["self"]) == (language, framework.version,
                                                                                         path)
        assert (site / index["credentials"][language]).is_file()


def test_the_release_holds_the_model_with_exact_figures(site: Path) -> None:
    library = library_of(REPO)
    for language in library.languages:
        handbook = library.handbook(language)
        document = json.loads((site / f"api/{handbook.framework.version}/{language}.json").read_text("utf-8"))
        framework = document["framework"]
        assert [level["id"] for level in framework["levels"]] == [level.id for level in handbook.framework.levels]
        assert [facet["id"] for facet in framework["facets"]] == [facet.id for facet in handbook.framework.facets]
        assert framework["certification"] == handbook.framework.certification
        assert [c["id"] for c in document["competencies"]] == list(handbook.competencies)
        for competency, data in zip(handbook.competencies.values(), document["competencies"], strict=True):
            assert {entry["level"]: entry["items"] for entry in data["behaviours"]} == competency.behaviours
            assert data["translation"]["state"] == handbook.state("competency", competency.id)
        for rubric, data in zip(handbook.rubrics.values(), document["rubrics"], strict=True):
            rule = rubric.scheme.rule
            assert Fraction(str(data["scoring"]["threshold"])) == rule.threshold
            assert data["scoring"]["scorers"] == rule.scorers
            assert Fraction(str(data["scoring"]["step"])) == rule.step
            for criterion, entry in zip(rubric.criteria, data["criteria"], strict=True):
                assert Fraction(str(entry["floor"])) == criterion.floor
                assert {e["level"]: e["items"] for e in entry["look_fors"]} == criterion.look_fors
        # Figures are JSON numbers, written as their exact decimal.
        text = (site / f"api/{handbook.framework.version}/{language}.json").read_text("utf-8")
        for rubric in handbook.rubrics.values():
            assert re.search(rf'"threshold": {json_api.exact(rubric.threshold)}\b', text)


def test_every_item_names_its_page_in_its_language(site: Path) -> None:
    for data in _release_documents(site).values():
        items = [data["framework"], *data["competencies"], *data["cases"], *data["rubrics"]]
        for item in items:
            assert (site / item["url"] / "index.html").is_file(), item["url"]
            prefix = "" if data["language"] == data["framework"]["language"] else f"{data['language']}/"
            assert item["url"].startswith(prefix)
        for case in data["cases"]:
            page = (site / case["url"] / "index.html").read_text("utf-8")
            for section in case["sections"]:
                assert f'id="{section["id"]}"' in page


def test_two_builds_publish_the_same_bytes(site: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    first, second = published(site), published(real_site(tmp_path_factory, copy=2))
    assert first and first.keys() == second.keys()
    assert [path for path in first if first[path] != second[path]] == []


def test_output_is_sorted_and_carries_no_build_time(site: Path) -> None:
    for path, data in published(site).items():
        if not path.startswith("api/") or path == "api/schema.json" or path.startswith("api/case/"):
            continue  # CASE packages carry the content's own dates: tests/test_case_package.py
        text = data.decode("utf-8")
        assert text == json_api.dumps(json.loads(text)), path
        assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text), path


def test_no_facilitator_text_is_published(site: Path) -> None:
    library = library_of(REPO)
    published_strings = [s for data in published(site).values() for s in strings(json.loads(data))]
    for language in library.languages:
        for case in library.handbook(language).cases.values():
            for section in case.sections:
                if section.audience != FACILITATORS:
                    continue
                for paragraph in filter(None, (p.strip() for p in section.markdown.split("\n"))):
                    sample = paragraph.lstrip("-* ")[:60]
                    if len(sample) >= 25:
                        assert not any(sample in text for text in published_strings), sample


def test_hostile_content_stays_inert_data(tmp_path_factory: pytest.TempPathFactory) -> None:
    hostile, _ = hostile_site(tmp_path_factory)
    files = published(hostile)
    found = False
    for path, data in files.items():
        text = data.decode("utf-8")
        assert "<" not in text or path == "api/schema.json", path
        assert SECRET not in text, path
        if path.startswith("api/") and path != "api/schema.json":
            found |= any(HOSTILE in s for s in strings(json.loads(text)))
    assert found, "the hostile look-for should be published as it was written"
    validator = api_validator()
    for path, data in files.items():
        if path.startswith("api/") and path != "api/schema.json" and not path.startswith("api/case/"):
            assert not list(validator.iter_errors(json.loads(data))), path


def test_the_second_program_publishes_valid_data(tmp_path_factory: pytest.TempPathFactory) -> None:
    site = preceptor_site(tmp_path_factory)
    library = library_of(PRECEPTOR)
    validator = api_validator()
    documents = _api(site)
    for path, data in documents.items():
        if path != "api/schema.json" and not path.startswith("api/case/"):
            assert not [error.message for error in validator.iter_errors(data)], path
    index = documents["api/index.json"]
    assert index["program"]["id"] == library.handbook().framework.id
    assert [language["code"] for language in index["languages"]] == library.languages
    for language in library.languages:
        handbook = library.handbook(language)
        document = documents[f"api/{handbook.framework.version}/{language}.json"]
        assert [level["id"] for level in document["framework"]["levels"]] == [
            level.id for level in handbook.framework.levels]
        assert [rubric["id"] for rubric in document["rubrics"]] == list(handbook.rubrics)


def _literals(path: Path) -> list[str]:
    """The string constants of a module, its docstrings left out."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and id(node) not in docstrings]


def _property_names(schema: object) -> set[str]:
    """The keys a schema defines: the published data's own vocabulary."""
    if isinstance(schema, dict):
        return set(schema.get("properties", {})) | {n for value in schema.values() for n in _property_names(value)}
    if isinstance(schema, list):
        return {name for value in schema for name in _property_names(value)}
    return set()


@pytest.mark.parametrize("module", ["json_api.py", "open_badge.py"])
def test_the_open_data_code_names_no_program(module: str) -> None:
    vocabulary = _property_names(json.loads(API_SCHEMA.read_text("utf-8")))
    literals = [text for text in _literals(REPO / "plugins" / "handbook" / "render" / module) if text not in vocabulary]
    for root in (REPO, PRECEPTOR):
        library = library_of(root)
        handbook = library.handbook()
        fw = handbook.framework
        ids = {fw.id, *handbook.competencies, *handbook.cases, *handbook.rubrics,
               *(level.id for level in fw.levels), *(facet.id for facet in fw.facets),
               *(value for facet in fw.facets for value in facet.values), *fw.roles}
        for literal in literals:
            assert not [item for item in ids if re.search(rf"(?<![\w-]){re.escape(item)}(?![\w-])", literal)], literal
            assert literal not in library.languages, literal
