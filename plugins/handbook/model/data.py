"""The handbook as plain data: numbers, strings, lists and mappings, nothing with methods.

This is what hand-written pages may quote (``{{ handbook.framework.version }}``) and what any
export publishes: a template given live objects could call them, plain data can only be read.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from handbook.model.handbook import Handbook


def plain(value: Any) -> Any:
    """``value`` as JSON-like data: dataclasses become mappings of their public fields and
    properties marked in ``DERIVED``; exact numbers become int or float."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if not f.name.startswith("_")}
        for name in DERIVED.get(type(value).__name__, ()):
            data[name] = plain(getattr(value, name))
        return data
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (Fraction, Decimal)):
        return int(value) if value == int(value) else float(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"no plain form for {type(value).__name__}")


# Read-only properties worth publishing beside a type's fields.
DERIVED: dict[str, tuple[str, ...]] = {"Rubric": ("threshold", "aggregate", "top_score", "max_aggregate")}


def handbook_data(handbook: Handbook) -> dict[str, Any]:
    """The whole handbook in one language as plain data (translation states left out)."""
    data = plain(handbook)
    data.pop("states", None)
    return data
