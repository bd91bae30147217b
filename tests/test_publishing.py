"""A build publishes a complete, validated site or leaves the previous one untouched."""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from conftest import ENV, Project
from handbook.mkdocs.staging import StagedSite

FAILING_HOOK = """
def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == "{src_uri}":
        raise RuntimeError("a plugin failed on this page")
    return markdown
"""



def fail_renames(monkeypatch: pytest.MonkeyPatch, code: int, when: Callable[[Path, Path], bool]) -> None:
    """Make ``os.rename`` fail with ``code`` for the moves ``when`` picks, as a full or
    read-only file system would; every other move goes through."""
    rename = os.rename

    def failing(source: str | Path, destination: str | Path) -> None:
        if when(Path(source), Path(destination)):
            raise OSError(code, os.strerror(code), str(destination))
        rename(source, destination)

    monkeypatch.setattr(os, "rename", failing)

@pytest.fixture
def previous_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "old").mkdir(parents=True)
    (site / "index.html").write_text("the previous site", "utf-8")
    (site / "old" / "page.html").write_text("an old page", "utf-8")
    return site


def assert_untouched(site: Path) -> None:
    assert (site / "index.html").read_text("utf-8") == "the previous site"
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == ["index.html", "old", "old/page.html"]
    assert sorted(p.name for p in site.parent.iterdir()) == ["project", "site"], "a staging folder was left behind"


@pytest.mark.parametrize("src_uri", ["index.md", "cases/warehouse-finishing-sentences.md", "governance.es.md"])
def test_a_plugin_failing_on_some_page_leaves_the_previous_site(project: Project, previous_site: Path,
                                                                 src_uri: str) -> None:
    project.write("hooks/fail.py", FAILING_HOOK.format(src_uri=src_uri))
    project.edit("mkdocs.yml", "\nplugins:\n", "\nhooks:\n  - hooks/fail.py\n\nplugins:\n")

    built = project.build(previous_site)

    assert built.returncode != 0
    assert "a plugin failed on this page" in built.stderr
    assert_untouched(previous_site)


def test_a_warning_in_strict_mode_publishes_nothing(project: Project, previous_site: Path) -> None:
    project.edit("docs/governance.md", "# Governance\n", "# Governance\n\nSee [the missing page](missing.md).\n")

    built = project.build(previous_site)

    assert built.returncode == 1
    assert "missing.md" in built.stderr
    assert_untouched(previous_site)


def test_a_good_build_replaces_the_previous_site_whole(project: Project, previous_site: Path) -> None:
    built = project.build(previous_site)

    assert built.returncode == 0, built.stderr
    assert not (previous_site / "old").exists()
    assert "the previous site" not in (previous_site / "index.html").read_text("utf-8")
    assert (previous_site / "competencies" / "active-listening" / "index.html").is_file()
    assert sorted(p.name for p in previous_site.parent.iterdir()) == ["project", "site"]


# --- Where the site folder lives: a link, a mount point, a folder that cannot be renamed -------------------------


def test_a_site_folder_that_is_a_link_is_published_into_the_links_target(project: Project, tmp_path: Path) -> None:
    served = tmp_path / "www" / "handbook"
    (served / "old").mkdir(parents=True)
    (served / "index.html").write_text("the previous site", "utf-8")
    site = tmp_path / "site"
    site.symlink_to(served, target_is_directory=True)

    built = project.build(site)

    assert built.returncode == 0, built.stderr
    assert site.is_symlink() and site.readlink() == served, "the link was replaced"
    assert not (served / "old").exists()
    assert (served / "competencies" / "active-listening" / "index.html").is_file()
    assert [p.name for p in served.parent.iterdir()] == ["handbook"], "a staging folder was left behind"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site", "www"]


MOUNTED_BUILD = """
import json, subprocess, sys
from pathlib import Path

site, config, result = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(site)], check=True)
(site / "old").mkdir()
(site / "index.html").write_text("the previous site", "utf-8")
built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(site)],
                       capture_output=True, text=True)
result.write_text(json.dumps({
    "returncode": built.returncode, "stderr": built.stderr, "mounted": site.is_mount(),
    "entries": sorted(p.name for p in site.iterdir()), "index": (site / "index.html").read_text("utf-8"),
}))
"""


