"""Reading ease, measured by textstat where it has a formula for the language.

textstat applies Flesch's reading ease with each language's published constants (Fernández Huerta
for Spanish, Kandel and Moles for French, Amstad for German...), counting syllables with Pyphen's
hyphenation dictionary for the language (and, for English, the CMU pronouncing dictionary). A
language it has no constants for would silently get the English ones, so it is not measured.
"""

from __future__ import annotations

from functools import cache


def _root(language: str) -> str:
    return language.replace("-", "_").split("_")[0].lower()


@cache
def measurable(language: str) -> bool:
    """True when textstat has reading-ease constants for ``language`` and Pyphen can count its
    syllables."""
    try:
        import pyphen
        from textstat.backend.utils.constants import LANG_CONFIGS
    except ImportError:  # pragma: no cover - both are dependencies of the project
        return False
    return "fre_base" in LANG_CONFIGS.get(_root(language), {}) and pyphen.language_fallback(_root(language)) is not None


def reading_ease(text: str, language: str) -> float:
    """Flesch reading ease of ``text`` (higher is easier; about 0 to 100)."""
    from textstat.backend import metrics

    return float(metrics.flesch_reading_ease(text, _root(language)))
