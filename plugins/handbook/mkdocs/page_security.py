"""Last touches on each published page: an escaped title and a content security policy.

The policy names the theme's own inline scripts: each is allowed by its hash, everything else
has to come from the site. Should contributor text ever slip past the HTML check, a browser
would still refuse to run it.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_text
import re

_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
# After the charset declaration, which browsers look for in the first kilobyte only.
_HEAD = re.compile(r"<meta charset=[^>]*>|<head[^>]*>")
_DATA_TYPES = ("application/json", "application/ld+json")

POLICY = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
          "object-src 'none'; base-uri 'self'; form-action 'self'")


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def with_content_security_policy(html: str) -> str:
    """The page with a CSP ``<meta>`` first in its head, allowing its inline scripts by hash."""
    hashes = sorted({_hash(match["body"]) for match in _INLINE_SCRIPT.finditer(html)
                     if "src=" not in match["attrs"] and not any(t in match["attrs"] for t in _DATA_TYPES)})
    head = _HEAD.search(html)
    if head is None:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY.format(hashes=" ".join(hashes))}">'
    return html[: head.end()] + meta + html[head.end():]


def with_escaped_title(html: str) -> str:
    """The theme writes the page title into ``<title>`` unescaped; a title such as
    "`<img onerror=...>`" (shown as code in the page) must stay text there too."""
    return _TITLE.sub(lambda m: f"<title>{html_text.escape(html_text.unescape(m.group(1)), quote=False)}</title>",
                      html, count=1)
