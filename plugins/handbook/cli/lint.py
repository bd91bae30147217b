"""``handbook lint``: plain and inclusive language checks on the content, in every language.

Findings are printed as ``path:line: rule: message``. They are warnings (exit status 0) unless
``--strict`` makes them errors (exit status 1 when there is any). Content that fails validation
is reported as ``handbook validate`` reports it, and not linted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from handbook.lint import lint_library, parse_config
from handbook.sources.problems import MAX_REPORTED, ContentError, format_text


def add_parser(commands: argparse._SubParsersAction) -> None:
    lint = commands.add_parser("lint", help="plain and inclusive language checks on the content, in every language",
                               description="Check the content's language: reading ease, sentence length, terms the "
                                           "glossary says to avoid, acronyms, images without alternative text, vague "
                                           "behaviours and look-fors, repeated text. Settings: the 'lint' option of "
                                           "the handbook plugin in mkdocs.yml.")
    lint.add_argument("-f", "--config", default="mkdocs.yml", help="the site's mkdocs.yml (default: mkdocs.yml)")
    lint.add_argument("--strict", action="store_true", help="treat findings as errors: exit status 1 if there is any")
    lint.set_defaults(run=run, format="text")


def run(args: argparse.Namespace) -> int:
    from handbook.cli.main import _load, plugin_settings

    library, _ = _load(args)
    if library is None:
        return 1
    config_file = Path(args.config)
    options = plugin_settings(config_file)
    try:
        config = parse_config(options.get("lint"), library.languages, source=config_file.name,
                              text=config_file.read_text("utf-8") if config_file.is_file() else None)
    except ContentError as error:
        print(format_text(error.problems).replace("found in the content", "found in the lint settings"),
              file=sys.stderr)
        return 1
    findings = lint_library(library, config)
    for finding in findings[:MAX_REPORTED]:
        print(finding)
    if len(findings) > MAX_REPORTED:
        print(f"... and {len(findings) - MAX_REPORTED:,} more findings ({len(findings):,} in all)")
    kind = "error" if args.strict else "warning"
    files = len({finding.path for finding in findings})
    if findings:
        print(f"{len(findings)} {kind}{'s' if len(findings) != 1 else ''} in {files} file{'s' if files != 1 else ''}.",
              file=sys.stderr)
    else:
        print("No findings: the content reads as the lint settings ask.", file=sys.stderr)
    return 1 if findings and args.strict else 0
