"""What the MkDocs adapter needs from mkdocs-static-i18n, in one place.

mkdocs-static-i18n builds the site once per language. It only localizes files that exist in
docs/, so our generated pages are given its file attributes here; and it writes one search
index holding every language, which ``split_search_index`` turns into one index per language.
"""

from __future__ import annotations

import html as html_text
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from mkdocs.structure.files import File

from handbook.mkdocs.versions import SCRIPT as VERSIONS_SCRIPT

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.plugins import BasePlugin


@dataclass(frozen=True)
class Languages:
    """The site's languages: the default one first, and the one being built now."""

    default: str
    all: tuple[str, ...]
    names: dict[str, str]
    current: str

    @property
    def translated(self) -> tuple[str, ...]:
        return tuple(language for language in self.all if language != self.default)

    def prefix(self, language: str) -> str:
        """Where a language's pages live in the site: '' for the default language."""
        return "" if language == self.default else f"{language}/"


def i18n_plugin(config: MkDocsConfig) -> BasePlugin | None:
    return config.plugins.get("i18n")


def languages(config: MkDocsConfig, fallback: str) -> Languages:
    """Languages from the i18n plugin's configuration, or just ``fallback`` without it."""
    plugin = i18n_plugin(config)
    if plugin is None:
        return Languages(fallback, (fallback,), {fallback: fallback}, fallback)
    built = [lang for lang in plugin.config.languages if lang.build]
    default = plugin.default_language
    ordered = (default, *(lang.locale for lang in built if lang.locale != default))
    return Languages(default, ordered, {lang.locale: lang.name for lang in built},
                     plugin.current_language or default)


def localized_file(config: MkDocsConfig, path: str, content: str, langs: Languages) -> File:
    """A generated page as mkdocs-static-i18n would have made it for the current language."""
    file = _generated(config, path, content, langs.current, langs)
    if len(langs.all) > 1:
        file.locale = file.locale_alternate_of = langs.current
        file.localization = None if langs.current == langs.default else langs.current
        file.norm_src_uri = path
        file.alternates = {language: _generated(config, path, "", language, langs) for language in langs.all}
    return file


def _generated(config: MkDocsConfig, path: str, content: str, language: str, langs: Languages) -> File:
    file = File.generated(config, path, content=content)
    file.dest_uri = langs.prefix(language) + file.dest_uri
    return file


def is_fallback(page_file: File, langs: Languages) -> bool:
    """True for a hand-written page shown in the default language on a translated site."""
    return getattr(page_file, "locale", langs.current) != langs.current


def language_base(base_url: str, langs: Languages) -> str:
    """The root of the current language's site, relative to a page (Material's ``config.base``)."""
    prefix = langs.prefix(langs.current)
    if not prefix:
        return base_url
    return f"{base_url}/{prefix}" if base_url not in ("", ".") else prefix


def point_search_at_language(html: str, langs: Languages, base_url: str) -> str:
    """Make Material's search in a page read its own language's index.

    Material also finds a release's ``versions.json`` (``../versions.json``) and the release being
    read (the last folder) from that base, which now names the language's folder: on a versioned
    site the version settings are handed instead to the handbook's script, with the release's root.
    """
    start_tag = '<script id="__config" type="application/json">'
    start = html.find(start_tag)
    if start < 0 or langs.current == langs.default:
        return html
    end = html.index("</script>", start) + len("</script>")
    settings: dict[str, Any] = json.loads(html[start + len(start_tag):end - len("</script>")])
    settings["base"] = language_base(base_url, langs)
    script = ""
    if settings.get("version"):
        settings["handbook_version"] = {**settings["version"], "root": base_url}
        settings["version"] = None
        script = f'<script src="{html_text.escape(f"{base_url}/{VERSIONS_SCRIPT}")}" defer></script>'
    # Material resolves its worker against the page, not the base: keep its path as it was.
    return html[: start + len(start_tag)] + json.dumps(settings) + "</script>" + script + html[end:]


