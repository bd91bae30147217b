"""Publish a site whole or not at all: build into a staging folder, then swap it into place.

``mkdocs build`` empties the site folder first and writes page after page; a failure half-way
leaves readers a broken site. We point MkDocs at a sibling folder instead and replace the old
site only once every language is built without an error or, in strict mode, a warning.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
from pathlib import Path


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class StagedSite:
    """One staged build of the site at ``target``."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.staging = target.with_name(f".{target.name}.building-{os.getpid()}")
        self._warnings = _Counter()
        shutil.rmtree(self.staging, ignore_errors=True)
        logging.getLogger("mkdocs").addHandler(self._warnings)
        # Some plugins end a failed build with sys.exit(), past MkDocs' own error handling.
        atexit.register(self.discard)

    def publish(self, *, strict: bool) -> bool:
        """Swap the staged site into place; False (and nothing published) if strict mode saw
        warnings, which MkDocs turns into a failure right after this."""
        self._stop_counting()
        if strict and self._warnings.count:
            self.discard()
            return False
        previous = self.target.with_name(f".{self.target.name}.previous-{os.getpid()}")
        if self.target.exists():
            self.target.rename(previous)
        self.staging.rename(self.target)
        shutil.rmtree(previous, ignore_errors=True)
        atexit.unregister(self.discard)
        return True

    def discard(self) -> None:
        self._stop_counting()
        shutil.rmtree(self.staging, ignore_errors=True)
        atexit.unregister(self.discard)

    def _stop_counting(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self._warnings)
