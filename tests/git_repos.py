"""A copy of the project under git, for the tests of diffs, policy checks and item history."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import yaml

from conftest import ENV, REPO, Project, copy_project

DIFF_SCHEMA = json.loads((REPO / "plugins/handbook/schemas/diff.schema.json").read_text("utf-8"))


class Repo(Project):
    """A project copy under git: change its data, commit, and diff commits."""

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, check=True,
                              env={**ENV, "GIT_AUTHOR_NAME": "Owner", "GIT_AUTHOR_EMAIL": "owner@example.org",
                                   "GIT_COMMITTER_NAME": "Owner", "GIT_COMMITTER_EMAIL": "owner@example.org",
                                   **(env or {})})
        return done.stdout

    def commit(self, message: str, *, day: str | None = None) -> str:
        """Commit everything; ``day`` ("2026-11-20") dates the commit, as history would have it."""
        self.git("add", "-A")
        stamp = {"GIT_AUTHOR_DATE": f"{day}T12:00:00Z", "GIT_COMMITTER_DATE": f"{day}T12:00:00Z"} if day else {}
        self.git("commit", "-q", "--allow-empty", "-m", message, env=stamp)
        return self.git("rev-parse", "HEAD").strip()

    def data(self, relative: str) -> dict:
        return yaml.safe_load(self.path(relative).read_text("utf-8"))

    def save(self, relative: str, data: dict) -> None:
        self.path(relative).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), "utf-8")

    def change(self, relative: str, edit: Callable[[dict], object]) -> None:
        data = self.data(relative)
        edit(data)
        self.save(relative, data)

    def set_version(self, version: str, notes: list[str] | None = None, deprecated: list[dict] | None = None) -> None:
        self.change("curriculum/framework.yml", lambda d: d.update(version=version))
        if notes is not None:
            def add(data: dict) -> None:
                release = {"date": "2026-12-02", "title": f"Release {version}", "notes": notes}
                if deprecated:
                    release["deprecated"] = deprecated
                data["releases"] = {version: release, **{k: v for k, v in data["releases"].items() if k != version}}
            self.change("curriculum/releases.yml", add)

    def version(self) -> str:
        return str(self.data("curriculum/framework.yml")["version"])

    def bumped(self, part: str) -> str:
        """The framework's version with its ``part`` ("major", "minor", "patch") bumped."""
        major, minor, patch = (int(n) for n in self.version().split("-")[0].split("."))
        return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0",
                "patch": f"{major}.{minor}.{patch + 1}"}[part]

    def diff(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "handbook.cli", "diff", *args], capture_output=True, text=True,
                              env=ENV, cwd=self.root, timeout=120)

    def diff_json(self, *args: str) -> dict:
        done = self.diff("--format", "json", *args)
        assert done.returncode in (0, 1), done.stderr
        report = json.loads(done.stdout)
        jsonschema.Draft202012Validator(DIFF_SCHEMA).validate(report)
        return report


def new_repo(folder: Path, *, day: str | None = None) -> Repo:
    project = copy_project(folder)
    repository = Repo(project.root)
    repository.git("init", "-q", "-b", "main")
    repository.commit("the handbook as released", day=day)
    return repository
