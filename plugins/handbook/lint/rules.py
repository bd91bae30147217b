"""The plain and inclusive language rules: each reads the library's texts and says what it finds.

A rule never changes anything and never fails a build by itself: ``handbook lint`` reports what
they find as warnings, or as errors with ``--strict``. Word lists and thresholds come from the
settings (``lint.config``) and the glossary, never from here.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from handbook.lint.config import LintConfig
from handbook.lint.readability import measurable, reading_ease
from handbook.lint.text import Block, between, blocks, inline_text, normalised, phrase_pattern, sentences, words
from handbook.lint.texts import BEHAVIOUR, LOOK_FOR, Text
from handbook.model.glossary import GlossaryEntry
from handbook.sources.problems import MAX_MESSAGE_CHARS, printable


@dataclass(frozen=True, order=True)
class Finding:
    """One thing a rule found: ``path:line: rule: message``."""

    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        message = self.message if len(self.message) <= MAX_MESSAGE_CHARS else self.message[:MAX_MESSAGE_CHARS] + "..."
        return printable(f"{self.path}:{self.line}: {self.rule}: {message}")


@dataclass(frozen=True)
class Context:
    config: LintConfig
    default_language: str
    # Language -> the glossary in it: the terms to avoid are each language's own.
    glossary: dict[str, list[GlossaryEntry]]


Rule = Callable[[list[Text], Context], Iterable[Finding]]


def _blocks(text: Text) -> list[tuple[Block, int]]:
    """The prose blocks of a text, each with the file line it starts on."""
    return [(block, text.file_line(block.line, block.text)) for block in blocks(text.markdown)]


def _sentences(text: Text) -> Iterable[tuple[str, int]]:
    for block in blocks(text.markdown):
        if block.heading:
            continue
        for sentence in sentences(block):
            yield sentence.text, text.file_line(sentence.line, sentence.text)


def _quoted(text: str, limit: int = 60) -> str:
    shown = " ".join(text.split())
    return f"“{shown if len(shown) <= limit else shown[:limit].rstrip() + '…'}”"


def sentence_length(texts: list[Text], context: Context) -> Iterable[Finding]:
    for text in texts:
        if not context.config.enabled("sentence-length", text.language):
            continue
        limit = context.config.value("sentence-length", "max_words", text.language)
        for sentence, line in _sentences(text):
            count = len(words(sentence))
            if count > limit:
                yield Finding(text.path, line, "sentence-length",
                              f"a sentence of {count} words (at most {limit}): split it — {_quoted(sentence)}")


def _passages(texts: list[Text]) -> Iterable[tuple[Text, int, str]]:
    """Runs of prose long enough to measure: a field, the items of one list together, a
    section of a case body or a page."""
    lists: dict[tuple[str, str, str], list[Text]] = defaultdict(list)
    for text in texts:
        if text.item_list:
            lists[(text.path, text.language, text.item_list)].append(text)
        elif text.file_lines is not None:
            yield text, text.line, inline_text(text.markdown)
        else:
            section: list[tuple[Block, int]] = []
            for block, line in [*_blocks(text), (None, 0)]:
                if block is None or block.heading:
                    if section:
                        yield text, section[0][1], " ".join(_ended(b.text) for b, _ in section)
                    section = []
                else:
                    section.append((block, line))
    for items in lists.values():
        yield items[0], items[0].line, " ".join(_ended(inline_text(item.markdown)) for item in items)


def _ended(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".!?…:;\"”»)" else text + "."


def reading_ease_rule(texts: list[Text], context: Context) -> Iterable[Finding]:
    config = context.config
    for text, line, passage in _passages(texts):
        language = text.language
        if not config.enabled("reading-ease", language) or not measurable(language):
            continue
        if len(words(passage)) < config.value("reading-ease", "min_words", language):
            continue
        score, least = reading_ease(passage, language), config.value("reading-ease", "min", language)
        if score < least:
            yield Finding(text.path, line, "reading-ease",
                          f"reading ease {math.floor(score)} (at least {least:g}) in {text.field or 'this section'}: "
                          "shorter sentences and everyday words make it easier to read")


def _avoided(texts: list[Text], context: Context, rule: str, source_language: bool) -> Iterable[Finding]:
    for text in texts:
        if (text.language == context.default_language) != source_language:
            continue
        if not context.config.enabled(rule, text.language):
            continue
        checks = [(phrase_pattern(avoided.term), entry, avoided)
                  for entry in context.glossary.get(text.language, []) for avoided in entry.avoid]
        if not checks:
            continue
        for block in blocks(text.markdown):
            for pattern, entry, avoided in checks:
                for match in pattern.finditer(block.text):
                    at = text.file_line(block.line_at(match.start()), block.text[match.start():])
                    note = f" ({inline_text(avoided.note).strip().rstrip('.')})" if avoided.note else ""
                    if source_language:
                        message = (f"'{match[0]}' is a term to avoid: write '{avoided.instead}' instead{note}; "
                                   f"see the glossary, '{entry.term}'")
                    else:
                        message = (f"'{match[0]}' is not how the glossary renders '{entry.source_term}' in "
                                   f"{text.language}: write '{avoided.instead}'{note}")
                    yield Finding(text.path, at, rule, message)


def terms_to_avoid(texts: list[Text], context: Context) -> Iterable[Finding]:
    return _avoided(texts, context, "terms-to-avoid", source_language=True)


def glossary_translation(texts: list[Text], context: Context) -> Iterable[Finding]:
    return _avoided(texts, context, "glossary-translation", source_language=False)


_TOKEN = re.compile(r"(?<![\w-])[^\W_][\w]*(?![\w])")


def _acronym(token: str) -> str | None:
    """``PDF`` for ``PDF`` or ``PDFs``; None for a word that is not all capitals."""
    core = token[:-1] if token.endswith("s") and token[:-1].isupper() else token
    if core.isupper() and sum(character.isalpha() for character in core) >= 2:
        return core
    return None


_SPELLED_AFTER = re.compile(r"(?:\s+[^\W\d_][\w-]*){0,2}\s*\(([^)]*)\)")


def _spells(name: str, spelled: list[str]) -> bool:
    """Whether the letters of ``name`` are, in order, initials of the words ``spelled``
    ("Competencies and Academic Standards Exchange" spells CASE): no word list of any language."""
    initials = iter(word[0].casefold() for word in spelled)
    return len(spelled) >= 2 and all(letter.casefold() in initials for letter in name if letter.isalpha())


def _defines(name: str, text: str, start: int, end: int) -> bool:
    """``Full Name (ABC)``, or ``ABC (Full Name)`` with at most two words between, here."""
    in_brackets = text[start - 1:start] == "(" and text[end:end + 1] == ")"
    if in_brackets and _spells(name, words(text[max(start - 400, 0):start - 1])[-(2 * len(name) + 2):]):
        return True
    following = _SPELLED_AFTER.match(text[end:end + 400])
    return bool(following and _spells(name, words(following[1])))


def acronyms(texts: list[Text], context: Context) -> Iterable[Finding]:
    by_file: dict[tuple[str, str], list[Text]] = defaultdict(list)
    for text in texts:
        by_file[(text.path, text.language)].append(text)
    for (path, language), group in by_file.items():
        if not context.config.enabled("acronyms", language):
            continue
        allowed = set(context.config.value("acronyms", "allow", language))
        first_use: dict[str, int] = {}
        defined: set[str] = set()
        for text in sorted(group, key=lambda item: item.line):
            for block in blocks(text.markdown):
                if block.heading:
                    continue  # a heading names the topic; the text below it defines its terms
                for match in _TOKEN.finditer(block.text):
                    name = _acronym(match[0])
                    if name is None or name in allowed or name in defined:
                        continue
                    where = text.file_line(block.line_at(match.start()), block.text[match.start():])
                    if _defines(name, block.text, match.start(), match.end()):
                        defined.add(name)
                        if name in first_use:
                            yield Finding(path, first_use[name], "acronyms",
                                          f"'{name}' is used before it is defined on line {where}: write the full "
                                          f"name at its first use, 'Full Name ({name})'")
                    else:
                        first_use.setdefault(name, where)
        for name, line in first_use.items():
            if name not in defined:
                yield Finding(path, line, "acronyms", f"'{name}' is never defined in this file: write the full name "
                                                      f"at its first use, 'Full Name ({name})', or allow it in the "
                                                      "lint settings")


_EMPTY_IMAGE = re.compile(r"!\[\s*\]\s*[(\[]")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"\s*[^"\s][^"]*"|'\s*[^'\s][^']*'|[^\s"'>]+)""", re.IGNORECASE)


