"""What the MkDocs adapter needs for versioned releases, published with mike (``make publish``).

mike builds a release with ``mkdocs build`` (adding its own plugin and naming the release in
``MIKE_DOCS_VERSION``) and commits it to the pages branch under ``/<version>/``, beside a
``versions.json`` that lists every release with its aliases. Material reads that file to show its
version selector and, on every release but the default alias (``extra.version.default``), the
theme's ``outdated`` block: the handbook's template folder (``theme/``) fills that block in the
reader's language, with a link to the same language's home in the default release.
"""

from __future__ import annotations

import os
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mkdocs.config.defaults import MkDocsConfig

THEME_DIR = str(resources.files("handbook").joinpath("theme"))
# On a translated page of a release, the version selector and the outdated notice (see i18n.py).
SCRIPT = "assets/handbook/versions.js"


def published_by_mike(config: MkDocsConfig) -> bool:
    """True while ``mike deploy`` builds a release."""
    return "mike" in config.plugins and bool(os.environ.get("MIKE_DOCS_VERSION"))


def versioned(config: MkDocsConfig) -> bool:
    """True when the site shows Material's version selector (``extra.version.provider: mike``)."""
    version = config.extra.get("version")
    return isinstance(version, dict) and version.get("provider") == "mike"


def configure(config: MkDocsConfig) -> None:
    """Put the handbook's templates in front of the theme's (behind a site's own ``custom_dir``).
    Leave the version selector out of a build that mike does not publish (``make build``, ``make
    serve``): without the ``versions.json`` beside the releases, each page would ask for it in vain."""
    dirs = config.theme.dirs
    if THEME_DIR not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, THEME_DIR)
    if versioned(config) and not published_by_mike(config):
        del config.extra["version"]


def outdated_notice(config: MkDocsConfig, labels: Mapping[str, str], fallback: Mapping[str, str],
                    language_root: str) -> dict[str, Any] | None:
    """What the theme's ``outdated`` block shows: its words (``fallback``, the default language's, for
    a key a site's own labels lack) and the path of this language's home in the default release,
    relative to the site's root (the root of all releases is one folder up)."""
    if not versioned(config):
        return None
    default = config.extra["version"].get("default") or "latest"
    if isinstance(default, list):  # Material takes one alias or a list of them
        default = default[0]
    words = {key: labels.get(f"outdated_{key}") or fallback[f"outdated_{key}"] for key in ("notice", "link")}
    return {"message": words["notice"], "link": words["link"], "path": f"{default}/{language_root}"}
