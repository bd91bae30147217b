"""The MkDocs adapter: hand the core's generated pages to MkDocs. No content logic lives here."""

from __future__ import annotations

import copy
import functools
import json
import os
import re
from concurrent.futures import Future
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.commands.build import get_context
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from handbook.checks.html import HtmlChecker, disallowed_html, line_offset
from handbook.checks.policy import Policy, PolicyConfigError
from handbook.checks.schema import KINDS, schema_text
from handbook.checks.translation_schema import translation_schema
from handbook.i18n.formatting import text_direction
from handbook.i18n.labels import load_labels
from handbook.i18n.pages import page_state
from handbook.i18n.translations import STALE
from handbook.library import Library, Settings, load_library
from handbook.mkdocs import accessibility, navigation, offline, page_security, search, versions
from handbook.mkdocs import i18n as i18n_adapter
from handbook.mkdocs.config import HandbookConfig
from handbook.mkdocs.field_links import FieldLinks
from handbook.mkdocs.open_data import open_data_files
from handbook.mkdocs.owner_pages import PAGES as OWNER_PAGES
from handbook.mkdocs.owner_pages import OwnerPages, listed
from handbook.mkdocs.staging import StagedSite
from handbook.model.data import handbook_data
from handbook.model.handbook import Case
from handbook.render import case_library, learning_aids, pdf, self_assessment
from handbook.render.fields import FieldStore
from handbook.render.nav import expand_nav, section_pages
from handbook.render.page_templates import PageTemplateError, render_page_template
from handbook.render.pages import CASE_INDEX, FOLDERS, OVERVIEW, environment, render_pages
from handbook.render.print_sheets import PrintDocument, print_documents
from handbook.render.print_sheets import environment as print_environment
from handbook.sources.problems import ContentError, Problem, format_text

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)
CASE_FOLDER = FOLDERS[Case]
STYLESHEET = "assets/handbook/handbook.css"
# The kind of item each folder of generated pages shows, to name a refused page's source.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_KIND_OF_FOLDER = {folder: kind.__name__.lower() for kind, folder in FOLDERS.items()}


