"""Material's search index, tuned for the handbook: accent-insensitive, and item pages first.

Material's search runs lunr in a web worker over ``search/search_index.json``. It lower-cases every
word it indexes and every word typed, so search ignores case already; it does not fold accents,
and the words typed are matched as prefixes without any pipeline (a lunr pipeline function would
never see them). So the index carries, beside each document's own title and text, the words of
both with their accents taken off (``title_folded``, ``text_folded``), each field weighted as the
one it comes from: "microfono" finds "micrófono" and "Krakow" finds "Kraków", while "Kraków", typed
with its accent, still finds the original words. The worker indexes every field the index's
``config.fields`` names and searches them all.

The page of a competency, case or rubric also carries its id (``ids``, weighted as a title), so that
the id a curriculum owner or a mentor quotes (``first-item``) finds the page in every
language, and a slightly higher weight than other documents, so that an item whose title matches
comes before the other pages that mention it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

FOLDED_FIELDS = {"title": "title_folded", "text": "text_folded"}
ID_FIELD = "ids"
ITEM_BOOST = 2.0  # an item page's main document, against any other document
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")
# Letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
                          "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH",
                          "ı": "i", "ħ": "h", "Ħ": "H"})


def fold(text: str) -> str:
    """``text`` without accents or other combining marks ("Kraków" -> "Krakow")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def folded_words(markup: str) -> str:
    """The words of ``markup`` (text with tags) that change once folded, folded, each once."""
    words = dict.fromkeys(fold(word).lower() for word in _WORD.findall(_TAG.sub(" ", markup))
                          if fold(word) != word)
    return " ".join(words)


def _item_key(location: str) -> str:
    """A page's address as ``folder/id``: ``cases/x/``, ``cases/x.html`` and ``cases/x/index.html``
    alike."""
    path = location.split("#", 1)[0]
    return path.removesuffix("index.html").removesuffix("/").removesuffix(".html")


def tune(index: dict, items: Mapping[str, str]) -> dict:
    """``index`` (Material's, as read from the file) with the folded fields and item ids added.
    ``items``: the ``folder/id`` of each item page -> the id it is known by. Running it again on a
    tuned index changes nothing."""
    config = dict(index.get("config", {}))
    fields = dict(config.get("fields") or {"title": {"boost": 1000.0}, "text": {"boost": 1.0}})
    for source, folded in FOLDED_FIELDS.items():
        fields[folded] = dict(fields.get(source, {}))
    fields[ID_FIELD] = dict(fields.get("title", {}))
    docs = []
    for doc in index.get("docs", []):
        doc = {key: value for key, value in doc.items() if key not in (*FOLDED_FIELDS.values(), ID_FIELD)}
        for source, folded in FOLDED_FIELDS.items():
            words = folded_words(str(doc.get(source) or ""))
            if words:
                doc[folded] = words
        item_id = items.get(_item_key(doc.get("location", "")))
        if item_id is not None and "#" not in doc.get("location", ""):
            doc[ID_FIELD] = item_id
            doc["boost"] = max(float(doc.get("boost") or 1.0), ITEM_BOOST)
        docs.append(doc)
    return {**index, "config": {**config, "fields": fields}, "docs": docs}


def tune_indexes(site_dir: Path, prefixes: Iterable[str], items: Mapping[str, str]) -> None:
    """Tune the search index of each language (``prefixes``: where each language's pages live,
    ``""`` for the default one), where there is one."""
    for prefix in prefixes:
        target = site_dir / prefix / "search" / "search_index.json"
        if target.is_file():
            index = tune(json.loads(target.read_text("utf-8")), items)
            target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")
