"""Living Handbook: turn a curriculum library (YAML and Markdown) into a handbook.

The core (``load_handbook``) knows nothing about MkDocs; ``handbook.plugin`` adapts it to MkDocs.
"""

from __future__ import annotations

from handbook.problems import ContentError, Problem
from handbook.project import Settings, load_handbook

__all__ = ["ContentError", "Problem", "Settings", "load_handbook"]
