"""Hand-written pages and their translations (``docs/governance.es.md``): missing or stale.

mkdocs-static-i18n shows a translated page when one exists, but cannot tell whether the
original changed since. A translated page records the version of its original it was made
from in its front matter (``translated_from``), like translated content files do.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from handbook.checks.translation_schema import TRANSLATED_FROM
from handbook.i18n.translations import CURRENT, MISSING, STALE, ItemStatus
from handbook.sources.documents import display_path, read_text
from handbook.sources.strict_yaml import read_yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.DOTALL)


def page_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def recorded_version(text: str) -> str | None:
    """The ``translated_from`` a page's front matter records, if any."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None
    located, problems = read_yaml(match.group(1) or "", "front matter")
    data = located.data if isinstance(located.data, dict) and not problems else {}
    value = data.get(TRANSLATED_FROM)
    return value if isinstance(value, str) else None


def _text(path: Path) -> str | None:
    """A page's text, or None when it cannot be read as content files are (the loader says why).
    Once it can, it is read as it always was, so that recorded versions keep matching."""
    if read_text(path, path.name)[0] is None:
        return None
    return path.read_text("utf-8")


def page_state(source: Path, translation: Path) -> str:
    if not translation.is_file():
        return MISSING
    text, original = _text(translation), _text(source)
    if text is None or original is None:
        return STALE  # no telling whether it matches: a translator should look
    return CURRENT if recorded_version(text) == page_digest(original) else STALE


def source_pages(docs_dir: Path) -> list[Path]:
    """The hand-written pages in the source language (no language before the extension)."""
    if not docs_dir.is_dir():
        return []
    return sorted(p for p in docs_dir.rglob("*.md")
                  if p.name.count(".") == 1 and not p.is_symlink() and p.is_file())


def translation_of(source: Path, language: str) -> Path:
    return source.with_name(f"{source.stem}.{language}.md")


def page_statuses(docs_dir: Path, root: Path, language: str) -> list[ItemStatus]:
    return [ItemStatus("page", source.stem, display_path(source, root),
                       page_state(source, translation_of(source, language)),
                       display_path(translation_of(source, language), root))
            for source in source_pages(docs_dir)]


def confirm_page(translation: Path, source: Path) -> bool:
    """Record in a translated page's front matter the version of the original it matches."""
    text, original = _text(translation), _text(source)
    if text is None or original is None:
        return False
    stamp = f'{TRANSLATED_FROM}: "{page_digest(original)}"'
    match = _FRONT_MATTER.match(text)
    if match is None:
        updated = f"---\n{stamp}\n---\n\n{text}"
    elif re.search(rf"^{TRANSLATED_FROM}:.*$", match.group(1) or "", re.MULTILINE):
        block = re.sub(rf"^{TRANSLATED_FROM}:.*$", stamp, match.group(1), count=1, flags=re.MULTILINE)
        updated = f"---\n{block}---\n" + text[match.end():]
    else:
        updated = f"---\n{match.group(1) or ''}{stamp}\n---\n" + text[match.end():]
    if updated == text:
        return False
    translation.write_text(updated, "utf-8")
    return True
