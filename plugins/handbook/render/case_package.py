"""The framework as a 1EdTech CASE 1.1 ``CFPackage``, for learning platforms and CASE servers.

What goes where:

- ``CFDocument``: the framework (title, description, version, language, adoption status, release date).
- ``CFItems``: the proficiency levels, the domains, the competencies and their observable behaviours,
  one item per behaviour, each with its ``CFItemType`` (defined in ``CFDefinitions/CFItemTypes``).
- ``CFAssociations``: ``isChildOf`` for the tree (domain -> document, competency -> domain,
  behaviour -> competency; ``sequenceNumber`` gives the order), ``hasSkillLevel`` from each behaviour
  to its level, ``precedes`` from each level to the next, ``isRelatedTo`` for a competency's
  ``related``, ``replacedBy`` for a deprecated competency's ``replaced_by`` and, in a translated
  package, ``isTranslationOf`` from every translated item to the same item of the source package.
- ``CFRubrics``: one per rubric; a ``CFRubricCriterion`` per criterion (``category`` its title,
  ``weight`` its weight, ``CFItemURI`` the first competency it assesses) and a
  ``CFRubricCriterionLevel`` per point of the scale (``quality`` the point's label, ``score`` its
  score, ``description`` the look-fors of its level, one ``- `` line each).

**Proficiency levels are CFItems** (of item type "Proficiency level", ``listEnumeration`` their rank),
linked from behaviours by ``hasSkillLevel`` and chained by ``precedes``. CASE 1.1 added
``hasSkillLevel`` for exactly this: its destination is the node that defines the skill level, and an
association can only point at a node (a CFItem or a document), never at a ``CFConcept`` or another
definition. A ``CFConcept`` would carry a name but no order and could not be the target of the
association; an item carries the level's name (``abbreviatedStatement``), its descriptor
(``fullStatement``) and, with ``precedes``, its place in the order. Levels are not ``isChildOf``
anything: they define the scale, they are not part of the tree of what is learnt.

What CASE has no field for travels in ``extensions`` under the key ``EXTENSION`` (roles, reflection
prompts, a competency's status and roles, case sections and facets, certification figures, a rubric's
purpose, evidence and scoring rule, a criterion's id, floor and competencies, a scale point's level),
so that ``handbook import case`` can rebuild the content from a package it made. Other CASE
consumers ignore extensions.

**Identifiers** are ``handbook.render.identifiers.item_uuid`` UUIDs: the same content gives the same
identifiers on every build. A translated package has identifiers of its own (the language is part of
the name) and points at the source package's items with ``isTranslationOf``.

**URIs**: ``{site_url}case/uri/{identifier}`` when the site's URL is known, ``urn:uuid:{identifier}``
otherwise. Both are stable: they depend on nothing but the identifier and the site's address.

**Dates**: ``lastChangeDateTime`` is midnight UTC of a date in the content, never the time of the
build: the framework's ``released`` date for the document, levels, domains, rubrics and definitions;
a competency's ``last_reviewed`` for it, its behaviours and the associations it is the origin of.
Two builds of the same content give byte-identical packages.
"""

from __future__ import annotations

import json
from typing import Any

from handbook.model.data import plain
from handbook.model.handbook import Competency, Framework, Handbook, Rubric
from handbook.render.identifiers import item_uuid

EXTENSION = "livingHandbook"

# Our kinds of item: (kind, CFItemType title, hierarchyCode, description). Kinds of our own model,
# the same for every program.
ITEM_TYPES = (
    ("level", "Proficiency level", "0", "A proficiency level of the framework; behaviours and rubric scores "
                                        "refer to it with hasSkillLevel."),
    ("domain", "Domain", "1", "A group of competencies."),
    ("competency", "Competency", "2", "A competency, described by observable behaviours at every level."),
    ("behaviour", "Behaviour", "3", "An observable behaviour of a competency at one proficiency level."),
)

_ADOPTION = {"draft": "Draft", "published": "Adopted", "retired": "Deprecated"}


def uri_for(site_url: str, identifier: str) -> str:
    if not site_url:
        return f"urn:uuid:{identifier}"
    return f"{site_url if site_url.endswith('/') else site_url + '/'}case/uri/{identifier}"


