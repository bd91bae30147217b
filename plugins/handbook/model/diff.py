"""The semantic diff of two content libraries: what changed, item by item, by stable id.

Both sides are read as documents, never as YAML text, so a reformatted file with the same content
is no change. Every item has a reference (``competency/<id>``, ``criterion/<rubric>/<id>``,
``facet/<facet>/<value>``...), the form deprecations use. Lists of text without ids (behaviours
and look-fors per level) are matched by their words: a text found at another level is a move,
a close one at the same level a change, with the changed words marked.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from handbook.sources.documents import Document

# What a change is, for the version policy: scoring changes how entries are marked; removal
# breaks links and references; content adds; wording rephrases.
SCORING, REMOVAL, CONTENT, WORDING = "scoring", "removal", "content", "wording"
CATEGORIES = (SCORING, REMOVAL, CONTENT, WORDING)
# Fields whose every change is a scoring change, by kind of item (the schemas' own names).
SCORING_FIELDS = {"rubric": {"scale", "scoring", "threshold", "aggregate"}, "criterion": {"floor", "weight"}}
# Kinds whose items are a scale: adding, removing or reordering one changes scoring.
SCORING_KINDS = {"level", "criterion"}
# Front matter and framework fields that are bookkeeping, not content.
_BOOKKEEPING = {"framework": {"version", "released"}}
_WORD = re.compile(r"\s+|[^\s\w]|\w+")
_SECTION = re.compile(r"^##(?!#)\s*.*?\{#(?P<id>[^}\s]*)\}\s*$", re.MULTILINE)
_SIMILAR_SAME_GROUP, _SIMILAR_OTHER_GROUP, _SIMILAR_RENAME = 0.5, 0.75, 0.8


@dataclass
class Item:
    """One thing the curriculum holds, with its fields as plain, comparable data."""

    ref: str
    kind: str
    title: str
    data: dict[str, Any]
    source: str
    document: Document | None = field(default=None, repr=False, compare=False)
    path: tuple = ()

    def line(self, *keys: Any) -> int:
        """The line of ``keys`` below this item in its file, or of the item itself."""
        if self.document is None:
            return 1
        if keys[:1] == ("sections",) and len(keys) > 1 and self.document.body:
            return self._section_line(str(keys[1]))
        located = self.document.located
        full = (*self.path, *keys)
        while full:
            try:
                return located.position(full)[0]
            except (KeyError, IndexError, TypeError, ValueError):
                full = full[:-1]
        return 1


    def _section_line(self, section: str) -> int:
        assert self.document is not None
        for match in _SECTION.finditer(self.document.body):
            if match["id"] == section:
                return self.document.body_line + self.document.body[:match.start()].count("\n")
        return self.document.body_line


@dataclass
class Snapshot:
    """A content library as the diff sees it."""

    label: str
    items: dict[str, Item]
    version: str = ""
    version_line: tuple[str, int] = ("", 1)
    releases: dict[str, dict[str, Any]] = field(default_factory=dict)
    releases_source: str = ""
    # item ref -> (replaced_by or None, version that deprecated it, "path:line")
    deprecations: dict[str, tuple[str | None, str, str]] = field(default_factory=dict)
    # (language, item ref) -> translation state; (language, item ref, "text") -> a fingerprint
    translations: dict[tuple[str, str], str] = field(default_factory=dict)
    translation_files: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass
class Change:
    ref: str
    kind: str
    change: str  # added, removed, changed, moved, renamed, reordered
    category: str
    field: str = ""
    before: Any = None
    after: Any = None
    from_group: str = ""
    to_group: str = ""
    where: str = ""
    title: str = ""
    renamed_to: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = {"item": self.ref, "kind": self.kind, "change": self.change, "category": self.category,
                "field": self.field, "title": self.title, "where": self.where,
                "before": self.before, "after": self.after}
        if self.from_group or self.to_group:
            data.update({"from": self.from_group, "to": self.to_group})
        if self.renamed_to:
            data["renamed_to"] = self.renamed_to
        if isinstance(self.before, str) and isinstance(self.after, str):
            data["words"] = [[op, text] for op, text in word_diff(self.before, self.after)]
        return data


@dataclass
class TranslationChange:
    language: str
    ref: str
    before: str
    after: str
    file: str

    def as_dict(self) -> dict[str, str]:
        return {"language": self.language, "item": self.ref, "before": self.before, "after": self.after,
                "file": self.file}


@dataclass
class Diff:
    base: Snapshot
    head: Snapshot
    changes: list[Change]
    translations: list[TranslationChange]

    def categories(self) -> set[str]:
        return {change.category for change in self.changes}

    def count(self, change: str) -> int:
        return sum(item.change == change for item in self.changes)


# --- reading a library into items -------------------------------------------------------------

def snapshot(label: str, sources: dict[str, list[Document]], translations: dict[str, list[Document]] | None = None,
             states: dict[tuple[str, str], str] | None = None) -> Snapshot:
    """The items of one library. ``states``: (language, "kind/id") -> translation state."""
    items: dict[str, Item] = {}
    shot = Snapshot(label, items, translations=dict(states or {}))
    for document in sources.get("framework", [])[:1]:
        data = document.data
        shot.version = str(data.get("version", ""))
        shot.version_line = (document.source, _line(document, ("version",)))
        _add(items, Item("framework", "framework", str(data.get("title", "")),
                         _plain({k: v for k, v in data.items() if k not in _VOCABULARIES | _BOOKKEEPING["framework"]}),
                         document.source, document))
        for key, kind in (("levels", "level"), ("domains", "domain"), ("roles", "role"),
                          ("case_sections", "case-section")):
            for index, entry in enumerate(_identified(data.get(key))):
                _add(items, Item(f"{kind}/{entry['id']}", kind, _title(entry),
                                 {**_plain(_without_id(entry)), **({"rank": index + 1} if kind == "level" else {})},
                                 document.source, document, (key, index)))
        for index, facet in enumerate(_identified(data.get("facets"))):
            values = _identified(facet.get("values"))
            _add(items, Item(f"facet/{facet['id']}", "facet", _title(facet),
                             _plain({k: v for k, v in facet.items() if k not in ("id", "values")}),
                             document.source, document, ("facets", index)))
            for position, value in enumerate(values):
                _add(items, Item(f"facet/{facet['id']}/{value['id']}", "facet-value", _title(value),
                                 _plain(_without_id(value)), document.source, document,
                                 ("facets", index, "values", position)))
    for document in sources.get("competency", []):
        _add(items, _document_item("competency", document))
    for document in sources.get("case", []):
        item = _document_item("case", document)
        item.data["sections"] = split_body(document.body)
        _add(items, item)
    for document in sources.get("rubric", []):
        data = document.data
        rubric_id = str(data.get("id", document.stem))
        item = Item(f"rubric/{rubric_id}", "rubric", _title(data),
                    _plain({k: v for k, v in data.items() if k not in ("id", "criteria")}), document.source, document)
        _add(items, item)
        for index, criterion in enumerate(_identified(data.get("criteria"))):
            _add(items, Item(f"criterion/{rubric_id}/{criterion['id']}", "criterion", _title(criterion),
                             _plain(_without_id(criterion)), document.source, document, ("criteria", index)))
    for document in sources.get("releases", [])[:1]:
        shot.releases_source = document.source
        releases = document.data.get("releases")
        if isinstance(releases, dict):
            shot.releases = {str(k): v for k, v in releases.items() if isinstance(v, dict)}
        for version, release in shot.releases.items():
            for index, entry in enumerate(release.get("deprecated") or []):
                if isinstance(entry, dict) and isinstance(entry.get("item"), str):
                    where = f"{document.source}:{_line(document, ('releases', version, 'deprecated', index))}"
                    shot.deprecations[entry["item"]] = (entry.get("replaced_by"), version, where)
    for item in list(items.values()):  # a competency marked deprecated in its own file counts too
        if item.kind == "competency" and item.data.get("status") == "deprecated" and item.ref not in shot.deprecations:
            replaced = item.data.get("replaced_by")
            shot.deprecations[item.ref] = (f"competency/{replaced}" if replaced else None, shot.version,
                                           f"{item.source}:{item.line('status')}")
    for language, group in (translations or {}).items():
        for document in group:
            ref = _translation_ref(document)
            if ref is not None:
                shot.translation_files[(language, ref)] = document.source
    return shot


_VOCABULARIES = {"id", "levels", "domains", "roles", "case_sections", "facets"}


def _document_item(kind: str, document: Document) -> Item:
    data = document.data
    item_id = str(data.get("id", document.stem))
    return Item(f"{kind}/{item_id}", kind, _title(data), _plain(_without_id(data)), document.source, document)


def _translation_ref(document: Document) -> str | None:
    if document.kind == "framework":
        return "framework"
    if document.kind in ("competency", "case", "rubric"):
        return f"{document.kind}/{document.stem}"
    return None


def _add(items: dict[str, Item], item: Item) -> None:
    items.setdefault(item.ref, item)  # a duplicate id is validation's to report


def _identified(value: Any) -> list[dict]:
    return [entry for entry in value if isinstance(entry, dict) and isinstance(entry.get("id"), str)] \
        if isinstance(value, list) else []


def _without_id(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "id"}


def _title(data: dict) -> str:
    for key in ("title", "name", "term"):
        if isinstance(data.get(key), str):
            return data[key]
    return ""


def _line(document: Document, path: tuple) -> int:
    try:
        return document.located.position(path)[0]
    except (KeyError, IndexError, TypeError, ValueError):
        return 1


def _plain(value: Any) -> Any:
    """Comparable data: text with its line breaks folded as YAML's folded style reads it,
    lists of identified entries as mappings by id."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        entries = _identified(value)
        if entries and len(entries) == len(value):
            return {entry["id"]: _plain(_without_id(entry)) for entry in entries}
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return value.strip()
    return value


