"""A git revision of the project as a folder: what ``handbook diff`` compares.

``git archive`` writes the revision's files without touching the work tree or the index; the tar
is unpacked with Python's "data" filter, so no entry can be a link, a device or a path outside
the folder, whatever the revision holds.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path


class RevisionError(Exception):
    """A revision that cannot be read, said in one line."""


def git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed: compare two folders instead") from None
    if done.returncode != 0:
        raise RevisionError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git {args[0]} failed")
    return done.stdout


def project_prefix(root: Path) -> str:
    """The project folder's path inside its git repository ("" at the top, else "sub/dir/")."""
    return git(root, "rev-parse", "--show-prefix").strip()


def resolve(root: Path, revision: str) -> str:
    """The commit ``revision`` names, or a RevisionError saying it names none."""
    if revision.startswith("-"):
        raise RevisionError(f"'{revision}' is not a revision")
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").strip()
    except RevisionError:
        raise RevisionError(f"'{revision}' is neither a folder nor a revision of the git repository at "
                            f"{root}") from None


def export(root: Path, revision: str, folder: Path, paths: list[str]) -> Path:
    """The project as it was at ``revision``, written below ``folder``; returns the project's
    folder there. Only ``paths`` (relative to the project) are written; missing ones are skipped."""
    commit = resolve(root, revision)
    prefix = project_prefix(root)
    top = Path(git(root, "rev-parse", "--show-toplevel").strip())  # paths below are the repository's
    listed = git(top, "ls-tree", "--name-only", commit, "--", *(f"{prefix}{p}" for p in paths))
    present = [line for line in listed.splitlines() if line]
    target = folder / "project"
    target.mkdir(parents=True, exist_ok=True)
    if present:
        archive = subprocess.run(["git", "-C", str(top), "archive", "--format=tar", commit, "--", *present],
                                 capture_output=True, check=False)
        if archive.returncode != 0:
            raise RevisionError(archive.stderr.decode("utf-8", "replace").strip() or "git archive failed")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(target, filter="data")
    return target / prefix if prefix else target
