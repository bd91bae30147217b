"""mkdocs-macros, fenced in: hand-written pages may quote figures from the data, nothing more.

mkdocs-macros renders with a plain Jinja environment, from which a template can walk into
Python internals, and it offers the whole MkDocs configuration and the machine's environment
as variables. We swap in Jinja's immutable sandbox, with the same settings, and withdraw those
variables: ``handbook`` (the model) and ``extra`` remain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jinja2.sandbox import ImmutableSandboxedEnvironment

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

WITHDRAWN_VARIABLES = ("config", "environment", "plugin", "git", "macros_info")
_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
             "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
             "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "undefined",
             "autoescape", "loader")


def sandbox_macros(config: MkDocsConfig) -> None:
    """Replace mkdocs-macros' environment with a sandbox (call after its ``on_config``)."""
    macros = config.plugins.get("macros")
    if macros is None or not hasattr(macros, "_env"):
        return
    original = macros._env
    if isinstance(original, ImmutableSandboxedEnvironment):
        return
    sandbox = ImmutableSandboxedEnvironment(**{name: getattr(original, name) for name in _SETTINGS},
                                            extensions=list(original.extensions))
    sandbox.globals.update(original.globals)
    sandbox.filters.update(original.filters)
    for name in WITHDRAWN_VARIABLES:
        macros.variables.pop(name, None)
        sandbox.globals.pop(name, None)
    macros._env = sandbox