def split_body(body: str) -> dict[str, str]:
    """A case body's sections by id, each section's text with its spacing normalised."""
    headings = list(_SECTION.finditer(body))
    sections = {}
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(body)
        text = body[heading.end():end].strip()
        sections[heading["id"]] = "\n".join(line.rstrip() for line in text.splitlines())
    return sections


# --- comparing ----------------------------------------------------------------------------------

def compare(base: Snapshot, head: Snapshot) -> Diff:
    changes: list[Change] = []
    removed = [ref for ref in base.items if ref not in head.items]
    added = [ref for ref in head.items if ref not in base.items]
    renames = _renames(base, head, removed, added)
    for ref, item in head.items.items():
        if ref in base.items:
            changes += _item_changes(base.items[ref], item)
    for old, new in renames.items():
        before, after = base.items[old], head.items[new]
        changes.append(Change(old, before.kind, "renamed", _removal_category(before), before=old, after=new,
                              where=f"{after.source}:{after.line()}", title=after.title, renamed_to=new))
        changes += [_renamed(change, old) for change in _item_changes(before, after)]
    for ref in removed:
        if ref not in renames:
            item = base.items[ref]
            changes.append(Change(ref, item.kind, "removed", _removal_category(item), before=item.title,
                                  where=f"{item.source}:{item.line()}", title=item.title))
    renamed_targets = set(renames.values())
    for ref in added:
        if ref not in renamed_targets:
            item = head.items[ref]
            category = SCORING if item.kind in SCORING_KINDS and _has_scale_peers(base, item) else CONTENT
            changes.append(Change(ref, item.kind, "added", category, after=item.title,
                                  where=f"{item.source}:{item.line()}", title=item.title))
    changes += _reordered_levels(base, head)
    order = {ref: index for index, ref in enumerate([*head.items, *base.items])}
    changes.sort(key=lambda c: (order.get(c.ref, len(order)), c.change != "renamed"))
    return Diff(base, head, changes, _translation_changes(base, head))