def can_mount(folder: Path) -> bool:
    """Whether this machine lets us mount a tmpfs in a private mount namespace (root, or a
    sandbox allowing user namespaces); the mount ends with the namespace."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "mount", "-t", "tmpfs", "tmpfs", str(folder)], capture_output=True)
    return probe.returncode == 0


def test_a_site_folder_that_is_a_mount_point_gets_its_contents_replaced(project: Project, tmp_path: Path) -> None:
    # A real tmpfs mount: `make test` runs as root, where `unshare -m` may mount one. The in-process
    # tests below cover the same path by making the rename fail.
    site, driver, result = tmp_path / "site", tmp_path / "mounted_build.py", tmp_path / "result.json"
    site.mkdir()
    assert can_mount(site), "mounting a tmpfs needs root (unshare -m), as make test runs in CI"
    driver.write_text(MOUNTED_BUILD, "utf-8")

    subprocess.run(["unshare", "-m", sys.executable, str(driver), str(site), str(project.path("mkdocs.yml")),
                    str(result)], env=ENV, timeout=300, check=True)

    outcome = json.loads(result.read_text("utf-8"))
    assert outcome["returncode"] == 0, outcome["stderr"]
    assert outcome["mounted"]
    assert "old" not in outcome["entries"]
    assert "competencies" in outcome["entries"]
    assert not [name for name in outcome["entries"] if name.startswith(".")], "a staging folder was left inside"
    assert "the previous site" not in outcome["index"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mounted_build.py", "project", "result.json", "site"]


def refuse_renaming(monkeypatch: pytest.MonkeyPatch, folder: Path, code: int = errno.EBUSY) -> None:
    """Make ``folder`` behave like a mount point: renaming it fails with ``code`` (EBUSY for a
    mount point, EXDEV for another file system) and a rename into or out of it with EXDEV."""
    rename = os.rename

    def refusing(source: str | Path, destination: str | Path) -> None:
        if Path(source) == folder:
            raise OSError(code, os.strerror(code), str(source))
        if Path(source).is_relative_to(folder) != Path(destination).is_relative_to(folder):
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(source))
        rename(source, destination)

    monkeypatch.setattr(os, "rename", refusing)


def stage(site: Path) -> StagedSite:
    """A staged build of ``site`` with a new index page and one new folder, as MkDocs would write them."""
    staged = StagedSite(site)
    (staged.staging / "new").mkdir(parents=True)
    (staged.staging / "index.html").write_text("the new site", "utf-8")
    (staged.staging / "new" / "page.html").write_text("a new page", "utf-8")
    return staged


def all_entries(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize("mount_point", [True, False], ids=["mount point", "not renamable"])
@pytest.mark.parametrize("code", [errno.EBUSY, errno.EXDEV], ids=["EBUSY", "EXDEV"])
def test_a_site_folder_that_cannot_be_renamed_gets_its_contents_replaced(
        monkeypatch: pytest.MonkeyPatch, previous_site: Path, mount_point: bool, code: int) -> None:
    # Emulated in-process: a mount point is recognized (staged inside it) or only found out when
    # its rename fails (staged next to it, then copied inside).
    refuse_renaming(monkeypatch, previous_site, code)
    monkeypatch.setattr(os.path, "ismount", lambda path: mount_point and Path(path) == previous_site)
    folder = os.stat(previous_site).st_ino
    staged = stage(previous_site)
    assert (staged.staging.parent == previous_site) is mount_point

    assert staged.publish(strict=True)

    assert os.stat(previous_site).st_ino == folder
    assert all_entries(previous_site) == ["index.html", "new", "new/page.html"]
    assert (previous_site / "index.html").read_text("utf-8") == "the new site"
    assert sorted(p.name for p in previous_site.parent.iterdir()) == ["site"]


def test_a_failed_move_into_a_mount_point_puts_the_previous_entries_back(monkeypatch: pytest.MonkeyPatch,
                                                                          previous_site: Path) -> None:
    refuse_renaming(monkeypatch, previous_site)
    staged = stage(previous_site)
    # The last new entry: the old ones are all moved away by then.
    fail_renames(monkeypatch, errno.ENOSPC, lambda source, destination: destination == previous_site / "new")

    with pytest.raises(PluginError, match=r"site/: No space left on device \(nothing was changed\)$"):
        staged.publish(strict=True)
    monkeypatch.undo()
    previous_site.parent.joinpath("project").mkdir()  # what assert_untouched expects next to the site
    assert_untouched(previous_site)


# --- A build told to stop, and what killed builds left behind ----------------------------------------------------

SLOW_HOOK = """
import time
from pathlib import Path

