"""Knowledge checks are content like any other: written in a competency file, checked with located
problems (all at once), translated with the same options, and published readable without script. The
notes for mentors of a case stay out of the learner's search. The second program, which writes no
knowledge checks, builds as it did."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import PRECEPTOR, REPO, Project, assert_refused, copy_project, page
from handbook.render import learning_aids

LANGUAGES = ("en", "es", "fr")
LABEL_FILES = [REPO / "plugins" / "handbook" / "i18n" / "locales" / f"{lang}.yml" for lang in LANGUAGES] + [
    PRECEPTOR / "labels" / f"{lang}.yml" for lang in ("de", "ar")] + [
    REPO / "tests" / "fixtures" / "rtl" / "labels" / "ar.yml"]
LABEL_KEY = re.compile(r"^(mentor|kc)_")
COMPETENCIES = REPO / "curriculum" / "competencies"
# A competency file with knowledge checks: the tests replace them with their own.
WITH_CHECKS = next(p for p in sorted(COMPETENCIES.glob("*.yml")) if p.name.count(".") == 1
                   and yaml.safe_load(p.read_text("utf-8")).get("knowledge_checks"))
SOURCE = f"curriculum/competencies/{WITH_CHECKS.name}"


def translation(language: str) -> str:
    return SOURCE.replace(".yml", f".{language}.yml")


def labels(language: str) -> dict[str, str]:
    return yaml.safe_load((REPO / "plugins/handbook/i18n/locales" / f"{language}.yml").read_text("utf-8"))


def with_checks(text: str, block: str) -> str:
    """A competency file (or its translation) with ``block`` in place of its knowledge checks."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("knowledge_checks:")), None)
    if start is None:
        return text.rstrip("\n") + "\n" + block
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^[a-z_]+:", lines[i])), len(lines))
    return "".join(lines[:start]) + block + "".join(lines[end:])


def set_checks(project: Project, block: str, translations: dict[str, str] | None = None) -> None:
    """Our own checks in the source; each translation gets its block from ``translations`` (none: no
    knowledge checks at all)."""
    project.write(SOURCE, with_checks(project.path(SOURCE).read_text("utf-8"), block))
    for language in LANGUAGES[1:]:
        path = translation(language)
        text = with_checks(project.path(path).read_text("utf-8"), "")
        given = (translations or {}).get(language)
        project.write(path, with_checks(text, given) if given else text)


CHECKS = """knowledge_checks:
  - id: first-check
    question: Which answer is right?
    options:
      - id: one
        text: The first answer.
        correct: true
        feedback: This one, because it is the first.
      - id: two
        text: The second answer.
        correct: false
        feedback: Not this one, because it is the second.
"""


def problems(project: Project) -> list[str]:
    checked = project.validate()
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr
    return (checked.stdout + checked.stderr).splitlines()


def test_a_check_without_a_right_answer_and_a_repeated_option_id_are_both_located(project: Project,
                                                                                 tmp_path: Path) -> None:
    wrong = CHECKS.replace("correct: true", "correct: false") + """  - id: second-check
    question: And here?
    options:
      - id: same
        text: An answer.
        correct: true
        feedback: This one.
      - id: same
        text: Another answer.
        correct: false
        feedback: Not this one.
"""
    set_checks(project, wrong)
    options_line = project.line_of(SOURCE, "      - id: one")  # where the list of options starts
    repeated_line = [n for n, line in enumerate(project.path(SOURCE).read_text("utf-8").splitlines(), 1)
                     if line.strip() == "- id: same"][1]
    reported = problems(project)
    assert any(line.startswith(f"{SOURCE}:{options_line}:") and "knowledge_checks[0].options: no option is marked "
               "correct" in line for line in reported), reported
    assert any(line.startswith(f"{SOURCE}:{repeated_line}:") and "knowledge_checks[1].options[1].id: the id 'same' "
               "is used twice (first at item 1)" in line for line in reported), reported
    # The build refuses the same content before writing anything.
    assert_refused(project, tmp_path / "site", SOURCE, options_line, "knowledge_checks[0].options",
                   "no option is marked correct")