def _has_scale_peers(base: Snapshot, item: Item) -> bool:
    """A criterion added to an existing rubric, or a level to an existing scale, rescales it; a
    new rubric's criteria are new content."""
    if item.kind == "criterion":
        return f"rubric/{item.ref.split('/')[1]}" in base.items
    return True


def _removal_category(item: Item) -> str:
    return SCORING if item.kind in SCORING_KINDS else REMOVAL


def _renamed(change: Change, old: str) -> Change:
    change.ref, change.renamed_to = old, change.ref
    return change


def _renames(base: Snapshot, head: Snapshot, removed: list[str], added: list[str]) -> dict[str, str]:
    """Removed ref -> added ref of the same kind: named by a deprecation, or nearly the same item."""
    renames: dict[str, str] = {}
    for ref in removed:
        for deprecations in (head.deprecations, base.deprecations):
            replaced = deprecations.get(ref, (None,))[0]
            if replaced in added and replaced not in renames.values() \
                    and head.items[replaced].kind == base.items[ref].kind:
                renames[ref] = replaced
                break
    for ref in removed:
        if ref in renames:
            continue
        old = base.items[ref]
        candidates = [new for new in added if new not in renames.values() and head.items[new].kind == old.kind]
        scored = [(similarity(_flat(old.data), _flat(head.items[new].data)), new) for new in candidates]
        best = max(scored, default=(0.0, ""))
        if best[0] >= _SIMILAR_RENAME:
            renames[ref] = best[1]
    return renames


