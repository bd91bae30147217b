"""``handbook lint``: plain and inclusive language checks on the content, in every language.

The schemas say whether content is well formed; these rules say whether it reads well: long
sentences, hard passages, terms the glossary says to avoid, undefined acronyms, images without
alternative text, vague behaviours and look-fors, the same text at two levels. What they find
are findings, not problems: the content stays valid and the site builds.
"""

from __future__ import annotations

from handbook.library import Library
from handbook.lint.config import RULES as RULE_SETTINGS
from handbook.lint.config import LintConfig, parse_config
from handbook.lint.rules import RULES, Context, Finding
from handbook.lint.texts import library_texts

__all__ = ["RULE_SETTINGS", "Finding", "LintConfig", "lint_library", "parse_config"]


def lint_library(library: Library, config: LintConfig) -> list[Finding]:
    """Every finding of every enabled rule, sorted by file and line."""
    texts = library_texts(library)
    glossary = {language: library.glossary(language) for language in library.languages}
    context = Context(config, library.default_language, glossary)
    findings: set[Finding] = set()
    for name, rule in RULES.items():
        if name not in config.disabled:
            findings.update(rule(texts, context))
    return sorted(findings)