def point_selector_at_page(config: MkDocsConfig, langs: Languages, page_file: File | None,
                           site_path: str = "") -> None:
    """Point the theme's language selector (``extra.alternate``) at the same page in each language,
    or, on the "not found" page (no ``page_file``), which is served at any depth, at each language's
    home from the site's path (``site_path``).

    mkdocs-static-i18n writes some of these links from the site's root (``/<language>/`` on the home
    pages, ``/<release>/<language>/`` once mike has put the release in ``site_url``): it drops the
    release a reader is in when ``site_url`` has no path (mkdocs-static-i18n issue 265), and leaves
    an alias (``/latest/``) for the release it was built as. A link relative to the page stays in the
    release and the alias being read, wherever the site is served (the theme writes it relative to
    the page).
    """
    alternates = getattr(page_file, "alternates", None) or {}
    # mkdocs-static-i18n sets the links as an item of ``extra`` for a build and as an attribute for
    # each page, which the theme reads first (and which the next language's build still has).
    links = getattr(config.extra, "alternate", None)
    for alternate in (links if links is not None else config.extra.get("alternate")) or []:
        language = alternate.get("lang")
        if language not in langs.all or urlsplit(alternate.get("link", "")).scheme:
            continue  # a language the site links to elsewhere (mkdocs-static-i18n's fixed_link)
        if page_file is None:
            alternate["link"] = f"{site_path.rstrip('/')}/{langs.prefix(language)}"
        else:
            target = alternates.get(language)
            alternate["link"] = target.url if target is not None else langs.prefix(language)


def split_search_index(site_dir: Path, langs: Languages) -> None:
    """Rewrite the merged index as one index per language, each with its own stemmer."""
    merged_file = site_dir / "search" / "search_index.json"
    if not merged_file.is_file():
        return
    merged = json.loads(merged_file.read_text("utf-8"))
    prefixes = {language: langs.prefix(language) for language in langs.translated}
    for language in langs.all:
        prefix = prefixes.get(language, "")
        if prefix:
            docs = [{**doc, "location": doc["location"][len(prefix):]} for doc in merged["docs"]
                    if doc["location"].startswith(prefix)]
        else:
            docs = [doc for doc in merged["docs"] if not doc["location"].startswith(tuple(prefixes.values()))]
        index = {**merged, "config": {**merged["config"], "lang": [language]}, "docs": docs}
        target = site_dir / prefix / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")


_ALTERNATE_LINK = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]+">\n?')


def drop_alternate_links(html: str) -> str:
    """Leave language switching to the selector's own links, which lead to the same page.

    Material intercepts a click on the selector and looks the page up in the sitemap beside
    each ``<link rel="alternate">``: its lookup drops the port (it fails on any local server)
    and mkdocs-static-i18n points those links at pages, beside which no sitemap lies (a 404 per
    language on every page view). Either way the reader lands on the language's home page.
    """
    return _ALTERNATE_LINK.sub("", html)


def write_sitemaps(site_dir: Path, langs: Languages, site_url: str) -> None:
    """One sitemap per language, listing every page of that language (generated ones included)."""
    others = tuple(langs.prefix(language) for language in langs.translated)
    site_url = site_url if site_url.endswith("/") else site_url + "/"  # mike writes it as ".../1.0.0"
    for language in langs.all:
        prefix = langs.prefix(language)
        root = site_dir / prefix
        urls = sorted(path.parent.relative_to(root).as_posix() for path in root.rglob("index.html")
                      if not (not prefix and path.relative_to(root).as_posix().startswith(others)))
        entries = "".join(f"  <url><loc>{escape(site_url + prefix + ('' if url == '.' else url + '/'))}</loc></url>\n"
                          for url in urls)
        (root / "sitemap.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns='
                                          f'"http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n',
                                          "utf-8")
        (root / "sitemap.xml.gz").unlink(missing_ok=True)
