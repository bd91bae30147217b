"""Find and read the content files: one ``Document`` per file, with positions kept."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from handbook.checks.limits import first_excess
from handbook.sources.problems import UNPRINTABLE, Problem
from handbook.sources.strict_yaml import Located, read_yaml

MAX_FILE_BYTES = 512 * 1024

# What a folder entry is when it is neither a file nor a folder; reading one could block forever
# (a pipe with no writer) or never end (a device).
_SPECIAL = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
            stat.S_IFBLK: "a block device"}


@dataclass
class Document:
    """One content file: its data (front matter for cases) and, for cases, the Markdown body."""

    kind: str
    source: str
    stem: str
    located: Located
    body: str = ""
    body_line: int = 0
    readable: bool = True

    @property
    def data(self) -> dict:
        return self.located.data if isinstance(self.located.data, dict) else {}


def display_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _unreadable(kind: str, source: str, path: Path) -> Document:
    """Stands for a file that could not be read, so that its id is still known to others."""
    return Document(kind, source, _stem(path), Located(source), readable=False)


def _stem(path: Path) -> str:
    """The item a file is about: ``first-item`` for ``first-item.es.yml`` too."""
    return path.name.split(".")[0]


_SYMLINK = "symbolic links are not allowed in content: replace the link with the file itself"


def _symlink_problem(path: Path, root: Path) -> Problem:
    return Problem(display_path(path, root), 1, 1, "", _SYMLINK)


def symlinks_in(folder: Path, root: Path) -> list[Problem]:
    """Every symbolic link below ``folder``: MkDocs would follow them out of the repository."""
    if not folder.is_dir():
        return []
    return [_symlink_problem(path, root) for path in sorted(folder.rglob("*")) if path.is_symlink()]


def _special_kind(mode: int) -> str | None:
    """What an entry is, said plainly, when it is neither a regular file nor a folder."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return _SPECIAL.get(stat.S_IFMT(mode), "not a file or a folder")


def _not_regular(source: str, kind: str) -> Problem:
    return Problem(source, 1, 1, "", f"not a regular file but {kind}: content must be plain files; remove it")


def _name_problem(path: Path, root: Path) -> Problem | None:
    """File names are echoed in messages and logs: one with control characters could rewrite
    what a terminal shows. Messages escape them; the file is refused all the same."""
    if not UNPRINTABLE.search(path.name):
        return None
    return Problem(display_path(path, root), 1, 1, "", "the name holds control or bidirectional characters "
                                                       "(shown escaped here): rename it")