def test_the_shape_of_a_check_is_held_to_its_schema(project: Project) -> None:
    broken = (CHECKS.replace("        correct: false\n", "")
              .replace("text: The first answer.", "text: The first answer.\n        score: 1")
              .replace("correct: true", 'correct: "yes"'))
    set_checks(project, broken)
    unknown, not_boolean = project.line_of(SOURCE, "score: 1"), project.line_of(SOURCE, 'correct: "yes"')
    reported = problems(project)
    assert any(entry.startswith(f"{SOURCE}:{unknown}:") and "knowledge_checks[0].options[0].score: unknown field"
               in entry for entry in reported), reported
    assert any(entry.startswith(f"{SOURCE}:{not_boolean}:") and "knowledge_checks[0].options[0].correct: expected "
               "true or false" in entry for entry in reported), reported
    missing = "knowledge_checks[0].options[1].correct: missing required field"
    assert any(missing in entry for entry in reported), reported


def test_script_in_a_check_is_refused_where_it_is_written(project: Project) -> None:
    set_checks(project, CHECKS.replace("feedback: Not this one, because it is the second.",
                                       'feedback: "Not this one <script>alert(1)</script>"'))
    line = project.line_of(SOURCE, "<script>")
    reported = problems(project)
    assert any(entry.startswith(f"{SOURCE}:{line}:") and "knowledge_checks[0].options[1].feedback: raw HTML <script> "
               "is not allowed" in entry for entry in reported), reported


def test_a_translation_with_a_different_option_count_is_refused(project: Project, tmp_path: Path) -> None:
    fewer = """knowledge_checks:
  - id: first-check
    question: ¿Qué respuesta es la correcta?
    options:
      - id: one
        text: La primera respuesta.
        feedback: Esta, porque es la primera.
"""
    more = fewer.replace("¿Qué", "Quelle").replace("La primera respuesta.", "La première réponse.") + \
        """      - id: two
        text: La deuxième réponse.
        feedback: Pas celle-ci.
      - id: three
        text: Une troisième réponse.
        feedback: Pas celle-ci non plus.
"""
    set_checks(project, CHECKS, {"es": fewer, "fr": more})
    es, fr = translation("es"), translation("fr")
    es_line, fr_line = project.line_of(es, "      - id: one"), project.line_of(fr, "      - id: one")
    reported = problems(project)
    assert any(entry.startswith(f"{es}:{es_line}:") and "knowledge_checks[0].options: the source has 2 items here and "
               "the translation 1 (missing: two): translate each of them (one, two)" in entry
               for entry in reported), reported
    assert any(entry.startswith(f"{fr}:{project.line_of(fr, '- id: three')}:") and "'three' is not in the source"
               in entry for entry in reported), reported
    assert any(entry.startswith(f"{fr}:{fr_line}:") and "the source has 2 items here and the translation 3" in entry
               for entry in reported), reported
    assert_refused(project, tmp_path / "site", es, es_line, "knowledge_checks[0].options",
                   "the source has 2 items here and the translation 1")


def test_a_translation_cannot_change_which_answer_is_right(project: Project) -> None:
    translated = """knowledge_checks:
  - id: first-check
    question: ¿Qué respuesta es la correcta?
    options:
      - id: one
        text: La primera respuesta.
        correct: false
        feedback: Esta.
      - id: two
        text: La segunda respuesta.
        feedback: Esta no.
"""
    set_checks(project, CHECKS, {"es": translated})
    path = translation("es")
    reported = problems(project)
    assert any(entry.startswith(f"{path}:{project.line_of(path, 'correct: false')}:") and
               "knowledge_checks[0].options[0].correct: unknown field" in entry for entry in reported), reported


