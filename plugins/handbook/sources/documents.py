"""Find and read the content files: one ``Document`` per file, with positions kept."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handbook.sources.problems import Problem
from handbook.sources.strict_yaml import Located, read_yaml

MAX_FILE_BYTES = 512 * 1024


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
    """The item a file is about: ``active-listening`` for ``active-listening.es.yml`` too."""
    return path.name.split(".")[0]


def _symlink_problem(path: Path, root: Path) -> Problem:
    return Problem(display_path(path, root), 1, 1, "", "symbolic links are not allowed in content: "
                                                       "replace the link with the file itself")


def symlinks_in(folder: Path, root: Path) -> list[Problem]:
    """Every symbolic link below ``folder``: MkDocs would follow them out of the repository."""
    if not folder.is_dir():
        return []
    return [_symlink_problem(path, root) for path in sorted(folder.rglob("*")) if path.is_symlink()]


def read_text(path: Path, source: str) -> tuple[str | None, list[Problem]]:
    """Read a content file as UTF-8 text, refusing links, huge files and other encodings."""
    if path.is_symlink():
        return None, [Problem(source, 1, 1, "", "symbolic links are not allowed in content: "
                                                "replace the link with the file itself")]
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(source, 1, 1, "", f"the file is {len(raw) // 1024} KiB; content files "
                                                f"are limited to {MAX_FILE_BYTES // 1024} KiB")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [Problem(source, line, column, "", f"not UTF-8 text (byte 0x{raw[error.start]:02x}): "
                                                          "save the file as UTF-8")]
    return text.removeprefix("\ufeff"), []


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
    body = "".join(lines[end + 1 :])
    return Document(kind, source, _stem(path), located, body, end + 2,
                    readable=located.data is not None), problems


def content_files(folder: Path, suffix: str, root: Path, only: str | None = None) -> tuple[list[Path], list[Problem]]:
    """The files of one kind in ``folder``, translations included; with ``only``, just the files
    named ``only`` (the framework shares its folder with the competencies' folder)."""
    if not folder.is_dir():
        return [], []
    found, problems = [], []
    for path in sorted(folder.iterdir()):
        if path.is_symlink():
            problems.append(_symlink_problem(path, root))
            continue
        if path.name.startswith(".") or path.is_dir():
            continue
        if only is not None:
            if path.name.split(".")[0] == only:
                found.append(path)
            continue
        if path.suffix != suffix:
            problems.append(Problem(display_path(path, root), 1, 1, "",
                                    f"unexpected file here: content files in this folder end in {suffix}"))
            continue
        found.append(path)
    return found, problems
