"""Last touches on each published page: an escaped title and a content security policy.

The policy allows the theme's own inline scripts by their hashes, and nothing else inline. The
hashes come from a page the theme renders WITHOUT any content (its 404 template, at the same
depth in the site): hashing the scripts of the finished page would also approve any script that
content slipped into it. A script in a finished page that the blank page does not have is
foreign, and the build reports it.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_text
import re
from collections import Counter

_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
# After the charset declaration, which browsers look for in the first kilobyte only.
_HEAD = re.compile(r"<meta charset=[^>]*>|<head[^>]*>")
_DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?application/(ld\+)?json["'\s>]""", re.IGNORECASE)

POLICY = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:{images}; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
          "object-src 'none'; base-uri 'self'; form-action 'self'")


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _runs(attrs: str) -> bool:
    """An inline script the browser would run (not a JSON data block)."""
    return "src=" not in attrs and not _DATA_TYPE.search(attrs + " ")


def script_hashes(page_html: str) -> set[str]:
    """The hashes of the inline scripts a page runs."""
    return {_hash(m["body"]) for m in _SCRIPT.finditer(page_html) if _runs(m["attrs"])}


def _key(match: re.Match[str]) -> tuple[str, str]:
    """A script element by its attributes and, when it runs, its body's hash (data blocks, such
    as the theme's settings, differ from page to page and never run)."""
    # The theme's blank page writes its links from "./" where pages write them from "".
    attrs = " ".join(match["attrs"].split()).replace('src="./', 'src="')
    return attrs, _hash(match["body"]) if _runs(match["attrs"]) else "data"


def scripts(page_html: str) -> Counter[tuple[str, str]]:
    """Every script element of a page."""
    return Counter(_key(m) for m in _SCRIPT.finditer(page_html))


def foreign_scripts(page_html: str, theme: Counter[tuple[str, str]]) -> list[str]:
    """The start of each script element in ``page_html`` that the theme's blank page lacks."""
    extra = scripts(page_html) - theme
    found = []
    for match in _SCRIPT.finditer(page_html):
        key = _key(match)
        if extra[key] > 0:
            extra[key] -= 1
            found.append(match.group(0)[:80])
    return found


def with_content_security_policy(page_html: str, theme_hashes: set[str], *, external_images: bool = False) -> str:
    """The page with a CSP ``<meta>`` first in its head, allowing the theme's inline scripts only."""
    head = _HEAD.search(page_html)
    if head is None:
        return page_html
    policy = POLICY.format(hashes=" ".join(sorted(theme_hashes)), images=" https:" if external_images else "")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return page_html[: head.end()] + meta + page_html[head.end():]


def with_escaped_title(page_html: str) -> str:
    """The theme writes the page title into ``<title>`` unescaped; a title such as
    "`<img onerror=...>`" (shown as code in the page) must stay text there too."""
    return _TITLE.sub(lambda m: f"<title>{html_text.escape(html_text.unescape(m.group(1)), quote=False)}</title>",
                      page_html, count=1)
