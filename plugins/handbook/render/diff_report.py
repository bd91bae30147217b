"""The semantic diff as a report: Markdown for a pull request, JSON for tools.

Content text is quoted, never interpreted: every character Markdown or HTML would read is
escaped, so a look-for cannot format, link or inject anything in a pull-request comment.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from typing import Any

from handbook.checks.policy import Failure
from handbook.model.diff import CATEGORIES, Change, Diff, word_diff

SCHEMA_ID = "urn:living-handbook:schema:diff"
# A report with more changes than this folds each item's changes under its heading.
FOLD_AFTER = 12
_CONTEXT_WORDS = 8
_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")
_SPACE = re.compile(r"\s+")


def as_json(diff: Diff, failures: list[Failure] | None = None) -> str:
    data: dict[str, Any] = {
        "$schema": SCHEMA_ID,
        "base": {"label": diff.base.label, "version": diff.base.version},
        "head": {"label": diff.head.label, "version": diff.head.version},
        "summary": summary(diff),
        "changes": [change.as_dict() for change in diff.changes],
        "translations": [change.as_dict() for change in diff.translations],
    }
    if failures is not None:
        data["policy"] = [failure.as_dict() for failure in failures]
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def summary(diff: Diff) -> dict[str, Any]:
    kinds = Counter(change.change for change in diff.changes)
    categories = Counter(change.category for change in diff.changes)
    stale = sum(change.after == "stale" for change in diff.translations)
    return {"changes": len(diff.changes), **{k: kinds.get(k, 0) for k in
                                             ("added", "removed", "changed", "moved", "renamed", "reordered")},
            "categories": {c: categories.get(c, 0) for c in CATEGORIES},
            "translations": len(diff.translations), "went_stale": stale}


def escape(text: Any) -> str:
    """Any value as literal Markdown text on one line."""
    flat = _SPACE.sub(" ", str(text)).strip()
    return _MARKDOWN.sub(r"\\\1", html.escape(flat, quote=False))


def code(text: Any) -> str:
    """A code span: Markdown reads nothing inside one, but a backtick would end it."""
    return "`" + _SPACE.sub(" ", str(text)).replace("`", "'") + "`"


def marked(before: str, after: str) -> tuple[str, str]:
    """Before and after, the removed words struck through and the added ones in bold; long
    texts keep only the words around each change."""
    runs = list(word_diff(before, after))
    old, new = [], []
    for index, (op, text) in enumerate(runs):
        if op == "equal":
            shown = _trim(text, first=index == 0, last=index == len(runs) - 1)
            old.append(escape_run(shown))
            new.append(escape_run(shown))
        elif op == "delete":
            old.append(_wrap(text, "~~"))
        else:
            new.append(_wrap(text, "**"))
    return "".join(old).strip(), "".join(new).strip()


def escape_run(text: str) -> str:
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}{escape(text)}{trail}" if text.strip() else (" " if text else "")


def _wrap(text: str, mark: str) -> str:
    if not text.strip():
        return " "
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}{mark}{escape(text)}{mark}{trail}"


def _trim(text: str, *, first: bool, last: bool) -> str:
    words = text.split(" ")
    keep = 2 * _CONTEXT_WORDS
    if len(words) <= keep + 2:
        return text
    head = [] if first else words[:_CONTEXT_WORDS]
    tail = [] if last else words[-_CONTEXT_WORDS:]
    return " ".join([*head, "…", *tail])


def as_markdown(diff: Diff, failures: list[Failure] | None = None) -> str:
    counts = summary(diff)
    lines = [f"## Curriculum changes: {code(diff.base.label)} → {code(diff.head.label)}", ""]
    version = (f"Version **{escape(diff.base.version)}** → **{escape(diff.head.version)}**"
               if diff.base.version != diff.head.version else f"Version **{escape(diff.head.version)}** (unchanged)")
    kinds = ", ".join(f"{counts[k]} {k}" for k in ("added", "removed", "renamed", "changed", "moved", "reordered")
                      if counts[k])
    categories = ", ".join(f"{n} {c}" for c, n in counts["categories"].items() if n)
    if diff.changes:
        lines.append(f"{version} · {counts['changes']} changes: {kinds} · by kind: {categories}")
    else:
        lines.append(f"{version} · no change to the curriculum")
    if diff.translations:
        lines[-1] += f" · translations: {len(diff.translations)} changed state, {counts['went_stale']} went stale"
    lines.append("")
    if failures is not None:
        lines += _policy(failures)
    fold = len(diff.changes) > FOLD_AFTER
    for ref, changes in _grouped(diff.changes):
        first = changes[0]
        title = f" · {escape(first.title)}" if first.title else ""
        body = [line for change in changes for line in _change(change)]
        if fold:
            label = html.escape(f"{ref}{' · ' + first.title if first.title else ''}")
            lines += ["<details>", f"<summary>{label} ({len(changes)} change{'s' if len(changes) > 1 else ''})"
                      "</summary>", "", *body, "", "</details>", ""]
        else:
            lines += [f"### {code(ref)}{title}", "", *body, ""]
    if diff.translations:
        lines += _translations(diff, fold=len(diff.translations) > FOLD_AFTER)
    return "\n".join(lines).rstrip() + "\n"


def _policy(failures: list[Failure]) -> list[str]:
    if not failures:
        return ["**Policy:** every release rule is met.", ""]
    lines = [f"**Policy:** {len(failures)} rule{'s' if len(failures) > 1 else ''} not met", ""]
    for failure in failures:
        lines.append(f"- ❌ **{failure.rule}** ({code(failure.where)}): {escape(failure.message)} "
                     f"*Fix:* {escape(failure.fix)}")
    return [*lines, ""]


def _grouped(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.ref, []).append(change)
    return list(groups.items())


def _value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return f"{code(json.dumps(value, ensure_ascii=False, default=str))}"
    return f"“{escape(value)}”" if isinstance(value, str) else f"{code(value)}"


def _change(change: Change) -> list[str]:
    field = f" {code(change.field)}" if change.field else ""
    where = f" — {code(change.where)}" if change.where else ""
    tag = f"*({change.category})*"
    if change.change == "renamed" and not change.field:
        return [f"- **renamed** to {code(change.renamed_to)} {tag}{where}"]
    if change.change == "moved":
        line = f"- **moved**{field} from *{escape(change.from_group)}* to *{escape(change.to_group)}* {tag}{where}"
        if change.before == change.after:
            return [line, f"  - {_value(change.after)}"]
        before, after = marked(change.before, change.after)
        return [line, f"  - Before: {before}", f"  - After: {after}"]
    group = change.to_group or change.from_group
    at = f" ({escape(group)})" if group else ""
    if change.change == "added":
        shown = _value(change.after) if change.field else ""
        return [f"- **added**{field}{at} {tag}{where}" + (f": {shown}" if shown else "")]
    if change.change == "removed":
        shown = _value(change.before) if change.field else ""
        return [f"- **removed**{field}{at} {tag}{where}" + (f": {shown}" if shown else "")]
    if change.change == "reordered":
        return [f"- **reordered**{field} {tag}{where}: {_value(change.before)} → {_value(change.after)}"]
    if isinstance(change.before, str) and isinstance(change.after, str) and " " in change.before + change.after:
        before, after = marked(change.before, change.after)
        return [f"- **changed**{field}{at} {tag}{where}", f"  - Before: {before}", f"  - After: {after}"]
    return [f"- **changed**{field}{at} {tag}{where}: {_value(change.before)} → {_value(change.after)}"]


def _translations(diff: Diff, *, fold: bool) -> list[str]:
    table = ["| Language | Item | Before | After | File |", "|---|---|---|---|---|"]
    for change in diff.translations:
        state = f"**{change.after}**" if change.after == "stale" else change.after
        table.append(f"| {escape(change.language)} | {code(change.ref)} | {change.before} | {state} | "
                     f"{code(change.file)} |" if change.file else
                     f"| {escape(change.language)} | {code(change.ref)} | {change.before} | {state} | |")
    if fold:
        return ["<details>", f"<summary>Translations ({len(diff.translations)} changed state)</summary>", "",
                *table, "", "</details>", ""]
    return ["### Translations", "", *table, ""]
