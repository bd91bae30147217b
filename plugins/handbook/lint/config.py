"""The lint rules' settings: the ``lint`` option of the ``handbook`` plugin entry in mkdocs.yml.

```yaml
plugins:
  - handbook:
      lint:
        disable: [reading-ease]            # rules that do not run at all
        rules:
          sentence-length:
            max_words: 35                  # one value for every language...
          reading-ease:
            min: {<language>: 40}          # ...or one per language code
            languages: [<language>, ...]   # any rule: only these languages (default: all)
```

Every problem with the settings is reported at once, located in mkdocs.yml as content problems
are, and a word list or threshold never names a language of its own: each comes from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from handbook.lint.readability import measurable
from handbook.sources.problems import ContentError, Problem

# One value for every language, or a mapping of language -> value.
NUMBER, COUNT, WORDS = "a number", "a whole number of at least 1", "a list of words or phrases"


@dataclass(frozen=True)
class Option:
    kind: str
    default: Any
    per_language: bool = True


RULES: dict[str, dict[str, Option]] = {
    # Flesch reading ease of each passage (a field, a list of items, a section of a page) of at
    # least min_words words; languages textstat has no formula for are not measured.
    "reading-ease": {"min": Option(NUMBER, 30), "min_words": Option(COUNT, 30, per_language=False)},
    # Sentences longer than max_words words.
    "sentence-length": {"max_words": Option(COUNT, 35)},
    # The glossary's terms to avoid, in the source language, with what to write instead.
    "terms-to-avoid": {},
    # In a translation, a rendering of a glossary term that the glossary says is wrong in that language.
    "glossary-translation": {},
    # An all-caps word of two or more letters used before "Full Name (ABC)" defines it, or never
    # defined in the file; ``allow`` lists those every reader knows.
    "acronyms": {"allow": Option(WORDS, [])},
    # A Markdown image or <img> without alternative text.
    "image-alt": {},
    # Behaviours and look-fors that name no evidence: vague verbs ("understands") and adverbs that
    # stand in for it ("calmly"); ``allow`` lists phrases that contain one of them but are not vague.
    "vague-wording": {"verbs": Option(WORDS, []), "adverbs": Option(WORDS, []), "allow": Option(WORDS, [])},
    # The same behaviour at two levels or in two competencies; the same look-for at two levels,
    # in two criteria or in two rubrics.
    "duplicate-text": {},
}
_SETTINGS = ("disable", "rules")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


@dataclass
class LintConfig:
    """Which rules run in which languages, and with what settings."""

    languages: tuple[str, ...]
    disabled: frozenset[str] = frozenset()
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    only: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def enabled(self, rule: str, language: str) -> bool:
        if rule in self.disabled:
            return False
        return language in self.only.get(rule, self.languages)

    def value(self, rule: str, option: str, language: str) -> Any:
        """The option's value in ``language``: the language's own, the one for every language,
        or the rule's default."""
        spec = RULES[rule][option]
        given = self.settings.get(rule, {}).get(option, spec.default)
        if spec.per_language and isinstance(given, Mapping):
            return given.get(language, spec.default)
        return given


