"""A strict YAML reader: plain data with the line and column of every value.

PyYAML's ``safe_load`` quietly keeps the last of two duplicate keys, reads ``no`` as false,
``1.10`` as 1.1 and ``0123`` as 83. Curriculum owners must hear about all of that, with a line
number, so we compose nodes with libyaml (fast, and nodes keep their position) and build the data
ourselves, refusing anything a reader could misread.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from handbook.sources.problems import Problem

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 32
MAX_INT_DIGITS = 15
_TAG = "tag:yaml.org,2002:"
_CANONICAL_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

Path = tuple[str | int, ...]


@dataclass
class Located:
    """Data read from one file, with where each value (and each mapping key) stands."""

    source: str
    data: Any = None
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at ``path``, or of its nearest enclosing value."""
        if key and path in self.keys:
            return self.keys[path]
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def problem(self, path: Path, message: str, *, key: bool = False) -> Problem:
        line, column = self.position(path, key=key)
        return Problem(self.source, line, column, dotted(path), message)


def dotted(path: Path) -> str:
    """``('behaviours', 'level-one', 2)`` -> ``behaviours.level-one[2]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def read_yaml(text: str, source: str, *, first_line: int = 1) -> tuple[Located, list[Problem]]:
    """Parse one YAML document; ``first_line`` is the file line the text starts on."""
    located = Located(source)
    offset = first_line - 1
    try:
        too_deep = _too_deep(text)
        if too_deep is not None:
            mark, field = too_deep
            return located, [Problem(source, mark.line + 1 + offset, mark.column + 1, field,
                                     f"nested more than {MAX_DEPTH} levels deep")]
        node = _composer().submit(yaml.compose, text, Loader=_Loader).result()
    except yaml.reader.ReaderError as error:
        # Raised before any mark exists: the error knows only the (UTF-8 byte) offset.
        line, column = _line_and_column(text, error.position)
        return located, [Problem(source, line + offset, column, "", f"the character {_code_point(error.character)} "
                                                                    "is not allowed in YAML: remove it")]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1 + offset, mark.column + 1) if mark else (first_line, 1)
        reason = error.problem or error.context or "unreadable"
        if error.context and error.context_mark and error.problem_mark:
            reason += f" ({error.context} that starts on line {error.context_mark.line + 1 + offset})"
        if "expected a single document" in reason:
            reason = "only one YAML document is allowed per file (remove the extra '---')"
        return located, [Problem(source, line, column, "", f"not valid YAML: {reason}")]
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        return located, [Problem(source, first_line, 1, "", f"not valid YAML: {error}")]
    if node is None:
        return located, [Problem(source, first_line, 1, "", "the document is empty")]
    builder = _Builder(located, offset)
    located.data = builder.build(node, (), 0)
    if builder.aliased:
        builder.problems += _alias_problems(text, source, offset, builder.aliased)
    return located, builder.problems


def _line_and_column(text: str, byte_offset: int) -> tuple[int, int]:
    before = text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _code_point(character: int | str) -> str:
    code = character if isinstance(character, int) else ord(character[:1] or "\0")
    return f"U+{code:04X}"


# Nesting openers one after another: "- - - x", "? ? x", "[[[", with any tags or anchors between.
_OPENER = r"(?:[\[{]|[-?](?=[ \t\r\n]))[ \t\r\n]*(?:[!&][^ \t\r\n]*[ \t\r\n]+)*"
_OPENER_RUN = re.compile(f"(?:{_OPENER}){{{MAX_DEPTH + 1}}}")
_BRACKET = re.compile(r"[\[\]{}]")
_COMPOSE_STACK_BYTES = 256 * 1024 * 1024


def _too_deep(text: str) -> tuple[yaml.Mark, str] | None:
    """Where a document nests deeper than we accept, and under which top-level field.

    libyaml's composer recurses in C (a crash some 25,000 levels down) and slows down with the
    square of the depth; its event parser, stopped early, is instant. The text is scanned first
    for anything that could be deep (runs of openers, deep brackets), so that ordinary files
    are not parsed twice.
    """
    if not _may_be_deep(text):
        return None
    depth, top_field, expect_key = 0, "", True
    for event in yaml.parse(text, Loader=_Loader):
        if depth == 1 and isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            if expect_key:
                top_field = getattr(event, "value", "")
            expect_key = not expect_key
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 1:
                return event.start_mark, top_field
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            expect_key = True if depth == 1 else expect_key
    return None


def _may_be_deep(text: str) -> bool:
    if _OPENER_RUN.search(text):
        return True
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    depth = 0
    for bracket in _BRACKET.finditer(text):
        depth = depth + 1 if bracket.group() in "[{" else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            return True
    return False


@cache
def _composer() -> ThreadPoolExecutor:
    """One thread with room on its stack for libyaml's recursion, should a deep document get
    past ``_too_deep``: slow then, but never a crash."""
    previous = threading.stack_size(_COMPOSE_STACK_BYTES)
    try:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="yaml-compose")
        pool.submit(int).result()  # starts the thread while the larger stack size is in force
    finally:
        threading.stack_size(previous)
    return pool


def _alias_problems(text: str, source: str, offset: int, paths: list[Path]) -> list[Problem]:
    """Composed nodes keep the anchor's position; the events know where each alias stands."""
    marks = [event.start_mark for event in yaml.parse(text, Loader=_Loader) if isinstance(event, yaml.AliasEvent)]
    return [Problem(source, mark.line + 1 + offset, mark.column + 1, dotted(path),
                    "aliases (*name) are not allowed: write the value out in full")
            for mark, path in zip(marks, paths, strict=False)]