@pytest.fixture(scope="module")
def checked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real handbook built without PDFs."""
    root = tmp_path_factory.mktemp("knowledge-checks")
    built = copy_project(root / "project").build(root / "site")
    assert built.returncode == 0, built.stderr
    return root / "site"


def _texts(nodes) -> list[str]:
    return [" ".join(node.get_text(" ").split()) for node in nodes]


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_knowledge_checks_are_readable_without_script_in_every_language(checked_site: Path) -> None:
    for source in sorted(p for p in COMPETENCIES.glob("*.yml") if p.name.count(".") == 1):
        data = yaml.safe_load(source.read_text("utf-8"))
        for language in LANGUAGES:
            words = labels(language)
            soup = page(checked_site, f"{'' if language == 'en' else language + '/'}competencies/{data['id']}")
            found = soup.select("article div.hb-knowledge-check")
            assert len(found) == len(data.get("knowledge_checks", [])), (source.name, language)
            if not found:
                continue
            text = data
            if language != "en":
                text = yaml.safe_load(source.with_name(f"{source.stem}.{language}.yml").read_text("utf-8"))
            shown_checks = {check["id"]: check for check in text["knowledge_checks"]}
            for check, block in zip(data["knowledge_checks"], found, strict=True):
                shown = shown_checks[check["id"]]
                assert block["id"] == f"kc-{check['id']}"
                assert _squash(shown["question"]) in _squash(block.select_one(".hb-kc-question").get_text(" "))
                items = block.select("ul.hb-kc-options > li.hb-kc-option")
                given = {option["id"]: option for option in shown["options"]}
                for option, item in zip(check["options"], items, strict=True):
                    assert ("hb-kc-correct" in item["class"]) is option["correct"]
                    details = item.select_one("details.hb-kc-feedback")
                    assert details is not None and not details.has_attr("open")
                    assert _texts([details.summary]) == [_squash(given[option["id"]]["text"])]
                    verdict = words["kc_correct"] if option["correct"] else words["kc_not_quite"]
                    assert _texts(details.select("p.hb-kc-verdict")) == [verdict]
                    assert _squash(given[option["id"]]["feedback"]) in _squash(details.get_text(" "))
            heading = [h.get_text(strip=True).rstrip("¶") for h in soup.select("article h2")]
            assert words["kc_title"] in heading
            # The labels and the script, as a data block and a file of the site; no other script.
            block = soup.select_one(f'script[type="application/json"]#{learning_aids.DATA_ID}')
            assert json.loads(block.string)["labels"]["kc_check"] == words["kc_check"]
            sources = [s["src"] for s in soup.select("script[src]") if "handbook/" in s["src"]]
            assert any(src.endswith(learning_aids.CHECKS_SCRIPT) for src in sources)


def test_mentor_notes_are_folded_on_case_pages_and_gathered_on_a_page_search_leaves_out(checked_site: Path) -> None:
    framework = yaml.safe_load((REPO / "curriculum/framework.yml").read_text("utf-8"))
    narrow = [s for s in framework["case_sections"] if s.get("audience", "everyone") != "everyone"]
    assert narrow, "the program has no section for mentors: nothing to test"
    with_notes = sorted(p.stem for p in (REPO / "cases").glob("*.md") if p.name.count(".") == 1
                        and any(f"{{#{s['id']}}}" in p.read_text("utf-8") for s in narrow))
    assert with_notes
    for language in LANGUAGES:
        prefix = "" if language == "en" else f"{language}/"
        words = labels(language)
        section_titles = {s["id"]: s["title"] for s in narrow}
        if language != "en":
            translated = yaml.safe_load((REPO / f"curriculum/framework.{language}.yml").read_text("utf-8"))
            section_titles |= {s["id"]: s["title"] for s in translated.get("case_sections", []) if "title" in s}
        for case in with_notes:
            soup = page(checked_site, f"{prefix}cases/{case}")
            blocks = soup.select("article details.hb-mentor-block")
            assert len(blocks) == len([s for s in narrow if f"{{#{s['id']}}}" in
                                       (REPO / "cases" / f"{case}.md").read_text("utf-8")])
            for block in blocks:
                spec = next(s for s in narrow if s["id"] == block["id"])
                assert block.has_attr("data-search-exclude") and not block.has_attr("open")
                assert "facilitator-notes" in block["class"]
                summary = words["mentor_summary"].format(audience=words[f"mentor_audience_{spec['audience']}"],
                                                         section=section_titles[spec["id"]])
                assert _texts([block.summary]) == [summary]
                # Not a heading: the table of contents leaves it out.
                assert not soup.select(f'.md-nav--secondary a[href="#{spec["id"]}"]')
            assert soup.select_one(f'script[src$="{learning_aids.MENTOR_SCRIPT}"]') is not None
        for audience in {s["audience"] for s in narrow}:
            gathered = page(checked_site, f"{prefix}{audience}")
            linked = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in gathered.select("article a[href*='cases/']")}
            assert linked == set(with_notes), language
            assert gathered.select_one("article h1").get_text(strip=True).rstrip("¶") == \
                words[f"mentor_page_title_{audience}"]
            index = json.loads((checked_site / prefix / "search" / "search_index.json").read_text("utf-8"))
            assert not [doc["location"] for doc in index["docs"] if doc["location"].startswith(f"{audience}/")]
    # Pages with neither notes nor checks carry none of their scripts.
    home = page(checked_site, "")
    assert not [s for s in home.select("script[src]") if s["src"].endswith(learning_aids.SCRIPTS)]
    assert home.select_one(f"script#{learning_aids.DATA_ID}") is None


def test_the_second_program_builds_with_its_own_mentor_notes_and_no_knowledge_checks(tmp_path: Path) -> None:
    shutil.copytree(PRECEPTOR, tmp_path / "project")
    assert not [p for p in (tmp_path / "project" / "curriculum" / "competencies").glob("*.yml")
                if "knowledge_checks" in p.read_text("utf-8")]
    built = Project(tmp_path / "project").build(tmp_path / "site")
    assert built.returncode == 0, built.stderr
    site = tmp_path / "site"
    for path in site.rglob("index.html"):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        assert soup.select_one(".hb-knowledge-check") is None, path
        assert not soup.select(f'script[src$="{learning_aids.CHECKS_SCRIPT}"]'), path
    german = yaml.safe_load((PRECEPTOR / "labels" / "de.yml").read_text("utf-8"))
    framework = yaml.safe_load((PRECEPTOR / "curriculum" / "framework.yml").read_text("utf-8"))
    narrow = next(s for s in framework["case_sections"] if s.get("audience", "everyone") != "everyone")
    case = next(p.stem for p in sorted((PRECEPTOR / "cases").glob("*.md")) if p.name.count(".") == 1
                and f"{{#{narrow['id']}}}" in p.read_text("utf-8"))
    block = page(site, f"cases/{case}").select_one("details.hb-mentor-block")
    assert _texts([block.summary]) == [german["mentor_summary"].format(
        audience=german[f"mentor_audience_{narrow['audience']}"], section=narrow["title"])]
    for prefix in ("", "ar/"):
        assert (site / prefix / narrow["audience"] / "index.html").is_file()


def test_every_language_has_every_learning_aid_label_with_the_same_placeholders() -> None:
    english = {k: v for k, v in yaml.safe_load(LABEL_FILES[0].read_text("utf-8")).items() if LABEL_KEY.match(k)}
    assert set(learning_aids.SCRIPT_LABELS) <= set(english)
    for path in LABEL_FILES[1:]:
        given = {k: v for k, v in yaml.safe_load(path.read_text("utf-8")).items() if LABEL_KEY.match(k)}
        assert sorted(given) == sorted(english), path
        for key, text in english.items():
            assert sorted(re.findall(r"\{\w+\}", given[key])) == sorted(re.findall(r"\{\w+\}", text)), (path, key)


def test_only_pages_with_notes_or_checks_get_the_labels_and_scripts() -> None:
    words = {"mentor_show": "Show </script><script>alert(1)</script>", "kc_check": "Check", "other": "x"}
    case = '<html><body><details class="hb-mentor-block facilitator-notes" id="n"></details></body></html>'
    added = learning_aids.with_scripts(case, words, "../..")
    assert '<script src="../../assets/handbook/mentor-view.js" defer></script>' in added
    assert "knowledge-checks.js" not in added and added.endswith("</body></html>")
    data = re.search(rf'<script type="application/json" id="{learning_aids.DATA_ID}">(.*?)</script>', added)[1]
    assert "<" not in data and json.loads(data)["labels"] == {k: words[k] for k in ("mentor_show", "kc_check")}
    checks = '<html><body><div class="hb-knowledge-check" id="kc-a"></div></body></html>'
    assert "knowledge-checks.js" in learning_aids.with_scripts(checks, words, ".")
    plain = "<html><body><p>Nothing here.</p></body></html>"
    assert learning_aids.with_scripts(plain, words, ".") == plain


def test_only_the_blocks_for_a_narrower_audience_are_marked_for_search_to_skip() -> None:
    content = ('<details class="hb-mentor-block facilitator-notes info" id="n"><summary>x</summary></details>'
               '<details class="info"><summary>y</summary></details>')
    marked = learning_aids.unsearchable(content)
    assert marked.count("data-search-exclude") == 1
    assert marked.startswith('<details data-search-exclude class="hb-mentor-block')
