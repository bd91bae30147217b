"""The ``handbook`` command: check the content library without building the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from handbook.problems import ContentError, format_json
from handbook.project import Settings, load_handbook

_FOLDER_OPTIONS = ("curriculum_dir", "cases_dir", "rubrics_dir")


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose ``!!python/name`` and ``!ENV`` tags only MkDocs resolves."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def settings_from(config_file: Path) -> Settings:
    """Content folders as the ``handbook`` plugin entry of mkdocs.yml sets them."""
    root = config_file.parent
    options: dict = {}
    if config_file.is_file():
        config = yaml.load(config_file.read_text("utf-8"), Loader=_AnyTagLoader) or {}
        for plugin in config.get("plugins") or []:
            if isinstance(plugin, dict) and isinstance(plugin.get("handbook"), dict):
                options = plugin["handbook"]
    return Settings(root, **{k: str(v) for k, v in options.items() if k in _FOLDER_OPTIONS})


def validate(args: argparse.Namespace) -> int:
    settings = settings_from(Path(args.config))
    try:
        handbook = load_handbook(settings)
    except ContentError as error:
        print(format_json(error.problems) if args.format == "json" else str(error),
              file=sys.stdout if args.format == "json" else sys.stderr)
        return 1
    if args.format == "json":
        print(format_json([]))
    else:
        print(f"Content is valid: {len(handbook.competencies)} competencies, {len(handbook.cases)} cases, "
              f"{len(handbook.rubrics)} rubrics.")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="handbook", description="Work with a Living Handbook content library.")
    commands = main.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check every content file and report all problems at once")
    check.add_argument("-f", "--config", default="mkdocs.yml",
                       help="the site's mkdocs.yml; content folders are found next to it (default: mkdocs.yml)")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text: one 'path:line:column: field: message' line per problem; json: a report")
    check.set_defaults(run=validate)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
