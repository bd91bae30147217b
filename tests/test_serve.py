"""`mkdocs serve` rebuilds when content outside docs/ changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ENV, Project


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@pytest.fixture
def served(project: Project, tmp_path: Path) -> Iterator[tuple[Project, str]]:
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(project.root / "mkdocs.yml"),
                               "-a", f"127.0.0.1:{port}", "--livereload"],
                              stdout=log, stderr=subprocess.STDOUT, env=ENV)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: "Active listening" in fetch(base + "competencies/active-listening/")), \
            "mkdocs serve did not come up"
        yield project, base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.mark.parametrize("content_file, old, new, url, expected", [
    ("curriculum/competencies/active-listening.yml", "title: Active listening", "title: Attentive listening",
     "competencies/active-listening/", "Attentive listening"),
    ("cases/warehouse-finishing-sentences.md", "title: Finishing someone else's sentences",
     "title: Holding the pause", "cases/", "Holding the pause"),
    ("rubrics/coaching-cycle.yml", "  threshold: 3\n", "  threshold: 3.5\n", "rubrics/coaching-cycle/",
     "at least <strong>3.5</strong>"),
])
def test_editing_content_rebuilds_the_served_site(served: tuple[Project, str], content_file: str, old: str,
                                                   new: str, url: str, expected: str) -> None:
    project, base = served
    assert expected not in fetch(base + url)
    project.edit(content_file, old, new)
    assert wait_for(lambda: expected in fetch(base + url)), f"{url} did not show {expected!r} after the edit"


def test_a_content_mistake_while_serving_is_reported_and_the_server_recovers(served: tuple[Project, str],
                                                                              tmp_path: Path) -> None:
    project, base = served
    project.edit("curriculum/competencies/active-listening.yml", "domain: core-skills", "domain: core")
    assert wait_for(lambda: "unknown domain 'core'" in (tmp_path / "serve.log").read_text("utf-8"))
    assert "Traceback" not in (tmp_path / "serve.log").read_text("utf-8")
    project.edit("curriculum/competencies/active-listening.yml", "domain: core\n",
                 "domain: core-skills\n")
    project.edit("curriculum/competencies/active-listening.yml", "title: Active listening", "title: Deep listening")
    assert wait_for(lambda: "Deep listening" in fetch(base + "competencies/active-listening/"))
