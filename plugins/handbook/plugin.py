"""The MkDocs adapter: hand the core's generated pages to MkDocs. No content logic lives here."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from handbook.config import HandbookConfig
from handbook.labels import load_labels
from handbook.model import Case, Handbook
from handbook.nav import expand_nav
from handbook.pages import FOLDERS, environment, render_pages
from handbook.problems import ContentError
from handbook.project import Settings, load_handbook
from handbook.schema_check import KINDS, schema_text

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

CASE_FOLDER = FOLDERS[Case]
STYLESHEET = "assets/handbook/handbook.css"


class HandbookPlugin(BasePlugin[HandbookConfig]):
    """Validates the curriculum library and generates the handbook's pages from it."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.handbook: Handbook | None = None
        self.pages: dict[str, str] = {}

    def settings(self, config: MkDocsConfig) -> Settings:
        return Settings(Path(config.config_file_path).parent, self.config.curriculum_dir,
                        self.config.cases_dir, self.config.rubrics_dir)

    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and check all content before anything is written; publish the model to macros.

        Runs first (priority 100) so that mkdocs-macros, which reads ``extra`` in its own
        ``on_config``, sees ``handbook`` as a variable in hand-written pages.
        """
        root = Path(config.config_file_path).parent
        try:
            self.handbook = load_handbook(self.settings(config))
            labels = load_labels(self.handbook.framework.default_language, self._folder(root, "labels_dir"))
            self.pages = render_pages(self.handbook, labels, environment(self._folder(root, "templates_dir")))
        except ContentError as error:
            raise PluginError(f"The handbook's content has problems; nothing was built.\n{error}") from None
        config.extra["handbook"] = self.handbook
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if config.nav is not None and self.config.nav_expand:
            config.nav = expand_nav(config.nav, self.handbook)
        return config

    def _folder(self, root: Path, option: str) -> Path | None:
        value = self.config[option]
        return root / value if value else None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the generated pages, the published JSON Schemas and our stylesheet as virtual files."""
        for path, markdown in self.pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} is generated from the content: remove it from docs/")
            file = File.generated(config, path, content=markdown)
            if path.startswith(f"{CASE_FOLDER}/") and not path.endswith("/index.md"):
                file.inclusion = InclusionLevel.NOT_IN_NAV  # reached from the case library
            files.append(file)
        for kind in KINDS:
            files.append(File.generated(config, f"schemas/{kind}.schema.json", content=schema_text(kind)))
        stylesheet = resources.files("handbook").joinpath("assets", "handbook.css").read_text("utf-8")
        files.append(File.generated(config, STYLESHEET, content=stylesheet))
        return files

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        """Rebuild when content changes, not only when docs/ does."""
        for folder in self.settings(config).content_dirs:
            if folder.is_dir():
                server.watch(str(folder))
        return server
