"""The certification as an Open Badges 3.0 ``Achievement``, one per language, from the model.

Published at ``credential/<language>/achievement.json`` (needs the site's ``site_url``: every id in
it is an absolute URL or a ``urn:uuid``). What goes where:

- ``achievementType`` is ``Certification``: in the OB 3.0 vocabulary, a time-limited, renewable
  credential for demonstrated ability, which is what the program awards (with recertification);
- ``criteria.narrative`` (Markdown) states the passing standard of every rubric, its rule, threshold
  and floors, and the framework's certification figures, in the language's own words and number
  format; ``criteria.id`` is the rubrics' page;
- ``alignment``: one ``CFItem`` per competency that is not deprecated; its ``targetUrl`` is the
  competency's CASE URI, ``{site_url}case/uri/{uuid}``, with the identifiers of the CASE export
  (``handbook.render.identifiers``);
- ``resultDescription``: each rubric criterion as a ``RubricCriterionLevel`` result, its levels the
  rubric's scale (points, the level's name, its look-fors), ``requiredValue`` its floor; and each
  rubric as a whole as a ``RubricScore`` result whose ``requiredValue`` is the threshold;
- ``related``: the same Achievement in the site's other languages.

Result descriptions and levels carry ``urn:uuid`` ids that are the same in every language, so a
result asserted against one language's Achievement means the same in another. Nothing here depends
on the time of the build, and nothing names a program, level or language: all comes from the model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from handbook.i18n import formatting
from handbook.model.handbook import Criterion, Handbook, Rubric
from handbook.render import json_api
from handbook.render.identifiers import item_uuid
from handbook.render.pages import RUBRIC_INDEX
from handbook.render.self_assessment import figure

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
ACHIEVEMENT_TYPE = "Certification"
# OB 3.0's LanguageCode: a language given any other way is left out of ``inLanguage``.
_BREAKS = re.compile(r"[ \t\r\n]+")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")


def case_uri(site: json_api.Publication, framework_id: str, kind: str, item_id: str) -> str:
    """The CASE URI of an item, as the CASE export publishes it."""
    return f"{site.base}case/uri/{item_uuid(framework_id, kind, item_id)}"


def _urn(framework_id: str, kind: str, item_id: str) -> str:
    return f"urn:uuid:{item_uuid(framework_id, kind, item_id)}"


def _alignment(handbook: Handbook, site: json_api.Publication, competency_id: str) -> dict[str, Any]:
    fw = handbook.framework
    competency = handbook.competencies[competency_id]
    return {"type": ["Alignment"], "targetType": "CFItem", "targetCode": competency.id,
            "targetName": competency.title, "targetDescription": competency.summary,
            "targetFramework": fw.title, "targetUrl": case_uri(site, fw.id, "competency", competency.id)}


def _criterion_result(rubric: Rubric, criterion: Criterion, handbook: Handbook,
                      site: json_api.Publication) -> dict[str, Any]:
    fw = handbook.framework
    scheme = rubric.scheme
    key = f"{rubric.id}/{criterion.id}"
    levels = []
    for point in rubric.scale:
        level: dict[str, Any] = {"id": _urn(fw.id, "achievement-criterion-level", f"{key}/{point.level.id}"),
                                 "type": ["RubricCriterionLevel"], "name": point.label, "level": point.level.name,
                                 "points": figure(point.score)}
        look_fors = criterion.look_fors.get(point.level.id, [])
        if look_fors:
            level["description"] = "\n".join(_line(text) for text in look_fors)
        levels.append(level)
    return {"id": _urn(fw.id, "achievement-criterion", key), "type": ["ResultDescription"],
            "name": f"{_line(rubric.title)} — {_line(criterion.title)}", "resultType": "RubricCriterionLevel",
            "rubricCriterionLevel": levels, "valueMin": figure(scheme.lowest_score),
            "valueMax": figure(scheme.highest_score), "requiredValue": figure(criterion.floor),
            "alignment": [_alignment(handbook, site, c) for c in criterion.competencies if c in handbook.competencies]}


def _rubric_result(rubric: Rubric, handbook: Handbook) -> dict[str, Any]:
    return {"id": _urn(handbook.framework.id, "achievement-rubric", rubric.id), "type": ["ResultDescription"],
            "name": rubric.title, "resultType": "RubricScore", "valueMin": figure(rubric.scheme.min_aggregate),
            "valueMax": figure(rubric.max_aggregate), "requiredValue": figure(rubric.threshold)}


def narrative(handbook: Handbook, labels: Mapping[str, str]) -> str:
    """What a candidate must show, as Markdown: each rubric's passing standard, then the program's
    certification figures."""
    language = handbook.language or handbook.framework.default_language

    def num(value: Any) -> str:
        return formatting.number(value, language)

    parts = [handbook.framework.description.strip()]
    for rubric in handbook.rubrics.values():
        rule = rubric.scheme.rule
        lines = [f"**{_line(rubric.title)}**", "",
                 labels[f"pass_rule_{rule.aggregate}"].format(threshold=num(rule.threshold),
                                                              maximum=num(rubric.max_aggregate)),
                 labels["scorers_rule"].format(scorers=rule.scorers, step=num(rule.step))]
        if rule.insufficient_evidence is not None:
            lines.append(labels["insufficient_rule"].format(label=_line(rule.insufficient_evidence.label),
                                                            value=num(rule.insufficient_evidence.value)))
        if rule.banking_months is not None:
            lines.append(labels["banking_rule"].format(months=rule.banking_months))
        if rule.retakes is not None:
            lines.append(labels["retakes_rule"].format(retakes=rule.retakes))
        lines += ["", f"**{labels['criteria']}**", ""]
        lines += [f"- {_line(criterion.title)} — {labels['floor']} {num(criterion.floor)}"
                  + (f" · {labels['weight']} {num(criterion.weight)}" if rubric.scheme.weighted else "")
                  for criterion in rubric.criteria]
        parts.append("\n".join(lines))
    figures = handbook.framework.certification
    if figures:
        parts.append("\n".join(f"- `{key}`: {num(value) if isinstance(value, (int, float)) else _line(str(value))}"
                               for key, value in figures.items()))
    return "\n\n".join(parts) + "\n"


def _line(text: str) -> str:
    """A text on one line; no-break spaces (French punctuation) stay as they are."""
    return _BREAKS.sub(" ", str(text)).strip()


def achievement(handbook: Handbook, labels: Mapping[str, str], site: json_api.Publication) -> dict[str, Any]:
    """The Achievement in ``handbook``'s language; ``site`` must have a base URL."""
    if not site.base:
        raise ValueError("an Open Badges Achievement needs the site's URL (site_url in mkdocs.yml)")
    fw = handbook.framework
    language = handbook.language or fw.default_language
    data: dict[str, Any] = {
        "@context": list(CONTEXT),
        "id": site.base + json_api.achievement_path(language),
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPE,
        "name": fw.title,
        "description": fw.description.strip(),
        "version": fw.version,
        "criteria": {"id": site.base + site.page_url(language, RUBRIC_INDEX), "narrative": narrative(handbook, labels)},
        "alignment": [_alignment(handbook, site, c.id) for c in handbook.competencies.values()
                      if c.status != "deprecated"],
        "resultDescription": [result for rubric in handbook.rubrics.values()
                              for result in (*(_criterion_result(rubric, criterion, handbook, site)
                                               for criterion in rubric.criteria), _rubric_result(rubric, handbook))],
    }
    if _LANGUAGE_CODE.match(language):
        data["inLanguage"] = language
    related = []
    for other in site.languages:
        if other == language:
            continue
        entry: dict[str, Any] = {"id": site.base + json_api.achievement_path(other), "type": ["Related"],
                                 "version": fw.version}
        if _LANGUAGE_CODE.match(other):
            entry["inLanguage"] = other
        related.append(entry)
    if related:
        data["related"] = related
    return data


def files(handbook: Handbook, labels: Mapping[str, str], site: json_api.Publication) -> dict[str, str]:
    """The Achievement in ``handbook``'s language by its path from the site root; nothing when the
    site has no URL to name it by."""
    if not site.base:
        return {}
    language = handbook.language or handbook.framework.default_language
    return {json_api.achievement_path(language): json_api.dumps(achievement(handbook, labels, site))}
