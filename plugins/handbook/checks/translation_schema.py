"""Translation files are checked by the same schemas as their sources, narrowed to the text.

A translation file mirrors its source but holds only ``id``, the fields a reader sees as text, and
``translated_from`` (which version of the source it was made from). The narrowed schema is derived
from the source schema, so the two can never drift apart.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from handbook.checks.schema import schema_text

TRANSLATED_FROM = "translated_from"


NOT_BLANK = "\\S"
# On a list of items with ids: a translation that gives the list gives every item (the options of a
# question, say, read in one language or not at all). Carried into the narrowed schema.
ALL_ITEMS = "x-translate-all-items"


def _is_text(node: dict) -> bool:
    """Text a reader sees: a string with no format of its own (ids, dates and versions have one);
    "not blank" is the one pattern text may carry."""
    return (node.get("type") == "string" and not {"format", "enum"} & node.keys()
            and node.get("pattern", NOT_BLANK) == NOT_BLANK)


def _derive(node: dict, defs: dict) -> dict | None:
    """The translatable part of one schema node, or None when nothing in it is text."""
    if "$ref" in node:
        node = {**defs[node["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    if _is_text(node):
        return node
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        items = _derive(node["items"], defs)
        if not items:
            return None
        whole = {ALL_ITEMS: True} if node.get(ALL_ITEMS) is True else {}
        return {"type": "array", "items": items, **whole, "description": node.get("description", "")}
    if node.get("type") != "object":
        return None
    if "properties" in node:
        properties = {name: derived for name, sub in node["properties"].items()
                      if (derived := _derive(sub, defs)) is not None}
        if not properties:
            return None
        has_id = "id" in node["properties"]
        if has_id:
            properties = {"id": defs["id"], **properties}
        return {"type": "object", "additionalProperties": False, "required": ["id"] if has_id else [],
                "properties": properties, "description": node.get("description", "")}
    if isinstance(node.get("additionalProperties"), dict):
        inner = _derive(node["additionalProperties"], defs)
        return {"type": "object", "additionalProperties": inner,
                "description": node.get("description", "")} if inner else None
    return None


@cache
def translation_schema(kind: str) -> dict[str, Any]:
    source = json.loads(schema_text(kind))
    derived = _derive(source, source["$defs"])
    assert derived is not None, f"nothing to translate in {kind}"
    derived["properties"][TRANSLATED_FROM] = {
        "type": "string", "pattern": "^[0-9a-f]{12}$",
        "description": "The version of the source this translation was made from; "
                       "written by 'handbook i18n confirm'."}
    return {"$schema": source["$schema"], "$id": f"{source['$id']}-translation",
            "title": f"Translation of: {source['title']}", **derived, "$defs": source["$defs"]}


@cache
def translation_validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(translation_schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)


def text_part(value: Any, schema: dict) -> Any:
    """Only the translatable part of ``value`` (a source's data), shaped like a translation file."""
    if "properties" in schema and isinstance(value, dict):
        parts = {name: text_part(value[name], sub) for name, sub in schema["properties"].items()
                 if name in value and name != TRANSLATED_FROM}
        # A part that holds no text (a scale whose points have no labels) is nothing to translate.
        return {name: part for name, part in parts.items() if name == "id" or has_text(part)}
    if schema.get("type") == "array" and isinstance(value, list):
        return [text_part(item, schema["items"]) for item in value]
    if isinstance(schema.get("additionalProperties"), dict) and isinstance(value, dict):
        return {key: text_part(item, schema["additionalProperties"]) for key, item in value.items()}
    return value


def has_text(value: Any) -> bool:
    """True when ``value`` (a text part) holds any text besides ids."""
    if isinstance(value, str):
        return True
    if isinstance(value, dict):
        return any(has_text(item) for key, item in value.items() if key != "id")
    if isinstance(value, list):
        return any(has_text(item) for item in value)
    return False
