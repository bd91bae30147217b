"""Read a 1EdTech CASE 1.1 ``CFPackage`` (JSON) into the content layout of a handbook.

A reader of a foreign format, like the YAML reader: bytes in, plain data out, every problem
collected and located. ``read_case_package`` returns the files to write
(``curriculum/framework.yml``, ``curriculum/competencies/<id>.yml``, ``rubrics/<id>.yml``) as data,
with a report of what was imported, what was not, and which placeholders the owner has to replace;
writing, checking the result with the project's loader and moving it into place is the command's job
(``handbook.cli.import_case``).

How the package is read:

- **Levels**: the items that ``hasSkillLevel`` associations point to (or items of our item type
  ``level``), ordered by their ``precedes`` chain, else by ``listEnumeration``, else as listed. A
  package without them gives its levels through its rubrics: each distinct ``quality`` of the
  ``CFRubricCriterionLevels``, lowest score first.
- **The tree**: ``isChildOf``. Children of the document that have children are domains, their
  children competencies, and anything below a competency that ``hasSkillLevel`` a level a behaviour
  at that level. A child of the document without children is a competency of a domain named after
  the document. Items of our own item types (``typeCode`` domain, competency, behaviour) are taken for
  what they say they are.
- **Ids**: our ``extensions`` id when the package came from a handbook, else the ``humanCodingScheme``,
  ``abbreviatedStatement`` or ``fullStatement`` made into a slug; two items with the same id are a
  problem, never a silent overwrite.
- What the package cannot carry (case sections, facets, roles, reflection prompts, a rubric's purpose,
  evidence and scoring rule) is read from our ``extensions`` when present; otherwise a placeholder
  is written where the schema requires a value, and the report names it.

What is refused, all problems at once, each at its JSON pointer: a file that is not UTF-8 JSON, larger
than ``MAX_BYTES`` or nested deeper than ``MAX_DEPTH``, a duplicate key, ``NaN``, a string with control or
bidirectional-override characters or longer than ``MAX_TEXT``, a value of the wrong type, an
``identifier`` that is not a UUID, two items with one identifier or one id, an association whose
origin or destination is not in the package (for the association types that build the framework),
an id in our extensions that is not a plain id (``../../etc``).
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
MAX_TEXT = 20_000
EXTENSION = "livingHandbook"  # the exporter's key in ``extensions`` (handbook.render.case_package)

# The association types that build the framework: both of their ends must be in the package.
STRUCTURAL = ("isChildOf", "hasSkillLevel", "precedes", "isRelatedTo", "replacedBy")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")

PLACEHOLDER = "To be written: {what} (not in the CASE package)."


@dataclass(frozen=True, order=True)
class ImportProblem:
    """One thing wrong with the package, at a JSON pointer (``/CFItems/3/fullStatement``) or, for
    a file that is not JSON, at a line and column."""

    pointer: str
    message: str
    line: int = 0
    column: int = 0

    def where(self) -> str:
        if self.line:
            return f"{self.line}:{self.column}"
        return self.pointer or "/"


class PackageError(Exception):
    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.line, _pointer_key(p.pointer), p.message))
        super().__init__("\n".join(f"{p.where()}: {p.message}" for p in self.problems))


@dataclass
class CaseImport:
    """What a package gives: ``files`` (path relative to the project -> YAML data), the JSON
    pointer each file came from, and the report."""

    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    imported: list[str] = field(default_factory=list)
    not_imported: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)


def _pointer_key(pointer: str) -> tuple:
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in pointer.split("/"))


def pointer(*parts: object) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


# -- Reading the bytes ------------------------------------------------------------------------------


class _Object(dict):
    """A JSON object that remembers the keys it was given twice."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object()
    result.duplicates = []
    for key, value in pairs:
        if key in result:
            result.duplicates.append(key)
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse(data: bytes) -> Any:
    """The package's JSON, or ``PackageError``."""
    if len(data) > MAX_BYTES:
        raise PackageError([ImportProblem("", f"the package is {len(data):,} bytes; at most {MAX_BYTES:,} are read")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise PackageError([ImportProblem("", "not UTF-8: expected a JSON file in UTF-8", line, column)]) from None
    text = text.removeprefix("\ufeff")
    depth_problem = _too_deep(text)
    if depth_problem is not None:
        raise PackageError([depth_problem])
    try:
        return json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
    except json.JSONDecodeError as error:
        raise PackageError([ImportProblem("", f"not JSON: {error.msg}", error.lineno, error.colno)]) from None
    except (ValueError, RecursionError) as error:
        raise PackageError([ImportProblem("", f"not JSON: {error}")]) from None


def _too_deep(text: str) -> ImportProblem | None:
    blanked = _STRING.sub(lambda m: '"' + " " * (len(m.group()) - 2) + '"', text)
    depth = 0
    for match in _BRACKET.finditer(blanked):
        depth = depth + 1 if match.group() in "[{" else depth - 1
        if depth > MAX_DEPTH:
            offset = match.start()
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            return ImportProblem("", f"nested more than {MAX_DEPTH} levels deep", line, column)
    return None


def _plain(value: Any) -> Any:
    """The parsed package with plain ``dict`` objects (what YAML writers know)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _scan(value: Any, where: str, problems: list[ImportProblem]) -> None:
    """Duplicate keys and unsafe strings anywhere in the package."""
    if isinstance(value, dict):
        for key in getattr(value, "duplicates", []):
            problems.append(ImportProblem(pointer_join(where, key), "this key appears twice in its object; "
                                                                     "expected each key once"))
        for key, item in value.items():
            _scan_text(key, pointer_join(where, key), problems, key=True)
            _scan(item, pointer_join(where, key), problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _scan(item, pointer_join(where, index), problems)
    elif isinstance(value, str):
        _scan_text(value, where, problems)


def _scan_text(text: str, where: str, problems: list[ImportProblem], key: bool = False) -> None:
    what = "key" if key else "text"
    found = _UNSAFE.search(text)
    if found:
        problems.append(ImportProblem(where, f"the {what} holds the control character U+{ord(found.group()):04X}; "
                                             "expected printable text"))
    if len(text) > MAX_TEXT:
        problems.append(ImportProblem(where, f"the {what} is {len(text):,} characters long; expected at most "
                                             f"{MAX_TEXT:,}"))


def pointer_join(base: str, part: object) -> str:
    return base + pointer(part)


# -- Small typed readers ----------------------------------------------------------------------------


class _Reader:
    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(ImportProblem(where, message))

    def obj(self, value: Any, where: str, *, required: bool = True) -> dict[str, Any] | None:
        if value is None and not required:
            return None
        if not isinstance(value, dict):
            self.fail(where, f"expected an object, got {_kind(value)}")
            return None
        return value

    def entries(self, parent: dict[str, Any], key: str, where: str) -> Iterator[tuple[int, str, dict[str, Any]]]:
        """(index, pointer, entry) for each object of the array ``parent[key]``; anything else is reported."""
        for index, entry in enumerate(self.array(parent, key, where)):
            at = where + pointer(key, index)
            checked = self.obj(entry, at)
            if checked is not None:
                yield index, at, checked

    def array(self, parent: dict[str, Any], key: str, where: str) -> list[Any]:
        value = parent.get(key, [])
        if not isinstance(value, list):
            self.fail(pointer_join(where, key), f"expected an array, got {_kind(value)}")
            return []
        return value

    def text(self, parent: dict[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(pointer_join(where, key), "missing; expected a non-empty string")
            return None
        if not isinstance(value, str):
            self.fail(pointer_join(where, key), f"expected a string, got {_kind(value)}")
            return None
        if not value.strip():
            if required:
                self.fail(pointer_join(where, key), "empty; expected a non-empty string")
            return None
        return value.strip()

    def identifier(self, parent: dict[str, Any], key: str, where: str) -> str | None:
        value = self.text(parent, key, where, required=True)
        if value is None:
            return None
        try:
            uuid.UUID(value)
        except ValueError:
            self.fail(pointer_join(where, key), f"{_quote(value)} is not a UUID; expected an identifier such as "
                                                "c739fefe-4f94-4a75-9203-e8621a7c2a1a")
            return None
        return value.lower()

    def number(self, parent: dict[str, Any], key: str, where: str) -> Fraction | None:
        value = parent.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(pointer_join(where, key), f"expected a number, got {_kind(value)}")
            return None
        if not 0 <= value <= 1_000_000:
            self.fail(pointer_join(where, key), f"expected a number from 0 to 1000000, got {value}")
            return None
        return Fraction(str(value)) if isinstance(value, float) else Fraction(value)

    def checked(self, value: Any, where: str, schema: dict[str, Any]) -> bool:
        """``value`` against a part of one of our content schemas, every problem at its pointer."""
        errors = list(Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
                      .iter_errors(value))
        for error in errors:
            self.fail(where + "".join(pointer(part) for part in error.absolute_path), _short(error.message))
        return not errors


def _short(message: str) -> str:
    return message if len(message) <= 300 else message[:300] + "..."


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number") if not isinstance(value, dict) else "an object"


def _quote(value: str) -> str:
    return repr(value if len(value) <= 80 else value[:80] + "...")


@cache
def _schema(kind: str) -> dict[str, Any]:
    return json.loads(resources.files("handbook").joinpath("schemas", f"{kind}.schema.json").read_text("utf-8"))


def _part(kind: str, *path: str) -> dict[str, Any]:
    """A sub-schema of one of our content schemas, with its ``$defs``."""
    schema: Any = _schema(kind)
    part = schema
    for name in path:
        part = part[name]
    return {"$defs": schema["$defs"], **part}


def slug(text: str) -> str:
    """``"AB.1 Some Title"`` -> ``ab-1-some-title`` (at most 64 characters)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", folded)
    result = ""
    for word in words:
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > 64:
            break
        result = candidate
    return result or (words[0][:64] if words else "")


def _date(value: str | None) -> str | None:
    if value is None or not _DATE.match(value):
        return None
    day = value[:10]
    try:
        datetime.date.fromisoformat(day)
    except ValueError:
        return None
    return day


def _plain_number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def _look_fors(description: str | None) -> list[str]:
    if not description:
        return []
    lines = [line.strip() for line in description.splitlines() if line.strip()]
    if lines and all(line.startswith(("- ", "* ")) for line in lines):
        return [line[2:].strip() for line in lines if line[2:].strip()]
    return [" ".join(lines)]


# -- The package ------------------------------------------------------------------------------------


@dataclass
class _Item:
    index: int
    where: str
    data: dict[str, Any]
    identifier: str
    statement: str
    title: str | None
    code: str | None
    type_code: str | None
    id: str = ""

    @property
    def name(self) -> str:
        return self.title or self.statement

    @property
    def extension(self) -> dict[str, Any]:
        extensions = self.data.get("extensions")
        own = extensions.get(EXTENSION) if isinstance(extensions, dict) else None
        return own if isinstance(own, dict) else {}


class _PackageReader(_Reader):
    def __init__(self, package: Any, language: str | None) -> None:
        super().__init__()
        self.package, self.language = package, language
        self.result = CaseImport()

    def read(self) -> CaseImport:
        _scan(self.package, "", self.problems)
        self.package = _plain(self.package)
        root = self.obj(self.package, "")
        if root is None:
            raise PackageError(self.problems)
        document = self.obj(root.get("CFDocument"), "/CFDocument")
        if document is None:
            if "CFDocument" not in root:
                self.problems[-1] = ImportProblem("/CFDocument", "missing; expected the package's CFDocument object")
            raise PackageError(self.problems)
        self.document = document
        self.document_id = self.identifier(document, "identifier", "/CFDocument")
        self._own_id(self._extension(document, "/CFDocument"), "/CFDocument")
        self.refused: set[str] = set()
        self.item_types = self._item_types(root)
        self.items = self._items(root)
        self.associations = self._associations(root)
        if self.problems:
            raise PackageError(self.problems)
        self._build(root)
        if self.problems:
            raise PackageError(self.problems)
        return self.result

    # -- parts of the package ----------------------------------------------------------------------

    def _item_types(self, root: dict[str, Any]) -> dict[str, str]:
        """identifier -> typeCode of the package's CFItemTypes."""
        definitions = self.obj(root.get("CFDefinitions"), "/CFDefinitions", required=False) or {}
        codes = {}
        for _index, where, entry in self.entries(definitions, "CFItemTypes", "/CFDefinitions"):
            identifier = self.identifier(entry, "identifier", where)
            code = self.text(entry, "typeCode", where) or self.text(entry, "title", where)
            if identifier and code:
                codes[identifier] = code
        return codes

    def _items(self, root: dict[str, Any]) -> dict[str, _Item]:
        items: dict[str, _Item] = {}
        for index, where, entry in self.entries(root, "CFItems", ""):
            identifier = self.identifier(entry, "identifier", where)
            statement = self.text(entry, "fullStatement", where, required=True)
            title = self.text(entry, "abbreviatedStatement", where)
            code = self.text(entry, "humanCodingScheme", where)
            self.text(entry, "notes", where)
            type_code = None
            type_uri = self.obj(entry.get("CFItemTypeURI"), pointer_join(where, "CFItemTypeURI"), required=False)
            if type_uri is not None:
                type_code = self.item_types.get(str(type_uri.get("identifier", "")).lower())
            if identifier is None or statement is None:
                raw = entry.get("identifier")
                if isinstance(raw, str):
                    self.refused.add(raw.lower())  # its associations are not reported a second time
                continue
            if identifier in items or identifier == self.document_id:
                first = items[identifier].where if identifier in items else "/CFDocument"
                self.fail(pointer_join(where, "identifier"), f"the identifier {identifier} is also the one of {first}; "
                                                             "expected every identifier once")
                continue
            items[identifier] = _Item(index, where, entry, identifier, statement, title, code, type_code)
            self._own_id(items[identifier].extension, where)
        return items

    def _associations(self, root: dict[str, Any]) -> list[tuple[str, str, str, int | None, str]]:
        """(type, origin, destination, sequenceNumber, pointer) of every association."""
        found = []
        seen: dict[str, str] = {}
        nodes = set(self.items) | ({self.document_id} if self.document_id else set())
        for _index, where, entry in self.entries(root, "CFAssociations", ""):
            identifier = self.identifier(entry, "identifier", where)
            if identifier is not None:
                if identifier in seen:
                    self.fail(pointer_join(where, "identifier"), f"the identifier {identifier} is also the one of "
                                                                 f"{seen[identifier]}; expected every identifier once")
                seen[identifier] = where
            kind = self.text(entry, "associationType", where, required=True)
            ends = []
            for end in ("originNodeURI", "destinationNodeURI"):
                link = self.obj(entry.get(end), pointer_join(where, end))
                if link is None:
                    ends.append(None)
                    continue
                target = self.text(link, "identifier", pointer_join(where, end), required=True)
                ends.append(target.lower() if target else None)
            sequence = entry.get("sequenceNumber")
            if sequence is not None and (isinstance(sequence, bool) or not isinstance(sequence, int)):
                self.fail(pointer_join(where, "sequenceNumber"), f"expected an integer, got {_kind(sequence)}")
                sequence = None
            if kind is None or None in ends:
                continue
            if kind in STRUCTURAL:
                for end, target in zip(("originNodeURI", "destinationNodeURI"), ends, strict=True):
                    if target not in nodes and target not in self.refused:
                        self.fail(pointer(*where.strip("/").split("/"), end, "identifier"),
                                  f"{_quote(str(target))} is neither the document nor an item of the package; "
                                  f"expected the identifier of a CFItem for an {kind} association")
                if all(target in nodes for target in ends):
                    found.append((kind, ends[0], ends[1], sequence, where))
            else:
                found.append((kind, ends[0], ends[1], sequence, where))
        return found

    # -- turning it into our layout ----------------------------------------------------------------

    def _build(self, root: dict[str, Any]) -> None:
        document, result = self.document, self.result
        ext = self._extension(document, "/CFDocument")
        typed = {item.identifier: item.type_code for item in self.items.values()}
        skill = [(o, d) for kind, o, d, _, _ in self.associations if kind == "hasSkillLevel"]
        level_ids = {d for _, d in skill} | {i for i, code in typed.items() if code == "level"}
        levels = self._order_levels([self.items[i] for i in level_ids if i != self.document_id])
        children: dict[str, list[tuple[int, int, str]]] = {}
        parents: dict[str, str] = {}
        for kind, origin, destination, sequence, _ in self.associations:
            if kind != "isChildOf" or origin in level_ids or origin == self.document_id:
                continue
            if origin in parents:
                result.not_imported.append(f"a second parent of {self.items[origin].where} (an item sits in one "
                                           "place of the tree; the first isChildOf is used)")
                continue
            parents[origin] = destination
            order = sequence if sequence is not None else 1 << 30
            children.setdefault(destination, []).append((order, self.items[origin].index, origin))
        for siblings in children.values():
            siblings.sort()
        title = self.text(document, "title", "/CFDocument", required=True) or ""
        framework_id = self._own_id(ext, "/CFDocument") or slug(title)
        if not framework_id:
            self.fail("/CFDocument/title", "gives no id: expected a title with letters or digits")
        level_rows = self._levels(levels, root)
        if len(level_rows) < 2:
            self.fail("", "the package defines fewer than two proficiency levels: expected items that hasSkillLevel "
                          "associations point to, or CFRubricCriterionLevels with a quality")
        if self.problems:
            return
        for item, row in zip(levels, level_rows, strict=False):
            item.id = row["id"]
        # The tree: domains, competencies, behaviours.
        domains, competencies = self._tree(children, typed, level_ids, title)
        ids_seen: dict[tuple[str, str], str] = {}
        for kind, group in (("domain", domains), ("competency", [c for _, c in competencies])):
            for item in group:
                key = (kind, item.id)
                if key in ids_seen:
                    self.fail(pointer_join(item.where, "humanCodingScheme" if item.code else "fullStatement"),
                              f"gives the {kind} id '{item.id}', which {ids_seen[key]} already has; expected "
                              "every id once")
                ids_seen[key] = item.where
        if self.problems:
            return
        framework = self._framework(document, ext, framework_id, title, level_rows, domains)
        result.files["curriculum/framework.yml"] = framework
        result.origins["curriculum/framework.yml"] = "/CFDocument"
        by_identifier = {item.identifier: item for _, item in competencies}
        role_ids = [role["id"] for role in framework["roles"]]
        behaviour_count = 0
        for domain, competency in competencies:
            data, count = self._competency(domain, competency, level_rows, levels, children, by_identifier, role_ids,
                                           framework["released"])
            behaviour_count += count
            path = f"curriculum/competencies/{competency.id}.yml"
            result.files[path], result.origins[path] = data, competency.where
        rubrics = 0
        for index, entry in enumerate(self.array(root, "CFRubrics", "")):
            rubric = self._rubric(entry, pointer("CFRubrics", index), level_rows, by_identifier, framework)
            if rubric is not None:
                path = f"rubrics/{rubric['id']}.yml"
                if path in result.files:
                    self.fail(pointer("CFRubrics", index), f"gives the rubric id '{rubric['id']}' twice; expected "
                                                           "every id once")
                    continue
                result.files[path], result.origins[path] = rubric, pointer("CFRubrics", index)
                rubrics += 1
        result.imported.insert(0, f"framework '{framework['title']}' ({framework['id']}): {len(level_rows)} levels, "
                                  f"{len(domains)} domains, {len(competencies)} competencies with {behaviour_count} "
                                  f"behaviours, {rubrics} rubrics")
        other = sorted({kind for kind, *_ in self.associations if kind not in STRUCTURAL})
        if other:
            result.not_imported.append(f"associations of type {', '.join(other)} (the handbook has no place for them)")
        result.not_imported.append("cases: CASE has no case scenarios; write them in cases/")

    def _extension(self, data: dict[str, Any], where: str) -> dict[str, Any]:
        extensions = data.get("extensions")
        if isinstance(extensions, list):  # CFRubricCriterionLevel's extensions are an array
            extensions = next((e for e in extensions if isinstance(e, dict) and EXTENSION in e), {})
        if not isinstance(extensions, dict) or EXTENSION not in extensions:
            return {}
        own = self.obj(extensions[EXTENSION], f"{where}/extensions/{EXTENSION}")
        return own or {}

    def _own_id(self, ext: dict[str, Any], where: str, key: str = "id") -> str | None:
        value = ext.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not _ID.match(value) or len(value) > 64:
            self.fail(f"{where}/extensions/{EXTENSION}/{key}",
                      f"{_quote(str(value))} is not an id; expected lowercase letters and digits separated by "
                      "hyphens, e.g. first-item")
            return None
        return value

    def _item_id(self, item: _Item) -> str:
        own = self._own_id(item.extension, item.where) if item.extension else None
        if own:
            return own
        for text in (item.code, item.title, item.statement):
            if text and slug(text):
                return slug(text)
        return f"item-{item.identifier[:8]}"

    def _order_levels(self, levels: list[_Item]) -> list[_Item]:
        ids = {item.identifier for item in levels}
        following = {o: d for kind, o, d, _, _ in self.associations if kind == "precedes" and o in ids and d in ids}
        firsts = ids - set(following.values())
        if len(firsts) == 1 and len(following) == len(ids) - 1:
            chain, current = [], next(iter(firsts))
            while current is not None and current not in chain:
                chain.append(current)
                current = following.get(current)
            if len(chain) == len(ids):
                return [next(item for item in levels if item.identifier == i) for i in chain]

        def rank(item: _Item) -> tuple[float, int]:
            try:
                return float(str(item.data.get("listEnumeration"))), item.index
            except ValueError:
                return float("inf"), item.index
        return sorted(levels, key=rank)

    def _levels(self, levels: list[_Item], root: dict[str, Any]) -> list[dict[str, str]]:
        rows = []
        if levels:
            for item in levels:
                item.id = self._item_id(item)
                rows.append({"id": item.id, "name": item.name, "descriptor": item.statement})
        else:
            qualities: dict[str, tuple[Fraction, str]] = {}
            for r, rubric in enumerate(root.get("CFRubrics") or [] if isinstance(root.get("CFRubrics"), list) else []):
                for c, criterion in enumerate((rubric or {}).get("CFRubricCriteria") or []
                                              if isinstance(rubric, dict) else []):
                    for v, level in enumerate(criterion.get("CFRubricCriterionLevels") or []
                                              if isinstance(criterion, dict) else []):
                        if not isinstance(level, dict):
                            continue
                        where = pointer("CFRubrics", r, "CFRubricCriteria", c, "CFRubricCriterionLevels", v)
                        quality, score = self.text(level, "quality", where), self.number(level, "score", where)
                        if quality and score is not None:
                            qualities.setdefault(quality, (score, where))
            for quality, _ in sorted(qualities.items(), key=lambda entry: entry[1][0]):
                rows.append({"id": slug(quality) or f"level-{len(rows) + 1}", "name": quality,
                             "descriptor": PLACEHOLDER.format(what=f"what a person at the level {quality} does")})
            if rows:
                self.result.placeholders.append("curriculum/framework.yml: the levels' descriptors (levels taken "
                                                "from the rubrics' criterion levels)")
        seen: dict[str, int] = {}
        for index, row in enumerate(rows):
            if row["id"] in seen:
                where = levels[index].where if levels else "/CFRubrics"
                self.fail(where, f"gives the level id '{row['id']}' twice; expected every id once")
            seen[row["id"]] = index
        return rows

    def _tree(self, children: dict[str, list[tuple[int, int, str]]], typed: dict[str, str | None],
              level_ids: set[str], title: str) -> tuple[list[_Item], list[tuple[_Item, _Item]]]:
        domains: list[_Item] = []
        competencies: list[tuple[_Item, _Item]] = []
        loose: list[_Item] = []
        for _, _, identifier in children.get(self.document_id or "", []):
            item = self.items[identifier]
            kids = [self.items[i] for _, _, i in children.get(identifier, []) if i not in level_ids]
            if typed.get(identifier) == "competency" or (typed.get(identifier) != "domain" and not kids):
                loose.append(item)
                continue
            item.id = self._item_id(item)
            domains.append(item)
            for kid in kids:
                kid.id = self._item_id(kid)
                competencies.append((item, kid))
        if loose:
            domain = _Item(-1, "/CFDocument", {}, self.document_id or "", title, title, None, "domain")
            domain.id = slug(title) or "domain"
            domains.append(domain)
            for item in loose:
                item.id = self._item_id(item)
                competencies.append((domain, item))
            self.result.not_imported.append(f"a domain for {len(loose)} items directly below the document: they "
                                            f"were put in a domain named after the document ('{title}')")
        reachable = {c.identifier for _, c in competencies} | {d.identifier for d in domains}
        orphans = [item for item in self.items.values() if item.identifier not in level_ids
                   and item.identifier not in reachable and not self._below(item.identifier, reachable)]
        if orphans:
            self.result.not_imported.append(f"{len(orphans)} items outside the document's tree (no isChildOf path to "
                                            f"the document), e.g. {orphans[0].where}")
        return domains, competencies

    def _below(self, identifier: str, tops: set[str]) -> bool:
        parents = {o: d for kind, o, d, _, _ in self.associations if kind == "isChildOf"}
        seen = set()
        while identifier in parents and identifier not in seen:
            seen.add(identifier)
            identifier = parents[identifier]
            if identifier in tops:
                return True
        return False

    def _framework(self, document: dict[str, Any], ext: dict[str, Any], framework_id: str, title: str,
                   levels: list[dict[str, str]], domains: list[_Item]) -> dict[str, Any]:
        placeholders = self.result.placeholders
        version = self.text(document, "version", "/CFDocument")
        if version is not None and not _SEMVER.match(version):
            parts = re.findall(r"\d+", version)
            version = ".".join([*parts, "0", "0", "0"][:3]) if parts and len(parts) <= 3 else None
            version = ".".join(str(int(p)) for p in version.split(".")) if version else None
        if version is None:
            version = "0.1.0"
            placeholders.append("curriculum/framework.yml: version (the package gives no semantic version)")
        released = _date(self.text(document, "statusStartDate", "/CFDocument")) or _date(
            self.text(document, "lastChangeDateTime", "/CFDocument"))
        if released is None:
            self.fail("/CFDocument/lastChangeDateTime", "expected a date-time such as 2025-01-01T00:00:00Z")
            released = "1970-01-01"
        language = self.text(document, "language", "/CFDocument") or self.language
        if language is None or not _LANGUAGE.match(language):
            self.fail("/CFDocument/language", f"{_quote(str(language)) if language else 'missing'}; expected a "
                                              "language tag such as pt-BR (or give one with --language)")
        status = ext.get("status")
        if status not in ("draft", "published", "retired"):
            adoption = (self.text(document, "adoptionStatus", "/CFDocument") or "").casefold()
            status = {"adopted": "published", "deprecated": "retired"}.get(adoption, "draft")
        framework: dict[str, Any] = {"id": framework_id, "title": title, "version": version, "released": released,
                                     "status": status, "default_language": language or ""}
        description = self.text(document, "description", "/CFDocument")
        if description:
            framework["description"] = description
        framework["levels"] = levels
        framework["domains"] = [{"id": d.id, "title": d.name,
                                 **({"description": d.statement} if d.title and d.statement != d.title else {})}
                                for d in domains]
        where = f"/CFDocument/extensions/{EXTENSION}"
        for key, placeholder in (
            ("roles", [{"id": "all-roles", "title": "All roles",
                        "description": PLACEHOLDER.format(what="the roles the program serves")}]),
            ("case_sections", [{"id": "case", "title": "Case", "required": True, "audience": "everyone"}]),
            ("facets", []),
        ):
            given = ext.get(key)
            if given is not None and self.checked(given, f"{where}/{key}", _part("framework", "properties", key)):
                framework[key] = given
            else:
                framework[key] = placeholder
                if placeholder:
                    placeholders.append(f"curriculum/framework.yml: {key} (CASE has no place for them)")
        certification = ext.get("certification")
        if certification and self.checked(certification, f"{where}/certification",
                                          _part("framework", "properties", "certification")):
            framework["certification"] = certification
        return framework

    def _competency(self, domain: _Item, item: _Item, level_rows: list[dict[str, str]], levels: list[_Item],
                    children: dict[str, list[tuple[int, int, str]]], competencies: dict[str, _Item],
                    role_ids: list[str], released: str) -> tuple[dict[str, Any], int]:
        ext, where = item.extension, item.where
        level_of = {item.identifier: row["id"] for item, row in zip(levels, level_rows, strict=False)}
        skill = {o: d for kind, o, d, _, _ in self.associations if kind == "hasSkillLevel"}
        behaviours: dict[str, list[str]] = {row["id"]: [] for row in level_rows}
        unleveled = 0
        stack = [i for _, _, i in reversed(children.get(item.identifier, []))]
        seen: set[str] = set()
        count = 0
        while stack:
            identifier = stack.pop()
            if identifier in seen:
                continue
            seen.add(identifier)
            level = level_of.get(skill.get(identifier, ""))
            if level is not None:
                behaviours[level].append(self.items[identifier].statement)
                count += 1
            else:
                unleveled += 1
            stack.extend(i for _, _, i in reversed(children.get(identifier, [])))
        path = f"curriculum/competencies/{item.id}.yml"
        if unleveled:
            self.result.not_imported.append(f"{path}: {unleveled} statements below the competency without a "
                                            f"hasSkillLevel level ({where})")
        missing = [level for level, texts in behaviours.items() if not texts]
        for level in missing:
            behaviours[level] = [PLACEHOLDER.format(what=f"an observable behaviour at the level {level}")]
        if missing:
            self.result.placeholders.append(f"{path}: behaviours at {', '.join(missing)}")
        data: dict[str, Any] = {"id": item.id, "domain": domain.id, "title": item.name, "summary": item.statement}
        why = self.text(item.data, "notes", where)
        data["why_it_matters"] = why or PLACEHOLDER.format(what="why the competency matters")
        data["behaviours"] = behaviours
        prompts = ext.get("reflection_prompts")
        ext_where = f"{where}/extensions/{EXTENSION}"
        schema = _schema("competency")["properties"]
        if prompts is not None and self.checked(prompts, f"{ext_where}/reflection_prompts",
                                                {"$defs": {}, **schema["reflection_prompts"]}):
            data["reflection_prompts"] = prompts
        else:
            data["reflection_prompts"] = [PLACEHOLDER.format(what="a question a learner asks themselves")]
            self.result.placeholders.append(f"{path}: reflection_prompts")
        if not why:
            self.result.placeholders.append(f"{path}: why_it_matters")
        related = [competencies[d].id for kind, o, d, _, _ in self.associations
                   if kind == "isRelatedTo" and o == item.identifier and d in competencies and d != item.identifier]
        if related:
            data["related"] = list(dict.fromkeys(related))
        roles = ext.get("roles")
        if isinstance(roles, list) and roles and all(role in role_ids for role in roles):
            data["roles"] = roles
        else:
            if roles is not None:
                self.fail(f"{ext_where}/roles", f"expected ids of the document's roles ({', '.join(role_ids)})")
            data["roles"] = list(role_ids)
        replaced = [competencies[d].id for kind, o, d, _, _ in self.associations
                    if kind == "replacedBy" and o == item.identifier and d in competencies]
        status = ext.get("status")
        if status not in ("active", "deprecated"):
            status = "deprecated" if replaced else "active"
        data["status"] = status
        if replaced and status == "deprecated":
            data["replaced_by"] = replaced[0]
        reviewed = ext.get("last_reviewed")
        data["last_reviewed"] = (_date(reviewed) if isinstance(reviewed, str) else None) or _date(
            self.text(item.data, "lastChangeDateTime", where)) or released
        return data, count

    def _rubric(self, entry: Any, where: str, level_rows: list[dict[str, str]], competencies: dict[str, _Item],
                framework: dict[str, Any]) -> dict[str, Any] | None:
        entry = self.obj(entry, where)
        if entry is None:
            return None
        ext = self._extension(entry, where)
        ext_where = f"{where}/extensions/{EXTENSION}"
        title = self.text(entry, "title", where) or self.text(entry, "description", where)
        if title is None:
            self.result.not_imported.append(f"the rubric at {where}: it has neither a title nor a description")
            return None
        rubric_id = self._own_id(ext, where) or slug(title) or f"rubric-{len(self.result.files)}"
        path = f"rubrics/{rubric_id}.yml"
        placeholders = []
        names = {row["name"].casefold(): row["id"] for row in level_rows} | {row["id"]: row["id"] for row in level_rows}
        level_order = [row["id"] for row in level_rows]
        scale: dict[str, tuple[Fraction, str]] = {}
        criteria = []
        by_competency_id = {item.id: item for item in competencies.values()}
        for index, criterion in enumerate(self.array(entry, "CFRubricCriteria", where)):
            c_where = pointer_join(pointer_join(where, "CFRubricCriteria"), index)
            criterion = self.obj(criterion, c_where)
            if criterion is None:
                continue
            c_ext = self._extension(criterion, c_where)
            c_title = self.text(criterion, "category", c_where) or self.text(criterion, "description", c_where)
            if c_title is None:
                self.result.not_imported.append(f"{path}: the criterion at {c_where} (no category or description)")
                continue
            description = self.text(criterion, "description", c_where) or c_title
            c_id = self._own_id(c_ext, c_where) or slug(c_title) or f"criterion-{index + 1}"
            named = c_ext.get("competencies")
            if isinstance(named, list) and named and all(isinstance(c, str) and c in by_competency_id for c in named):
                assessed = list(dict.fromkeys(named))
            else:
                if named is not None:
                    self.fail(f"{c_where}/extensions/{EXTENSION}/competencies",
                              "expected ids of competencies in the package")
                link = criterion.get("CFItemURI")
                target = str(link.get("identifier", "")).lower() if isinstance(link, dict) else ""
                if target not in competencies:
                    self.result.not_imported.append(f"{path}: the rubric, since its criterion at {c_where} names no "
                                                    "competency of the package (CFItemURI)")
                    return None
                assessed = [competencies[target].id]
            look_fors: dict[str, list[str]] = {}
            for v, level in enumerate(self.array(criterion, "CFRubricCriterionLevels", c_where)):
                l_where = pointer_join(pointer_join(c_where, "CFRubricCriterionLevels"), v)
                level = self.obj(level, l_where)
                if level is None:
                    continue
                l_ext = self._extension(level, l_where)
                quality = self.text(level, "quality", l_where)
                score = self.number(level, "score", l_where)
                level_id = l_ext.get("level") if l_ext.get("level") in level_order else None
                if level_id is None and quality:
                    level_id = names.get(quality.casefold()) or names.get(slug(quality))
                if level_id is None or score is None:
                    self.result.not_imported.append(f"{path}: the criterion level at {l_where} (no level of the "
                                                    "framework matches its quality, or it has no score)")
                    continue
                label = l_ext.get("label") if isinstance(l_ext.get("label"), str) else quality
                known = scale.setdefault(level_id, (score, label or ""))
                if known[0] != score:
                    self.fail(pointer_join(l_where, "score"),
                              f"the level '{level_id}' scores {_plain_number(known[0])} in another criterion; "
                              "expected one scale for the rubric")
                texts = l_ext.get("look_fors")
                if not (isinstance(texts, list) and texts and all(isinstance(t, str) and t.strip() for t in texts)):
                    texts = _look_fors(self.text(level, "description", l_where))
                if texts:
                    look_fors.setdefault(level_id, []).extend(texts)
            for level_id in level_order:
                if level_id not in look_fors:
                    look_fors[level_id] = [PLACEHOLDER.format(what=f"what evidence looks like at {level_id}")]
                    placeholders.append(f"look-fors of {c_id} at {level_id}")
            row: dict[str, Any] = {"id": c_id, "title": c_title, "description": description, "competencies": assessed,
                                   "look_fors": {level: look_fors[level] for level in level_order}}
            floor = c_ext.get("floor")
            if isinstance(floor, int | float) and not isinstance(floor, bool):
                row["floor"] = floor
            weight = self.number(criterion, "weight", c_where)
            if weight is not None and weight > 0 and weight != 1:
                row["weight"] = _plain_number(weight)
            criteria.append(row)
        if not criteria:
            self.result.not_imported.append(f"{path}: the rubric, since none of its criteria could be imported")
            return None
        points = sorted((scale[level][0], level) for level in level_order if level in scale)
        if len(points) < 2:
            self.result.not_imported.append(f"{path}: the rubric, since its criterion levels give fewer than two "
                                            "points of the scale")
            return None
        level_names = {row["id"]: row["name"] for row in level_rows}
        scale_rows = []
        for score, level in points:
            point: dict[str, Any] = {"score": _plain_number(score), "level": level}
            label = scale[level][1]
            if label and label != level_names[level]:
                point["label"] = label
            scale_rows.append(point)
        lowest = points[0][0]
        for row in criteria:
            if "floor" not in row:
                row["floor"] = _plain_number(lowest)
                placeholders.append(f"the floor of {row['id']} (set to the lowest score)")
        data: dict[str, Any] = {"id": rubric_id, "title": title}
        version = ext.get("version")
        if isinstance(version, str) and _SEMVER.match(version):
            data["version"] = version
        summary = ext.get("summary") if isinstance(ext.get("summary"), str) and ext["summary"].strip() else None
        data["summary"] = summary or self.text(entry, "description", where) or title
        rubric_schema = _schema("rubric")["properties"]
        for key, what in (("purpose", "what the entry demonstrates and why the program asks for it"),
                          ("evidence", "what the candidate submits")):
            given = ext.get(key)
            if given is not None and self.checked(given, f"{ext_where}/{key}", {"$defs": {}, **rubric_schema[key]}):
                data[key] = given
            else:
                data[key] = PLACEHOLDER.format(what=what) if key == "purpose" else [PLACEHOLDER.format(what=what)]
                placeholders.append(key)
        data["scale"] = scale_rows
        scoring = ext.get("scoring")
        if scoring is not None and self.checked(scoring, f"{ext_where}/scoring", _part("rubric", "properties",
                                                                                        "scoring")):
            data["scoring"] = scoring
        else:
            scoring = {"aggregate": "mean", "threshold": _plain_number(points[-1][0])}
            fractions = [score for score, _ in points if score.denominator != 1]
            if fractions:
                step = Fraction(1)
                for score, _ in points:
                    step = _gcd(step, score)
                scoring["step"] = _plain_number(step)
            data["scoring"] = scoring
            placeholders.append("scoring (a mean with the threshold at the top score: set the program's rule)")
        data["criteria"] = criteria
        if placeholders:
            self.result.placeholders.append(f"{path}: {'; '.join(placeholders)}")
        return data


def _gcd(a: Fraction, b: Fraction) -> Fraction:
    while b:
        a, b = b, a % b
    return abs(a)


def read_case_package(path: Path, *, language: str | None = None) -> CaseImport:
    """The content a CASE package at ``path`` gives, or ``PackageError`` with every problem."""
    try:
        if not path.is_file():
            raise PackageError([ImportProblem("", "not a regular file; expected a CASE package in JSON")])
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise PackageError([ImportProblem("", f"cannot be read: {error.strerror or error}")]) from None
    return read_package_data(parse(data), language=language)


def read_package_data(package: Any, *, language: str | None = None) -> CaseImport:
    return _PackageReader(package, language).read()
