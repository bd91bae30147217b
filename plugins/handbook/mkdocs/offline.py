"""The offline copy: the whole handbook, every language, as one archive to read from the file system.

A page opened from ``file://`` cannot ask for a folder (the browser shows a listing, not
``index.html``), fetch a file (the search index) or start a worker (search). So the offline copy is a
second build of the same site, made beside the first in a process of its own:

- with ``use_directory_urls: false``, so that MkDocs writes every link, the search index's too, to a
  file (``cases/index.html``): whatever a page, a template or a script takes from MkDocs' own
  addresses is right without rewriting HTML afterwards;
- with each language's search index also written as a script (``search/search_index.js``, which
  Material loads from ``file://``), from that language's own index: Material's offline plugin writes
  one, from the last language mkdocs-static-i18n built;
- with a shim that runs the search worker in a hidden frame (``assets/handbook/iframe-worker.js``),
  shipped in the site: Material's offline plugin loads one from a CDN, and that one writes an inline
  script, which the pages' security policy refuses;
- with the PDFs of the published build: the copy lists them like the site does, and the archive
  takes the very files the site publishes instead of printing them twice.

The published site is built as before; only ``downloads/handbook-offline.zip`` is added to it, and
the size of the archive beside each link to it. ``offline_archive: false`` (or
``HANDBOOK_OFFLINE_ARCHIVE=false`` with the project's ``mkdocs.yml``) leaves it out.
"""

from __future__ import annotations

import atexit
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from babel.units import format_unit
from mkdocs.exceptions import PluginError

from handbook.i18n.formatting import locale_of

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

ARCHIVE = "downloads/handbook-offline.zip"
# The folder the archive unpacks into: its index.html is the home page.
FOLDER = "handbook-offline"
SHIM = "assets/handbook/iframe-worker.js"
# Set for the second build, the offline copy, by the build that makes the archive.
MARKER = "HANDBOOK_OFFLINE_COPY"
# Files of a site that mean nothing from the file system: only a server serves its "not found" page,
# sitemaps are for search engines, source maps for the theme's developers.
_LEFT_OUT = re.compile(r"(^|/)(404\.html|sitemap\.xml(\.gz)?)$|\.map$")
# Every entry gets this time, so the same site makes the same archive.
_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


def is_offline_copy() -> bool:
    """True in the build of the offline copy."""
    return os.environ.get(MARKER) == "1"


def configure_copy(config: MkDocsConfig) -> None:
    """Links to files, the search worker's shim, and no version selector (it reads ``versions.json``
    beside the releases, which a copy on a disk does not have)."""
    config.use_directory_urls = False
    polyfills = config.extra.get("polyfills") or []
    if SHIM not in polyfills:
        config.extra["polyfills"] = [*polyfills, SHIM]
    config.extra.pop("version", None)


def placeholder_pdf() -> Future[bytes]:
    """What the offline copy writes for a PDF: the archive takes the published build's file."""
    done: Future[bytes] = Future()
    done.set_result(b"")
    return done


def write_search_scripts(site_dir: Path) -> None:
    """Each search index (one per language) also as the script Material loads from ``file://``."""
    for index in sorted(site_dir.rglob("search/search_index.json")):
        text = index.read_text("utf-8")
        index.with_suffix(".js").write_text(f"var __index = {text}", "utf-8")


def file_size(size: int, language: str) -> str:
    """A size in megabytes as the language writes it ("12.3 MB", "12,3 Mo")."""
    return format_unit(round(size / 1_000_000, 1) or 0.1, "digital-megabyte", length="short",
                       format="#,##0.0", locale=locale_of(language))


@dataclass(frozen=True)
class Link:
    """A published page that links to the archive, and how its language writes the size."""

    page: Path
    words: str  # "(ZIP, {size})"
    language: str


def show_size(links: list[Link], size: int) -> None:
    """Write the archive's size after each link to it (known only once the archive is made)."""
    link = re.compile(rf'<a\b[^>]*\bhref="[^"]*{re.escape(ARCHIVE.rpartition("/")[2])}"[^>]*>.*?</a>', re.DOTALL)
    for page in {entry.page for entry in links}:
        entry = next(e for e in links if e.page == page)
        note = html.escape(entry.words.replace("{size}", file_size(size, entry.language)), quote=False)
        text = page.read_text("utf-8")
        page.write_text(link.sub(lambda m, note=note: f"{m.group(0)} {note}", text), "utf-8")


class OfflineCopy:
    """The offline copy being built, in a process of its own, while the site is."""

    def __init__(self, config: MkDocsConfig) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="handbook-offline-"))
        self.site = self.folder / "site"
        self.log = self.folder / "build.log"
        config_file = Path(config.config_file_path).resolve()
        command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), "-d", str(self.site)]
        if config.strict:
            command.append("--strict")
        env = {**os.environ, MARKER: "1", "NO_MKDOCS_2_WARNING": "1"}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                            env=env, cwd=config_file.parent)
        atexit.register(self.discard)

    def archive(self, site_dir: Path) -> int:
        """Wait for the copy, pack it into ``site_dir``'s archive (with the PDFs ``site_dir``
        publishes) and return the archive's size."""
        if self.process.wait() != 0:
            output = self.log.read_text("utf-8", errors="replace").strip().splitlines()
            self.discard()
            raise PluginError("The offline copy of the handbook could not be built; nothing was published.\n"
                              + "\n".join(output[-30:]))
        target = site_dir / ARCHIVE
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
                for path in sorted(p for p in self.site.rglob("*") if p.is_file()):
                    relative = path.relative_to(self.site).as_posix()
                    if _LEFT_OUT.search(relative):
                        continue
                    published = site_dir / relative
                    source = published if path.suffix == ".pdf" and published.is_file() else path
                    entry = zipfile.ZipInfo(f"{FOLDER}/{relative}", _ENTRY_TIME)
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    entry.external_attr = 0o644 << 16
                    archive.writestr(entry, source.read_bytes())
        finally:
            self.discard()
        return target.stat().st_size

    def discard(self) -> None:
        """Stop the copy's build if it still runs, and delete it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
        atexit.unregister(self.discard)
