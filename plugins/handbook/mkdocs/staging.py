"""Publish a site whole or not at all: build into a staging folder, then swap it into place.

``mkdocs build`` empties the site folder first and writes page after page; a failure half-way
leaves readers a broken site. We point MkDocs at a staging folder instead and replace the old
site only once every language is built without an error or, in strict mode, a warning.

What is guaranteed, by kind of site folder:

- A plain folder: staged next to it (``.<site>.building-<pid>``) and swapped in by two renames;
  readers see the old site or the new one, never a mixture (between the renames, for an instant,
  no folder at all).
- A symbolic link: the same, applied to the folder it points to; the link itself stays.
- A mount point, or a folder that cannot be renamed (EBUSY, EXDEV, no write access to its
  parent): staged inside it (``<site>/.<site>.building-<pid>``, on its own file system), then
  its contents are replaced entry by entry: the old entries are renamed into
  ``<site>/.<site>.previous-<pid>``, the new ones renamed in, the old ones deleted. Readers may
  see a mixture for the moments the renames take; if a rename fails, the entries already moved
  are put back and the old site is as it was.

In every case a file-system error (a full disk, a read-only folder) ends the build with one line
saying whether anything was changed; SIGTERM or SIGHUP during the build removes the staging
folder, puts back anything half-moved and exits with status 128 + the signal's number; and
staging folders left by builds that were killed outright (SIGKILL, a power cut) are removed, and
what they had moved away put back, by the next build.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import logging
import os
import re
import shutil
import signal
from pathlib import Path
from types import FrameType
from typing import Any

from mkdocs.exceptions import Abort, PluginError

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

# A process told to stop by these runs our cleanup; SIGINT already does (KeyboardInterrupt, atexit).
SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
# How renaming a folder fails when it is a mount point or its parent is not ours to change.
NOT_RENAMABLE = frozenset({errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES})


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
        # A link is published through: the folder it points to is the one replaced.
        self.folder = Path(os.path.realpath(target))
        self._journal: list[tuple[Path, Path]] = []
        self._temporary: list[Path] = []
        self._previous: Path | None = None
        self._handlers: dict[int, Any] = {}
        self._warnings = _Counter()
        remove_stale(self.folder)
        try:
            self.staging = self._prepare()
        except OSError as error:
            raise self._failure(error) from None
        logging.getLogger("mkdocs").addHandler(self._warnings)
        # Some plugins end a failed build with sys.exit(), past MkDocs' own error handling.
        atexit.register(self.discard)
        self._catch_signals()

    def publish(self, *, strict: bool) -> bool:
        """Swap the staged site into place; False (and nothing published) if strict mode saw
        warnings, which MkDocs turns into a failure right after this."""
        self._stop_counting()
        if strict and self._warnings.count:
            self.discard()
            return False
        try:
            if self.staging.parent == self.folder:
                self._replace_contents()
            else:
                self._swap()
        except OSError as error:
            failure = self._failure(error, restored=self._abandon())
            self.discard()
            raise failure from None
        self._journal.clear()
        if self._previous is not None:
            self._temporary.append(self._previous)
        self.discard()
        return True

    def discard(self) -> None:
        """Delete what this build staged (and the previous site, once replaced)."""
        self._stop_counting()
        self._remove_temporary()
        self._release_signals()
        atexit.unregister(self.discard)

    def fail(self, error: BaseException) -> None:
        """The build failed: discard it. An OSError (a full disk, a read-only folder) while MkDocs
        wrote the staged site ends the build with one line, as MkDocs does for a PluginError."""
        self.discard()
        if isinstance(error, OSError):
            log.error(str(self._failure(error)))
            raise Abort("Aborted with a BuildError!")

    def _prepare(self) -> Path:
        """A fresh staging folder next to the site; inside it if the site is a mount point or
        only the site (not its parent) is ours: a rename cannot leave a file system."""
        if not os.path.ismount(self.folder):
            try:
                return self._make(self._name(self.folder.parent, "building"))
            except PermissionError:
                if not self.folder.is_dir():
                    raise
        return self._make(self._name(self.folder, "building"))

    def _make(self, folder: Path) -> Path:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self._temporary.append(folder)
        return folder

    def _name(self, parent: Path, kind: str) -> Path:
        return parent / f".{self.folder.name}.{kind}-{os.getpid()}"

    def _swap(self) -> None:
        """Rename the old site away and the new one in; or replace the contents if the old
        one cannot be renamed."""
        previous = self._name(self.folder.parent, "previous")
        if os.path.lexists(self.folder):
            shutil.rmtree(previous, ignore_errors=True)
            try:
                self._move(self.folder, previous)
            except OSError as error:
                if error.errno not in NOT_RENAMABLE:
                    raise
                self._journal.clear()
                self._replace_contents()
                return
            self._previous = previous
        self._move(self.staging, self.folder)

    def _replace_contents(self) -> None:
        inner = self._name(self.folder, "building")
        if self.staging != inner:
            self._bring_inside(inner)
        previous = self._name(self.folder, "previous")
        shutil.rmtree(previous, ignore_errors=True)
        previous.mkdir()
        self._previous = previous
        for entry in own_entries(self.folder):
            self._move(entry, previous / entry.name)
        for entry in sorted(inner.iterdir()):
            self._move(entry, self.folder / entry.name)

    def _bring_inside(self, inner: Path) -> None:
        """Put the staged site on the site's own file system, where the entries can be renamed."""
        self._temporary.append(inner)
        shutil.rmtree(inner, ignore_errors=True)
        try:
            os.rename(self.staging, inner)
        except OSError:
            shutil.copytree(self.staging, inner, symlinks=True)

    def _move(self, source: Path, destination: Path) -> None:
        # Noted before it is made, so that an undo also covers a move cut short by a signal.
        self._journal.append((source, destination))
        os.rename(source, destination)

    def _abandon(self) -> bool:
        """Put back whatever was moved and delete what was staged; False if the previous site
        could not be entirely put back (its remaining entries are then kept, not deleted)."""
        restored = self._undo()
        if restored and self._previous is not None:
            remove_if_empty(self._previous)
        self._remove_temporary()
        return restored

    def _undo(self) -> bool:
        """Reverse the moves, newest first; each step can be repeated if a signal cuts it short."""
        while self._journal:
            source, destination = self._journal[-1]
            if os.path.lexists(destination) and not os.path.lexists(source):
                try:
                    os.rename(destination, source)
                except OSError:
                    return False
            self._journal.pop()
        return True

    def _remove_temporary(self) -> None:
        for folder in self._temporary:
            shutil.rmtree(folder, ignore_errors=True)

    def _failure(self, error: OSError, *, restored: bool = True) -> PluginError:
        outcome = "nothing was changed" if restored else f"the previous site is partly in {self._previous}"
        return PluginError(f"could not publish the site to {self.target}/: {error.strerror or error} ({outcome})")

    def _catch_signals(self) -> None:
        for signum in SIGNALS:
            try:
                self._handlers[signum] = signal.signal(signum, self._on_signal)
            except ValueError:  # not the main thread: signals are not ours to handle
                return

    def _release_signals(self) -> None:
        for signum, handler in self._handlers.items():
            if signal.getsignal(signum) == self._on_signal:
                signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        self._handlers.clear()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        """Told to stop mid-build: leave the site as it was, with no staging folder behind.
        The atexit hook stays, for anything written while the build unwinds."""
        self._abandon()
        raise SystemExit(128 + signum)

    def _stop_counting(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self._warnings)


