"""``handbook diff``: what changed in the curriculum between two revisions or folders, and
whether the change follows the release policy (``--check``)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path

import yaml

from handbook.checks.policy import Policy, PolicyConfigError, check
from handbook.cli.main import _AnyTagLoader, _plugin_options, settings_from
from handbook.library import Settings, read_snapshot
from handbook.model.diff import Snapshot, compare
from handbook.render.diff_report import as_json, as_markdown
from handbook.sources.problems import printable
from handbook.sources.revisions import RevisionError, export


def _policy(config_file: Path) -> Policy:
    config = yaml.load(config_file.read_text("utf-8"), Loader=_AnyTagLoader) if config_file.is_file() else {}
    return Policy.from_options(_plugin_options(config or {}, "handbook").get("policy"))


def _side(name: str, settings: Settings, root: Path, scratch: Path) -> Snapshot:
    """One side of the comparison: a folder, or a revision of the project's git repository."""
    folder = Path(name)
    if folder.is_dir():
        found, _ = settings_from(folder / "mkdocs.yml")
        chosen = found if (folder / "mkdocs.yml").is_file() else dataclasses.replace(settings, root=folder)
    else:
        paths = ["mkdocs.yml", settings.curriculum_dir, settings.cases_dir, settings.rubrics_dir]
        exported = export(root, name, scratch / str(len(list(scratch.iterdir()))), paths)
        found, _ = settings_from(exported / "mkdocs.yml")
        chosen = found if (exported / "mkdocs.yml").is_file() else dataclasses.replace(settings, root=exported)
    shot, problems = read_snapshot(chosen, name)
    if problems:
        print(printable(f"handbook diff: {len(problems)} problem{'s' if len(problems) > 1 else ''} in {name}; "
                        f"what could not be read is left out of the comparison (first: {problems[0]})"),
              file=sys.stderr)
    return shot


def run_diff(args: argparse.Namespace) -> int:
    config_file = Path(args.config)
    settings, _ = settings_from(config_file)
    root = settings.root
    try:
        policy = _policy(config_file)
    except PolicyConfigError as error:
        print(printable(f"{config_file}: {error}"), file=sys.stderr)
        return 2
    try:
        with tempfile.TemporaryDirectory(prefix="handbook-diff-") as scratch:
            base = _side(args.base, settings, root, Path(scratch))
            if args.head is None:
                head, _ = read_snapshot(settings, "working tree")
            else:
                head = _side(args.head, settings, root, Path(scratch))
    except RevisionError as error:
        print(printable(f"handbook diff: {error}"), file=sys.stderr)
        return 2
    diff = compare(base, head)
    failures = check(diff, policy) if args.check else None
    sys.stdout.write(as_json(diff, failures) + "\n" if args.format == "json" else as_markdown(diff, failures))
    for failure in failures or []:
        print(printable(failure.line()), file=sys.stderr)
    return 1 if failures else 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    diff = commands.add_parser("diff", help="what changed in the curriculum between two revisions or folders",
                               description="Compare the curriculum of BASE and HEAD (git revisions or folders; "
                                           "HEAD defaults to the working tree) item by item.")
    diff.add_argument("base", metavar="BASE", help="a git revision (main, v1.0.0, HEAD~3) or a project folder")
    diff.add_argument("head", metavar="HEAD", nargs="?", help="the same (default: the working tree)")
    diff.add_argument("--check", action="store_true",
                      help="also hold the change to the release policy; exit status 1 when a rule is not met")
    diff.add_argument("--format", choices=("markdown", "json"), default="markdown",
                      help="markdown (default; fits a pull-request comment) or json (schemas/diff.schema.json)")
    diff.add_argument("-f", "--config", default="mkdocs.yml", help="the site's mkdocs.yml (default: mkdocs.yml)")
    diff.set_defaults(run=run_diff)
