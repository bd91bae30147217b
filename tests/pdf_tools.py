"""Reading built PDFs as a reader and a printer would: pages, text per page, paper size, glyphs."""

from __future__ import annotations

import difflib
import re
import subprocess
import unicodedata
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream

_CID_CHAR = re.compile(rb"<([0-9a-fA-F]+)>\s+(\d+)")
_CID_RANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s+(\d+)")
_BF_CHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, in reading (logical) order, as ``pdftotext`` gives it."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])


def page_size(pdf: Path) -> tuple[float, float]:
    """Width and height of the first page, in points."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE)
    return float(size[1]), float(size[2])


def squeezed(text: str) -> str:
    """Text compared the way extraction can keep it: compatibility forms folded, combining marks
    (Arabic vowel signs, which extraction may detach), the bidirectional controls extraction
    adds, hyphens (a word broken at one is joined
    back without it) and all white space dropped, and lam and
    alef (and alef maksura) left out (the engine draws lam-alef as one ligature, which extraction writes back in
    either order)."""
    folded = unicodedata.normalize("NFKC", text)
    kept = (ch for ch in unicodedata.normalize("NFD", folded)
            if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf")  # marks; bidi controls
    return "".join(ch for ch in kept if not ch.isspace() and ch not in "-\u00ad\u2010لاأإآٱى")


def missing_glyphs(pdf: Path) -> list[str]:
    """The characters a PDF shows with the font's ".notdef" glyph (the empty box a font draws when
    it has no glyph for a character): each text code that maps to glyph 0, read back through the
    font's ToUnicode map."""
    reader = PdfReader(str(pdf))
    missing: list[str] = []
    for pg in reader.pages:
        fonts = {name: ref.get_object() for name, ref in pg["/Resources"].get("/Font", {}).items()}
        notdef = {name: _notdef_codes(font) for name, font in fonts.items()}
        font = None
        for operands, operator in ContentStream(pg.get_contents(), reader).operations:
            if operator == b"Tf":
                font = operands[0]
            elif operator in (b"Tj", b"TJ") and font is not None and notdef.get(font):
                pieces = [operands[0]] if operator == b"Tj" else [p for p in operands[0] if hasattr(p, "original_bytes")
                                                                  or isinstance(p, bytes)]
                for piece in pieces:
                    data = piece.original_bytes if hasattr(piece, "original_bytes") else bytes(piece)
                    for i in range(0, len(data) - 1, 2):
                        code = data[i] << 8 | data[i + 1]
                        if code in notdef[font]:
                            missing.append(notdef[font][code])
    return missing


def _notdef_codes(font) -> dict[int, str]:
    """Codes of a composite font that select glyph 0, with the text each stands for."""
    if font.get("/Subtype") != "/Type0":
        return {}
    encoding = font.get("/Encoding")
    codes: set[int] = set()
    if encoding == "/Identity-H" or encoding is None:
        codes.add(0)
    else:
        cmap = encoding.get_object().get_data()
        codes |= {int(code, 16) for code, cid in _CID_CHAR.findall(cmap) if int(cid) == 0}
        codes |= {int(start, 16) for start, _end, cid in _CID_RANGE.findall(cmap) if int(cid) == 0}
    text: dict[int, str] = {}
    if "/ToUnicode" in font:
        for code, hexed in _BF_CHAR.findall(font["/ToUnicode"].get_object().get_data()):
            if int(code, 16) in codes:
                text[int(code, 16)] = bytes.fromhex(hexed.decode()).decode("utf-16-be", "replace")
    return {code: text.get(code, "?") for code in codes}


def nearly_contains(text: str, item: str, ratio: float = 0.9) -> bool:
    """Whether ``squeezed(item)`` stands in ``squeezed(text)``, in the same order, allowing the odd
    letter that extraction drops from a cluster of a letter and vowel signs (seen in Chromium's
    Arabic text as well). Text written backwards, or scattered, scores far below ``ratio``."""
    haystack, needle = squeezed(text), squeezed(item)
    if needle in haystack:
        return True
    matcher = difflib.SequenceMatcher(None, needle, haystack, autojunk=False)
    match = matcher.find_longest_match(0, len(needle), 0, len(haystack))
    start = max(0, match.b - match.a - 3)
    window = haystack[start:start + len(needle) + 6]
    return difflib.SequenceMatcher(None, needle, window, autojunk=False).ratio() >= ratio
