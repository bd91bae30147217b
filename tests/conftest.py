"""Shared fixtures: copies of the real project in a temporary folder, built with the real tools."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
RTL_FIXTURE = Path(__file__).parent / "fixtures" / "rtl"
PRECEPTOR = Path(__file__).parent / "fixtures" / "programs" / "preceptor"
PROJECT_PARTS = ("mkdocs.yml", "docs", "curriculum", "cases", "rubrics")
# Printing the PDFs takes most of a build, and the offline archive is a second build: only the builds
# that check them make them.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore", "HANDBOOK_PDF_DOWNLOADS": "false",
       "HANDBOOK_OFFLINE_ARCHIVE": "false"}


@dataclass
class Project:
    """A copy of the project's site configuration and content that a test may change."""

    root: Path

    def path(self, relative: str) -> Path:
        return self.root / relative

    def edit(self, relative: str, old: str, new: str) -> None:
        """Replace ``old`` (which must occur exactly once) with ``new`` in a content file."""
        text = self.path(relative).read_text("utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {relative}"
        self.path(relative).write_text(text.replace(old, new), "utf-8")

    def write(self, relative: str, text: str) -> Path:
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        return target

    def line_of(self, relative: str, text: str) -> int:
        """The 1-based line on which ``text`` first appears."""
        lines = self.path(relative).read_text("utf-8").splitlines()
        return next(number for number, line in enumerate(lines, 1) if text in line)

    def build(self, site_dir: Path, *, pdfs: bool = False, offline: bool = False) -> subprocess.CompletedProcess[str]:
        """``mkdocs build --strict``; with the printable PDFs only when ``pdfs``, the offline archive
        only when ``offline``."""
        return run([sys.executable, "-m", "mkdocs", "build", "--strict",
                    "-f", str(self.root / "mkdocs.yml"), "-d", str(site_dir)],
                   {"HANDBOOK_PDF_DOWNLOADS": "true" if pdfs else "false",
                    "HANDBOOK_OFFLINE_ARCHIVE": "true" if offline else "false"})

    def validate(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run([sys.executable, "-m", "handbook.cli", "validate", "-f", str(self.root / "mkdocs.yml"), *args])

    def validate_i18n(self, command: str, *args: str) -> subprocess.CompletedProcess[str]:
        """``handbook i18n <command>``, run from the project's folder as a translator would."""
        return subprocess.run([sys.executable, "-m", "handbook.cli", "i18n", command, *args], capture_output=True,
                              text=True, env=ENV, timeout=300, cwd=self.root)


def run(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, env={**ENV, **(env or {})}, timeout=300)


def copy_project(destination: Path) -> Project:
    destination.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, destination / part)
        else:
            shutil.copy2(source, destination / part)
    return Project(destination)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A fresh, valid copy of the project to break or extend."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real handbook, built once with ``mkdocs build --strict`` into a temporary folder."""
    root = tmp_path_factory.mktemp("handbook")
    built = copy_project(root / "project").build(root / "site", pdfs=True)
    assert built.returncode == 0, built.stderr
    return root / "site"


@pytest.fixture(scope="session")
def preceptor_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The second program (clinical preceptors, German with Arabic), built once."""
    root = tmp_path_factory.mktemp("preceptor")
    shutil.copytree(PRECEPTOR, root / "project")
    built = Project(root / "project").build(root / "site", pdfs=True)
    assert built.returncode == 0, built.stderr
    return root / "site"


def page(site_dir: Path, url_path: str) -> BeautifulSoup:
    """The parsed HTML of a built page, by its URL path (``competencies/active-listening/``)."""
    file = site_dir / url_path / "index.html" if not url_path.endswith(".html") else site_dir / url_path
    return BeautifulSoup(file.read_text("utf-8"), "html.parser")


def article_text(soup: BeautifulSoup) -> str:
    return " ".join(soup.select_one("article").get_text(" ").split())


def assert_refused(project: Project, site: Path, file: str, line: int, field: str, message: str) -> None:
    """Build over a previous site: exit 1, the problem at ``file:line`` with ``field`` and
    ``message``, no traceback, the previous site untouched and no staging folder left."""
    site.mkdir()
    (site / "index.html").write_text("the previous site", "utf-8")

    built = project.build(site)

    assert built.returncode == 1, built.stderr
    assert "Traceback" not in built.stderr
    reported = [entry for entry in built.stderr.splitlines() if entry.startswith(f"{file}:{line}:")]
    assert reported, f"no problem reported at {file}:{line} in:\n{built.stderr}"
    assert any(f": {field or '(file)'}: " in entry and message in entry for entry in reported), built.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text("utf-8") == "the previous site"
    assert sorted(p.name for p in site.parent.iterdir()) == sorted(["site", project.root.name])


def add_arabic(project: Project) -> None:
    """Add a right-to-left language the way a site owner would: one entry in mkdocs.yml, a
    labels file for the generator's words, and a translation (of one competency only)."""
    config = project.path("mkdocs.yml").read_text("utf-8")
    config = config.replace("  - handbook:\n", "  - handbook:\n      labels_dir: labels\n")
    config = config.replace("      languages:\n", "      languages:\n        - locale: ar\n          name: العربية\n"
                                               "          build: true\n", 1)
    project.path("mkdocs.yml").write_text(config, "utf-8")
    shutil.copytree(RTL_FIXTURE / "labels", project.path("labels"))
    shutil.copy(RTL_FIXTURE / "active-listening.ar.yml", project.path("curriculum/competencies"))