def parse_config(raw: object, languages: Sequence[str], *, source: str = "mkdocs.yml",
                 text: str | None = None) -> LintConfig:
    """The settings in ``raw`` (the ``lint`` option's value), checked against the site's
    ``languages``; raises ``ContentError`` naming every problem. ``text``, the text of the
    configuration file, places each problem on its line."""
    problems: list[Problem] = []
    locate = _Locator(source, text)

    def fail(path: tuple[str, ...], message: str) -> None:
        problems.append(locate.problem(path, message))

    config = LintConfig(tuple(languages))
    if raw is None:
        return config
    if not isinstance(raw, Mapping):
        fail(("lint",), f"expected a mapping of {', '.join(_SETTINGS)} but received: {_shown(raw)}")
        raise ContentError(problems)
    for key in raw:
        if key not in _SETTINGS:
            fail(("lint", str(key)), f"unknown setting; expected one of: {', '.join(_SETTINGS)}")
    disabled = raw.get("disable", [])
    if not isinstance(disabled, list) or not all(isinstance(name, str) for name in disabled):
        fail(("lint", "disable"), f"expected a list of rule names but received: {_shown(disabled)}")
        disabled = []
    for name in disabled:
        if name not in RULES:
            fail(("lint", "disable"), f"unknown rule '{name}'; expected one of: {', '.join(RULES)}")
    config.disabled = frozenset(name for name in disabled if name in RULES)
    rules = raw.get("rules", {})
    if not isinstance(rules, Mapping):
        fail(("lint", "rules"), f"expected a mapping of rule names to their settings but received: {_shown(rules)}")
        rules = {}
    for rule, settings in rules.items():
        path = ("lint", "rules", str(rule))
        if rule not in RULES:
            fail(path, f"unknown rule; expected one of: {', '.join(RULES)}")
            continue
        if settings is None:
            continue
        if not isinstance(settings, Mapping):
            fail(path, f"expected a mapping of settings but received: {_shown(settings)}")
            continue
        options = RULES[rule]
        checked: dict[str, Any] = {}
        for name, value in settings.items():
            where = (*path, str(name))
            if name == "languages":
                if _languages(value, languages, where, fail):
                    config.only[rule] = tuple(value)
            elif name not in options:
                allowed = [*options, "languages"]
                fail(where, f"unknown setting of {rule}; expected one of: {', '.join(allowed)}")
            elif _valid(rule, name, options[name], value, languages, where, fail):
                checked[name] = value
        config.settings[rule] = checked
    if problems:
        raise ContentError(problems)
    return config


def _languages(value: object, languages: Sequence[str], where: tuple[str, ...], fail: Any) -> bool:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        fail(where, f"expected a list of language codes but received: {_shown(value)}")
        return False
    unknown = [item for item in value if item not in languages]
    for item in unknown:
        fail(where, f"'{item}' is not a language of the site; expected one of: {', '.join(languages)}")
    return not unknown


def _valid(rule: str, name: str, option: Option, value: object, languages: Sequence[str],
           where: tuple[str, ...], fail: Any) -> bool:
    """Whether ``value`` suits ``option``; each problem is reported through ``fail``."""
    if option.per_language and isinstance(value, Mapping):
        valid = True
        for language, item in value.items():
            if language not in languages:
                hint = " (a language code)" if not _LANGUAGE.match(str(language)) else ""
                fail((*where, str(language)), f"'{language}' is not a language of the site{hint}; expected one "
                                              f"of: {', '.join(languages)}")
                valid = False
            elif rule == "reading-ease" and not measurable(str(language)):
                fail((*where, str(language)), f"textstat has no reading-ease formula for '{language}': leave it "
                                              "out (it is not measured)")
                valid = False
            elif not _fits(option.kind, item):
                fail((*where, str(language)), f"expected {option.kind} but received: {_shown(item)}")
                valid = False
        return valid
    if not _fits(option.kind, value):
        each = " for every language, or a mapping of language codes to it" if option.per_language else ""
        fail(where, f"expected {option.kind}{each} but received: {_shown(value)}")
        return False
    return True


def _fits(kind: str, value: object) -> bool:
    if kind == NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == COUNT:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 1
    return isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value)


def _shown(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)[:60]


class _Locator:
    """Finds the line of a setting in the configuration file's text, by its keys' indentation."""

    def __init__(self, source: str, text: str | None) -> None:
        self.source = source
        self.lines = text.splitlines() if text else []

    def problem(self, path: tuple[str, ...], message: str) -> Problem:
        line, column = self._position(path)
        return Problem(self.source, line, column, ".".join(path), message)

    def _position(self, path: tuple[str, ...]) -> tuple[int, int]:
        found, at, indent = (1, 1), 0, -1
        for part in path:
            key = re.compile(rf"^(\s*)(?:-\s+)?['\"]?{re.escape(part)}['\"]?\s*:")
            for number in range(at, len(self.lines)):
                match = key.match(self.lines[number])
                if match and len(match[1]) > indent:
                    found, at, indent = (number + 1, len(match[1]) + 1), number + 1, len(match[1])
                    break
            else:
                return found
        return found
