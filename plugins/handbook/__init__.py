"""Living Handbook: turn a curriculum library (YAML and Markdown) into a handbook.

The core (``load_handbook``) knows nothing about MkDocs; ``handbook.mkdocs.plugin`` adapts it to MkDocs.
"""

from __future__ import annotations

from handbook.library import Settings, load_handbook
from handbook.sources.problems import ContentError, Problem

__all__ = ["ContentError", "Problem", "Settings", "load_handbook"]
