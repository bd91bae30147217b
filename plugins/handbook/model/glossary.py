"""The glossary in one language: each term, its definition and the words to avoid in its place."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AvoidedTerm:
    term: str
    instead: str
    note: str = ""


@dataclass(frozen=True)
class GlossaryEntry:
    """A term as one language shows it. Where that language has no rendering of the term or of
    its definition yet, the source language's stands in (``term_fallback``,
    ``definition_fallback``); the terms to avoid are each language's own."""

    id: str
    term: str
    definition: str
    source_term: str
    avoid: list[AvoidedTerm] = field(default_factory=list)
    term_fallback: bool = False
    definition_fallback: bool = False


def build_glossary(data: dict, language: str, default_language: str) -> list[GlossaryEntry]:
    """The checked glossary ``data`` in ``language``, sorted by term as that language writes it."""
    entries = []
    for item in data.get("terms", []):
        own = item if language == default_language else item.get("translations", {}).get(language, {})
        term = own.get("term") or item["term"]
        entries.append(GlossaryEntry(
            id=item["id"], term=term, definition=own.get("definition") or item["definition"],
            source_term=item["term"],
            avoid=[AvoidedTerm(a["term"], a.get("instead") or term, a.get("note", "")) for a in own.get("avoid", [])],
            term_fallback="term" not in own, definition_fallback="definition" not in own))
    return sorted(entries, key=lambda entry: sort_key(entry.term))


def sort_key(text: str) -> tuple[str, str]:
    """Alphabetical order that files "échelle" with the e's."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.casefold(), text
