"""Checks of the glossary that its schema cannot express: unique ids and terms, and renderings
only in the languages the site publishes."""

from __future__ import annotations

from collections.abc import Sequence

from handbook.checks.schema import check_schema
from handbook.sources.documents import Document
from handbook.sources.problems import Problem


def check_glossary(document: Document, languages: Sequence[str], default_language: str | None) -> list[Problem]:
    """Every problem of the glossary file. ``languages``: the site's translation languages;
    ``default_language``: the framework's (None while the framework does not give one)."""
    problems = check_schema(document)
    terms = document.data.get("terms")
    if not isinstance(terms, list):
        return problems
    located = document.located
    ids: dict[str, int] = {}
    names: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(terms):
        if not isinstance(entry, dict):
            continue
        path = ("terms", index)
        given = entry.get("id")
        if isinstance(given, str):
            if given in ids:
                problems.append(located.problem((*path, "id"), f"the id '{given}' is used twice "
                                                               f"(first at item {ids[given] + 1})"))
            ids.setdefault(given, index)
        renderings = [(default_language or "", entry, path)]
        translations = entry.get("translations")
        for language, rendering in (translations.items() if isinstance(translations, dict) else []):
            where = (*path, "translations", language)
            if language == default_language:
                problems.append(located.problem(where, f"'{language}' is the language of the source: edit the "
                                                       "term itself instead", key=True))
            elif language not in languages:
                problems.append(located.problem(where, f"a rendering in '{language}', which the site does not "
                                                       f"publish; configured translation languages: "
                                                       f"{', '.join(languages) or 'none'}", key=True))
            elif isinstance(rendering, dict):
                renderings.append((language, rendering, where))
        for language, rendering, where in renderings:
            problems += _check_rendering(document, language, rendering, where, names, index)
    return problems


def _check_rendering(document: Document, language: str, rendering: dict, where: tuple, names: dict,
                     index: int) -> list[Problem]:
    """One language's term: not another term's, and not among its own terms to avoid."""
    problems, located = [], document.located
    term = rendering.get("term")
    if not isinstance(term, str):
        return problems
    key = (language, " ".join(term.casefold().split()))
    if key in names:
        problems.append(located.problem((*where, "term"), f"'{term}' is also the term of item {names[key] + 1}"
                                                          f"{f' in {language}' if language else ''}: each term "
                                                          "is defined once"))
    names.setdefault(key, index)
    avoid = rendering.get("avoid")
    for number, item in enumerate(avoid if isinstance(avoid, list) else []):
        avoided = item.get("term") if isinstance(item, dict) else None
        if isinstance(avoided, str) and " ".join(avoided.casefold().split()) == key[1]:
            problems.append(located.problem((*where, "avoid", number, "term"), f"'{avoided}' is the term itself: "
                                                                              "it cannot be a term to avoid"))
    return problems
