"""Content problems as data: collected during a run, then reported together."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located at the offending value."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        field = self.field or "(file)"
        # One problem, one line: a quoted value may hold line breaks.
        text = f"{self.path}:{self.line}:{self.column}: {field}: {self.message}"
        return text.replace("\r", "\\r").replace("\n", "\\n")


class ContentError(Exception):
    """Raised when content has problems; carries every problem found in the run."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(format_text(self.problems))


def format_text(problems: list[Problem]) -> str:
    count = len(problems)
    summary = f"{count} problem{'s' if count != 1 else ''} found in the content."
    return "\n".join([*map(str, problems), summary])


def format_json(problems: list[Problem]) -> str:
    return json.dumps({"problems": [asdict(p) for p in problems]}, indent=2, ensure_ascii=False)
