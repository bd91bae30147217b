"""What the glossary and health pages need from a build: the glossary in the language being
built, the curriculum's health figures and the language findings (``handbook lint``), found
once per loaded library rather than once per language."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError

from handbook.library import Library
from handbook.lint import Finding, lint_library, parse_config
from handbook.model.handbook import Handbook
from handbook.model.health import curriculum_health
from handbook.render.owner_pages import GLOSSARY_PAGE, HEALTH_PAGE
from handbook.sources.problems import ContentError, format_text

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from handbook.mkdocs.config import HandbookConfig

PAGES = (GLOSSARY_PAGE, HEALTH_PAGE)


class OwnerPages:
    def __init__(self) -> None:
        self._linted: Library | None = None
        self._findings: list[Finding] = []

    def data(self, library: Library, handbook: Handbook, options: HandbookConfig,
             config: MkDocsConfig) -> dict[str, Any]:
        """The keyword arguments of ``render_pages`` for the glossary and health pages."""
        if library is not self._linted:
            config_file = Path(config.config_file_path)
            try:
                settings = parse_config(options.lint, library.languages, source=config_file.name,
                                        text=config_file.read_text("utf-8") if config_file.is_file() else None)
            except ContentError as error:
                raise PluginError("The handbook plugin's lint settings have problems; nothing was built.\n"
                                  + format_text(error.problems).replace("in the content", "in the settings")) from None
            self._findings, self._linted = lint_library(library, settings), library
        return {"glossary": library.glossary(handbook.language) or None,
                "health": curriculum_health(handbook, options.review_months, datetime.date.today()),
                "findings": self._findings}


def listed(nav: list[Any] | None, path: str) -> bool:
    """Whether the navigation written in mkdocs.yml names ``path`` (no navigation: every page is listed)."""
    if nav is None:
        return True
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
        if value == path or (isinstance(value, list) and listed(value, path)):
            return True
    return False
