"""``handbook validate --format github``: problems as GitHub Actions annotations and a job summary.

GitHub shows at most ten error annotations per step, so the first ten problems become
``::error`` workflow commands (shown on the pull request's files) and every problem, grouped by
file, goes to the job summary when ``GITHUB_STEP_SUMMARY`` names a file. Problems quote content,
which is untrusted: nothing in a problem can start a workflow command of its own, and nothing in it
is Markdown or HTML once it is in the summary.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from handbook.sources.problems import MAX_REPORTED, Problem, printable

# GitHub shows the first ten error annotations of a step and drops the rest.
MAX_ANNOTATIONS = 10
# A step's summary may hold 1 MiB; past that GitHub drops all of it. Ours stays well below.
MAX_SUMMARY_BYTES = 512 * 1024

# Characters that mean something to HTML or, inside a line, to GitHub's Markdown (emphasis, code,
# links and images, table cells, closing #s, strikethrough, URL and e-mail autolinks, @mentions, math), written
# as numeric character references: they show as the character and never start markup. Text never
# begins a line in the summary (line breaks are escaped), so block markers like - or 1. are inert.
_MARKDOWN = str.maketrans({character: f"&#{ord(character)};" for character in "&<>\"'\\`*_{}[]()#!|~:@$"})


def escape_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF escaped as GitHub reads them back, and any
    other control character written as an escape (``\\x1b``) so no log viewer acts on it."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped)


def escape_property(text: str) -> str:
    """A workflow command's property value: as a message, and ``:`` and ``,`` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """One ``::error`` workflow command that puts ``problem`` on its file and line."""
    shown = problem.shortened()
    return (f"::error file={escape_property(shown.path)},line={shown.line},col={shown.column},"
            f"title={escape_property(shown.field or '(file)')}::{escape_data(shown.message)}")


def markdown_text(text: str) -> str:
    """``text`` as Markdown that shows exactly ``text``, on one line: no markup, no HTML."""
    return printable(text).translate(_MARKDOWN)


def summary(problems: Sequence[Problem], *, valid: str = "") -> str:
    """The job summary's section: a heading, the count, then one table per file (line, column,
    field, message); cut short, with a count of the rest, before it would pass ``MAX_SUMMARY_BYTES``.
    With no problems, the section says so in the words of ``valid``."""
    count = len(problems)
    if not count:
        return f"## Content checks\n\n{markdown_text(valid or 'No problems found.')}\n"
    ordered = sorted(problems)
    per_file = Counter(problem.path for problem in ordered)
    lines = ["## Content checks", "",
             f"**{count:,} {_plural(count, 'problem')}** in {len(per_file):,} {_plural(len(per_file), 'file')}. "
             f"The first {min(count, MAX_ANNOTATIONS)} are annotated on the files; every one is listed here."]
    size = sum(len(line.encode("utf-8")) + 1 for line in lines)
    listed, current = 0, None
    for problem in ordered[:MAX_REPORTED]:
        shown = problem.shortened()
        part = [] if shown.path == current else [
            "", f"### {markdown_text(shown.path)} ({per_file[shown.path]:,})", "",
            "| Line | Column | Field | Message |", "|---:|---:|---|---|"]
        part.append(f"| {shown.line} | {shown.column} | {markdown_text(shown.field or '(file)')} | "
                    f"{markdown_text(shown.message)} |")
        part_size = sum(len(line.encode("utf-8")) + 1 for line in part)
        if size + part_size > MAX_SUMMARY_BYTES:
            break
        lines += part
        size += part_size
        listed += 1
        current = shown.path
    if listed < count:
        lines += ["", f"... and {count - listed:,} more {_plural(count - listed, 'problem')} ({count:,} in all): "
                      "run `handbook validate` to see every one."]
    return "\n".join(lines) + "\n"


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def write_summary(text: str, err: TextIO = sys.stderr) -> bool:
    """Append ``text`` to the file ``GITHUB_STEP_SUMMARY`` names, if it names one."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return True
    try:
        with open(target, "a", encoding="utf-8") as summary_file:
            summary_file.write(text + "\n")
    except OSError as error:
        print(printable(f"{target}: cannot write the job summary: {error.strerror or error}"), file=err)
        return False
    return True


def report(problems: Sequence[Problem], out: TextIO = sys.stdout) -> None:
    """Annotate the first problems, print the rest one per line, and write the job summary."""
    for problem in problems[:MAX_ANNOTATIONS]:
        print(annotation(problem), file=out)
    for problem in problems[MAX_ANNOTATIONS:MAX_REPORTED]:
        print(problem, file=out)
    count = len(problems)
    if count > MAX_REPORTED:
        print(f"... and {count - MAX_REPORTED:,} more problems ({count:,} in all)", file=out)
    print(f"{count} {_plural(count, 'problem')} found in the content.", file=out)
    write_summary(summary(problems))
