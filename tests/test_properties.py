"""Property-based tests: content generated from our own schemas always builds, and no mutation of
real content makes the loader (or ``handbook validate``) fail with anything but a located problem.
Then narrower properties that once found product bugs: nesting deeper than the C stack, titles that
did not reach readers as written, lost no-break spaces, items named "index", problems on two lines.

Hypothesis examples share the test's fixtures, so every example works in its own temporary copy of
the project (``copy_project`` into a ``tempfile`` folder under pytest's base temp folder).
"""

from __future__ import annotations

import json
import re
import string
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from html.entities import html5
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from conftest import REPO, Project, copy_project
from handbook.checks.html import HtmlChecker
from handbook.checks.schema import schema_text
from handbook.cli.main import _AnyTagLoader, settings_from
from handbook.i18n.formatting import number
from handbook.i18n.labels import load_labels
from handbook.library import Library, load_library
from handbook.render.pages import CASE_INDEX, OVERVIEW, RUBRIC_INDEX, environment, render_pages
from handbook.sources.documents import MAX_FILE_BYTES
from handbook.sources.problems import ContentError, Problem

SLOW = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
_NOT_AN_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
TEMPLATES = environment()

# --- the real framework: the vocabulary generated documents must refer to ---------------------------

BASE: Library = load_library(settings_from(REPO / "mkdocs.yml")[0])
FRAMEWORK = BASE.handbook().framework
LEVELS = [level.id for level in FRAMEWORK.levels]
DOMAINS = [domain.id for domain in FRAMEWORK.domains]
ROLES = list(FRAMEWORK.roles)
SETTINGS = list(FRAMEWORK.facets[0].values)
DIMENSIONS = list(FRAMEWORK.facets[1].values)
SECTIONS = FRAMEWORK.case_sections
COMPETENCY_IDS = [d.stem for d in BASE.sources["competency"]]
ACTIVE = [d.stem for d in BASE.sources["competency"] if d.data["status"] == "active"]
CASE_IDS = [d.stem for d in BASE.sources["case"]]
RUBRIC_IDS = [d.stem for d in BASE.sources["rubric"]]
# Ids the handbook refuses, as they would name the page of a whole folder: kept out of the generated
# ones (test_every_item_gets_a_page_of_its_own checks that they are refused).
RESERVED = {"index", "readme"}

# The site's own Markdown set-up, to check that generated pages convert as MkDocs would convert them.
_MKDOCS = yaml.load((REPO / "mkdocs.yml").read_text("utf-8"), Loader=_AnyTagLoader)
_EXTENSIONS = [next(iter(e)) if isinstance(e, dict) else e for e in _MKDOCS["markdown_extensions"]]
_CONFIGS = {name: options for e in _MKDOCS["markdown_extensions"] if isinstance(e, dict)
            for name, options in e.items()}


def site_markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_CONFIGS)


@cache
def _converter() -> markdown.Markdown:
    return site_markdown()


class PageText(str):
    """A generated page's Markdown, with the fields it places (see ``render.fields``)."""

    fields = None


def to_html(markdown_text: str) -> BeautifulSoup:
    html = _converter().reset().convert(markdown_text)
    fields = getattr(markdown_text, "fields", None)
    return BeautifulSoup(as_browsers_read(fields.place(html) if fields is not None else html), "html.parser")


def as_browsers_read(html: str) -> str:
    """A reference to no entity ("&T;") reads as written in a browser; Python's HTML parser would
    drop its ";", so it is escaped before parsing."""
    return _NOT_AN_ENTITY.sub(lambda m: m[0] if m[1] + ";" in html5 else "&amp;" + m[0][1:], html)


def fold(text: str) -> str:
    """Runs of ASCII white space as one space, as a browser shows them; no-break spaces (U+00A0,
    U+202F...) are kept: they are what French typography is made of."""
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip()


def plain(html: str) -> str:
    """What readers see of an HTML fragment, permalinks left out."""
    soup = BeautifulSoup(as_browsers_read(html), "html.parser")
    for permalink in soup.select("a.headerlink"):
        permalink.decompose()
    return fold(soup.get_text(" "))


def as_inline_markdown(text: str) -> str:
    """What readers see of ``text`` written inside a paragraph."""
    return plain(str(to_html("x " + text))).removeprefix("x").strip()


# --- our schemas, narrowed to the real framework's vocabulary and bounded in size ----------------------

# The strict loader refuses whole numbers of more than 15 digits (strict_yaml.MAX_INT_DIGITS), which
# the schemas do not say; kept as a figure here so that a lower limit in the loader fails the test.
INT_LIMIT = 10**15 - 10


