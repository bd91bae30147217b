"""The curriculum as a static JSON API: one document per release and language, an index, a schema.

Everything comes from the model, never from a page: ``release`` is the whole handbook in one language
(the framework, its competencies, the cases' metadata and the rubrics with their scoring rules),
``index`` names the program, its releases and languages and where each document lives.

Published files, relative to the site root:

- ``api/index.json``: the program, the releases and languages this build publishes, their URLs;
- ``api/<framework version>/<language>.json``: one release in one language (the framework's
  semantic version is the release);
- ``api/schema.json``: the JSON Schema (draft 2020-12) both kinds of document follow
  (``handbook/schemas/api.schema.json``).

The shape is stable and documented in the schema: every object has a fixed set of keys, object keys
are written sorted (their order means nothing), lists keep the order that means something (levels,
scale, criteria, the framework's vocabularies). Figures are exact: a score, floor or threshold such
as 2.75 is the JSON number ``2.75`` (its decimal text is exact; it is never the result of binary
arithmetic), and a whole figure is an integer. Text fields are the content as written (Markdown for
the long fields, plain text for titles and names); a case's section bodies are not published, so
text meant for facilitators never leaves the handbook. ``<``, ``>`` and ``&`` are written as
``\\u003c``, ``\\u003e`` and ``\\u0026``: the documents hold the same strings, and stay inert even
when pasted into an HTML page. Nothing depends on the time of the build: two builds of the same
content give the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from importlib import resources
from typing import Any

from handbook.model.handbook import Case, Competency, Handbook, Rubric, Term
from handbook.model.scoring import number
from handbook.render.pages import CASE_INDEX, OVERVIEW, RUBRIC_INDEX, page_path

FORMAT = 1
INDEX = "api/index.json"
SCHEMA = "api/schema.json"
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class Publication:
    """Where the site is published: what the open data needs to name its pages and its files.

    ``site_url`` is the site's base URL ('' when the site has none); ``prefixes`` gives, for every
    language the site is published in (the default one first), the folder its pages live in ('' for
    the default language); ``names`` the languages' own names.
    """

    site_url: str
    prefixes: Mapping[str, str]
    names: Mapping[str, str] = field(default_factory=dict)
    directory_urls: bool = True

    @property
    def base(self) -> str:
        """The site's base URL ending with '/', or '' when the site has none."""
        return self.site_url.rstrip("/") + "/" if self.site_url else ""

    @property
    def languages(self) -> list[str]:
        return list(self.prefixes)

    @property
    def default_language(self) -> str:
        return next(iter(self.prefixes))

    def page_url(self, language: str, path: str) -> str:
        """The URL, relative to the site root, of the page made from ``path`` (``cases/x.md``)."""
        stem = path.removesuffix(".md")
        if stem == "index" or stem.endswith("/index"):
            url = stem.removesuffix("index")
        else:
            url = f"{stem}/" if self.directory_urls else f"{stem}.html"
        return self.prefixes.get(language, "") + url

    def absolute(self, url: str) -> str | None:
        return self.base + url if self.base else None


def release_path(version: str, language: str) -> str:
    return f"api/{version}/{language}.json"


def achievement_path(language: str) -> str:
    """Where the certification's Open Badges Achievement in ``language`` is published."""
    return f"credential/{language}/achievement.json"


def exact(value: Fraction | int) -> int | float | str:
    """A figure as a JSON number whose text is its exact decimal value (2.75 -> 2.75, 3 -> 3); a
    figure with no finite decimal form (never one read from content) as the ratio "n/d"."""
    value = Fraction(value)
    if value.denominator == 1:
        return int(value)
    as_float = float(value)
    return as_float if Fraction(repr(as_float)) == value else f"{value.numerator}/{value.denominator}"


def _figure(value: Any) -> Any:
    """A certification figure as written: a number exactly (YAML's 2.5 is 2.5), a text as text."""
    if isinstance(value, (int, float, Fraction)) and not isinstance(value, bool):
        return exact(number(value))
    return value


def _translation(handbook: Handbook, kind: str, item_id: str) -> dict[str, str]:
    """An item's translation state, and the language most of its text is in."""
    state = handbook.state(kind, item_id)
    source = handbook.framework.default_language
    return {"state": state, "language": source if state == "missing" else (handbook.language or source)}


def _term(term: Term) -> dict[str, str]:
    return {"id": term.id, "title": term.title, "description": term.description}


def _by_level(by_level: Mapping[str, list[str]], handbook: Handbook) -> list[dict[str, Any]]:
    """Texts per level, in the framework's level order, every level present."""
    return [{"level": level.id, "items": list(by_level.get(level.id, []))} for level in handbook.framework.levels]


def framework_data(handbook: Handbook, site: Publication) -> dict[str, Any]:
    fw = handbook.framework
    language = handbook.language or fw.default_language
    return {
        "id": fw.id, "title": fw.title, "version": fw.version, "released": fw.released, "status": fw.status,
        "language": fw.default_language, "description": fw.description,
        "levels": [{"id": level.id, "name": level.name, "descriptor": level.descriptor, "rank": level.rank}
                   for level in fw.levels],
        "domains": [_term(domain) for domain in fw.domains],
        "roles": [_term(role) for role in fw.roles.values()],
        "facets": [{"id": facet.id, "title": facet.title, "description": facet.description,
                    "multiple": facet.multiple, "required": facet.required,
                    "values": [_term(value) for value in facet.values.values()]} for facet in fw.facets],
        "case_sections": [{"id": spec.id, "title": spec.title, "required": spec.required,
                           "audience": spec.audience} for spec in fw.case_sections],
        "certification": {str(key): _figure(value) for key, value in fw.certification.items()},
        "url": site.page_url(language, OVERVIEW),
        "translation": _translation(handbook, "framework", "framework"),
    }