def on_post_page(output, page, config):
    if page.file.src_uri == "governance.md":  # by now, the theme's files and some pages are written
        Path({marker!r}).write_text("building governance.md", "utf-8")
        time.sleep(300)
    return output
"""


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, f"the build ended early:\n{process.communicate()[1]}"
        assert time.monotonic() < deadline, "the build did not get there in time"
        time.sleep(0.1)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_build_told_to_stop_leaves_the_previous_site_and_no_staging_folder(project: Project, previous_site: Path,
                                                                             signum: int) -> None:
    marker = project.path("sleeping")
    project.write("hooks/slow.py", SLOW_HOOK.format(marker=str(marker)))
    project.edit("mkdocs.yml", "\nplugins:\n", "\nhooks:\n  - hooks/slow.py\n\nplugins:\n")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project.path("mkdocs.yml")),
               "-d", str(previous_site)]
    with subprocess.Popen(command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as build:
        try:
            wait_for(marker.exists, build)
            assert (previous_site.parent / f".site.building-{build.pid}").is_dir()

            build.send_signal(signum)
            _, stderr = build.communicate(timeout=60)
        finally:
            build.kill()

    assert build.returncode == 128 + signum, stderr
    assert "Traceback" not in stderr
    assert_untouched(previous_site)


@pytest.mark.parametrize("mount_point", [False, True], ids=["swap", "contents"])
def test_a_signal_while_publishing_puts_back_what_was_moved(monkeypatch: pytest.MonkeyPatch, previous_site: Path,
                                                            mount_point: bool) -> None:
    if mount_point:
        refuse_renaming(monkeypatch, previous_site)
    staged = stage(previous_site)
    assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None), "SIGTERM would end the tests"
    # Half-way: the old site is renamed away (swap), or the old entries moved out and one new one in.
    halfway = previous_site / "index.html" if mount_point else previous_site.with_name(f".site.previous-{os.getpid()}")
    rename = os.rename

    def interrupted(source: str | Path, destination: str | Path) -> None:
        rename(source, destination)
        if Path(destination) == halfway:
            signal.raise_signal(signal.SIGTERM)

    monkeypatch.setattr(os, "rename", interrupted)
    try:
        with pytest.raises(SystemExit) as stopped:
            staged.publish(strict=True)
    finally:
        staged.discard()
    monkeypatch.undo()

    assert stopped.value.code == 128 + signal.SIGTERM
    previous_site.parent.joinpath("project").mkdir()
    assert_untouched(previous_site)


def ended_process() -> int:
    """The pid of a process that has run and ended (and been reaped)."""
    with subprocess.Popen([sys.executable, "-c", ""]) as process:
        process.wait()
    return process.pid


def test_staging_folders_of_builds_that_no_longer_run_are_removed(previous_site: Path) -> None:
    dead, alive = ended_process(), os.getppid()
    for leftover in (f".site.building-{dead}", f".site.previous-{dead}", f".site.building-{alive}",
                     f"site/.site.building-{dead}", f"site/.site.previous-{dead}"):
        (previous_site.parent / leftover / "page.html").parent.mkdir(parents=True)
        (previous_site.parent / leftover / "page.html").write_text("left behind", "utf-8")

    StagedSite(previous_site).discard()

    assert sorted(p.name for p in previous_site.parent.iterdir()) == [f".site.building-{alive}", "site"]
    assert all_entries(previous_site) == ["index.html", "old", "old/page.html", "page.html"], \
        "what a killed build had moved out of the mount point was not put back"
    assert (previous_site / "index.html").read_text("utf-8") == "the previous site"


def test_a_site_a_killed_build_had_moved_away_is_put_back(previous_site: Path) -> None:
    dead = ended_process()
    previous_site.rename(previous_site.with_name(f".site.previous-{dead}"))

    StagedSite(previous_site).discard()

    assert sorted(p.name for p in previous_site.parent.iterdir()) == ["site"]
    assert all_entries(previous_site) == ["index.html", "old", "old/page.html"]


def test_signal_handlers_are_ours_only_while_a_build_is_staged(previous_site: Path) -> None:
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGHUP)}

    discarded = StagedSite(previous_site)
    assert all(signal.getsignal(signum) != handler for signum, handler in before.items())
    discarded.discard()
    assert {signum: signal.getsignal(signum) for signum in before} == before

    stage(previous_site).publish(strict=True)
    assert {signum: signal.getsignal(signum) for signum in before} == before


# --- File-system errors: one line, not a traceback ---------------------------------------------------------------


def test_a_site_folder_that_cannot_be_created_is_reported_in_one_line(project: Project, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file", "utf-8")

    built = project.build(blocker / "site")

    assert built.returncode == 1
    assert "Traceback" not in built.stderr, built.stderr
    errors = [line for line in built.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, built.stderr
    assert errors[0].endswith(f"could not publish the site to {blocker / 'site'}/: Not a directory "
                              "(nothing was changed)"), built.stderr
    assert blocker.read_text("utf-8") == "a regular file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder", "project"]


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC], ids=["EROFS", "ENOSPC"])
def test_a_site_folder_that_cannot_be_written_is_refused_before_the_build(monkeypatch: pytest.MonkeyPatch,
                                                                          previous_site: Path, code: int) -> None:
    # Root ignores permissions, so a read-only or full file system is emulated.
    def refusing(path: str | Path, mode: int = 0o777, *, dir_fd: int | None = None) -> None:
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(os, "mkdir", refusing)

    with pytest.raises(PluginError, match=rf"site/: {os.strerror(code)} \(nothing was changed\)$"):
        StagedSite(previous_site)
    monkeypatch.undo()
    previous_site.parent.joinpath("project").mkdir()
    assert_untouched(previous_site)


def test_a_site_that_cannot_be_swapped_in_is_reported_and_the_previous_one_kept(monkeypatch: pytest.MonkeyPatch,
                                                                                previous_site: Path) -> None:
    staged = stage(previous_site)
    # The previous site is already renamed away by then.
    fail_renames(monkeypatch, errno.EROFS, lambda source, destination: source == staged.staging)

    with pytest.raises(PluginError, match=r"site/: Read-only file system \(nothing was changed\)$"):
        staged.publish(strict=True)
    monkeypatch.undo()
    previous_site.parent.joinpath("project").mkdir()
    assert_untouched(previous_site)


def test_a_failed_write_ends_the_build_with_one_line(previous_site: Path, caplog: pytest.LogCaptureFixture) -> None:
    staged = stage(previous_site)

    with pytest.raises(Abort):
        staged.fail(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(staged.staging / "index.html")))

    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR] == [
        f"could not publish the site to {previous_site}/: No space left on device (nothing was changed)"]
    assert not staged.staging.exists()
    staged.fail(RuntimeError("not a file-system error: MkDocs reports it"))


FULL_DISK_HOOK = """
import errno, os
from mkdocs import utils

def on_config(config):
    def write_file(content, output_path):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), output_path)
    utils.write_file = write_file
"""


def test_a_full_disk_while_writing_pages_is_reported_in_one_line(project: Project, previous_site: Path) -> None:
    project.write("hooks/full.py", FULL_DISK_HOOK)
    project.edit("mkdocs.yml", "\nplugins:\n", "\nhooks:\n  - hooks/full.py\n\nplugins:\n")

    built = project.build(previous_site)

    assert built.returncode == 1
    assert "Traceback" not in built.stderr, built.stderr
    assert f"could not publish the site to {previous_site}/: No space left on device (nothing was changed)" \
        in built.stderr
    assert_untouched(previous_site)
