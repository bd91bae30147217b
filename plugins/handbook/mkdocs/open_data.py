"""The open-data files of one language's build: the JSON API, the CASE package and the badge."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.structure.files import File

from handbook.render import json_api, open_badge
from handbook.render.case_package import case_package, package_text

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from handbook.library import Library
    from handbook.mkdocs.i18n import Languages


def open_data_files(config: MkDocsConfig, library: Library, languages: Languages,
                    labels: dict[str, str]) -> list[File]:
    """The current language's release of the API and its badge, its CASE package, and (with the
    default language) the API's index and schema. All at the site root: their addresses name the
    language themselves."""
    site = json_api.Publication(config.site_url or "", {lang: languages.prefix(lang) for lang in languages.all},
                                languages.names, config.use_directory_urls)
    handbook = library.handbook(languages.current)
    source = library.handbook() if languages.current != languages.default else None
    texts = {**json_api.files(handbook, site, index=languages.current == languages.default),
             **open_badge.files(handbook, labels, site),
             f"api/case/{languages.current}.json": package_text(case_package(handbook, source,
                                                                              config.site_url or ""))}
    return [File.generated(config, path, content=text) for path, text in texts.items()]
