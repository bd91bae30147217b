"""The pages made for the people who keep the curriculum: its glossary and its health."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from handbook.i18n.formatting import text_direction
from handbook.model.glossary import GlossaryEntry
from handbook.render.fields import FieldStore

if TYPE_CHECKING:
    from handbook.i18n.translations import TranslationReport
    from handbook.lint.rules import Finding
    from handbook.model.health import Health

# Not glossary/index.md: with Material's navigation.indexes, an index page in a section becomes the
# section's own page. The glossary links nowhere, so it needs no folder of its own.
GLOSSARY_PAGE = "glossary.md"
HEALTH_PAGE = "health/index.md"
# A health page lists at most this many findings one by one; it counts all of them.
MAX_LISTED_FINDINGS = 500
_UNSEARCHABLE = "---\nsearch:\n  exclude: true\n---\n\n"


def glossary_page(entries: Sequence[GlossaryEntry], render: Callable[..., str], store: FieldStore,
                  source_language: str) -> str:
    """The glossary in the language being rendered. A term or definition this language has no
    rendering of yet is shown in the source language, marked as such."""
    fallback = (source_language, text_direction(source_language))
    shown: list[dict[str, Any]] = []
    for entry in entries:
        store.fallback = fallback if entry.definition_fallback else None
        definition = store.block(entry.definition)
        store.fallback = None
        shown.append({"id": entry.id, "term": store.plain(entry.term), "term_fallback": entry.term_fallback,
                      "definition": definition,
                      "avoid": [{"term": store.plain(a.term), "instead": store.plain(a.instead),
                                 "note": store.inline(a.note) if a.note else ""} for a in entry.avoid]})
    untranslated = [entry.term_fallback and entry.definition_fallback for entry in entries]
    state = "missing" if all(untranslated) and any(e.term_fallback for e in entries) else \
        "partial" if any(e.term_fallback or e.definition_fallback for e in entries) else "current"
    markdown = render("glossary.md.j2", entries=shown, state=state, fallback=fallback)
    # A glossary with nothing translated would answer searches in the wrong language.
    return _UNSEARCHABLE + markdown if state == "missing" else markdown


def health_page(health: Health, render: Callable[..., str], reports: Sequence[TranslationReport],
                findings: Sequence[Finding]) -> str:
    """Coverage, gaps, reviews due, translation status and language findings, for owners."""
    return render("health.md.j2", health=health, reports=list(reports), findings=list(findings),
                  shown_findings=list(findings[:MAX_LISTED_FINDINGS]))
