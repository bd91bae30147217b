"""Every text of the library that a reader reads, in its language, with where it stands.

Content files give their text fields (those a translation would translate: ids, dates and
figures are not prose), case bodies and the glossary its terms and definitions; hand-written
pages in ``docs/`` give their Markdown. Each text knows its file line, so that a finding points
at the sentence it is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handbook.checks.translation_schema import TRANSLATED_FROM, text_part, translation_schema
from handbook.library import GLOSSARY, KINDS, Library
from handbook.sources.documents import Document, display_path, read_text
from handbook.sources.strict_yaml import Path as ValuePath
from handbook.sources.strict_yaml import dotted

BEHAVIOUR, LOOK_FOR = "behaviour", "look-for"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:.*?\n)?(?:---|\.\.\.)[ \t]*\n", re.DOTALL)
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Text:
    """One text in one language: a field, an item of a list, a case body or a page."""

    path: str
    language: str
    field: str
    line: int  # the file line the text starts on (1-based)
    markdown: str
    # For a field of a YAML file the text's own lines are not the file's (a folded value is one
    # line): ``file_lines`` lets a finding be placed on the file line that holds its words.
    file_lines: list[str] | None = None
    role: str = ""  # BEHAVIOUR or LOOK_FOR
    where: tuple[str, ...] = ()  # the competency and level, or the rubric, criterion and level
    item_list: str = ""  # the dotted path of the list this text is an item of

    def file_line(self, offset: int, snippet: str = "") -> int:
        """The file line of the text's line ``offset`` (0 for the first), or of ``snippet``."""
        if self.file_lines is None:
            return self.line + offset
        words = _WORD.findall(snippet)[:4]
        if words:
            pattern = re.compile(r"\W+".join(re.escape(word) for word in words), re.IGNORECASE)
            for number in range(self.line - 1, min(len(self.file_lines), self.line + 80)):
                window = " ".join(self.file_lines[number:number + 2])
                if pattern.search(window):
                    return number + 1
        return self.line


def library_texts(library: Library) -> list[Text]:
    """Every text of the library, hand-written pages included, in file and line order."""
    texts: list[Text] = []
    root = library.settings.root
    for kind in KINDS:
        for document in library.sources.get(kind, []):
            texts += document_texts(document, library.default_language, root)
    for language, group in library.translations.items():
        for document in group.values():
            texts += document_texts(document, language, root)
    for document in library.sources.get(GLOSSARY, []):
        texts += glossary_texts(document, library.default_language, root)
    texts += page_texts(root / library.settings.docs_dir, root, library.default_language,
                        tuple(library.translations))
    return sorted(texts, key=lambda text: (text.path, text.language, text.line))


def _file_lines(root: Path, source: str) -> list[str]:
    try:
        return (root / source).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def document_texts(document: Document, language: str, root: Path) -> list[Text]:
    lines = _file_lines(root, document.source)
    try:
        data = text_part(document.data, translation_schema(document.kind))
    except (AssertionError, KeyError, FileNotFoundError):
        data = document.data
    texts = []
    for path, value, in_list in _strings(data, ()):
        line, _ = document.located.position(path)
        role, where = _role(document, path)
        texts.append(Text(document.source, language, dotted(path), line, value, lines, role, where,
                          dotted(path[:-1]) if in_list else ""))
    if document.body.strip():
        texts.append(Text(document.source, language, "body", document.body_line, document.body))
    return texts


def _strings(value: Any, path: ValuePath, in_list: bool = False) -> Iterator[tuple[ValuePath, str, bool]]:
    if isinstance(value, str):
        if path and path[-1] in ("id", TRANSLATED_FROM):
            return
        yield path, value, in_list
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        strings = all(isinstance(item, str) for item in value)
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index), strings)


def _role(document: Document, path: ValuePath) -> tuple[str, tuple[str, ...]]:
    """Whether a text is an observable behaviour or a look-for, and of what."""
    if document.kind == "competency" and len(path) == 3 and path[0] == "behaviours":
        return BEHAVIOUR, (document.stem, str(path[1]))
    if document.kind == "rubric" and len(path) == 5 and path[0] == "criteria" and path[2] == "look_fors":
        criteria = document.data.get("criteria")
        criterion = criteria[path[1]].get("id", "") if isinstance(criteria, list) else ""
        return LOOK_FOR, (document.stem, str(criterion), str(path[3]))
    return "", ()


def glossary_texts(document: Document, default_language: str, root: Path) -> list[Text]:
    """Each term and definition in its language; the terms to avoid are not prose to judge."""
    lines = _file_lines(root, document.source)
    texts = []
    for index, entry in enumerate(document.data.get("terms", [])):
        renderings: list[tuple[str, dict, ValuePath]] = [(default_language, entry, ("terms", index))]
        for language, rendering in entry.get("translations", {}).items():
            renderings.append((language, rendering, ("terms", index, "translations", language)))
        for language, rendering, path in renderings:
            for name in ("term", "definition"):
                if isinstance(rendering.get(name), str):
                    line, _ = document.located.position((*path, name))
                    texts.append(Text(document.source, language, dotted((*path, name)), line, rendering[name],
                                      lines))
    return texts


def page_texts(docs: Path, root: Path, default_language: str, languages: tuple[str, ...]) -> list[Text]:
    """The hand-written pages below ``docs``, each in the language its name gives."""
    if not docs.is_dir():
        return []
    texts = []
    for path in sorted(docs.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(docs).parts) or path.is_symlink():
            continue
        source = display_path(path, root)
        text, problems = read_text(path, source)
        if text is None or problems:
            continue
        parts = path.name.split(".")
        language = parts[-2] if len(parts) > 2 and parts[-2] in languages else default_language
        front = _FRONT_MATTER.match(text)
        start = text.count("\n", 0, front.end()) if front else 0
        texts.append(Text(source, language, "", start + 1, text[front.end():] if front else text))
    return texts