def image_alt(texts: list[Text], context: Context) -> Iterable[Finding]:
    for text in texts:
        if not context.config.enabled("image-alt", text.language):
            continue
        for offset, raw in enumerate(text.markdown.splitlines()):
            missing = [m[0] for m in _EMPTY_IMAGE.finditer(raw)] + [m[0] for m in _IMG.finditer(raw)
                                                                     if not _ALT.search(m[0])]
            for image in missing:
                line = text.file_line(offset, inline_text(raw))
                yield Finding(text.path, line, "image-alt", f"an image without alternative text "
                                                           f"({_quoted(image, 40)}): say in a few words what it shows")


_QUOTES = (('"', '"'), ("“", "”"), ("«", "»"), ("„", "“"))


def _unquoted(text: str) -> str:
    """``text`` with what stands between quotation marks blanked out, in one pass per kind."""
    for opening, closing in _QUOTES:
        text = between(text, opening, closing, " ")
    return text


def vague_wording(texts: list[Text], context: Context) -> Iterable[Finding]:
    config = context.config
    for text in texts:
        if text.role not in (BEHAVIOUR, LOOK_FOR) or not config.enabled("vague-wording", text.language):
            continue
        # Words quoted as someone's own ("Have I got that right?") are what they said: observable.
        plain = _unquoted(inline_text(text.markdown))
        for phrase in config.value("vague-wording", "allow", text.language):
            plain = phrase_pattern(phrase).sub(lambda m: " " * len(m[0]), plain)
        what = "a behaviour" if text.role == BEHAVIOUR else "a look-for"
        for kind, hint in (("verbs", "say what the person does that someone else could see or hear"),
                           ("adverbs", "say what shows it instead")):
            for word in config.value("vague-wording", kind, text.language):
                match = phrase_pattern(word).search(plain)
                if match:
                    name = "a vague verb" if kind == "verbs" else "an adverb standing in for evidence"
                    yield Finding(text.path, text.file_line(0, plain[match.start():]), "vague-wording",
                                  f"'{match[0]}' is {name} in {what}: {hint}")