def competency_data(competency: Competency, handbook: Handbook, site: Publication) -> dict[str, Any]:
    return {
        "id": competency.id, "domain": competency.domain.id, "title": competency.title,
        "summary": competency.summary, "why_it_matters": competency.why_it_matters,
        "behaviours": _by_level(competency.behaviours, handbook),
        "reflection_prompts": list(competency.reflection_prompts), "related": list(competency.related),
        "roles": [role.id for role in competency.roles], "status": competency.status,
        "replaced_by": competency.replaced_by, "last_reviewed": competency.last_reviewed,
        "url": site.page_url(handbook.language, page_path(competency)),
        "translation": _translation(handbook, "competency", competency.id),
    }


def case_data(case: Case, handbook: Handbook, site: Publication) -> dict[str, Any]:
    """A case's metadata and the outline of its sections: never a section's text."""
    url = site.page_url(handbook.language, page_path(case))
    return {
        "id": case.id, "title": case.title, "summary": case.summary, "level": case.level.id,
        "competencies": list(case.competencies), "roles": [role.id for role in case.roles],
        "facets": {facet: [value.id for value in values] for facet, values in case.facets.items()},
        "sections": [{"id": section.id, "title": section.title, "audience": section.audience,
                      "url": f"{url}#{section.id}"} for section in case.sections],
        "url": url,
        "translation": _translation(handbook, "case", case.id),
    }


def rubric_data(rubric: Rubric, handbook: Handbook, site: Publication) -> dict[str, Any]:
    rule = rubric.scheme.rule
    evidence = rule.insufficient_evidence
    return {
        "id": rubric.id, "title": rubric.title, "summary": rubric.summary, "purpose": rubric.purpose,
        "evidence": list(rubric.evidence), "version": rubric.version or handbook.framework.version,
        "scale": [{"score": exact(point.score), "label": point.label, "level": point.level.id}
                  for point in rubric.scale],
        "scoring": {
            "aggregate": rule.aggregate, "threshold": exact(rule.threshold), "scorers": rule.scorers,
            "step": exact(rule.step),
            "insufficient_evidence": None if evidence is None else {"label": evidence.label,
                                                                    "value": exact(evidence.value)},
            "banking_months": rule.banking_months, "retakes": rule.retakes,
            "top_score": exact(rubric.top_score), "max_aggregate": exact(rubric.max_aggregate),
        },
        "criteria": [{"id": criterion.id, "title": criterion.title, "description": criterion.description,
                      "competencies": list(criterion.competencies), "floor": exact(criterion.floor),
                      "weight": exact(criterion.weight), "look_fors": _by_level(criterion.look_fors, handbook)}
                     for criterion in rubric.criteria],
        "url": site.page_url(handbook.language, page_path(rubric)),
        "translation": _translation(handbook, "rubric", rubric.id),
    }


def release_data(handbook: Handbook, site: Publication) -> dict[str, Any]:
    """The whole curriculum in the handbook's language."""
    fw = handbook.framework
    language = handbook.language or fw.default_language
    return {
        "api": FORMAT, "document": "release", "program": fw.id, "version": fw.version, "language": language,
        "urls": {"self": release_path(fw.version, language), "index": INDEX, "schema": SCHEMA,
                 "site": site.prefixes.get(language, ""), "cases": site.page_url(language, CASE_INDEX),
                 "rubrics": site.page_url(language, RUBRIC_INDEX)},
        "framework": framework_data(handbook, site),
        "competencies": [competency_data(c, handbook, site) for c in handbook.competencies.values()],
        "cases": [case_data(case, handbook, site) for case in handbook.cases.values()],
        "rubrics": [rubric_data(rubric, handbook, site) for rubric in handbook.rubrics.values()],
    }


def index_data(handbook: Handbook, site: Publication, credentials: bool) -> dict[str, Any]:
    """The program, the release this build publishes and where each of its documents lives.
    ``credentials``: whether the certification's Achievements are published."""
    fw = handbook.framework
    languages = site.languages or [fw.default_language]
    return {
        "api": FORMAT, "document": "index", "site_url": site.base or None, "schema": SCHEMA,
        "program": {"id": fw.id, "title": fw.title, "language": fw.default_language},
        "languages": [{"code": language, "name": site.names.get(language, language),
                       "default": language == fw.default_language, "site": site.prefixes.get(language, "")}
                      for language in languages],
        "versions": [{"version": fw.version, "released": fw.released, "status": fw.status,
                      "documents": {language: release_path(fw.version, language) for language in languages}}],
        "credentials": {language: achievement_path(language) for language in languages} if credentials else {},
    }


def dumps(data: Any) -> str:
    """Deterministic JSON: keys sorted, two-space indents, ``<``, ``>`` and ``&`` escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda match: _ESCAPES[match[0]], text) + "\n"


def schema_text() -> str:
    return resources.files("handbook").joinpath("schemas", "api.schema.json").read_text("utf-8")


def files(handbook: Handbook, site: Publication, *, index: bool) -> dict[str, str]:
    """The files of the API for ``handbook``'s language, by their path from the site root; with
    ``index``, also the index and the schema (published once per site)."""
    data = release_data(handbook, site)
    published = {data["urls"]["self"]: dumps(data)}
    if index:
        published[INDEX] = dumps(index_data(handbook, site, credentials=bool(site.base)))
        published[SCHEMA] = schema_text()
    return published
