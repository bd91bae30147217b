"""``handbook export case``: the framework as a 1EdTech CASE 1.1 package (JSON)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from handbook.cli.main import _AnyTagLoader, _load
from handbook.render.case_package import case_package, package_text
from handbook.sources.problems import printable


def _site_url(config_file: Path) -> str:
    if not config_file.is_file():
        return ""
    config = yaml.load(config_file.read_text("utf-8"), Loader=_AnyTagLoader) or {}
    value = config.get("site_url") if isinstance(config, dict) else None
    return value if isinstance(value, str) else ""


def export_case(args: argparse.Namespace) -> int:
    library, _ = _load(args)
    if library is None:
        return 1
    language = args.language or library.default_language
    if language not in library.languages:
        print(printable(f"'{language}' is not a language of this site; expected one of: "
                        f"{', '.join(library.languages)}"), file=sys.stderr)
        return 1
    source = library.handbook()
    handbook = library.handbook(language)
    text = package_text(case_package(handbook, source if handbook is not source else None,
                                     _site_url(Path(args.config))))
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, "utf-8")
    except OSError as error:
        print(printable(f"{args.output}: cannot write the package: {error.strerror or error}"), file=sys.stderr)
        return 1
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="publish the content in a standard format")
    formats = export.add_subparsers(dest="export_format", required=True)
    case = formats.add_parser("case", help="the framework and rubrics as a 1EdTech CASE 1.1 CFPackage (JSON)")
    case.add_argument("-f", "--config", default="mkdocs.yml", help="the site's mkdocs.yml (default: mkdocs.yml)")
    case.add_argument("--language", help="the language of the package (default: the framework's own)")
    case.add_argument("-o", "--output", help="the file to write (default: standard output)")
    case.set_defaults(run=export_case, format="text")
