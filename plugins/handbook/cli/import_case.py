"""``handbook import case PACKAGE.json``: start (or refresh) a framework from a CASE 1.1 package.

The package is read and checked first (``handbook.sources.case_package``); nothing is written while
it has a problem. The content it gives is then written into a staging folder inside the target,
beside a copy of the target's own content, and checked there with the project's loader, exactly as
the target will be afterwards. Only when that passes are the new files moved into place; the
staging folder is removed whatever happens.

Existing content files are never overwritten silently: if a file the package gives already exists,
the import stops and names it, unless ``--force`` is given. ``--force`` replaces those files and
keeps every other file of the target (cases, translations, competencies the package lacks): the
check then covers the merged result, so an import that would leave a case naming a competency that no
longer exists is refused too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from handbook.cli.main import settings_from
from handbook.library import load_library
from handbook.sources.case_package import CaseImport, PackageError, read_case_package
from handbook.sources.problems import ContentError, printable

_STAGING_PREFIX = ".handbook-case-import-"
HEADER = "# Imported from a CASE package by `handbook import case`; look for 'To be written' placeholders.\n"


def _yaml(data: dict) -> str:
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def _destination(target: Path, relative: str, settings_dirs: dict[str, str]) -> Path:
    """Where a file of the import goes, following the target's configured content folders."""
    top, _, rest = relative.partition("/")
    return target / settings_dirs.get(top, top) / rest


def import_case(args: argparse.Namespace) -> int:
    package = Path(args.package)
    shown = printable(str(package))
    try:
        result = read_case_package(package, language=args.language)
    except PackageError as error:
        for problem in error.problems:
            where = f":{problem.where()}" if problem.line else f": {problem.where()}"
            print(printable(f"{shown}{where}: {problem.message}"), file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found in the package; nothing was written.",
              file=sys.stderr)
        return 1
    target = Path(args.into) if args.into else Path(args.config).resolve().parent
    if not target.is_dir():
        print(printable(f"{target}: not a folder; expected the folder that holds (or will hold) mkdocs.yml"),
              file=sys.stderr)
        return 1
    settings, _ = settings_from(target / "mkdocs.yml")
    dirs = {"curriculum": settings.curriculum_dir, "rubrics": settings.rubrics_dir}
    planned = {relative: _destination(target, relative, dirs) for relative in result.files}
    existing = [relative for relative, path in planned.items() if path.exists() or path.is_symlink()]
    if existing and not args.force:
        for relative in existing:
            print(printable(f"{planned[relative].relative_to(target)}: exists; the import would replace it "
                            "(use --force to replace it)"), file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    try:
        return _stage_and_move(target, settings, result, planned)
    except OSError as error:
        print(printable(f"{target}: {error.strerror or error}; nothing was changed"), file=sys.stderr)
        return 1


def _stage_and_move(target: Path, settings, result: CaseImport, planned: dict[str, Path]) -> int:
    staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=target))
    try:
        # The target's own content as it is, then the imported files over it.
        for name in (settings.curriculum_dir, settings.cases_dir, settings.rubrics_dir):
            if (target / name).is_dir():
                shutil.copytree(target / name, staging / name, symlinks=True)
        if (target / "mkdocs.yml").is_file():
            shutil.copy2(target / "mkdocs.yml", staging / "mkdocs.yml")
        staged = {}
        for relative, destination in planned.items():
            path = staging / destination.relative_to(target)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_yaml(result.files[relative]), "utf-8")
            staged[relative] = path
        staged_settings, _ = settings_from(staging / "mkdocs.yml")
        if not (staging / "mkdocs.yml").is_file():
            staged_settings = type(settings)(staging)
        try:
            load_library(staged_settings)
        except ContentError as error:
            origins = {str(staged[r].relative_to(staging)): result.origins.get(r, "") for r in staged}
            for problem in error.problems:
                origin = origins.get(problem.path)
                note = f" (imported from {origin})" if origin else ""
                print(f"{problem}{printable(note)}", file=sys.stderr)
            print(f"{len(error.problems)} problems in the imported content; nothing was written.", file=sys.stderr)
            return 1
        for relative, destination in planned.items():
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged[relative], destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _report(target, result, planned)
    return 0


def _report(target: Path, result: CaseImport, planned: dict[str, Path]) -> None:
    print("Imported:")
    for line in result.imported:
        print(printable(f"  {line}"))
    for relative in sorted(planned):
        print(printable(f"  wrote {planned[relative].relative_to(target).as_posix()}"))
    if result.placeholders:
        print("Placeholders to replace (marked 'To be written'):")
        for line in result.placeholders:
            print(printable(f"  {line}"))
    if result.not_imported:
        print("Not imported:")
        for line in result.not_imported:
            print(printable(f"  {line}"))


def add_parser(commands: argparse._SubParsersAction) -> None:
    importing = commands.add_parser("import", help="start content from a package in a standard format")
    formats = importing.add_subparsers(dest="import_format", required=True)
    case = formats.add_parser("case", help="a 1EdTech CASE 1.1 CFPackage (JSON) into curriculum/ and rubrics/")
    case.add_argument("package", help="the CASE package, a JSON file")
    case.add_argument("--into", help="the folder to write into (default: the folder of mkdocs.yml)")
    case.add_argument("-f", "--config", default="mkdocs.yml", help="the site's mkdocs.yml (default: mkdocs.yml)")
    case.add_argument("--force", action="store_true", help="replace content files that already exist")
    case.add_argument("--language", help="the package's language when it does not say (a tag such as pt-BR)")
    case.set_defaults(run=import_case, format="text")