def bounded(node: Any) -> Any:
    """The schema with sizes capped: text, lists, per-level mappings and whole numbers."""
    if isinstance(node, list):
        return [bounded(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: bounded(value) for key, value in node.items()}
    if node.get("type") == "string":
        node["maxLength"] = 40 if "pattern" in node else 120
    if node.get("type") == "array":
        node["maxItems"] = max(node.get("minItems", 0), 4)
    if node.get("type") == "integer":
        node["maximum"] = INT_LIMIT
    return node


def one_of(ids: list[str]) -> dict:
    return {"enum": ids}


def by_level(node: dict) -> dict:
    """A mapping keyed by any level id becomes one with every level of the framework."""
    assert set(node) >= {"type", "additionalProperties"} and node["type"] == "object", node
    return {**{k: v for k, v in node.items() if k not in ("additionalProperties", "minProperties")},
            "properties": {level: node["additionalProperties"] for level in LEVELS},
            "required": LEVELS, "additionalProperties": False}


def narrowed(kind: str) -> dict:
    """The shipped schema of ``kind`` where every reference is one of the framework's ids. What the
    schema cannot say (ids that match file names, rising scores...) is done by the strategies below."""
    schema = json.loads(schema_text(kind))
    fields = schema["properties"]
    if kind == "competency":
        fields["domain"] = one_of(DOMAINS)
        fields["roles"]["items"] = one_of(ROLES)
        fields["related"]["items"] = one_of(COMPETENCY_IDS)
        fields["replaced_by"] = one_of(ACTIVE)
        fields["behaviours"] = by_level(fields["behaviours"])
    elif kind == "case":
        fields["facets"] = {"type": "object", "additionalProperties": False, "required": ["setting", "inclusion"],
                            "properties": {"setting": one_of(SETTINGS),
                                           "inclusion": {"type": "array", "items": one_of(DIMENSIONS),
                                                         "uniqueItems": True}}}
        schema["required"].append("facets")  # the framework requires the setting
        fields["level"] = one_of(LEVELS)
        fields["competencies"]["items"] = one_of(ACTIVE)
        fields["roles"]["items"] = one_of(ROLES)
    else:
        fields["scale"]["items"]["properties"]["level"] = one_of(LEVELS)
        criterion = fields["criteria"]["items"]["properties"]
        criterion["competencies"]["items"] = one_of(ACTIVE)
        criterion["look_fors"] = by_level(criterion["look_fors"])
    return bounded(schema)


COMPETENCY_DOCS = from_schema(narrowed("competency"))
CASE_FRONT_MATTER = from_schema(narrowed("case"))
RUBRIC_DOCS = from_schema(narrowed("rubric"))

# --- reasonable printable text -----------------------------------------------------------------------

# Characters put in place of the ones generated text may not hold: controls, format characters
# (bidi overrides among them), unassigned and private code points, line/paragraph separators, and
# the two that start markup the HTML policy refuses by design ('<' raw HTML, '{' attribute lists).
_SUBSTITUTES = [c for c in map(chr, range(0x20, 0x7F)) if c not in "<{"] + list("éßøЖ漢字ΩΣ—’ñ")
_MAX_BRACKETS = 16  # the HTML policy refuses more than 32 nested '[' by design


def printable(text: str, *, newlines: bool) -> str:
    out = []
    for character in text:
        category = unicodedata.category(character)
        if newlines and category in ("Cc", "Zl", "Zp"):
            out.append("\n")  # generated text seldom breaks lines by itself: control characters do
        elif character in "<{" or category[0] == "C" or category in ("Zl", "Zp"):
            out.append(_SUBSTITUTES[ord(character) % len(_SUBSTITUTES)])
        else:
            out.append(character)
    text = "".join(out).replace("](", "] (").replace("]:", "] :")  # no links with made-up schemes
    while text.count("[") > _MAX_BRACKETS:
        text = text.replace("[", "(", 1)
    return text


def clean(value: Any, key: str = "") -> Any:
    """Generated data with every text made printable; titles stay on one line."""
    if isinstance(value, str):
        text = printable(value, newlines=key != "title")
        return text if text.strip() or not value else "0" + text  # the schemas refuse blank text
    if isinstance(value, dict):
        return {k: clean(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(item, key) for item in value]
    return value


def in_schema_order(data: dict, kind: str) -> dict:
    order = list(json.loads(schema_text(kind))["properties"])
    return dict(sorted(data.items(), key=lambda item: order.index(item[0])))


def fresh_id(wanted: str, taken: list[str] | set[str]) -> str:
    """``wanted``, or ``wanted-1``, ``wanted-2``... if another file already uses it."""
    candidate, number = wanted, 0
    while candidate in taken or candidate in RESERVED:
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


LINE = st.text(st.characters(codec="utf-8", exclude_categories=("C", "Zl", "Zp"), exclude_characters="<{"),
               min_size=1, max_size=60).map(lambda text: printable(text, newlines=False))


def body_line(text: str) -> str:
    """A line that cannot open a section (##) or a code fence, which have their own rules."""
    return re.sub(r"^[\s#`~]+", "", text) or "text"


# --- generated documents, made to agree with the real framework ---------------------------------------

@st.composite
def competencies(draw: st.DrawFn) -> dict:
    doc = clean(draw(COMPETENCY_DOCS))
    doc["id"] = fresh_id(doc["id"], COMPETENCY_IDS)
    if doc["status"] == "deprecated" and "replaced_by" not in doc:
        doc["replaced_by"] = draw(st.sampled_from(ACTIVE))
    if doc["status"] == "active":
        doc.pop("replaced_by", None)
    checks: set[str] = set()
    for check in doc.get("knowledge_checks", []):  # ids unique within their list, and a right answer
        check["id"] = fresh_id(check["id"], checks)
        checks.add(check["id"])
        options: set[str] = set()
        for option in check["options"]:
            option["id"] = fresh_id(option["id"], options)
            options.add(option["id"])
        if not any(option["correct"] for option in check["options"]):
            check["options"][draw(st.integers(0, len(check["options"]) - 1))]["correct"] = True
    return in_schema_order(doc, "competency")


def using(draw: st.DrawFn, competency_ids: list[str], new: dict | None) -> list[str]:
    """Generated competency references, one of them maybe replaced by the new (active) competency."""
    if new is None or new["status"] != "active" or new["id"] in competency_ids or not draw(st.booleans()):
        return competency_ids
    return [new["id"], *competency_ids[1:]]


@st.composite
def case_bodies(draw: st.DrawFn) -> list[tuple[str, str, str]]:
    """(section id, title, Markdown) for the required sections, and maybe the mentor notes."""
    ids = [section.id for section in SECTIONS if section.required or draw(st.booleans())]
    paragraphs = st.lists(LINE.map(body_line), max_size=3).map("\n\n".join)
    return [(section, draw(LINE).strip() or "Section", draw(paragraphs)) for section in ids]


@st.composite
def cases(draw: st.DrawFn, new: dict | None = None) -> tuple[dict, list[tuple[str, str, str]]]:
    doc = clean(draw(CASE_FRONT_MATTER))
    doc["id"] = fresh_id(doc["id"], CASE_IDS)
    doc["competencies"] = using(draw, doc["competencies"], new)
    return in_schema_order(doc, "case"), draw(case_bodies())


@st.composite
def rubrics(draw: st.DrawFn, new: dict | None = None) -> dict:
    doc = clean(draw(RUBRIC_DOCS))
    doc["id"] = fresh_id(doc["id"], RUBRIC_IDS)
    points = doc["scale"][: len(LEVELS)]
    # Each level once, in the generated order as far as it goes; scores sorted, then spread by
    # their rank: strictly rising, and still the generated figures.
    levels = list(dict.fromkeys([p["level"] for p in points] + draw(st.permutations(LEVELS))))
    # Whole numbers small enough that a total stays within the schema's bounds.
    scores = [score + rank for rank, score in enumerate(sorted(int(p["score"]) % 1000 for p in points))]
    doc["scale"] = [{"score": score, "level": level}
                    for score, level in zip(scores, levels[: len(scores)], strict=True)]
    low, high = scores[0], scores[-1]
    taken: set[str] = set()
    for criterion in doc["criteria"]:
        criterion["id"] = fresh_id(criterion["id"], taken)
        taken.add(criterion["id"])
        criterion["competencies"] = using(draw, criterion["competencies"], new)
        criterion["floor"] = min(max(int(criterion["floor"]), low), high)  # often right on the bounds
        criterion.pop("weight", None)
    top_total = high * len(doc["criteria"])
    # A whole-number sum rule that some entry meets and some entry fails.
    threshold = int(doc["scoring"]["threshold"])
    doc["scoring"] = {"aggregate": "sum", "threshold": max(low * len(doc["criteria"]) + 1, min(threshold, top_total))}
    return in_schema_order(doc, "rubric")


@dataclass
class Addition:
    """One new competency, case and rubric; the case and the rubric may use the new competency."""

    competency: dict
    case: dict
    sections: list[tuple[str, str, str]]
    rubric: dict

    def files(self) -> dict[str, str]:
        body = "".join(f"## {title} {{#{section}}}\n\n{text}\n\n" for section, title, text in self.sections)
        return {f"curriculum/competencies/{self.competency['id']}.yml": dump(self.competency),
                f"cases/{self.case['id']}.md": f"---\n{dump(self.case)}---\n\n{body}",
                f"rubrics/{self.rubric['id']}.yml": dump(self.rubric)}

    def write(self, project: Project) -> None:
        for relative, text in self.files().items():
            project.write(relative, text)


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def additions(draw: st.DrawFn) -> Addition:
    competency = draw(competencies())
    case, sections = draw(cases(competency))
    return Addition(competency, case, sections, draw(rubrics(competency)))


@contextmanager
def project_copy(base: Path) -> Iterator[Project]:
    with tempfile.TemporaryDirectory(dir=base) as folder:
        yield copy_project(Path(folder) / "project")


def load(project: Project) -> Library:
    return load_library(settings_from(project.path("mkdocs.yml"))[0])


def render_all(library: Library) -> dict[str, dict[str, str]]:
    """Every generated page in every language, as the plugin renders them."""
    reports = [library.report(language) for language in library.translations]
    rendered = {}
    for language in library.languages:
        pages, fields = render_pages(library.handbook(language), load_labels(language), TEMPLATES, CHECKER.render,
                                     reports or None)
        rendered[language] = {path: _with_fields(text, fields) for path, text in pages.items()}
    return rendered


CHECKER = HtmlChecker()


def _with_fields(text: str, fields: object) -> PageText:
    page = PageText(text)
    page.fields = fields
    return page


def links_to(page: str, target: str) -> bool:
    return f"]({target})" in page


def check_addition(addition: Addition, library: Library) -> None:
    competency, case, rubric = addition.competency, addition.case, addition.rubric
    by_stem = {(kind, d.stem): d for kind, group in library.sources.items() for d in group}
    # The strict loader reads back exactly what was generated.
    assert by_stem[("competency", competency["id"])].data == competency
    assert by_stem[("rubric", rubric["id"])].data == rubric
    read_case = by_stem[("case", case["id"])]
    assert read_case.data == case
    assert [s.markdown for s in library.handbook().cases[case["id"]].sections] == [
        text.strip() for _, _, text in addition.sections]

    pages = render_all(library)
    untranslated = "---\nsearch:\n  exclude: true\n---\n\n"
    c_page, k_page, r_page = (f"competencies/{competency['id']}.md", f"cases/{case['id']}.md",
                              f"rubrics/{rubric['id']}.md")
    en = pages[library.default_language]
    for page, title in ((c_page, competency["title"]), (k_page, case["title"]), (r_page, rubric["title"])):
        # Each page opens with its title as <h1>, reading as the title does in running text...
        first = to_html(en[page]).find(True)
        assert first.name == "h1", (page, str(first))
        assert plain(str(first)) == as_inline_markdown(title), (page, str(first))
        # ...and, not translated yet, shows the same title in the other languages, kept out of search.
        # (An untranslated case's heading also says which language its title is in.)
        for language, rendered in pages.items():
            if language != library.default_language:
                assert rendered[page].startswith(untranslated), language
                first_line = rendered[page].removeprefix(untranslated).split("\n", 1)[0]
                assert re.sub(r' \{: lang="[^"]+" dir="[^"]+" \}$', "", first_line) == en[page].split("\n", 1)[0], \
                    language

    # The new items are listed where readers look for them, and the items they refer to link back.
    assert links_to(en[OVERVIEW], f"../{c_page}")
    assert links_to(en[CASE_INDEX], f"../{k_page}")
    assert links_to(en[RUBRIC_INDEX], f"../{r_page}")
    for other in case["competencies"]:
        assert links_to(en[f"competencies/{other}.md"], f"../{k_page}"), other
        assert links_to(en[k_page], f"../competencies/{other}.md"), other
    criteria_headings = [plain(str(h3)) for h3 in to_html(en[r_page]).find_all("h3")]
    for index, criterion in enumerate(rubric["criteria"], start=1):
        expected = fold(f"{index}. {as_inline_markdown(criterion['title'])}")
        assert expected in criteria_headings, (expected, criteria_headings)
        for other in criterion["competencies"]:
            assert links_to(en[f"competencies/{other}.md"], f"../{r_page}"), other
    case_html = to_html(en[k_page])
    section_headings = [plain(str(h2)) for h2 in case_html.find_all("h2")]
    specs = {spec.id: spec for spec in SECTIONS}
    for section, _title, text in addition.sections:
        # The framework names the section; its text is placed as rendered on its own.
        assert CHECKER.render(text.strip()) in str(case_html) or not text.strip(), (section, text)
        if specs[section].audience == "facilitators":
            assert case_html.select_one("details.facilitator-notes"), en[k_page]
        else:
            assert plain(specs[section].title) in section_headings, (section, section_headings)
    for point in rubric["scale"]:
        assert f"| {number(point['score'], 'en')} |" in en[r_page]
    top_total = max(p["score"] for p in rubric["scale"]) * len(rubric["criteria"])
    assert f"total ≥ {number(rubric['scoring']['threshold'], 'en')} of {number(top_total, 'en')}" in en[RUBRIC_INDEX]


GENERATION = settings(max_examples=50, deadline=None, suppress_health_check=SLOW)


def test_documents_generated_from_our_schemas_always_build(tmp_path_factory: pytest.TempPathFactory) -> None:
    base = tmp_path_factory.mktemp("generated")
    seen: list[Addition] = []

    @GENERATION
    @given(additions())
    def generated_content_loads_and_renders(addition: Addition) -> None:
        with project_copy(base) as project:
            addition.write(project)
            try:
                library = load(project)
            except ContentError as error:
                files = "\n".join(f"--- {name}\n{text}" for name, text in addition.files().items())
                pytest.fail(f"generated content refused:\n{error}\n{files}")
            check_addition(addition, library)
        seen.append(addition)

    generated_content_loads_and_renders()

    # One real, strict MkDocs build of the biggest example seen.
    addition = max(seen, key=lambda a: sum(len(text) for text in a.files().values()))
    project = copy_project(base / "built" / "project")
    addition.write(project)
    site = base / "built" / "site"
    built = project.build(site)
    assert built.returncode == 0, built.stderr + "\n".join(addition.files().values())
    assert "Traceback" not in built.stderr
    for prefix in ("", "es/", "fr/"):
        for folder, item in (("competencies", addition.competency), ("cases", addition.case),
                             ("rubrics", addition.rubric)):
            page = site / f"{prefix}{folder}/{item['id']}/index.html"
            assert page.is_file(), page
            assert BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one("article h1"), page


# --- mutations of real content --------------------------------------------------------------------------

MUTATED_FILES = [
    "curriculum/framework.yml",
    "curriculum/framework.es.yml",
    "curriculum/competencies/active-listening.yml",
    "curriculum/competencies/active-listening.fr.yml",
    "cases/warehouse-finishing-sentences.md",
    "cases/warehouse-finishing-sentences.es.md",
    "rubrics/coaching-cycle.yml",
    "rubrics/coaching-cycle.fr.yml",
]
ORIGINALS = {name: (REPO / name).read_bytes() for name in MUTATED_FILES}
# Deeper than any limit of ours, but within what libyaml's composer survives in-process (several
# mutations together stay under MAX_OPENERS); see test_validate_survives_nesting_deeper_than_the_stack
# for what lies beyond.
NESTING = 5000
MAX_OPENERS = 15_000

TOKENS = [
    # YAML structure and its surprises
    b":", b": ", b"-", b"- ", b"[", b"]", b"{", b"}", b",", b"? ", b"<<: ", b"|", b">", b"|-\n", b">-\n",
    b"#", b"&", b"&anchor ", b"*", b"*anchor", b"!", b"!!str ", b"!!python/object/apply:os.system ",
    b"!include ", b"%YAML 1.1\n", b"%TAG ! tag:x,2000:\n", b"---\n", b"...\n", b"[]", b"{}", b"~\n", b"=",
    b"@", b"`", b"yes", b"no", b"on", b"null", b"0123", b"0x1F", b"1e3", b"1_000", b"12:30:00", b"9" * 30,
    b"-.inf", b".nan", b"2024-13-45", b"id: ", b"emerging: ", b"score: ", b"level: ", b"  - ", b"criteria:\n",
    # whitespace, quotes, controls and broken or unusual encodings
    b"\t", b" ", b"\n", b"\r", b"\r\n", b"'", b'"', b"\\", b"\x00", b"\x07", b"\x1b[31m", b"\xff", b"\xc3",
    b"\xc3(", b"\xed\xa0\x80", b"\xe2\x80\xae", b"\xef\xbb\xbf", b"\xc2\x85", b"\xe2\x80\xa8",
    b"\xd7\x90\xd7\x91",
    # Markdown and HTML
    b"<script>alert(1)</script>", b"[x](javascript:alert(1))", b"{: onclick=alert(1) }",
    b"## Debrief {#debrief}\n", b"## Odd {#odd}\n", b"```\n", b"~~~\n", b"!!! note\n", b"~",
]

PAYLOADS = st.one_of(
    st.sampled_from(TOKENS),
    st.binary(min_size=1, max_size=16),
    st.text(min_size=1, max_size=16).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.builds(lambda unit, count: unit * count,
              st.sampled_from([b"[", b"{", b"- ", b"[a](", b"*", b"> ", b"  ", b"x", b"\n", b": a\n"]),
              st.integers(1, NESTING)),
    st.sampled_from([b"x" * 200_000, b"\n" * 50_000, b"x" * (MAX_FILE_BYTES + 1)]),
    st.sampled_from(list(ORIGINALS.values())),  # another kind of content altogether
)
POSITION = st.integers(0, 2**20)
MUTATION = st.one_of(
    st.tuples(st.just("delete line"), POSITION),
    st.tuples(st.just("duplicate line"), POSITION),
    st.tuples(st.just("swap lines"), POSITION, POSITION),
    st.tuples(st.just("indent line"), POSITION, st.integers(1, 9)),
    st.tuples(st.just("dedent line"), POSITION),
    st.tuples(st.just("replace line"), POSITION, PAYLOADS),
    st.tuples(st.just("replace value"), POSITION, PAYLOADS),
    st.tuples(st.just("insert"), POSITION, PAYLOADS),
    st.tuples(st.just("overwrite"), POSITION, PAYLOADS),
    st.tuples(st.just("truncate"), POSITION),
)
MUTANTS = st.tuples(st.sampled_from(MUTATED_FILES), st.lists(MUTATION, min_size=1, max_size=4))


def mutate(data: bytes, mutations: list[tuple]) -> bytes:
    for operation, position, *rest in mutations:
        lines = data.splitlines(keepends=True) or [b""]
        line = position % len(lines)
        if operation == "delete line":
            del lines[line]
        elif operation == "duplicate line":
            lines.insert(line, lines[line])
        elif operation == "swap lines":
            other = rest[0] % len(lines)
            lines[line], lines[other] = lines[other], lines[line]
        elif operation == "indent line":
            lines[line] = b" " * rest[0] + lines[line]
        elif operation == "dedent line":
            lines[line] = lines[line].lstrip(b" \t")
        elif operation == "replace line":
            lines[line] = rest[0] + b"\n"
        elif operation == "replace value":
            key, colon, _ = lines[line].partition(b": ")
            lines[line] = key + b": " + rest[0] + b"\n" if colon else lines[line] + rest[0]
        data = b"".join(lines)
        at = position % (len(data) + 1)
        if operation == "insert":
            data = data[:at] + rest[0] + data[at:]
        elif operation == "overwrite":
            data = data[:at] + rest[0] + data[at + len(rest[0]):]
        elif operation == "truncate":
            data = data[:at]
    return data


def last_line(raw: bytes) -> int:
    """The number of the last line of a file, as any of our readers could count it."""
    try:
        return len(raw.decode("utf-8").removeprefix("\ufeff").splitlines()) + 1
    except UnicodeDecodeError:
        return raw.count(b"\n") + 1


def assert_located(error: ContentError, root: Path) -> None:
    assert error.problems, "a ContentError without problems"
    assert str(error).endswith(" found in the content.")
    for problem in error.problems:
        assert isinstance(problem, Problem)
        assert isinstance(problem.path, str) and problem.path, problem
        assert not Path(problem.path).is_absolute() and (root / problem.path).is_file(), problem
        assert isinstance(problem.line, int), problem
        assert 1 <= problem.line <= last_line((root / problem.path).read_bytes()), problem
        assert isinstance(problem.column, int) and problem.column >= 1, problem
        assert isinstance(problem.field, str), problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem


@settings(max_examples=60, deadline=None, suppress_health_check=SLOW)
@given(mutant=MUTANTS)
def test_mutated_content_is_loaded_or_refused_with_located_problems(
        tmp_path_factory: pytest.TempPathFactory, mutant: tuple[str, list[tuple]]) -> None:
    name, mutations = mutant
    mutated = mutate(ORIGINALS[name], mutations)
    assume(sum(mutated.count(opener) for opener in (b"[", b"{", b"-", b"?")) < MAX_OPENERS)
    with project_copy(tmp_path_factory.getbasetemp()) as project:
        project.path(name).write_bytes(mutated)
        try:
            library = load(project)
        except ContentError as error:
            assert_located(error, project.root)
            unreadable = "not valid YAML" in str(error) or "not UTF-8" in str(error)
            event("refused: " + ("unreadable" if unreadable else "checked"))
        else:
            render_all(library)  # what loads must also render, in every language
            event("loaded")


def validate_output_agrees(project: Project) -> None:
    result = project.validate()
    assert result.returncode in (0, 1), (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr + result.stdout, result.stderr[-3000:]
    try:
        load(project)
    except ContentError as error:
        assert result.returncode == 1
        count = len(error.problems)
        assert result.stderr.rstrip("\n").endswith(
            f"\n{count} problem{'s' if count != 1 else ''} found in the content."), result.stderr[-3000:]
        assert all(str(problem) in result.stderr for problem in error.problems)
    else:
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("Content is valid: "), result.stdout


@settings(max_examples=6, deadline=None, suppress_health_check=SLOW)
@given(mutant=MUTANTS)
def test_validate_command_on_mutated_content_exits_0_or_1_without_traceback(
        tmp_path_factory: pytest.TempPathFactory, mutant: tuple[str, list[tuple]]) -> None:
    name, mutations = mutant
    with project_copy(tmp_path_factory.getbasetemp()) as project:
        project.path(name).write_bytes(mutate(ORIGINALS[name], mutations))
        validate_output_agrees(project)


# --- properties that once found product bugs ------------------------------------------------------------

NESTING_UNITS = ["- ", "-  ", "? ", "?  ", "- ? ", "? - ", "[", "{", "{a: ", "[a, ", "- [", "? [", "- &x ",
                 "- !!seq "]


@settings(max_examples=8, deadline=None, suppress_health_check=SLOW)
@given(unit=st.lists(st.sampled_from(NESTING_UNITS), min_size=1, max_size=2).map("".join))
@example(unit="[")
@example(unit="{")
@example(unit="- ")
@example(unit="? ")
@example(unit="-  ")
def test_validate_survives_nesting_deeper_than_the_stack(tmp_path_factory: pytest.TempPathFactory,
                                                         unit: str) -> None:
    """Whatever opens the levels, as many as the size limit allows (32,000 to 100,000) are refused
    with a problem. The mutations above stop at 5,000 levels: in-process, libyaml's recursive
    composer once took pytest down with a segmentation fault at about 25,000, so this runs the
    command in a subprocess."""
    levels = min(100_000, (MAX_FILE_BYTES - 64) // len(unit))
    with project_copy(tmp_path_factory.getbasetemp()) as project:
        project.write("rubrics/coaching-cycle.yml", "id: coaching-cycle\nextra:\n  " + unit * levels + "x\n")
        result = project.validate()
    assert result.returncode == 1, (unit, result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert "rubrics/coaching-cycle.yml:" in result.stderr


TITLE_TEXT = st.text(string.ascii_letters + string.digits + " #|\\*_[]!.-:", min_size=1, max_size=24).filter(
    lambda title: any(c.isalnum() for c in title))


@settings(max_examples=25, deadline=None, suppress_health_check=SLOW)
@given(title=TITLE_TEXT)
@example(title="Learning C#")
@example(title="Listening | questioning")
@example(title="Either\\")
def test_titles_reach_readers_as_written(tmp_path_factory: pytest.TempPathFactory, title: str) -> None:
    with project_copy(tmp_path_factory.getbasetemp()) as project:
        project.edit("cases/warehouse-finishing-sentences.md", "title: Finishing someone else's sentences",
                     f"title: {json.dumps(title)}")
        project.edit("curriculum/competencies/active-listening.yml", "title: Active listening",
                     f"title: {json.dumps(title)}")
        project.edit("rubrics/coaching-cycle.yml", 'title: "Portfolio entry 1: a full coaching cycle"',
                     f"title: {json.dumps(title)}")
        pages = render_all(load(project))["en"]
    expected = as_inline_markdown(title)
    for page in ("competencies/active-listening.md", "cases/warehouse-finishing-sentences.md",
                 "rubrics/coaching-cycle.md"):
        heading = to_html(pages[page]).find("h1")
        assert plain(str(heading)) == expected, (page, str(heading))
    # Links in lists and in table cells, where '|' and a final '\\' have a meaning of their own.
    for page, target in ((OVERVIEW, "../competencies/active-listening.md"),
                         (CASE_INDEX, "../cases/warehouse-finishing-sentences.md"),
                         (RUBRIC_INDEX, "../rubrics/coaching-cycle.md"),
                         ("competencies/goal-setting.md", "../cases/warehouse-finishing-sentences.md"),
                         ("competencies/goal-setting.md", "../rubrics/coaching-cycle.md")):
        anchors = to_html(pages[page]).find_all("a", href=target)
        assert anchors and all(plain(str(a)) == expected for a in anchors), (page, [str(a) for a in anchors])


NON_BREAKING = st.sampled_from(["\u00a0", "\u202f", "\u2007"])  # no-break, narrow no-break, figure space
WORDS = st.lists(st.text(string.ascii_letters + "«»?!:;%", min_size=1, max_size=8), min_size=2, max_size=4)


@settings(max_examples=20, deadline=None, suppress_health_check=SLOW)
@given(parts=WORDS, space=NON_BREAKING)
@example(parts=["Est-ce que j'ai bien compris", "?"], space="\u202f")
def test_non_breaking_spaces_reach_readers(tmp_path_factory: pytest.TempPathFactory, parts: list[str],
                                           space: str) -> None:
    text = space.join(parts)
    with project_copy(tmp_path_factory.getbasetemp()) as project:
        project.edit("curriculum/competencies/active-listening.yml", "title: Active listening",
                     f"title: {json.dumps(text)}")
        prompt = "When did I last stop listening because I had already decided what I would say next?"
        project.edit("curriculum/competencies/active-listening.yml", f"- {prompt}", f"- {json.dumps(text)}")
        pages = render_all(load(project))["en"]
    page = to_html(pages["competencies/active-listening.md"])
    assert plain(str(page.find("h1"))) == text
    assert text in [plain(str(item)) for item in page.find_all("li")]
    links = to_html(pages[OVERVIEW]).find_all("a", href="../competencies/active-listening.md")
    assert links and all(plain(str(a)) == text for a in links)


@settings(max_examples=10, deadline=None, suppress_health_check=SLOW)
@given(kind=st.sampled_from(["competency", "case", "rubric"]),
       item_id=st.one_of(st.sampled_from(sorted(RESERVED)),
                         st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True).filter(lambda i: len(i) <= 64)))
@example(kind="competency", item_id="index")
def test_every_item_gets_a_page_of_its_own(tmp_path_factory: pytest.TempPathFactory, kind: str,
                                          item_id: str) -> None:
    source = {"competency": "curriculum/competencies/active-listening.yml",
              "case": "cases/reconciliation-missed-deadline.md",
              "rubric": "rubrics/coaching-culture.yml"}[kind]
    folder, stem = source.rsplit("/", 1)
    old_id, suffix = stem.split(".")
    if item_id in COMPETENCY_IDS + CASE_IDS + RUBRIC_IDS:
        return  # taken: that is another property (duplicate ids are refused)
    with project_copy(tmp_path_factory.getbasetemp()) as project:
        text = project.path(source).read_text("utf-8").replace(f"id: {old_id}\n",
                                                               f"id: {json.dumps(item_id)}\n", 1)
        project.write(f"{folder}/{item_id}.{suffix}", text)
        if item_id in RESERVED:  # would be the page of the whole folder: refused, at the id
            with pytest.raises(ContentError, match=f"the id '{item_id}' is reserved") as refused:
                load(project)
            assert any(p.path == f"{folder}/{item_id}.{suffix}" and p.field == "id"
                       for p in refused.value.problems), refused.value
            return
        library = load(project)
        pages = render_all(library)["en"]
    handbook = library.handbook()
    items = len(handbook.competencies) + len(handbook.cases) + len(handbook.rubrics)
    item_pages = [p for p in pages if p.split("/")[0] in ("competencies", "cases", "rubrics")
                  and not p.endswith("/index.md")]
    assert len(item_pages) == items
    assert pages[OVERVIEW].startswith(f"# {handbook.framework.title}\n")
    assert pages[CASE_INDEX].startswith("# Case library\n")
    assert pages[RUBRIC_INDEX].startswith("# Rubrics\n")


@settings(max_examples=10, deadline=None, suppress_health_check=SLOW)
@given(value=st.tuples(LINE, st.sampled_from(["\n", "\r", "\r\n"]), LINE).map("".join))
@example(value="core\nskills")
def test_each_problem_is_one_line(tmp_path_factory: pytest.TempPathFactory, value: str) -> None:
    with project_copy(tmp_path_factory.getbasetemp()) as project:
        project.edit("curriculum/competencies/active-listening.yml", "domain: core-skills",
                     f"domain: {json.dumps(value, ensure_ascii=False)}")
        with pytest.raises(ContentError) as refused:
            load(project)
    assert not any(re.search(r"[\r\n]", str(problem)) for problem in refused.value.problems), refused.value
    assert any(value in problem.message for problem in refused.value.problems)  # the data keeps the value
