"""Stable identifiers for what the handbook publishes as data (CASE items, Open Badges alignments).

Each program gets a UUID namespace of its own, derived from its framework id; every item's UUID is
derived (UUIDv5) from that namespace, its kind, its id and, for a translation, its language. The same
content gives the same identifiers on every build and every machine, so a system that imported an
earlier export updates its records instead of duplicating them.
"""

from __future__ import annotations

import uuid

# The root of every program's namespace: a fixed UUID of our own, never to change.
ROOT = uuid.uuid5(uuid.NAMESPACE_URL, "urn:living-handbook")


def program_namespace(framework_id: str) -> uuid.UUID:
    return uuid.uuid5(ROOT, f"program:{framework_id}")


def item_uuid(framework_id: str, kind: str, item_id: str, language: str | None = None) -> str:
    """The UUID of one item: ``kind`` is what it is ("document", "competency", "behaviour",
    "criterion", ...), ``item_id`` its id within that kind; ``language`` for a translated copy."""
    name = f"{kind}:{item_id}" if language is None else f"{kind}:{item_id}@{language}"
    return str(uuid.uuid5(program_namespace(framework_id), name))