class _Builder:
    def __init__(self, located: Located, offset: int) -> None:
        self.located = located
        self.offset = offset
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.aliased: list[Path] = []  # where aliases stand, in document order

    def _where(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def _fail(self, node: yaml.Node, path: Path, message: str) -> None:
        line, column = self._where(node)
        self.problems.append(Problem(self.located.source, line, column, dotted(path), message))

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        if id(node) in self.seen:
            self.aliased.append(path)
            return None
        self.located.values[path] = self._where(node)
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self._fail(node, path, f"nested more than {MAX_DEPTH} levels deep")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth) if self._plain(node, path, "map") else None
        if isinstance(node, yaml.SequenceNode):
            if not self._plain(node, path, "seq"):
                return None
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _plain(self, node: yaml.Node, path: Path, kind: str) -> bool:
        """Mappings and lists carry no tag of their own: a tag asks for code to run."""
        if node.tag == _TAG + kind:
            return True
        self._fail(node, path, f"the tag '{node.tag}' is not allowed: remove it")
        return False

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self._fail(key_node, path, "merge keys (<<) are not allowed: write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _TAG + "str":
                self._fail(key_node, path, "mapping keys must be plain text")
                continue
            key = key_node.value
            if key in result:
                first_line = self.located.keys[(*path, key)][0]
                self._fail(key_node, (*path, key), f"duplicate key (first given on line {first_line})")
                continue
            self.located.keys[(*path, key)] = self._where(key_node)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        text, tag = node.value, node.tag.removeprefix(_TAG)
        if tag in ("str", "timestamp"):
            # Dates stay text: the schemas check their format, and no value changes type.
            if _CONTROL_CHARS.search(text):
                self._fail(node, path, "control or bidirectional-override characters are not allowed")
            return text
        if tag == "null":
            return None
        if tag == "bool":
            if text in ("true", "false"):
                return text == "true"
            self._fail(node, path, f"'{text}' would be read as a yes/no value; "
                                   f"write true or false, or quote it (\"{text}\") to keep the text")
            return text
        if tag == "int":
            if _CANONICAL_INT.fullmatch(text) and len(text.lstrip("+-")) <= MAX_INT_DIGITS:
                return int(text)
            self._fail(node, path, f"'{text}' would be read as a number; "
                                   f"quote it (\"{text}\") or write a plain whole number")
            return text
        if tag == "float":
            value = float(text) if re.fullmatch(r"[-+]?[0-9.]+([eE][-+]?[0-9]+)?", text) else None
            if value is not None and repr(value) == text.lstrip("+"):
                return value
            self._fail(node, path, f"'{text}' would be read as the number {_describe(text)}; "
                                   f"quote it (\"{text}\") to keep it as written")
            return text
        self._fail(node, path, f"the tag '{node.tag}' is not allowed: remove it")
        return None


def _describe(text: str) -> str:
    """What YAML 1.1 would have made of ``text`` (``.inf`` -> inf, ``1_0.5`` -> 10.5)."""
    try:
        return repr(yaml.load(text, Loader=_Loader))
    except (yaml.YAMLError, ValueError):
        return "something else"
