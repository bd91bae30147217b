"""Each item's history in releases: the one that added it and the one that last changed it."""

from __future__ import annotations

from dataclasses import dataclass

from handbook.model.handbook import Release
from handbook.sources.history import FileDates


@dataclass(frozen=True)
class ItemHistory:
    added: str  # a release's version; "" when the change is not released yet
    changed: str
    reviewed: str = ""  # the item's own last review date, when it keeps one

    def as_dict(self) -> dict[str, str]:
        return {"added": self.added, "changed": self.changed, "reviewed": self.reviewed}


def release_of(day: str, releases: list[Release]) -> str:
    """The first release approved on or after ``day`` (ISO dates compare as text): the one
    that published a change committed that day; "" for a change after the newest release."""
    published = [release for release in releases if release.date >= day]
    return min(published, key=lambda release: release.date).version if published else ""


def item_history(files: dict[str, tuple[str, str]], dates: dict[str, FileDates],
                 releases: list[Release]) -> dict[str, ItemHistory]:
    """``files``: item ref -> (its source file, its last review date or ""). Empty without
    history or without releases: a page then says nothing rather than call everything unreleased."""
    if not dates or not releases:
        return {}
    history = {}
    for ref, (source, reviewed) in files.items():
        known = dates.get(source)
        if known is None:
            history[ref] = ItemHistory("", "", reviewed)  # never committed: new in this work tree
            continue
        history[ref] = ItemHistory(release_of(known.first, releases), release_of(known.last, releases), reviewed)
    return history