class HandbookPlugin(BasePlugin[HandbookConfig]):
    """Validates the curriculum library and generates the handbook's pages from it."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.library: Library | None = None
        self.fingerprint: tuple = ()
        self.languages: i18n_adapter.Languages | None = None
        self.pages: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.written_nav: list[Any] | None = None
        self.command = ""
        self.staged: StagedSite | None = None
        self.html: HtmlChecker | None = None
        self.fields: FieldStore | None = None
        self.data: dict[str, Any] = {}
        self.self_assessment: dict[str, dict[str, Any]] = {}  # this language's, by rubric id
        self.case_filters: Any = None  # this language's case library data, given the cases' addresses
        self.refused: list[Problem] = []
        self.field_links = FieldLinks()
        self.env: jinja2.Environment | None = None
        self.nav: Navigation | None = None
        self.files: Files | None = None
        self.theme_scripts: dict[str, tuple[set[str], Any]] = {}
        self.not_found: dict[str, str] = {}
        self.outdated: dict[str, Any] | None = None  # the words and link of a release's outdated notice
        self.printable: list[PrintDocument] | None = None
        # By HTML: a live server re-makes only what changed.
        self.pdf_cache: dict[str, Future[bytes]] = {}
        self.pdf_used: set[str] = set()
        self.pdf_files: list[tuple[File, PrintDocument]] = []
        self.pdf_writer = pdf.PdfWriter()
        self.owner_pages = OwnerPages()  # the glossary, and the health page with its lint findings
        self.offline: offline.OfflineCopy | None = None  # the offline copy, built beside the site
        self.archive_links: list[offline.Link] = []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether this is a one-off build (published atomically) or a live server."""
        self.command = command

    def settings(self, config: MkDocsConfig, languages: tuple[str, ...] = ()) -> Settings:
        root = Path(config.config_file_path).parent.resolve()
        docs = Path(config.docs_dir)
        docs_dir = docs.relative_to(root).as_posix() if docs.is_relative_to(root) else str(docs)
        return Settings(root, self.config.curriculum_dir, self.config.cases_dir, self.config.rubrics_dir,
                        languages, docs_dir)

    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and check all content before anything is written; render this language's pages.

        Runs first (priority 100): nothing is built from content that failed its checks. With
        mkdocs-static-i18n this runs once per language.
        """
        if "macros" in config.plugins:
            raise PluginError("mkdocs-macros gives page templates live MkDocs objects and imports main.py from "
                              "the project: remove it from mkdocs.yml. Hand-written pages with "
                              "'render_macros: true' are rendered by the handbook plugin, from plain data.")
        try:
            Policy.from_options(self.config.policy)  # read by `handbook diff --check`; wrong is wrong here too
        except PolicyConfigError as error:
            raise PluginError(f"mkdocs.yml: handbook plugin: {error}") from None
        probe = i18n_adapter.languages(config, fallback="")
        settings = self.settings(config, probe.translated)
        root = settings.root
        if self.html is None:
            self.html = HtmlChecker(config.markdown_extensions, config.mdx_configs,
                                    external_images=self.config.allow_external_images)
        try:
            library = self._load(settings, self.html)
            langs = i18n_adapter.languages(config, fallback=library.default_language)
            if langs.default != library.default_language:
                raise PluginError(f"{settings.framework_file.relative_to(root)}: default_language is "
                                  f"'{library.default_language}' but the i18n plugin's default language is "
                                  f"'{langs.default}': make them the same")
            handbook = library.handbook(langs.current)
            self.labels = load_labels(langs.current, self._folder(root, "labels_dir"))
            reports = [library.report(lang, langs.names.get(lang)) for lang in langs.translated]
            self.printable = self._printable(handbook, root, first=langs.current == langs.default)
            history = {ref: item.as_dict() for ref, item in library.history().items()}
            self.pages, self.fields = render_pages(handbook, self.labels,
                                                   environment(self._folder(root, "templates_dir")),
                                                   self.html.render, reports or None, downloads=self.printable,
                                                   history=history,
                                                   **self.owner_pages.data(library, handbook, self.config, config))
        except ContentError as error:
            raise PluginError(f"The handbook's content has problems; nothing was built.\n{error}") from None
        self.languages = langs
        _confine_snippets(config)
        if offline.is_offline_copy():
            offline.configure_copy(config)
        versions.configure(config)
        self.outdated = versions.outdated_notice(config, self.labels,
                                                 load_labels(langs.default, self._folder(root, "labels_dir")),
                                                 langs.prefix(langs.current))
        if self.command in ("build", "gh-deploy") and self.staged is None:
            self.staged = StagedSite(Path(config.site_dir))
            config.site_dir = str(self.staged.staging)
        if self._makes_archive() and self.offline is None and langs.current == langs.default:
            self.offline, self.archive_links = offline.OfflineCopy(config), []  # checked content only
        self.data = {"handbook": handbook_data(handbook),
                     "offline_archive": {"path": offline.ARCHIVE} if self.offline is not None else None}
        self.self_assessment = self_assessment.handbook_data(handbook, library.handbook(), self.labels,
                                                             self.html.render)
        self.case_filters = functools.partial(case_library.library_data, handbook, self.labels, self.html.render)
        if langs.current == langs.default:  # a new build begins with the default language
            self.refused, self.not_found = [], {}
            self.field_links.reset()
        self.theme_scripts = {}
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if self.written_nav is None:
            self.written_nav = copy.deepcopy(config.nav)
        if self.written_nav is not None and self.config.nav_expand:
            config.nav = expand_nav(copy.deepcopy(self.written_nav), handbook)
        return config

    def _printable(self, handbook: Any, root: Path, *, first: bool) -> list[PrintDocument] | None:
        """This language's printable documents, or None when PDFs are off or cannot be made here."""
        if not self.config.pdf_downloads or self.command == "mike":
            return None  # mike reads the configuration only to learn where the site goes; its build makes them
        reason = pdf.unavailable()
        if reason is not None:
            if os.environ.get("CI") == "true":
                raise PluginError(f"PDF downloads cannot be made: {reason}. CI must build them: run 'make test', "
                                  "which installs what they need.")
            if first:
                log.info(f"PDF downloads skipped: {reason}. The site is built without them.")
            return None
        assert self.html is not None
        documents = print_documents(handbook, self.labels, print_environment(self._folder(root, "templates_dir")),
                                    self.html.render, list(self.config.pdf_paper_sizes))
        if first:  # forget documents that no longer exist
            self.pdf_cache = {html: made for html, made in self.pdf_cache.items() if html in self.pdf_used}
            self.pdf_used = set()
        for document in documents:  # made while MkDocs reads the pages; collected in on_files
            self.pdf_used.add(document.html)
            if document.html not in self.pdf_cache:
                self.pdf_cache[document.html] = (offline.placeholder_pdf() if offline.is_offline_copy()
                                                 else self.pdf_writer.submit(document.html))
        return documents

    def _makes_archive(self) -> bool:
        """Whether this build makes the offline copy's archive: a one-off build of the site (not a live
        server, not the offline copy itself) with ``offline_archive`` on."""
        return self.config.offline_archive and self.command in ("build", "gh-deploy") and not offline.is_offline_copy()

    def _load(self, settings: Settings, html: HtmlChecker) -> Library:
        """The checked library; read again only when a content file changed (once per language
        build otherwise)."""
        fingerprint = _fingerprint(settings)
        if self.library is None or fingerprint != self.fingerprint:
            self.library, self.fingerprint = load_library(settings, html), fingerprint
        return self.library

    def _folder(self, root: Path, option: str) -> Path | None:
        value = self.config[option]
        return root / value if value else None

    @event_priority(-150)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the generated pages, the published JSON Schemas, the open data, the PDFs (made by
        on_env), the self-assessment scripts and our stylesheet.

        Runs after mkdocs-static-i18n (-100), which only knows files from docs/: our pages are
        added already localized for the language being built.
        """
        assert self.languages is not None and self.library is not None
        audience_pages = learning_aids.audience_page_paths(self.library.handbook())
        for path, markdown in self.pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} is generated from the content: remove it from docs/")
            file = i18n_adapter.localized_file(config, path, markdown, self.languages)
            if path.startswith(f"{CASE_FOLDER}/") and not path.endswith("/index.md"):
                file.inclusion = InclusionLevel.NOT_IN_NAV  # reached from the case library
            elif path in OWNER_PAGES and not listed(self.written_nav, path):
                file.inclusion = InclusionLevel.NOT_IN_NAV  # a site that lists neither keeps them by address
            elif path in audience_pages and not listed(self.written_nav, path):
                file.inclusion = InclusionLevel.NOT_IN_NAV  # reached from each case's notes for mentors
            files.append(file)
        for kind in KINDS:
            files.append(File.generated(config, f"schemas/{kind}.schema.json", content=schema_text(kind)))
            files.append(File.generated(config, f"schemas/{kind}.translation.schema.json",
                                        content=_json(translation_schema(kind))))
        # The glossary (it keeps its languages itself), and what `handbook diff --format json` writes.
        for name in ("glossary", "diff"):
            files.append(File.generated(config, f"schemas/{name}.schema.json", content=schema_text(name)))
        assert self.library is not None
        for file in open_data_files(config, self.library, self.languages, self.labels):
            files.append(file)
        stylesheet = resources.files("handbook").joinpath("assets", "handbook.css").read_text("utf-8")
        files.append(File.generated(config, STYLESHEET, content=stylesheet))
        self.pdf_files = []
        for document in self.printable or []:  # filled in on_env, once the engine has made them
            file = File.generated(config, document.path, content=b"")
            file.dest_uri = self.languages.prefix(self.languages.current) + file.dest_uri
            files.append(file)
            self.pdf_files.append((file, document))
        for script in (*self_assessment.SCRIPTS, *learning_aids.SCRIPTS, case_library.SCRIPT):
            code = resources.files("handbook").joinpath("assets", script.rpartition("/")[2]).read_text("utf-8")
            files.append(File.generated(config, script, content=code))
        if versions.versioned(config) and len(self.languages.all) > 1:  # see i18n.point_search_at_language
            code = resources.files("handbook").joinpath("assets", versions.SCRIPT.rpartition("/")[2])
            files.append(File.generated(config, versions.SCRIPT, content=code.read_text("utf-8")))
        if self.offline is not None:  # written once the offline copy is packed (on_post_build)
            files.append(File.generated(config, offline.ARCHIVE, content=b""))
        if offline.is_offline_copy():
            code = resources.files("handbook").joinpath("assets", offline.SHIM.rpartition("/")[2])
            files.append(File.generated(config, offline.SHIM, content=code.read_text("utf-8")))
        self.files = files
        return files

    def _pdf(self, document: PrintDocument) -> bytes:
        try:
            return self.pdf_cache[document.html].result()
        except Exception as error:  # the engine's own failure, named with the document it was making
            self.pdf_cache.pop(document.html, None)
            raise PluginError(f"{document.path} ({self.languages.current if self.languages else ''}) could "
                              f"not be made: {type(error).__name__}: {error}") from error

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Make each section written in mkdocs.yml open its own page (its first entry) and put the
        cases under the case library; remember the navigation: the theme's blank page is rendered with it."""
        if self.written_nav is not None:  # a navigation made from the folders opens each at its index.md
            navigation.open_sections_at_their_pages(nav.items, section_pages(self.written_nav))
        navigation.place_under(nav, files, CASE_INDEX, f"{CASE_FOLDER}/")
        self.nav = nav
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """Remember the theme's environment: the theme's blank page is rendered with it. Give the
        handbook's templates their words (a release's outdated notice). Collect the PDFs, made while
        the pages were read, before MkDocs writes the files."""
        self.env = env
        env.globals["handbook_outdated"] = self.outdated
        for file, document in self.pdf_files:
            file.content_bytes = self._pdf(document)
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """On a hand-written page, say so when it is shown in the default language for want of a
        translation (and keep it out of this language's search), or when its original changed
        since it was translated."""
        assert self.languages is not None
        if page.meta.get("render_macros") is True and page.file.abs_src_path:
            markdown = self._render_template(markdown, page)
        if i18n_adapter.is_fallback(page.file, self.languages):
            page.meta["search"] = {"exclude": True}
            return self._with_notice(markdown, "untranslated")
        localization = getattr(page.file, "localization", None)
        if localization and page.file.abs_src_path:
            translation = Path(page.file.abs_src_path)
            source = translation.with_name(translation.name.replace(f".{localization}.md", ".md"))
            if source.is_file() and page_state(source, translation) == STALE:
                return self._with_notice(markdown, "stale")
        return markdown

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> dict[str, Any]:
        """Point the language selector at the same page in each language, relative to the page, so
        that it stays in the release being read. Runs after mkdocs-static-i18n (50), which writes
        these links from the site's root on some pages."""
        if self.languages is not None and len(self.languages.all) > 1:
            i18n_adapter.point_selector_at_page(config, self.languages, page.file)
        return context

    def on_template_context(self, context: dict[str, Any], *, template_name: str,
                            config: MkDocsConfig) -> dict[str, Any]:
        """On the "not found" page, the language selector leads to each language's home (the links
        mkdocs-static-i18n leaves there are those of the last page built)."""
        if template_name == "404.html" and self.languages is not None and len(self.languages.all) > 1:
            i18n_adapter.point_selector_at_page(config, self.languages, None, context["base_url"])
        return context

    def _render_template(self, markdown: str, page: Page) -> str:
        """A hand-written page's template code, evaluated against the handbook's plain data."""
        source = Path(page.file.abs_src_path).read_text("utf-8")
        # MkDocs drops the front matter and the blank lines after it; count them back.
        front = _FRONT_MATTER.match(source)
        rest = source[front.end():] if front else source
        first_line = source.count("\n", 0, len(source) - len(rest)) + len(rest) - len(rest.lstrip("\n")) + 1
        try:
            return render_page_template(markdown, self.data, source=self._source_of(page), first_line=first_line)
        except PageTemplateError as error:
            raise PluginError(f"A hand-written page could not be rendered; nothing was built.\n{error}") from None

    def _source_of(self, page: Page) -> str:
        """The file a page comes from, as curriculum owners know it."""
        if page.file.abs_src_path:
            return Path(page.file.abs_src_path).resolve().relative_to(self._root).as_posix()
        item = self._item_of(page)
        if self.library is None or item is None:
            return f"(generated page {page.file.src_uri})"
        kind, stem = item
        language = self.languages.current if self.languages else ""
        translation = self.library.translations.get(language, {}).get((kind, stem))
        source = next((d.source for d in self.library.sources.get(kind, []) if d.stem == stem), None)
        if source is None:
            return f"(generated page {page.file.src_uri})"
        return f"{source} (translated in {translation.source})" if translation else source

    @property
    def _root(self) -> Path:
        assert self.library is not None
        return self.library.settings.root

    @event_priority(100)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put each field's own HTML into a generated page, then hold the page's content, generated
        or hand-written, to the allowlist: what is published is what is checked. A refused page
        is published as a notice only, and the build fails once every page was seen."""
        if self.fields is not None and page.file.generated_by:
            html = self.fields.place(html)
            language = self.languages.current if self.languages else ""
            html, broken = self.field_links.resolve(html, page, files, language, self._source_of(page))
            self.refused += [Problem(self._source_of(page), 1, 1, "", message) for message in broken]
        html = self._marked_if_fallback(html, page)
        if not self.config.check_published_html:
            return self._unsearchable(html, page)
        message = disallowed_html(html, external_images=self.config.allow_external_images)
        if message is None:
            return self._unsearchable(html, page)
        self.refused.append(self._refusal(page, message))
        return f"<p>{self.labels.get('refused_page', 'This page was withheld: it failed the content checks.')}</p>"

    @staticmethod
    def _unsearchable(html: str, page: Page) -> str:
        """A generated page's notes for mentors and facilitators, kept out of the search index (checked first:
        the allowlist has no search attribute)."""
        return learning_aids.unsearchable(html) if page.file.generated_by else html

    def _marked_if_fallback(self, html: str, page: Page) -> str:
        """A hand-written page shown in the default language inside another language's site says
        so, so that browsers, screen readers and the bidirectional algorithm treat it as such."""
        langs = self.languages
        if langs is None or langs.current == langs.default:
            return html
        if not i18n_adapter.is_fallback(page.file, langs):
            return html  # generated pages mark each untranslated field themselves
        # The notice that the page is untranslated is in the reader's language.
        html = html.replace('class="admonition warning translation-notice"',
                            f'class="admonition warning translation-notice" lang="{langs.current}" '
                            f'dir="{text_direction(langs.current)}"', 1)
        return f'<div lang="{langs.default}" dir="{text_direction(langs.default)}">{html}</div>'

    def _item_of(self, page: Page) -> tuple[str, str] | None:
        """The (kind, id) of the item a generated page shows."""
        folder, _, name = page.file.src_uri.partition("/")
        if page.file.src_uri == OVERVIEW:
            return "framework", "framework"
        kind = _KIND_OF_FOLDER.get(folder)
        return (kind, name.removesuffix(".md")) if kind and name != "index.md" else None

    def _refusal(self, page: Page, message: str) -> Problem:
        source = self._source_of(page)
        line = 1
        if page.file.abs_src_path:
            text = Path(page.file.abs_src_path).read_text("utf-8")
            line = (line_offset(text, message) or 0) + 1
        return Problem(source, line, 1, f"page {page.url or '/'}", f"the published page would hold: {message}")

    def _with_notice(self, markdown: str, state: str) -> str:
        notice = (f'\n!!! warning translation-notice "{self.labels[state + "_title"]}"\n'
                  f'    {self.labels[state + "_notice"]}\n\n')
        # After the page's title: MkDocs takes the title from a leading "# " heading only.
        title = re.search(r"^# .*$", markdown, re.MULTILINE)
        at = title.end() + 1 if title else 0
        return markdown[:at] + notice + markdown[at:]

    @event_priority(-100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Point Material's search at the current language's own index and let its language
        selector follow its own links; name what the theme leaves unnamed and let the keyboard reach
        wide tables (``accessibility``); then seal the page with its security policy."""
        assert self.languages is not None
        if len(self.languages.all) > 1:
            root_url = _relative_root(page)
            output = i18n_adapter.point_search_at_language(output, self.languages, root_url)
            output = i18n_adapter.drop_alternate_links(output)
        output = page_security.with_escaped_title(output)
        output = accessibility.accessible(output, page.title or "", self.labels.get("breadcrumbs", ""))
        self.field_links.record(output, page, self.languages.current)
        if self.offline is not None and offline.ARCHIVE.rpartition("/")[2] in output:
            self.archive_links.append(offline.Link(Path(page.file.abs_dest_path),
                                                   self.labels.get("offline_archive_size", "({size})"),
                                                   self.languages.current))
        if not self.config.content_security_policy:
            return self._with_page_scripts(output, page)
        hashes, scripts = self._theme_scripts(page, config)
        foreign = page_security.foreign_scripts(output, scripts) if self.config.check_published_html else []
        if foreign:
            self.refused.append(Problem(self._source_of(page), 1, 1, f"page {page.url or '/'}",
                                        f"a script the theme did not write: {foreign[0]}"))
        output = page_security.with_content_security_policy(output, hashes,
                                                            external_images=self.config.allow_external_images)
        return self._with_page_scripts(output, page)

    def _with_page_scripts(self, output: str, page: Page) -> str:
        """The scripts of a generated page's learning aids (the mentor view of a case, knowledge checks)
        and of a rubric page's self-assessment, with their data: files of the site and data blocks."""
        if page.file.generated_by:
            output = learning_aids.with_scripts(output, self.labels, _relative_root(page))
        return self._with_case_library(self._with_self_assessment(output, page), page)

    def _with_self_assessment(self, output: str, page: Page) -> str:
        """A rubric page's self-assessment data and scripts, added to the final page: the data block never
        runs and the scripts are the site's own files, so neither needs a hash in the policy."""
        kind, item_id = self._item_of(page) or ("", "")
        data = self.self_assessment.get(item_id) if kind == "rubric" else None
        if data is None:
            return output
        return self_assessment.with_widget(output, data, _relative_root(page), self._assessment_url(page))

    def _with_case_library(self, output: str, page: Page) -> str:
        """The case library's filter data and script, and on each case page the script that keeps the
        filters on the way back: added to the final page, like the self-assessment's."""
        if navigation.source_path(page) == CASE_INDEX and self.case_filters is not None and self.files is not None:
            files = self.files

            def url_of(path: str) -> str:
                target = files.get_file_from_path(path)
                return get_relative_url(target.url, page.url) if target is not None else ""

            return case_library.with_filters(output, self.case_filters(url_of), _relative_root(page))
        if (self._item_of(page) or ("",))[0] == "case":
            return case_library.with_case_links(output, _relative_root(page))
        return output

    def _assessment_url(self, page: Page) -> str | None:
        """The assessment page of this language, relative to ``page``, if the site has one."""
        found = [f for f in self.files or [] if f.is_documentation_page()
                 and f.src_uri.split(".")[0] == "assessment" and f.url]
        return get_relative_url(found[0].url, page.url) if found else None

    def _theme_scripts(self, page: Page, config: MkDocsConfig) -> tuple[set[str], Any]:
        """The hashes and scripts of the theme's page without content, at ``page``'s depth
        (the theme's scripts name the way back to the site root)."""
        base_url = _relative_root(page)
        if base_url not in self.theme_scripts:
            assert self.env is not None and self.nav is not None and self.files is not None
            context = get_context(self.nav, self.files, config, base_url=base_url)
            blank = self.env.get_template("404.html").render(context)
            if len(self.languages.all if self.languages else ()) > 1:
                blank = i18n_adapter.point_search_at_language(blank, self.languages, base_url)
            self.theme_scripts[base_url] = (page_security.script_hashes(blank), page_security.scripts(blank))
        return self.theme_scripts[base_url]

    @event_priority(-200)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Once every language is built, give each its own search index and sitemap, then
        publish the staged site. Runs after mkdocs-static-i18n (-100), which builds the other
        languages inside its own post_build and writes one index holding all of them."""
        plugin = i18n_adapter.i18n_plugin(config)
        if getattr(plugin, "building", False) or self.languages is None:
            return  # a language built inside mkdocs-static-i18n's own post_build; more follow
        self.refused += [Problem(source, 1, 1, "", message) for source, message in self.field_links.missing_anchors()]
        if self.refused:
            problems = sorted(set(self.refused))
            self.refused = []
            raise PluginError("Published pages failed the content checks; nothing was published.\n"
                              + format_text(problems))
        self._write_not_found_pages(Path(config.site_dir))
        if plugin is not None:
            i18n_adapter.split_search_index(Path(config.site_dir), self.languages)
            if config.site_url:
                i18n_adapter.write_sitemaps(Path(config.site_dir), self.languages, config.site_url)
        # Accents ignored, item ids found, item pages first (see search.py), in every language's index.
        search.tune_indexes(Path(config.site_dir), [self.languages.prefix(lang) for lang in self.languages.all],
                            self._item_ids())
        if offline.is_offline_copy():
            offline.write_search_scripts(Path(config.site_dir))  # for every language (Material's: the last built)
        if self.offline is not None:
            copy, self.offline = self.offline, None
            offline.show_size(self.archive_links, copy.archive(Path(config.site_dir)))
        if self.staged is not None:
            published = self.staged.publish(strict=config.strict)
            config.site_dir = str(self.staged.target)
            self.staged = None
            if published:
                log.info(f"Published the handbook to {config.site_dir}")

    def _item_ids(self) -> dict[str, str]:
        """The ``folder/id`` of each competency, case and rubric page -> its id (the same in every language)."""
        if self.library is None:
            return {}
        handbook = self.library.handbook()
        return {f"{FOLDERS[type(item)]}/{item.id}": item.id
                for group in (handbook.competencies, handbook.cases, handbook.rubrics) for item in group.values()}

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """Keep each language's "not found" page: every language build writes it to the site's
        root, so the root one would be the last language built."""
        if template_name == "404.html" and self.languages is not None:
            output_content = page_security.with_escaped_title(output_content)
            output_content = accessibility.accessible(output_content, "", self.labels.get("breadcrumbs", ""))
            if self.config.content_security_policy:  # the theme's own page: its scripts are the theme's
                output_content = page_security.with_content_security_policy(
                    output_content, page_security.script_hashes(output_content),
                    external_images=self.config.allow_external_images)
            self.not_found[self.languages.current] = output_content
        return output_content

    def _write_not_found_pages(self, site: Path) -> None:
        """One "not found" page per language, the root one in the default language."""
        assert self.languages is not None
        for language, page_html in self.not_found.items():
            target = site / self.languages.prefix(language) / "404.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page_html, "utf-8")

    def on_shutdown(self) -> None:
        """Stop the PDF workers."""
        self.pdf_writer.close()

    def on_build_error(self, *, error: Exception) -> None:
        """Leave the previous site as it was."""
        if self.offline is not None:
            copy, self.offline = self.offline, None
            copy.discard()
        if self.staged is not None:
            staged, self.staged = self.staged, None
            staged.fail(error)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        """Rebuild when content changes, not only when docs/ does."""
        for folder in self.settings(config).content_dirs:
            if folder.is_dir():
                server.watch(str(folder))
        return server


def _confine_snippets(config: MkDocsConfig) -> None:
    """pymdownx.snippets, if a site uses it, may include files from docs/ only, and a missing
    one is an error rather than silently dropped."""
    if "pymdownx.snippets" not in config.markdown_extensions:
        return
    options = config.mdx_configs.setdefault("pymdownx.snippets", {})
    options.update(base_path=[config.docs_dir], restrict_base_path=True, check_paths=True, url_download=False)


def _relative_root(page: Page) -> str:
    """The site root relative to a page's URL, as MkDocs writes ``base_url``."""
    depth = page.url.count("/")
    return "/".join([".."] * depth) if depth else "."


def _fingerprint(settings: Settings) -> tuple:
    """Changes whenever a content file is added, removed or edited (links are not followed:
    the loader refuses them)."""
    return tuple(sorted((str(path), stat.st_mtime_ns, stat.st_size)
                        for folder in settings.content_dirs if folder.is_dir()
                        for path in folder.rglob("*") if (stat := path.lstat())))


def _json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
