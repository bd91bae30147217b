"""Translated content: check translation files against their sources, overlay them, track status.

A translation file sits next to its source with the language before the extension
(``first-item.es.yml``, ``second-item.fr.md``) and holds only the text. Whatever it does
not translate falls back to the source; whether an item is translated, partly translated, stale
or missing is recorded for the reader's notice and for ``handbook i18n status``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handbook.checks.schema import explain
from handbook.checks.translation_schema import (
    ALL_ITEMS,
    TRANSLATED_FROM,
    has_text,
    text_part,
    translation_schema,
    translation_validator,
)
from handbook.sources.documents import Document
from handbook.sources.problems import Problem
from handbook.sources.strict_yaml import Path as ValuePath

CURRENT, STALE, PARTIAL, MISSING = "current", "stale", "partial", "missing"
_SECTION_ID = re.compile(r"^##(?!#).*\{#([^}\s]*)\}\s*$", re.MULTILINE)


@dataclass(frozen=True)
class ItemStatus:
    """How far one source item is translated into one language."""

    kind: str
    id: str
    source: str
    state: str
    translation: str  # the translation file's path, existing or expected


@dataclass
class TranslationReport:
    """Coverage of one language: what a translator still has to do."""

    language: str
    name: str
    items: list[ItemStatus]

    @property
    def coverage(self) -> int:
        """Percent of items whose translation is complete and up to date (rounded down)."""
        current = self.count(CURRENT)
        return 100 * current // len(self.items) if self.items else 100

    def count(self, state: str) -> int:
        return sum(item.state == state for item in self.items)

    def pending(self) -> list[ItemStatus]:
        return [item for item in self.items if item.state != CURRENT]

    def as_dict(self) -> dict[str, Any]:
        return {"language": self.language, "coverage": self.coverage,
                **{state: [item.source for item in self.items if item.state == state]
                   for state in (MISSING, PARTIAL, STALE)}}


def source_digest(document: Document) -> str:
    """A short fingerprint of the source's text: changes whenever a translator has work to do."""
    text = text_part(document.data, translation_schema(document.kind))
    payload = json.dumps([text, document.body], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


def check_translation(translation: Document, source: Document | None, language: str) -> list[Problem]:
    """Schema of the narrowed kind and, as far as both files are usable, the shape of the
    translation against its source: a problem in one part hides none in another."""
    located = translation.located
    problems = [p for error in translation_validator(translation.kind).iter_errors(located.data)
                for p in explain(translation, error)]
    if source is None:
        return [*problems, located.problem(("id",), f"no {translation.kind} '{translation.stem}' to translate: "
                                                     "the source file is missing")]
    if not source.readable:
        return problems  # nothing to compare with; the source's own problem is reported
    # A value the schema refused is not compared as well: that would say the same thing twice.
    refused = {(p.line, p.column, p.field) for p in problems}
    return problems + [p for p in _against_source(translation, source) if (p.line, p.column, p.field) not in refused]


def _against_source(translation: Document, source: Document) -> list[Problem]:
    located, problems = translation.located, []
    given, expected = translation.data.get("id"), _source_id(source)
    if isinstance(given, str) and expected is not None and given != expected:
        problems.append(located.problem(("id",), f"expected '{expected}', the id of the source"))
    schema = translation_schema(translation.kind)
    problems += _compare(translation, text_part(source.data, schema), translation.data, schema, ())
    if translation.kind == "case" and translation.body.strip():
        wanted, given_sections = _SECTION_ID.findall(source.body), _SECTION_ID.findall(translation.body)
        if wanted != given_sections:
            problems.append(Problem(translation.source, translation.body_line, 1, "body",
                                    "the sections must be those of the source, in the same order: "
                                    + ", ".join(f"{{#{s}}}" for s in wanted)))
    return problems


def _source_id(source: Document) -> str | None:
    """The id a translation repeats: the source's, or the file name the source's id must match."""
    given = source.data.get("id")
    if not isinstance(given, str):
        return None
    return given if source.kind == "framework" else source.stem


def _compare(translation: Document, source: Any, given: Any, schema: dict, path: ValuePath) -> list[Problem]:
    """Every id, level and list in the translation must match the source's. Either side may be
    partly broken (its schema problems are reported): only what has its shape on both is compared."""
    located, problems = translation.located, []
    if "properties" in schema and isinstance(given, dict) and isinstance(source, dict):
        for name, value in given.items():
            if name in schema["properties"] and name not in ("id", TRANSLATED_FROM) and name in source:
                problems += _compare(translation, source[name], value, schema["properties"][name], (*path, name))
    elif isinstance(schema.get("additionalProperties"), dict) and isinstance(given, dict) and isinstance(source, dict):
        for key, value in given.items():
            if key not in source:
                problems.append(located.problem((*path, key), f"'{key}' is not in the source; expected one of: "
                                                              f"{', '.join(source)}", key=True))
            else:
                problems += _compare(translation, source[key], value, schema["additionalProperties"], (*path, key))
    elif schema.get("type") == "array" and isinstance(given, list) and isinstance(source, list):
        items = schema["items"]
        if "properties" in items and "id" in items["properties"]:
            by_id = {item["id"]: item for item in source if _id_of(item) is not None}
            # With an id missing or broken in the source, an id not found there may still be right.
            complete = all(_id_of(item) is not None for item in source)
            for index, item in enumerate(given):
                if _id_of(item) is None:
                    continue  # the schema check reports it
                if item["id"] in by_id:
                    problems += _compare(translation, by_id[item["id"]], item, items, (*path, index))
                elif complete:
                    problems.append(located.problem(
                        (*path, index, "id"),
                        f"'{item.get('id')}' is not in the source; expected one of: {', '.join(by_id)}"))
            if schema.get(ALL_ITEMS) and complete and len(by_id) == len(source):  # else the source's ids are wrong
                problems += _every_item(translation, list(by_id), given, path)
        elif len(given) != len(source):
            problems.append(located.problem(path, f"the source has {len(source)} items here and the translation "
                                                  f"{len(given)}: translate each one, in the same order"))
    return problems


def _every_item(translation: Document, wanted: list[str], given: list[Any], path: ValuePath) -> list[Problem]:
    """A list the schema marks ``x-translate-all-items``: the translation gives each of the source's
    items, no more and no fewer (an unknown id is reported on its own)."""
    ids = [_id_of(item) for item in given]
    if None in ids:
        return []  # the schema check reports the item without an id
    missing = [item_id for item_id in wanted if item_id not in ids]
    if not missing and len(ids) == len(wanted):
        return []
    detail = f" (missing: {', '.join(missing)})" if missing else ""
    return [translation.located.problem(path, f"the source has {len(wanted)} items here and the translation "
                                              f"{len(ids)}{detail}: translate each of them ({', '.join(wanted)}), "
                                              "or leave this list out until you can")]


def _id_of(item: Any) -> str | None:
    given = item.get("id") if isinstance(item, dict) else None
    return given if isinstance(given, str) else None


def overlay(source: Any, translation: Any, schema: dict) -> Any:
    """The source's data with every translated text put in place."""
    if "properties" in schema and isinstance(source, dict):
        merged = dict(source)
        for name, value in translation.items():
            if name in schema["properties"] and name not in ("id", TRANSLATED_FROM) and name in source:
                merged[name] = overlay(source[name], value, schema["properties"][name])
        return merged
    if isinstance(schema.get("additionalProperties"), dict) and isinstance(source, dict):
        return {key: overlay(value, translation[key], schema["additionalProperties"]) if key in translation else value
                for key, value in source.items()}
    if schema.get("type") == "array" and "properties" in schema.get("items", {}):
        if "id" not in schema["items"]["properties"]:  # items without ids pair up by position
            return [overlay(item, given, schema["items"]) for item, given in zip(source, translation, strict=False)]
        by_id = {item["id"]: item for item in translation}
        return [overlay(item, by_id[item["id"]], schema["items"]) if item["id"] in by_id else item
                for item in source]
    return copy.deepcopy(translation)


def _covers(source: Any, translation: Any, schema: dict) -> bool:
    """True when the translation gives every text the source has."""
    if "properties" in schema and isinstance(source, dict):
        return all(name in translation and _covers(source[name], translation[name], schema["properties"][name])
                   for name in schema["properties"] if name in source and name not in ("id", TRANSLATED_FROM)
                   and has_text(text_part(source[name], schema["properties"][name])))
    if isinstance(schema.get("additionalProperties"), dict) and isinstance(source, dict):
        return all(key in translation for key in source)
    if schema.get("type") == "array" and "properties" in schema.get("items", {}):
        if "id" not in schema["items"]["properties"]:
            return len(translation) == len(source) and all(
                _covers(item, given, schema["items"]) for item, given in zip(source, translation, strict=False))
        by_id = {item["id"]: item for item in translation}
        return all(item["id"] in by_id and _covers(item, by_id[item["id"]], schema["items"]) for item in source)
    return True


def localize(source: Document, translation: Document | None) -> tuple[Document, str]:
    """The source as readers of the translation's language see it, and its translation state."""
    if translation is None:
        return source, MISSING
    schema = translation_schema(source.kind)
    merged = overlay(source.data, translation.data, schema)
    body = translation.body if translation.body.strip() else source.body
    located = copy.copy(source.located)
    located.data = merged
    localized = Document(source.kind, source.source, source.stem, located, body, source.body_line)
    complete = _covers(text_part(source.data, schema), translation.data, schema) and (
        source.kind != "case" or bool(translation.body.strip()))
    if not complete:
        return localized, PARTIAL
    if translation.data.get(TRANSLATED_FROM) != source_digest(source):
        return localized, STALE
    return localized, CURRENT


_FIRST_KEY_LINE = re.compile(r"^[A-Za-z_\"'].*$", re.MULTILINE)
_TRANSLATED_FROM_LINE = re.compile(rf"^{TRANSLATED_FROM}:.*$", re.MULTILINE)
_ID_LINE = re.compile(r"^id:.*$", re.MULTILINE)


def confirm_translation(path: Path, source: Document) -> bool:
    """Record in a translation file the version of ``source`` it now matches. Edits only that
    one line, so the translator's formatting and comments stay as they are."""
    text = path.read_text("utf-8")
    stamp = f'{TRANSLATED_FROM}: "{source_digest(source)}"'
    if _TRANSLATED_FROM_LINE.search(text):
        updated = _TRANSLATED_FROM_LINE.sub(stamp, text, count=1)
    elif _ID_LINE.search(text):
        updated = _ID_LINE.sub(lambda match: f"{match.group(0)}\n{stamp}", text, count=1)
    else:  # a file without an id (the releases): the stamp opens the data, after any comments
        updated = _FIRST_KEY_LINE.sub(lambda match: f"{stamp}\n{match.group(0)}", text, count=1)
    if updated == text:
        return False
    path.write_text(updated, "utf-8")
    return True
