"""Content problems as data: collected during a run, then reported together."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace

# Characters that would act on a terminal or a log viewer instead of showing: C0 and C1 controls
# (ESC starts colour and cursor sequences), line and paragraph separators, and the bidirectional
# controls that reorder what is shown.
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What JSON leaves as it is (it escapes C0 controls itself; a raw line break is the layout's).
_JSON_UNPRINTABLE = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# Output stays bounded whatever the content: a run reports its first problems in full and counts
# the rest, and no single message (which may quote a value) runs on for pages.
MAX_REPORTED = 500
MAX_MESSAGE_CHARS = 1000


def printable(text: str) -> str:
    """``text`` with every unprintable character written as an escape: ``\\x1b``, ``\\u202e``."""
    return UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located at the offending value."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        shown = self.shortened()
        # One problem, one line, nothing a terminal would act on: a quoted value or a file name
        # may hold line breaks or escape sequences.
        return printable(f"{shown.path}:{shown.line}:{shown.column}: {shown.field or '(file)'}: {shown.message}")

    def shortened(self) -> Problem:
        """This problem with its message cut to ``MAX_MESSAGE_CHARS`` characters."""
        if len(self.message) <= MAX_MESSAGE_CHARS:
            return self
        more = len(self.message) - MAX_MESSAGE_CHARS
        return replace(self, message=f"{self.message[:MAX_MESSAGE_CHARS]}... ({more:,} more characters)")


class ContentError(Exception):
    """Raised when content has problems; carries every problem found in the run."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(format_text(self.problems))


def format_text(problems: list[Problem]) -> str:
    count = len(problems)
    lines = [str(problem) for problem in problems[:MAX_REPORTED]]
    if count > MAX_REPORTED:
        lines.append(f"... and {count - MAX_REPORTED:,} more problems ({count:,} in all)")
    lines.append(f"{count} problem{'s' if count != 1 else ''} found in the content.")
    return "\n".join(lines)


def format_json(problems: list[Problem]) -> str:
    """The first ``MAX_REPORTED`` problems, with the total and how many were left out."""
    shown = [asdict(problem.shortened()) for problem in problems[:MAX_REPORTED]]
    report = {"problems": shown, "total": len(problems), "omitted": len(problems) - len(shown)}
    # Printing the report is safe too: a \u escape in a JSON string reads back as the same character.
    return _JSON_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(report, indent=2, ensure_ascii=False))