def timestamp(date: str) -> str:
    """A content date ("YYYY-MM-DD") as a CASE dateTime."""
    return f"{date}T00:00:00+00:00"


def _number(value: Any) -> int | float:
    return plain(value)


class _Package:
    def __init__(self, handbook: Handbook, source: Handbook | None, site_url: str) -> None:
        self.handbook, self.source, self.site_url = handbook, source, site_url
        self.framework: Framework = handbook.framework
        self.language = handbook.language or self.framework.default_language
        self.translated = self.language != self.framework.default_language
        self.items: list[dict[str, Any]] = []
        self.associations: list[dict[str, Any]] = []
        self.released = timestamp(self.framework.released)

    # -- identifiers and links --------------------------------------------------------------------

    def uuid(self, kind: str, item_id: str, *, language: str | None = None, translated: bool | None = None) -> str:
        own = self.translated if translated is None else translated
        return item_uuid(self.framework.id, kind, item_id, (language or self.language) if own else None)

    def link(self, title: str, identifier: str) -> dict[str, str]:
        return {"identifier": identifier, "title": title, "uri": uri_for(self.site_url, identifier)}

    def type_link(self, kind: str) -> dict[str, str]:
        title = next(t for k, t, _, _ in ITEM_TYPES if k == kind)
        return self.link(title, item_uuid(self.framework.id, "item-type", kind))

    # -- parts ------------------------------------------------------------------------------------

    def item(self, kind: str, item_id: str, statement: str, changed: str, *, title: str | None = None,
             code: str | None = None, position: int | None = None, notes: str = "",
             extension: dict[str, Any] | None = None) -> dict[str, Any]:
        identifier = self.uuid(kind, item_id)
        item: dict[str, Any] = {
            "identifier": identifier, "uri": uri_for(self.site_url, identifier), "fullStatement": statement,
            "CFItemType": self.type_link(kind)["title"], "CFItemTypeURI": self.type_link(kind),
            "language": self.language, "lastChangeDateTime": changed,
        }
        if title is not None:
            item["abbreviatedStatement"] = title
        if code is not None:
            item["humanCodingScheme"] = code
        if position is not None:
            item["listEnumeration"] = str(position)
        if notes:
            item["notes"] = notes
        if extension:
            item["extensions"] = {EXTENSION: extension}
        self.items.append(item)
        if self.translated and self.source is not None:
            self.translation_of(item, kind, item_id)
        return item

    def associate(self, kind: str, origin: dict[str, Any], destination: dict[str, Any], changed: str,
                  sequence: int | None = None) -> None:
        identifier = self.uuid("association", f"{kind}/{origin['identifier']}/{destination['identifier']}")
        association: dict[str, Any] = {
            "identifier": identifier, "uri": uri_for(self.site_url, identifier), "associationType": kind,
            "originNodeURI": origin, "destinationNodeURI": destination, "lastChangeDateTime": changed,
        }
        if sequence is not None:
            association["sequenceNumber"] = sequence
        self.associations.append(association)

    def node(self, item: dict[str, Any]) -> dict[str, str]:
        return self.link(_title(item), item["identifier"])

    def translation_of(self, item: dict[str, Any], kind: str, item_id: str) -> None:
        source_title = self.source_titles.get((kind, item_id), _title(item))
        target = self.link(source_title, self.uuid(kind, item_id, translated=False))
        self.associate("isTranslationOf", self.node(item), target, item["lastChangeDateTime"])

    @property
    def source_titles(self) -> dict[tuple[str, str], str]:
        if not hasattr(self, "_source_titles"):
            self._source_titles = _titles(self.source) if self.source is not None else {}
        return self._source_titles

    # -- the whole --------------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        framework = self.framework
        document = self.document()
        root = self.link(framework.title, document["identifier"])
        levels = {}
        previous = None
        for level in framework.levels:
            item = self.item("level", level.id, level.descriptor, self.released, title=level.name, code=level.id,
                             position=level.rank)
            levels[level.id] = item
            if previous is not None:
                self.associate("precedes", self.node(previous), self.node(item), self.released)
            previous = item
        competencies: dict[str, dict[str, Any]] = {}
        for position, domain in enumerate(framework.domains, start=1):
            domain_item = self.item("domain", domain.id, domain.description or domain.title, self.released,
                                    title=domain.title, code=domain.id, position=position)
            self.associate("isChildOf", self.node(domain_item), root, self.released, position)
            for rank, competency in enumerate(self.handbook.competencies_in(domain), start=1):
                item = self.competency(competency, rank, levels)
                competencies[competency.id] = item
                self.associate("isChildOf", self.node(item), self.node(domain_item),
                               timestamp(competency.last_reviewed), rank)
        for competency in self.handbook.competencies.values():
            origin, changed = competencies[competency.id], timestamp(competency.last_reviewed)
            for related in competency.related:
                if related in competencies:
                    self.associate("isRelatedTo", self.node(origin), self.node(competencies[related]), changed)
            if competency.replaced_by in competencies:
                self.associate("replacedBy", self.node(origin), self.node(competencies[competency.replaced_by]),
                               changed)
        package: dict[str, Any] = {
            "CFDocument": document,
            "CFItems": self.items,
            "CFAssociations": self.associations,
            "CFDefinitions": {"CFItemTypes": self.item_types()},
            "CFRubrics": [self.rubric(rubric, competencies) for rubric in self.handbook.rubrics.values()],
        }
        return package

    def document(self) -> dict[str, Any]:
        framework = self.framework
        identifier = self.uuid("document", framework.id)
        document: dict[str, Any] = {
            "identifier": identifier, "uri": uri_for(self.site_url, identifier), "caseVersion": "1.1",
            "creator": framework.title, "title": framework.title, "version": framework.version,
            "language": self.language, "adoptionStatus": _ADOPTION.get(framework.status, "Draft"),
            "statusStartDate": framework.released, "lastChangeDateTime": self.released,
        }
        if framework.description:
            document["description"] = framework.description
        if self.site_url:
            document["officialSourceURL"] = self.site_url
        document["extensions"] = {EXTENSION: {
            "id": framework.id,
            "status": framework.status,
            "default_language": framework.default_language,
            "roles": [_term(role) for role in framework.roles.values()],
            "case_sections": [{"id": s.id, "title": s.title, "required": s.required, "audience": s.audience}
                              for s in framework.case_sections],
            "facets": [{"id": f.id, "title": f.title, **({"description": f.description} if f.description else {}),
                        "multiple": f.multiple, "required": f.required,
                        "values": [_term(value) for value in f.values.values()]} for f in framework.facets],
            "certification": plain(framework.certification),
        }}
        return document

    def competency(self, competency: Competency, rank: int, levels: dict[str, dict[str, Any]]) -> dict[str, Any]:
        changed = timestamp(competency.last_reviewed)
        extension: dict[str, Any] = {
            "reflection_prompts": list(competency.reflection_prompts),
            "roles": [role.id for role in competency.roles],
            "status": competency.status,
            "last_reviewed": competency.last_reviewed,
        }
        item = self.item("competency", competency.id, competency.summary, changed, title=competency.title,
                         code=competency.id, position=rank, notes=competency.why_it_matters, extension=extension)
        if competency.status == "deprecated":
            item["statusEndDate"] = competency.last_reviewed
        sequence = 0
        for level in self.framework.levels:
            for index, text in enumerate(competency.behaviours.get(level.id, []), start=1):
                sequence += 1
                behaviour = self.item("behaviour", f"{competency.id}/{level.id}/{index}", text, changed,
                                      position=sequence)
                self.associate("isChildOf", self.node(behaviour), self.node(item), changed, sequence)
                self.associate("hasSkillLevel", self.node(behaviour), self.node(levels[level.id]), changed)
        return item

    def item_types(self) -> list[dict[str, Any]]:
        types = []
        for kind, title, hierarchy, description in ITEM_TYPES:
            identifier = item_uuid(self.framework.id, "item-type", kind)
            types.append({"identifier": identifier, "uri": uri_for(self.site_url, identifier), "title": title,
                          "description": description, "hierarchyCode": hierarchy, "typeCode": kind,
                          "lastChangeDateTime": self.released})
        return types

    def rubric(self, rubric: Rubric, competencies: dict[str, dict[str, Any]]) -> dict[str, Any]:
        identifier = self.uuid("rubric", rubric.id)
        scoring: dict[str, Any] = {"aggregate": rubric.scheme.rule.aggregate,
                                   "threshold": _number(rubric.scheme.rule.threshold),
                                   "scorers": rubric.scheme.rule.scorers, "step": _number(rubric.scheme.rule.step)}
        rule = rubric.scheme.rule
        if rule.insufficient_evidence is not None:
            scoring["insufficient_evidence"] = {"label": rule.insufficient_evidence.label,
                                                "value": _number(rule.insufficient_evidence.value)}
        if rule.banking_months is not None:
            scoring["banking_months"] = rule.banking_months
        if rule.retakes is not None:
            scoring["retakes"] = rule.retakes
        criteria = []
        for position, criterion in enumerate(rubric.criteria, start=1):
            criterion_id = self.uuid("criterion", f"{rubric.id}/{criterion.id}")
            entry: dict[str, Any] = {
                "identifier": criterion_id, "uri": uri_for(self.site_url, criterion_id), "category": criterion.title,
                "description": criterion.description, "weight": _number(criterion.weight), "position": position,
                "rubricId": identifier, "lastChangeDateTime": self.released,
                "extensions": {EXTENSION: {"id": criterion.id, "floor": _number(criterion.floor),
                                           "competencies": list(criterion.competencies)}},
            }
            first = next((competencies[c] for c in criterion.competencies if c in competencies), None)
            if first is not None:
                entry["CFItemURI"] = self.node(first)
            levels = []
            for index, point in enumerate(rubric.scale, start=1):
                level_id = self.uuid("criterion-level", f"{rubric.id}/{criterion.id}/{point.level.id}")
                look_fors = criterion.look_fors.get(point.level.id, [])
                levels.append({
                    "identifier": level_id, "uri": uri_for(self.site_url, level_id), "quality": point.label,
                    "score": _number(point.score), "description": "\n".join(f"- {text}" for text in look_fors),
                    "position": index, "rubricCriterionId": criterion_id, "lastChangeDateTime": self.released,
                    "extensions": [{EXTENSION: {"level": point.level.id, "look_fors": list(look_fors),
                                                "label": point.label}}],
                })
            entry["CFRubricCriterionLevels"] = levels
            criteria.append(entry)
        extension: dict[str, Any] = {"id": rubric.id, "summary": rubric.summary, "purpose": rubric.purpose,
                                     "evidence": list(rubric.evidence), "version": rubric.version, "scoring": scoring}
        return {"identifier": identifier, "uri": uri_for(self.site_url, identifier), "title": rubric.title,
                "description": rubric.summary, "lastChangeDateTime": self.released, "CFRubricCriteria": criteria,
                "extensions": {EXTENSION: extension}}