def duplicate_text(texts: list[Text], context: Context) -> Iterable[Finding]:
    seen: dict[tuple[str, str, str], tuple[Text, int]] = {}
    for text in texts:
        if text.role not in (BEHAVIOUR, LOOK_FOR) or not context.config.enabled("duplicate-text", text.language):
            continue
        key = (text.language, text.role, normalised(text.markdown))
        if not key[2]:
            continue
        line = text.file_line(0, text.markdown)
        if key in seen:
            first, first_line = seen[key]
            yield Finding(text.path, line, "duplicate-text",
                          f"the same {text.role} as at {_where(first)} ({first.path}:{first_line}), here for "
                          f"{_where(text)}: each level and each {_unit(text)} needs words of its own")
        else:
            seen[key] = (text, line)


def _unit(text: Text) -> str:
    return "competency" if text.role == BEHAVIOUR else "criterion"


def _where(text: Text) -> str:
    if text.role == BEHAVIOUR:
        return f"level '{text.where[1]}' of '{text.where[0]}'"
    return f"level '{text.where[2]}' of criterion '{text.where[1]}' in '{text.where[0]}'"


RULES: dict[str, Rule] = {
    "reading-ease": reading_ease_rule,
    "sentence-length": sentence_length,
    "terms-to-avoid": terms_to_avoid,
    "glossary-translation": glossary_translation,
    "acronyms": acronyms,
    "image-alt": image_alt,
    "vague-wording": vague_wording,
    "duplicate-text": duplicate_text,
}
