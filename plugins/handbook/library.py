"""Load a whole content library: read, check, and resolve it into a ``Handbook`` per language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from handbook.checks import references as cross_check
from handbook.checks.glossary import check_glossary
from handbook.checks.html import HtmlChecker
from handbook.checks.limits import page_excess
from handbook.checks.schema import check_schema
from handbook.i18n.pages import page_statuses
from handbook.i18n.translations import ItemStatus, TranslationReport, check_translation, localize
from handbook.model.build import build_handbook
from handbook.model.diff import Snapshot, snapshot
from handbook.model.glossary import GlossaryEntry, build_glossary
from handbook.model.handbook import Handbook
from handbook.model.history import ItemHistory, item_history
from handbook.sources.documents import (
    Document,
    check_pages,
    content_files,
    display_path,
    read_markdown_file,
    read_yaml_file,
    symlinks_in,
)
from handbook.sources.history import file_dates
from handbook.sources.problems import ContentError, Problem

KINDS = ("framework", "releases", "competency", "case", "rubric")
# The curriculum folder holds the framework and its companions, each a kind named by its file.
NAMED_KINDS = ("framework", "releases", "glossary")
# The glossary (curriculum/glossary.yml, optional) holds its languages itself: it has no translation files.
GLOSSARY = "glossary"


@dataclass(frozen=True)
class Settings:
    """Where the content lives, relative to ``root`` (the folder holding mkdocs.yml), and the
    languages the site is published in besides the framework's own."""

    root: Path
    curriculum_dir: str = "curriculum"
    cases_dir: str = "cases"
    rubrics_dir: str = "rubrics"
    languages: tuple[str, ...] = ()
    docs_dir: str = "docs"

    @property
    def content_dirs(self) -> list[Path]:
        return [self.root / name for name in (self.curriculum_dir, self.cases_dir, self.rubrics_dir)]

    @property
    def framework_file(self) -> Path:
        return self.root / self.curriculum_dir / "framework.yml"

    def folders(self) -> list[tuple[str, Path, str]]:
        """(kind, folder, file suffix) for every kind of content file."""
        return [("framework", self.root / self.curriculum_dir, ".yml"),
                ("competency", self.root / self.curriculum_dir / "competencies", ".yml"),
                ("case", self.root / self.cases_dir, ".md"),
                ("rubric", self.root / self.rubrics_dir, ".yml")]


@dataclass
class Library:
    """Checked sources and translations; hands out the handbook in any configured language."""

    sources: dict[str, list[Document]]
    translations: dict[str, dict[tuple[str, str], Document]]
    default_language: str
    settings: Settings
    _handbooks: dict[str, Handbook] = field(default_factory=dict, repr=False)

    @property
    def languages(self) -> list[str]:
        return [self.default_language, *self.translations]

    def handbook(self, language: str | None = None) -> Handbook:
        language = language or self.default_language
        if language not in self._handbooks:
            localized, states = self._localized(language)
            self._handbooks[language] = build_handbook(localized, language=language, states=states)
        return self._handbooks[language]

    def status(self, language: str) -> list[ItemStatus]:
        """The translation state in ``language`` of every source item and hand-written page."""
        translations = self.translations.get(language, {})
        report = []
        for kind in KINDS:
            for source in self.sources[kind]:
                found = translations.get((kind, source.stem))
                _, state = localize(source, found)
                expected = found.source if found else _translation_path(source.source, language)
                report.append(ItemStatus(kind, source.stem, source.source, state, expected))
        return report + page_statuses(self.settings.root / self.settings.docs_dir, self.settings.root, language)

    def history(self) -> dict[str, ItemHistory]:
        """By item ref ("case/<id>"): the releases that added and last changed it, from one pass
        over the git history of the content folders, and its last review date."""
        folders = [self.settings.curriculum_dir, self.settings.cases_dir, self.settings.rubrics_dir]
        files = {f"{kind}/{d.stem}": (d.source, str(d.data.get("last_reviewed", "")))
                 for kind in ("competency", "case", "rubric") for d in self.sources[kind]}
        return item_history(files, file_dates(self.settings.root, folders), self.handbook().releases)

    def report(self, language: str, name: str | None = None) -> TranslationReport:
        return TranslationReport(language, name or language, self.status(language))

    def glossary(self, language: str | None = None) -> list[GlossaryEntry]:
        """The glossary in ``language``; empty when the program keeps none."""
        documents = self.sources.get(GLOSSARY, [])
        if not documents:
            return []
        return build_glossary(documents[0].data, language or self.default_language, self.default_language)

    def _localized(self, language: str) -> tuple[dict[str, list[Document]], dict[tuple[str, str], str]]:
        if language == self.default_language:
            return self.sources, {}
        translations = self.translations.get(language, {})
        localized: dict[str, list[Document]] = {}
        states: dict[tuple[str, str], str] = {}
        for kind in KINDS:
            localized[kind] = []
            for source in self.sources[kind]:
                document, states[(kind, source.stem)] = localize(source, translations.get((kind, source.stem)))
                localized[kind].append(document)
        return localized, states