def _term(term: Any) -> dict[str, str]:
    return {"id": term.id, "title": term.title, **({"description": term.description} if term.description else {})}


def _title(item: dict[str, Any]) -> str:
    return item.get("abbreviatedStatement") or item["fullStatement"]


def _titles(handbook: Handbook) -> dict[tuple[str, str], str]:
    """The title each item has in the package of ``handbook`` (for links into it)."""
    titles: dict[tuple[str, str], str] = {}
    for level in handbook.framework.levels:
        titles["level", level.id] = level.name
    for domain in handbook.framework.domains:
        titles["domain", domain.id] = domain.title
    for competency in handbook.competencies.values():
        titles["competency", competency.id] = competency.title
        for level_id, texts in competency.behaviours.items():
            for index, text in enumerate(texts, start=1):
                titles["behaviour", f"{competency.id}/{level_id}/{index}"] = text
    return titles


def case_package(handbook: Handbook, source: Handbook | None = None, site_url: str = "") -> dict[str, Any]:
    """The CASE 1.1 ``CFPackage`` of ``handbook`` (one language). ``source``: the same handbook in
    the framework's own language when ``handbook`` is a translation, for ``isTranslationOf``
    associations (left out without it). ``site_url``: the published site's address, for URIs."""
    return _Package(handbook, source, site_url).build()


def package_text(package: dict) -> str:
    """The package as published: UTF-8 text, keys sorted, indented by 2, one final newline; "<", ">"
    and "&" written as escapes, so that no text in it reads as markup wherever the file is shown."""
    text = json.dumps(package, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
