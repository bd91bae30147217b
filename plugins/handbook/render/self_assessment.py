"""The self-assessment on each rubric page: the plain data its script builds the form from, and the tags
that put that data and the scripts into a finished page.

The page's content holds only an empty container (the published HTML allows no form controls and no
script); ``assets/self-assessment.js`` builds every control from a JSON data block that is added to
the final page, after the content checks and the content security policy: a block of type
``application/json`` never runs, and the two scripts are files of the site itself ('self'). Every text
in the data is plain text (fields are rendered, then stripped of their tags), which the script inserts
with ``textContent`` only. Nothing here names a program, a level, a rubric or a language: all of it
comes from the model and the labels.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from handbook.i18n import formatting
from handbook.model.handbook import Handbook, Rubric
from handbook.render.fields import plain_text

SCRIPTS = ("assets/handbook/scoring.js", "assets/handbook/self-assessment.js")
DATA_ID = "hb-self-assessment-data"
LABEL_PREFIX = "sa_"
_LINE_SPACE = re.compile(r"\s+")
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def figure(value: Fraction) -> str:
    """An exact figure as a decimal string ("2.75"); a ratio ("17/6") where no decimal ends."""
    value = Fraction(value)
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    scaled = abs(value.numerator * 10**places // value.denominator)
    text = str(scaled).rjust(places + 1, "0")
    text = f"{text[:-places]}.{text[-places:]}" if places else text
    return f"-{text}" if value < 0 else text


def _line(render: Callable[[str], str], text: str) -> str:
    """A title or name as plain text, as it reads in a line (block syntax means nothing there)."""
    line = _LINE_SPACE.sub(" ", str(text)).strip()
    return plain_text(render(f"x {line}")).removeprefix("x").strip() if line else ""


def _key(*parts: str) -> str:
    """A short name for a look-for or criterion that stays the same across languages and versions
    for as long as its source text does."""
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def _look_for_keys(criterion_id: str, level_id: str, texts: list[str]) -> list[str]:
    keys: list[str] = []
    for text in texts:
        key = _key("look-for", criterion_id, level_id, _LINE_SPACE.sub(" ", text).strip())
        while key in keys:  # the same text twice in one level
            key = _key(key, "again")
        keys.append(key)
    return keys


def rubric_data(rubric: Rubric, source: Rubric | None, handbook: Handbook, labels: Mapping[str, str],
                render: Callable[[str], str]) -> dict[str, Any]:
    """What the self-assessment of ``rubric`` needs, in the handbook's language. ``source`` is the same
    rubric in the source language: look-fors are keyed by their source text, so answers saved in one
    language show in another, and a changed look-for is never mistaken for the old one."""
    language = handbook.language or handbook.framework.default_language
    rule = rubric.scheme.rule
    evidence = rule.insufficient_evidence
    source = source or rubric
    source_criteria = {criterion.id: criterion for criterion in source.criteria}
    levels = [point.level for point in rubric.scale]
    criteria = []
    for criterion in rubric.criteria:
        original = source_criteria.get(criterion.id, criterion)
        look_fors = []
        for level in levels:
            texts = criterion.look_fors.get(level.id, [])
            originals = original.look_fors.get(level.id, [])
            keys = _look_for_keys(criterion.id, level.id, originals if len(originals) == len(texts) else texts)
            look_fors.append({"level": level.id, "level_name": _line(render, level.name),
                              "items": [{"key": key, "text": plain_text(render(str(text)))}
                                        for key, text in zip(keys, texts, strict=True)]})
        criteria.append({"id": criterion.id, "key": _key("criterion", criterion.id, _line(render, original.title)),
                         "title": _line(render, criterion.title), "floor": figure(criterion.floor),
                         "weight": figure(criterion.weight), "look_fors": look_fors})
    content_language = (handbook.framework.default_language if handbook.state("rubric", rubric.id) == "missing"
                        else language)
    return {
        "format": 1,
        "program": handbook.framework.id,
        "rubric": rubric.id,
        "version": rubric.version or handbook.framework.version,
        "title": _line(render, rubric.title),
        "language": language,
        "dir": formatting.text_direction(language),
        "content_language": content_language,
        "content_dir": formatting.text_direction(content_language),
        "decimal": re.sub(r"[0-9\s+\-]", "", formatting.number(Fraction(1, 2), language)) or ".",
        "scale": [{"score": figure(point.score), "label": _line(render, point.label), "level": point.level.id,
                   "level_name": _line(render, point.level.name)} for point in rubric.scale],
        "rule": {"aggregate": rule.aggregate, "threshold": figure(rule.threshold), "scorers": rule.scorers,
                 "step": figure(rule.step),
                 "insufficient_evidence": None if evidence is None else {
                     "label": _line(render, evidence.label), "value": figure(evidence.value)}},
        "criteria": criteria,
        "labels": {key.removeprefix(LABEL_PREFIX): str(value) for key, value in labels.items()
                   if key.startswith(LABEL_PREFIX)},
    }


def handbook_data(handbook: Handbook, source: Handbook | None, labels: Mapping[str, str],
                  render: Callable[[str], str]) -> dict[str, dict[str, Any]]:
    """The self-assessment data of every rubric of ``handbook``, by rubric id."""
    originals = source.rubrics if source is not None else {}
    return {rubric.id: rubric_data(rubric, originals.get(rubric.id), handbook, labels, render)
            for rubric in handbook.rubrics.values()}


def json_block(data: Mapping[str, Any]) -> str:
    """JSON that cannot end its ``<script>`` element or open another, whatever its texts hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda match: _JSON_ESCAPES[match[0]], text)


def widget_tags(data: Mapping[str, Any], root_url: str, assessment_url: str | None = None) -> str:
    """The data block and the two scripts, their addresses relative to the page (``root_url`` is the
    way back to the site root, as MkDocs writes ``base_url``)."""
    data = {**data, "assessment_url": assessment_url}
    root = root_url.rstrip("/") or "."
    scripts = "".join(f'<script src="{html.escape(f"{root}/{path}")}" defer></script>' for path in SCRIPTS)
    return f'<script type="application/json" id="{DATA_ID}">{json_block(data)}</script>{scripts}'


def with_widget(page_html: str, data: Mapping[str, Any] | None, root_url: str,
                assessment_url: str | None = None) -> str:
    """The finished page with the self-assessment's data and scripts at the end of its body; a page
    that is no rubric page (``data`` is None) or has no container for the form is left as it is."""
    if data is None or 'id="self-assessment"' not in page_html:
        return page_html
    ends = list(_BODY_END.finditer(page_html))
    if not ends:
        return page_html
    at = ends[-1].start()
    return page_html[:at] + widget_tags(data, root_url, assessment_url) + page_html[at:]
