"""Load a whole content library: read, check, and resolve it into a ``Handbook``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handbook import cross_check
from handbook.build_model import build_handbook
from handbook.model import Handbook
from handbook.problems import ContentError, Problem
from handbook.schema_check import check_schema
from handbook.sources import Document, content_files, display_path, read_markdown_file, read_yaml_file


@dataclass(frozen=True)
class Settings:
    """Where the content lives, relative to ``root`` (the folder holding mkdocs.yml)."""

    root: Path
    curriculum_dir: str = "curriculum"
    cases_dir: str = "cases"
    rubrics_dir: str = "rubrics"

    @property
    def content_dirs(self) -> list[Path]:
        return [self.root / name for name in (self.curriculum_dir, self.cases_dir, self.rubrics_dir)]

    @property
    def framework_file(self) -> Path:
        return self.root / self.curriculum_dir / "framework.yml"


def load_handbook(settings: Settings) -> Handbook:
    """Read and check every content file; raise ``ContentError`` listing every problem found."""
    documents, problems = read_documents(settings)
    problems += check_documents(documents)
    if problems:
        raise ContentError(problems)
    return build_handbook(documents)


def read_documents(settings: Settings) -> tuple[dict[str, list[Document]], list[Problem]]:
    root = settings.root
    documents: dict[str, list[Document]] = {"framework": [], "competency": [], "case": [], "rubric": []}
    problems: list[Problem] = []
    if not settings.framework_file.is_file():
        problems.append(Problem(display_path(settings.framework_file, root), 1, 1, "",
                                "the framework file is missing: it defines levels, domains and roles"))
    else:
        _add(documents, problems, read_yaml_file(settings.framework_file, root, "framework"))
    kinds = [("competency", root / settings.curriculum_dir / "competencies", ".yml", read_yaml_file),
             ("case", root / settings.cases_dir, ".md", read_markdown_file),
             ("rubric", root / settings.rubrics_dir, ".yml", read_yaml_file)]
    for kind, folder, suffix, reader in kinds:
        paths, found = content_files(folder, suffix, root)
        problems += found
        for path in paths:
            _add(documents, problems, reader(path, root, kind))
    return documents, problems


def _add(documents: dict[str, list[Document]], problems: list[Problem],
         result: tuple[Document, list[Problem]]) -> None:
    document, found = result
    problems += found
    documents[document.kind].append(document)


def _vocabulary_intact(framework_problems: list[Problem]) -> bool:
    """True when the framework's problems leave its id lists usable for checking references."""
    fields = {problem.field.split(".")[0].split("[")[0] for problem in framework_problems}
    return not fields & {"", *cross_check.VOCABULARIES}


def check_documents(documents: dict[str, list[Document]]) -> list[Problem]:
    """Schema checks on every readable document, then cross-checks on those that passed them."""
    problems: list[Problem] = []
    valid: dict[str, list[Document]] = {}
    for kind, group in documents.items():
        for document in group:
            if not document.readable:
                continue
            found = check_schema(document)
            problems += found
            if not found or (kind == "framework" and _vocabulary_intact(found)):
                valid.setdefault(kind, []).append(document)
    readable = {kind: [d for d in group if d.readable and isinstance(d.located.data, dict)]
                for kind, group in documents.items()}
    for kind in ("competency", "case", "rubric"):
        problems += cross_check.check_ids(readable[kind])
    if not valid.get("framework"):
        return problems  # without levels and roles, references cannot be checked
    framework = valid["framework"][0]
    problems += cross_check.check_framework(framework)
    vocab = cross_check.vocabulary(framework, documents["competency"])
    for document in readable["competency"]:
        problems += cross_check.check_competency(document, vocab)
    for document in readable["case"]:
        problems += cross_check.check_case(document, vocab)
    for document in valid.get("rubric", []):  # its figures only make sense once its shape is right
        problems += cross_check.check_rubric(document, vocab)
    return problems