def _translation_path(source: str, language: str) -> str:
    stem, _, suffix = source.rpartition(".")
    return f"{stem}.{language}.{suffix}"


def load_library(settings: Settings, html: HtmlChecker | None = None) -> Library:
    """Read and check every content and translation file; raise ``ContentError`` listing every
    problem found. ``html`` renders Markdown as the site does, to check it for raw HTML."""
    sources, translations, problems = read_documents(settings)
    read = list(problems)
    # Every check runs on whatever could be read, so that one pass reports everything.
    problems += check_documents(sources, refused=read)
    problems += check_translations(sources, translations, refused=read)
    for glossary in (d for d in sources[GLOSSARY] if d.readable):
        problems += check_glossary(glossary, settings.languages, _default_language(sources))
    html = html or HtmlChecker()
    for document in [*(d for group in sources.values() for d in group),
                     *(d for group in translations.values() for d in group)]:
        if document.readable:
            problems += html.check(document)
    if problems:
        raise ContentError(problems)
    default = sources["framework"][0].data["default_language"]
    return Library(sources, {lang: {(d.kind, d.stem): d for d in docs} for lang, docs in translations.items()},
                   default, settings)


def load_handbook(settings: Settings) -> Handbook:
    """The handbook in the framework's own language."""
    return load_library(settings).handbook()


def _page_limits(text: str, source: str) -> list[Problem]:
    """A hand-written page is held to the same bounded-work caps as a case body, its length
    aside (the file size limit bounds it)."""
    excess = page_excess(text)
    return [Problem(source, excess.line + 1, 1, "", excess.message)] if excess else []


def read_documents(settings: Settings) -> tuple[dict[str, list[Document]], dict[str, list[Document]], list[Problem]]:
    root = settings.root
    sources: dict[str, list[Document]] = {kind: [] for kind in (*KINDS, GLOSSARY)}
    translations: dict[str, list[Document]] = {language: [] for language in settings.languages}
    problems: list[Problem] = []
    if not settings.framework_file.is_file():
        problems.append(Problem(display_path(settings.framework_file, root), 1, 1, "",
                                "the framework file is missing: it defines levels, domains and roles"))
    for folder in (root / settings.docs_dir, *settings.content_dirs):
        problems += symlinks_in(folder, root)
    # Hand-written pages are read as content is, before MkDocs ever opens one.
    problems += check_pages(root / settings.docs_dir, root, _page_limits)
    for kind, folder, suffix in settings.folders():
        framework = kind == "framework"
        paths, found = content_files(folder, suffix, root, only=NAMED_KINDS if framework else (),
                                     subfolders=("competencies",) if framework else ())
        problems += found
        reader = read_markdown_file if suffix == ".md" else read_yaml_file
        for path in paths:
            language = _language_of(path)
            if language is not None and language not in translations:
                configured = ", ".join(translations) or "none"
                problems.append(Problem(display_path(path, root), 1, 1, "",
                                        f"a translation into '{language}', which the site does not publish; "
                                        f"configured translation languages: {configured}"))
                continue
            file_kind = path.name.split(".")[0] if framework else kind
            if file_kind == GLOSSARY and language is not None:
                problems.append(Problem(display_path(path, root), 1, 1, "", "the glossary keeps every language "
                                        f"itself: move these renderings under each term's translations.{language} "
                                        "in glossary.yml, and remove this file"))
                continue
            document, found = reader(path, root, file_kind)
            problems += found
            (sources[file_kind] if language is None else translations[language]).append(document)
    return sources, translations, problems


