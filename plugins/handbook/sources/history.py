"""When each content file was first and last committed: one ``git log`` pass for the library.

Outside a git work tree (an unpacked archive, a copy) there is no history, and the pages say
only what the data says.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

_COMMIT = "\x00"  # what %x00 writes before each commit


@dataclass(frozen=True)
class FileDates:
    first: str  # ISO dates of the commits that added and last changed the file
    last: str


def file_dates(root: Path, folders: list[str]) -> dict[str, FileDates]:
    """Path relative to ``root`` -> the dates of its first and last commits, for every file
    below ``folders`` git has history of; empty when ``root`` is not in a git work tree."""
    command = ["git", "-C", str(root), "log", "--format=%x00%cs", "--name-only", "--no-renames",
               "--relative", "--", *folders]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if done.returncode != 0:
        return {}
    dates: dict[str, FileDates] = {}
    for entry in done.stdout.split(_COMMIT)[1:]:  # newest commit first
        day, *paths = entry.strip().splitlines()
        for path in filter(None, paths):
            known = dates.get(path)
            dates[path] = FileDates(day, known.last if known else day)
    return dates