def _flat(data: Any) -> str:
    if isinstance(data, dict):
        return " ".join(f"{key} {_flat(value)}" for key, value in data.items())
    if isinstance(data, list):
        return " ".join(_flat(value) for value in data)
    return str(data)


def _item_changes(before: Item, after: Item) -> list[Change]:
    changes: list[Change] = []
    _compare_value(before, after, before.data, after.data, (), changes)
    return changes


def _category(item: Item, path: tuple, *, text: bool) -> str:
    if path and path[0] in SCORING_FIELDS.get(item.kind, ()):
        return SCORING
    if item.kind == "level" and path and path[0] == "rank":
        return SCORING
    return WORDING if text else CONTENT


def _compare_value(before: Item, after: Item, old: Any, new: Any, path: tuple, changes: list[Change]) -> None:
    if old == new:
        return
    where = f"{after.source}:{after.line(*path)}"
    name = ".".join(str(part) for part in path)
    if isinstance(old, dict) and isinstance(new, dict):
        if _all_text_lists(old) and _all_text_lists(new) and old and new:
            changes += _text_list_changes(before, after, old, new, path)
            return
        for key in dict.fromkeys([*old, *new]):
            if key not in new:
                changes.append(Change(after.ref, after.kind, "removed", _category(after, (*path, key), text=False),
                                      field=f"{name}.{key}" if name else str(key), before=old[key], where=where,
                                      title=after.title))
            elif key not in old:
                changes.append(Change(after.ref, after.kind, "added", _category(after, (*path, key), text=False),
                                      field=f"{name}.{key}" if name else str(key), after=new[key],
                                      where=f"{after.source}:{after.line(*path, key)}", title=after.title))
            else:
                _compare_value(before, after, old[key], new[key], (*path, key), changes)
        return
    if _is_text_list(old) and _is_text_list(new) and (len(old) > 1 or len(new) > 1):
        changes += _text_list_changes(before, after, {"": old}, {"": new}, path)
        return
    text = isinstance(old, str) and isinstance(new, str)  # a new review date is bookkeeping: a patch at most
    changes.append(Change(after.ref, after.kind, "changed", _category(after, path, text=text), field=name,
                          before=old, after=new, where=where, title=after.title))


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _all_text_lists(value: dict) -> bool:
    return all(_is_text_list(item) for item in value.values())