def _language_of(path: Path) -> str | None:
    """``first-item.es.yml`` -> ``es``; ``first-item.yml`` -> None."""
    parts = path.name.split(".")
    return parts[-2] if len(parts) > 2 else None


def _place(problem: Problem) -> tuple[str, int, int, str]:
    return problem.path, problem.line, problem.column, problem.field


def _unsaid(problems: list[Problem], refused: Sequence[Problem]) -> list[Problem]:
    """``problems`` but those at a value the reader already refused: a value it kept as text,
    or dropped, also fails its schema, and saying so again would be the same problem twice."""
    said = {_place(problem) for problem in refused}
    return [problem for problem in problems if _place(problem) not in said]


def check_documents(documents: dict[str, list[Document]], refused: Sequence[Problem] = ()) -> list[Problem]:
    """Schema checks on every readable source and, alongside them, the cross-checks on every
    source holding a mapping, however incomplete: each check guards the shape it needs, so no
    problem waits for another to be fixed. ``refused``: what the reader already reported."""
    readable = {kind: [d for d in documents.get(kind, []) if d.readable] for kind in KINDS}
    problems = _unsaid([p for group in readable.values() for d in group for p in check_schema(d)], refused)
    mappings = {kind: [d for d in group if isinstance(d.located.data, dict)] for kind, group in readable.items()}
    return problems + _cross_checks(mappings, documents.get("competency", []))


def _cross_checks(mappings: dict[str, list[Document]], competencies: list[Document]) -> list[Problem]:
    """``competencies``: every competency file, unreadable ones too, so that their ids are known."""
    problems: list[Problem] = []
    for kind in ("competency", "case", "rubric"):
        problems += cross_check.check_ids(mappings[kind])
    framework = mappings["framework"][0] if mappings["framework"] else None
    if framework is not None:
        problems += cross_check.check_framework(framework)
    vocab = cross_check.vocabulary(framework, competencies)
    for document in mappings["competency"]:
        problems += cross_check.check_competency(document, vocab)
    for document in mappings["case"]:
        problems += cross_check.check_case(document, vocab)
    for document in mappings["rubric"]:
        problems += cross_check.check_rubric(document, vocab)
    return problems


def check_translations(sources: dict[str, list[Document]], translations: dict[str, list[Document]],
                       refused: Sequence[Problem] = ()) -> list[Problem]:
    """Each translation file against its source, as far as the source is usable, whatever
    problems the source or other files have. ``refused``: what the reader already reported."""
    default = _default_language(sources)
    problems: list[Problem] = []
    by_stem = {(kind, d.stem): d for kind, group in sources.items() for d in group}
    for language, group in translations.items():
        for translation in group:
            if language == default:
                problems.append(Problem(translation.source, 1, 1, "", f"'{language}' is the language of the "
                                        "source files: edit the source itself instead"))
            elif translation.readable:
                problems += check_translation(translation, by_stem.get((translation.kind, translation.stem)),
                                              language)
    return _unsaid(problems, refused)


def _default_language(sources: dict[str, list[Document]]) -> str | None:
    """The framework's language, or None while the framework does not give one."""
    for framework in sources.get("framework", []):
        language = framework.data.get("default_language")
        if isinstance(language, str):
            return language
    return None


def read_snapshot(settings: Settings, label: str) -> tuple[Snapshot, list[Problem]]:
    """The library at ``settings`` as the semantic diff reads it, however valid it is: files
    that cannot be read are left out and their problems returned."""
    sources, translations, problems = read_documents(settings)
    readable = {kind: [d for d in group if d.readable] for kind, group in sources.items()}
    library = Library(readable, {lang: {(d.kind, d.stem): d for d in docs if d.readable}
                                 for lang, docs in translations.items()},
                      _default_language(sources) or "", settings)
    states: dict[tuple[str, str], str] = {}
    for language in settings.languages:
        for kind in ("framework", "competency", "case", "rubric"):
            for source in readable[kind]:
                try:
                    _, state = localize(source, library.translations[language].get((kind, source.stem)))
                except (KeyError, TypeError, ValueError, AttributeError):
                    continue  # a translation too broken to overlay: validation says why
                states[(language, "framework" if kind == "framework" else f"{kind}/{source.stem}")] = state
    shot = snapshot(label, readable, {lang: [d for d in docs if d.readable] for lang, docs in translations.items()},
                    states)
    return shot, problems
