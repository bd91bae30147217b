"""Builds and readers shared by the open-data tests (JSON API, Open Badges): each build is made once
per test session, without PDFs, whichever test file asks for it first."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft201909Validator, Draft202012Validator
from referencing import Registry, Resource

from conftest import PRECEPTOR, Project, copy_project
from handbook.library import Library, Settings, load_library

REPO = Path(__file__).resolve().parents[1]
API_SCHEMA = REPO / "plugins" / "handbook" / "schemas" / "api.schema.json"
OB_SCHEMA = Path(__file__).parent / "fixtures" / "standards" / "openbadges-3.0" / "achievementcredential.json"
# A look-for that would be markup or a template if anything treated data as either.
HOSTILE = "Quotes `</script><script>alert(1)</script>` and {{ 7 * 7 }} and {% if true %}x{% endif %} & more"
# Planted in a section meant for facilitators only.
SECRET = "FACILITATOR-ONLY-7f3a91"

_built: dict[str, Path] = {}


def _build(factory: pytest.TempPathFactory, name: str, make: Any) -> Path:
    if name not in _built:
        root = factory.mktemp(name)
        project = make(root / "project")
        built = project.build(root / "site")
        assert built.returncode == 0, built.stderr
        _built[name] = root / "site"
    return _built[name]


def real_site(factory: pytest.TempPathFactory, copy: int = 1) -> Path:
    """The real handbook without PDFs; ``copy`` 2 is a second build from a second copy."""
    return _build(factory, f"open-data-{copy}", copy_project)


def preceptor_site(factory: pytest.TempPathFactory) -> Path:
    def make(destination: Path) -> Project:
        shutil.copytree(PRECEPTOR, destination)
        return Project(destination)

    return _build(factory, "open-data-preceptor", make)


def hostile_site(factory: pytest.TempPathFactory) -> tuple[Path, Project]:
    """The real handbook with ``HOSTILE`` as a look-for and ``SECRET`` in every facilitators' section."""
    projects: list[Project] = []

    def make(destination: Path) -> Project:
        project = copy_project(destination)
        library = library_of(project.root)
        rubric = next(iter(library.handbook().rubrics.values()))
        criterion = rubric.criteria[0]
        texts = next(texts for texts in criterion.look_fors.values() if texts)
        source = next(d.source for d in library.sources["rubric"] if d.stem == rubric.id)
        project.edit(source, f"- {texts[0]}\n", f"- {json.dumps(HOSTILE)}\n")
        for document in library.sources["case"]:
            case = library.handbook().cases[document.stem]
            for section in case.sections:
                if section.for_facilitators and section.markdown:
                    project.edit(document.source, section.markdown, f"{section.markdown}\n\n{SECRET}")
        projects.append(project)
        return project

    site = _build(factory, "open-data-hostile", make)
    return site, projects[0] if projects else Project(site.parent / "project")


def library_of(root: Path) -> Library:
    """The project's content as the plugin reads it, with every translation language it has."""
    languages = sorted({part.split(".")[-2] for folder in ("curriculum", "cases", "rubrics")
                        for part in (p.name for p in (root / folder).rglob("*.*.*"))})
    return load_library(Settings(root, languages=tuple(languages)))


def published(site: Path) -> dict[str, bytes]:
    """Every open-data file of a built site, by its path from the site root."""
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for folder in ("api", "credential") if (site / folder).is_dir()
            for path in sorted((site / folder).rglob("*")) if path.is_file()}


def api_validator() -> Draft202012Validator:
    schema = json.loads(API_SCHEMA.read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _ob_registry() -> tuple[dict[str, Any], Registry]:
    official = json.loads(OB_SCHEMA.read_text("utf-8"))
    return official, Registry().with_resource(official["$id"], Resource.from_contents(official))


def achievement_validator() -> Draft201909Validator:
    """The official schema's ``$defs/Achievement``."""
    official, registry = _ob_registry()
    return Draft201909Validator({"$schema": official["$schema"], "$ref": f"{official['$id']}#/$defs/Achievement"},
                                registry=registry, format_checker=Draft201909Validator.FORMAT_CHECKER)


def credential_validator() -> Draft201909Validator:
    """The official schema of a whole AchievementCredential."""
    official, _ = _ob_registry()
    Draft201909Validator.check_schema(official)
    return Draft201909Validator(official, format_checker=Draft201909Validator.FORMAT_CHECKER)


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
