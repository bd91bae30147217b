"""Check documents against the JSON Schemas shipped in ``handbook/schemas``."""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, ValidationError

from handbook.sources.documents import Document
from handbook.sources.problems import Problem
from handbook.sources.strict_yaml import Path as ValuePath
from handbook.sources.strict_yaml import dotted

KINDS = ("framework", "releases", "competency", "case", "rubric")


def schema_text(kind: str) -> str:
    return resources.files("handbook").joinpath("schemas", f"{kind}.schema.json").read_text("utf-8")


@cache
def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_text(kind)),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def fast_validator(kind: str) -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(json.loads(schema_text(kind)), validate_formats=True)


def check_schema(document: Document) -> list[Problem]:
    """Every schema problem of one document, each at the value it concerns.

    The compiled validator answers "valid?" some fifty times faster; only a document it
    refuses goes through jsonschema, whose errors say which field and why.
    """
    if fast_validator(document.kind).is_valid(document.located.data):
        return []
    problems: list[Problem] = []
    for error in validator(document.kind).iter_errors(document.located.data):
        problems.extend(explain(document, error))
    return problems


def explain(document: Document, error: ValidationError) -> list[Problem]:
    located, path = document.located, tuple(error.absolute_path)
    value: Any = error.instance
    kind = error.validator
    if kind == "required":
        return _missing(document, path, value, error.validator_value)
    if kind == "additionalProperties":
        return _unknown(document, path, value, sorted(error.schema.get("properties", {})))
    if kind == "uniqueItems":
        seen: list[Any] = []
        problems = []
        for index, item in enumerate(value):
            if item in seen:
                problems.append(located.problem((*path, index), f"'{item}' is listed twice"))
            seen.append(item)
        return problems
    return [located.problem(path, _message(error))]


def _missing(document: Document, path: ValuePath, mapping: dict, required: list[str]) -> list[Problem]:
    """Each missing field, named by its own path but placed at the mapping that lacks it:
    the field has no line of its own, and the file's first line says nothing."""
    line, column = document.located.position(path)
    return [Problem(document.source, line, column, dotted((*path, name)), "missing required field")
            for name in required if name not in mapping]


def _unknown(document: Document, path: ValuePath, mapping: dict, allowed: list[str]) -> list[Problem]:
    hint = f"expected one of: {', '.join(allowed)}" if allowed else "no fields are expected here"
    # Only a field not given yet can be the one meant: suggesting a present one asks for a duplicate key.
    absent = [name for name in allowed if name not in mapping]
    problems = []
    for name in (name for name in mapping if name not in allowed):
        close = difflib.get_close_matches(name, absent, n=1)
        guess = f"did you mean '{close[0]}'? " if close else ""
        problems.append(document.located.problem((*path, name), f"unknown field; {guess}{hint}", key=True))
    return problems


_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping of fields",
               "integer": "a whole number", "number": "a number", "boolean": "true or false"}


def _message(error: ValidationError) -> str:
    kind, expected, value = error.validator, error.validator_value, error.instance
    shown = f"'{value}'" if isinstance(value, str) else json.dumps(value)[:60]
    if kind == "type":
        names = expected if isinstance(expected, list) else [expected]
        return f"expected {' or '.join(_TYPE_NAMES.get(n, n) for n in names)} but received: {shown}"
    if kind == "enum":
        return f"expected one of: {', '.join(map(str, expected))} but received: {shown}"
    if kind == "pattern" and expected == "\\S":
        return "must not be blank"
    if kind == "pattern":
        hint = error.schema.get("description", f"the pattern {expected}")
        return f"{shown} is not valid here. {hint}"
    if kind == "format":
        return f"{shown} is not a valid {expected}. {error.schema.get('description', '')}".strip()
    if kind == "minItems":
        return "must not be empty" if expected == 1 else f"needs at least {expected} items"
    if kind == "maxLength":
        return f"must be at most {expected} characters long"
    if kind == "minLength":
        return "must not be empty"
    if kind == "minProperties":
        return "must not be empty"
    if kind == "minimum":
        return f"must be at least {expected} but received: {shown}"
    if kind == "maximum":
        return f"must be at most {expected} but received: {shown}"
    return error.message