def own_pattern(folder: Path) -> re.Pattern[str]:
    """The names of the folders that builds of ``folder`` stage in or move the old site to."""
    return re.compile(rf"\.{re.escape(folder.name)}\.(building|previous)-(\d+)")


def own_entries(folder: Path) -> list[Path]:
    """The site's entries, without the folders of builds (this one's or another's)."""
    pattern = own_pattern(folder)
    return sorted(entry for entry in folder.iterdir() if not pattern.fullmatch(entry.name))


def remove_stale(folder: Path) -> None:
    """Clear up after builds of ``folder`` that were killed outright: put back what they had
    moved away (only where nothing has taken its place), delete what they staged."""
    pattern = own_pattern(folder)
    for place in (folder.parent, folder):
        for entry in listing(place):
            match = pattern.fullmatch(entry.name)
            if match is None or running(int(match[2])):
                continue
            if match[1] == "building" or put_back(entry, folder, inside=place == folder):
                shutil.rmtree(entry, ignore_errors=True)


def put_back(previous: Path, folder: Path, *, inside: bool) -> bool:
    """Move an old site (or, ``inside`` it, its entries) back where nothing has replaced it;
    False if some could not be, and so must not be deleted."""
    moves = [(entry, folder / entry.name) for entry in listing(previous)] if inside else [(previous, folder)]
    for source, destination in moves:
        if not os.path.lexists(destination):
            try:
                os.rename(source, destination)
            except OSError:
                return False
    return True


def listing(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def running(pid: int) -> bool:
    """Whether a build with this pid may still be going (this process's own leftovers are not)."""
    if pid == os.getpid():
        return False
    if os.name == "nt":  # os.kill() would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()