def read_text(path: Path, source: str) -> tuple[str | None, list[Problem]]:
    """Read a content file as UTF-8 text, refusing links, pipes and devices, huge files, other
    encodings and NUL bytes."""
    try:
        info = path.lstat()
    except OSError as error:
        return None, [_unopened(source, error)]
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        return None, [Problem(source, 1, 1, "", _SYMLINK)]
    if (special := _special_kind(mode)) is not None or stat.S_ISDIR(mode):
        return None, [_not_regular(source, special or "a folder")]
    raw = _read_bytes(path, source)
    if isinstance(raw, Problem):
        return None, [raw]
    if len(raw) > MAX_FILE_BYTES:
        size = max(info.st_size, len(raw)) // 1024
        return None, [Problem(source, 1, 1, "", f"the file is {size:,} KiB; content files "
                                                f"are limited to {MAX_FILE_BYTES // 1024} KiB")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [Problem(source, line, column, "", f"not UTF-8 text (byte 0x{raw[error.start]:02x}): "
                                                          "save the file as UTF-8")]
    text = text.removeprefix("\ufeff")
    if (nul := text.find("\0")) >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        return None, [Problem(source, line, column, "", "a NUL byte is not allowed in text; remove it (a file "
                                                        "full of them was saved as UTF-16 or is not text at all)")]
    return text, []


def _read_bytes(path: Path, source: str) -> bytes | Problem:
    """At most one byte more than the limit, from what is still a regular file once open: the
    entry may have been swapped for a link or a pipe since it was looked at."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        return _unopened(source, error)
    try:
        if (special := _special_kind(os.fstat(descriptor).st_mode)) is not None:
            return _not_regular(source, special)
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            return file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return _unopened(source, error)
    finally:
        os.close(descriptor)


def _unopened(source: str, error: OSError) -> Problem:
    return Problem(source, 1, 1, "", f"could not be read: {error.strerror or error}")


def read_yaml_file(path: Path, root: Path, kind: str) -> tuple[Document, list[Problem]]:
    source = display_path(path, root)
    text, problems = read_text(path, source)
    if text is None:
        return _unreadable(kind, source, path), problems
    located, problems = read_yaml(text, source)
    return Document(kind, source, _stem(path), located, readable=located.data is not None), problems


def read_markdown_file(path: Path, root: Path, kind: str) -> tuple[Document, list[Problem]]:
    """Read a Markdown file whose YAML front matter sits between two ``---`` lines at the top."""
    source = display_path(path, root)
    text, problems = read_text(path, source)
    if text is None:
        return _unreadable(kind, source, path), problems
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return _unreadable(kind, source, path), [Problem(
            source, 1, 1, "", "expected front matter: the file must start with a '---' line, then YAML fields, "
                              "then another '---' line")]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if end is None:
        return _unreadable(kind, source, path), [Problem(
            source, 1, 1, "", "the front matter is not closed: add a '---' line after the last field")]
    located, problems = read_yaml("".join(lines[1:end]), source, first_line=2)
    body, body_line = "".join(lines[end + 1 :]), end + 2
    if (excess := first_excess(body)) is not None:
        # Located here, to the line: the body never reaches Markdown, nor any other check.
        problems.append(Problem(source, body_line + excess.line, 1, "body", excess.message))
        return Document(kind, source, _stem(path), located, body, body_line, readable=False), problems
    return Document(kind, source, _stem(path), located, body, body_line,
                    readable=located.data is not None), problems


def content_files(folder: Path, suffix: str, root: Path, only: tuple[str, ...] = (),
                  subfolders: tuple[str, ...] = ()) -> tuple[list[Path], list[Problem]]:
    """The files of one kind in ``folder``, translations included; with ``only``, just the files
    with those names (the framework and its companions share a folder with the competencies'
    folder). Anything else
    in the folder is a problem, never skipped in silence: a sub-folder (but ``subfolders``, read
    on their own), a pipe or device, a file of another kind."""
    if not folder.is_dir():
        return [], []
    found, problems = [], []
    where = display_path(folder, root)
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue  # hidden: editors' swap and backup files, .gitkeep, .DS_Store; never read
        problem = _entry_problem(path, root, where, suffix, only, subfolders)
        if problem is not None:
            problems.append(problem)
        elif not path.is_dir():
            found.append(path)
    return found, problems


def _entry_problem(path: Path, root: Path, where: str, suffix: str, only: tuple[str, ...],
                   subfolders: tuple[str, ...]) -> Problem | None:
    """Why an entry of a content folder is not a content file of that folder, or None."""
    if (named := _name_problem(path, root)) is not None:
        return named
    source = display_path(path, root)
    try:
        mode = path.lstat().st_mode
    except OSError as error:  # gone since the folder was listed
        return _unopened(source, error)
    if stat.S_ISLNK(mode):
        return _symlink_problem(path, root)
    if stat.S_ISDIR(mode):
        if path.name in subfolders:
            return None
        allowed = (f"the only folder {where}/ may hold is " + ", ".join(f"{name}/" for name in subfolders)
                   if subfolders else f"content files sit directly in {where}/")
        return Problem(source, 1, 1, "", f"unexpected folder here: {allowed}, and nothing in this one is read")
    if (special := _special_kind(mode)) is not None:
        return _not_regular(source, special)
    if only:
        parts = path.name.split(".")
        if parts[0] in only and path.suffix == suffix and len(parts) in (2, 3):
            return None
        names = ", ".join(f"{name}{suffix}" for name in only)
        return Problem(source, 1, 1, "", f"unexpected file here: the files in {where}/ are {names} and "
                                         f"their translations (<name>.<language>{suffix})")
    if path.suffix != suffix:
        return Problem(source, 1, 1, "", f"unexpected file here: content files in this folder end in {suffix}")
    return None


def check_pages(folder: Path, root: Path,
                inspect: Callable[[str, str], list[Problem]] | None = None) -> list[Problem]:
    """The hand-written pages (``*.md``) below ``folder``, read as content files are, so that one
    MkDocs could not read is a located problem before MkDocs ever opens it; and any entry there
    that is not a plain file or folder, or whose name holds control characters. Links are
    reported by ``symlinks_in``; hidden entries are left out, as MkDocs leaves them out.
    ``inspect(text, source)`` checks each page's text further (later stages know how)."""
    if not folder.is_dir():
        return []
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if (named := _name_problem(path, root)) is not None:
            problems.append(named)
            continue
        try:
            mode = path.lstat().st_mode
        except OSError as error:
            problems.append(_unopened(display_path(path, root), error))
            continue
        if stat.S_ISLNK(mode):
            continue
        if stat.S_ISDIR(mode):
            problems += check_pages(path, root, inspect)
        elif (special := _special_kind(mode)) is not None:
            problems.append(_not_regular(display_path(path, root), special))
        elif stat.S_ISREG(mode) and path.suffix == ".md":
            text, found = read_text(path, display_path(path, root))
            problems += found
            if text is not None and inspect is not None:
                problems += inspect(text, display_path(path, root))
    return problems