def _text_list_changes(before: Item, after: Item, old: dict[str, list[str]], new: dict[str, list[str]],
                       path: tuple) -> list[Change]:
    """Texts grouped by level (or one group): moves, changes, additions and removals."""
    name = ".".join(str(part) for part in path)
    gone = [(group, text) for group, texts in old.items() for text in _unmatched(texts, new.get(group, []))]
    came = [(group, text) for group, texts in new.items() for text in _unmatched(texts, old.get(group, []))]
    changes: list[Change] = []
    scoring_move = after.kind == "criterion"

    def where(group: str, text: str) -> str:
        keys = (*path, group) if group else path
        texts = new.get(group, [])
        index = texts.index(text) if text in texts else None
        return f"{after.source}:{after.line(*keys, index) if index is not None else after.line(*keys)}"

    def take(pairs: list[tuple[float, tuple[str, str], tuple[str, str]]]) -> None:
        for _, old_entry, new_entry in sorted(pairs, key=lambda pair: -pair[0]):
            if old_entry in gone and new_entry in came:
                gone.remove(old_entry)
                came.remove(new_entry)
                moved = old_entry[0] != new_entry[0]
                category = SCORING if moved and scoring_move else (CONTENT if moved else WORDING)
                changes.append(Change(after.ref, after.kind, "moved" if moved else "changed", category, field=name,
                                      before=old_entry[1], after=new_entry[1], from_group=old_entry[0],
                                      to_group=new_entry[0], where=where(*new_entry), title=after.title))

    take([(1.0, o, n) for o in gone for n in came if o[1] == n[1]])
    take([(score, o, n) for o in gone for n in came if o[0] == n[0]
          and (score := similarity(o[1], n[1])) >= _SIMILAR_SAME_GROUP])
    take([(score, o, n) for o in gone for n in came
          if (score := similarity(o[1], n[1])) >= _SIMILAR_OTHER_GROUP])
    for group, text in gone:
        changes.append(Change(after.ref, after.kind, "removed", CONTENT, field=name, before=text, from_group=group,
                              where=f"{after.source}:{after.line(*path)}", title=after.title))
    for group, text in came:
        changes.append(Change(after.ref, after.kind, "added", CONTENT, field=name, after=text, to_group=group,
                              where=where(group, text), title=after.title))
    return changes


def _unmatched(texts: list[str], others: list[str]) -> list[str]:
    left = list(others)
    result = []
    for text in texts:
        if text in left:
            left.remove(text)
        else:
            result.append(text)
    return result


def _reordered_levels(base: Snapshot, head: Snapshot) -> list[Change]:
    """The order of the levels is the scale's: a new order is a scoring change even when no
    level's rank field says so (ranks are positions)."""
    old = [ref for ref, item in base.items.items() if item.kind == "level" and ref in head.items]
    new = [ref for ref, item in head.items.items() if item.kind == "level" and ref in base.items]
    if old == new or not old:
        return []
    framework = head.items.get("framework")
    where = f"{framework.source}:{framework.line('levels')}" if framework else ""
    return [Change("framework", "framework", "reordered", SCORING, field="levels",
                   before=[ref.split("/", 1)[1] for ref in old], after=[ref.split("/", 1)[1] for ref in new],
                   where=where)]


def _translation_changes(base: Snapshot, head: Snapshot) -> list[TranslationChange]:
    changes = []
    for key in dict.fromkeys([*head.translations, *base.translations]):
        before, after = base.translations.get(key, ""), head.translations.get(key, "")
        if before != after and key[1] in head.items:
            changes.append(TranslationChange(key[0], key[1], before or "missing", after or "missing",
                                             head.translation_files.get(key, "")))
    return changes


# --- words ------------------------------------------------------------------------------------

def words(text: str) -> list[str]:
    return _WORD.findall(text)


def similarity(old: str, new: str) -> float:
    matcher = difflib.SequenceMatcher(None, words(old), words(new), autojunk=False)
    if matcher.real_quick_ratio() < _SIMILAR_SAME_GROUP or matcher.quick_ratio() < _SIMILAR_SAME_GROUP:
        return matcher.quick_ratio()
    return matcher.ratio()


def word_diff(old: str, new: str) -> Iterable[tuple[str, str]]:
    """(op, text) runs: "equal", "delete" (only in ``old``) or "insert" (only in ``new``). The
    spaces between two changed words belong to the change, so a rewritten phrase reads as one."""
    before, after = words(old), words(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    runs: list[list[str]] = []  # [op, deleted or equal text, inserted text]
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        gone, came = "".join(before[i1:i2]), "".join(after[j1:j2])
        if op == "equal":
            runs.append(["equal", gone, gone])
        elif runs and runs[-1][0] == "change":
            runs[-1][1] += gone
            runs[-1][2] += came
        elif len(runs) >= 2 and runs[-1][0] == "equal" and not runs[-1][1].strip() and runs[-2][0] == "change":
            space = runs.pop()[1]
            runs[-1][1] += space + gone
            runs[-1][2] += space + came
        else:
            runs.append(["change", gone, came])
    for op, gone, came in runs:
        if op == "equal":
            yield "equal", gone
            continue
        if gone:
            yield "delete", gone
        if came:
            yield "insert", came
