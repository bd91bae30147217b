"""The ``handbook`` command: check the content library without building the site."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

import yaml

from handbook.cli import github_report
from handbook.i18n.pages import confirm_page, source_pages, translation_of
from handbook.i18n.translations import confirm_translation
from handbook.library import Library, Settings, load_library
from handbook.sources.documents import display_path
from handbook.sources.problems import ContentError, format_json, printable

_FOLDER_OPTIONS = ("curriculum_dir", "cases_dir", "rubrics_dir")


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose ``!!python/name`` and ``!ENV`` tags only MkDocs resolves."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _plugin_options(config: dict, name: str) -> dict:
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get(name), dict):
            return plugin[name]
    return {}


def settings_from(config_file: Path) -> tuple[Settings, dict[str, str]]:
    """Content folders as the ``handbook`` plugin entry of mkdocs.yml sets them, the translation
    languages of the ``i18n`` entry, and the languages' names."""
    config: dict = {}
    if config_file.is_file():
        config = yaml.load(config_file.read_text("utf-8"), Loader=_AnyTagLoader) or {}
    options = _plugin_options(config, "handbook")
    languages = [lang for lang in _plugin_options(config, "i18n").get("languages", []) if isinstance(lang, dict)]
    translated = tuple(str(lang["locale"]) for lang in languages if not lang.get("default") and lang.get("build", True))
    names = {str(lang["locale"]): str(lang.get("name", lang["locale"])) for lang in languages}
    return (Settings(config_file.parent, **{k: str(v) for k, v in options.items() if k in _FOLDER_OPTIONS},
                     languages=translated, docs_dir=str(config.get("docs_dir", "docs"))), names)


def plugin_settings(config_file: Path) -> dict:
    """The options of the ``handbook`` plugin entry in mkdocs.yml, as written."""
    if not config_file.is_file():
        return {}
    return _plugin_options(yaml.load(config_file.read_text("utf-8"), Loader=_AnyTagLoader) or {}, "handbook")


def _load(args: argparse.Namespace) -> tuple[Library | None, dict[str, str]]:
    settings, names = settings_from(Path(args.config))
    try:
        return load_library(settings), names
    except ContentError as error:
        if args.format == "github":
            github_report.report(error.problems)
        else:
            print(format_json(error.problems) if args.format == "json" else str(error),
                  file=sys.stdout if args.format == "json" else sys.stderr)
        return None, names


def validate(args: argparse.Namespace) -> int:
    library, _ = _load(args)
    if library is None:
        return 1
    handbook = library.handbook()
    if args.format == "json":
        print(format_json([]))
    else:
        valid = (f"Content is valid: {len(handbook.competencies)} competencies, {len(handbook.cases)} cases, "
                 f"{len(handbook.rubrics)} rubrics.")
        print(valid)
        if args.format == "github":
            github_report.write_summary(github_report.summary([], valid=valid))
    return 0


def i18n_status(args: argparse.Namespace) -> int:
    library, names = _load(args)
    if library is None:
        return 1
    reports = [library.report(language, names.get(language)) for language in library.translations]
    if args.format == "json":
        print(json.dumps({"default_language": library.default_language,
                          "languages": [report.as_dict() for report in reports]}, indent=2, ensure_ascii=False))
        return 0
    if not reports:
        print("The site publishes no translations: add languages to the i18n plugin in mkdocs.yml.")
    for report in reports:
        total = len(report.items)
        print(f"{report.language} ({report.name}): {report.coverage}% up to date "
              f"({report.count('current')} of {total} items)")
        for item in report.pending():
            action = {"missing": "translate into", "partial": "finish", "stale": "review, then confirm"}[item.state]
            print(printable(f"  {item.state:8} {item.source}  ({action} {item.translation})"))
    return 0


def i18n_confirm(args: argparse.Namespace) -> int:
    library, _ = _load(args)
    if library is None:
        return 1
    if args.language not in library.translations:
        print(printable(f"'{args.language}' is not a translation language of this site; configured: "
                        f"{', '.join(library.translations) or 'none'}"), file=sys.stderr)
        return 1
    translations = library.translations[args.language]
    wanted = {Path(p).as_posix() for p in args.files}
    chosen = [t for t in translations.values() if not wanted or t.source in wanted]
    pages = {display_path(translation_of(s, args.language), Path(args.config).parent)
             for s in source_pages(Path(args.config).parent / library.settings.docs_dir)}
    unknown = wanted - {t.source for t in chosen} - pages
    if unknown:
        print(printable(f"not a translation file into '{args.language}': {', '.join(sorted(unknown))}"),
              file=sys.stderr)
        return 1
    root = Path(args.config).parent
    for translation in chosen:
        source = next(d for d in library.sources[translation.kind] if d.stem == translation.stem)
        if confirm_translation(root / translation.source, source):
            print(printable(f"confirmed {translation.source}"))
    docs = root / library.settings.docs_dir
    for source in source_pages(docs):
        page = translation_of(source, args.language)
        shown = display_path(page, root)
        if page.is_file() and (not wanted or shown in wanted) and confirm_page(page, source):
            print(printable(f"confirmed {shown}"))
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="handbook", description="Work with a Living Handbook content library.")
    commands = main.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check every content file and report all problems at once")
    check.add_argument("-f", "--config", default="mkdocs.yml",
                       help="the site's mkdocs.yml; content folders are found next to it (default: mkdocs.yml)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text: one 'path:line:column: field: message' line per problem; json: a report; "
                            "github: GitHub Actions annotations and a job summary ($GITHUB_STEP_SUMMARY)")
    check.set_defaults(run=validate)
    i18n = commands.add_parser("i18n", help="translations: coverage, and confirming reviewed translations")
    i18n_commands = i18n.add_subparsers(dest="i18n_command", required=True)
    status = i18n_commands.add_parser("status", help="coverage per language, with missing, partial and "
                                                     "out-of-date items")
    status.add_argument("--format", choices=("text", "json"), default="text")
    confirm = i18n_commands.add_parser("confirm", help="record that translations were checked against the "
                                                       "current source (clears 'out of date')")
    confirm.add_argument("language", help="the language code, e.g. es")
    confirm.add_argument("files", nargs="*", help="translation files to confirm (default: all of the language)")
    confirm.set_defaults(format="text")
    for command in (status, confirm):
        command.add_argument("-f", "--config", default="mkdocs.yml", help="the site's mkdocs.yml")
    status.set_defaults(run=i18n_status)
    confirm.set_defaults(run=i18n_confirm)
    from handbook.cli import diff, export_case, import_case, lint  # they use this module's helpers

    diff.add_parser(commands)
    export_case.add_parser(commands)
    lint.add_parser(commands)
    import_case.add_parser(commands)
    return main


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `handbook i18n status | head` ends quietly
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
